"""Fuzz scenario files: mutated documents (wrong types, out-of-range and non-finite numbers,
odd text, missing, unknown and duplicate keys), YAML tags, alias bombs, recursive aliases and
deep nesting. Reading one either gives a scenario or one ScenarioError line, quickly; through
``bmdsim run`` a bad file is one line on stderr and exit 2, and a good small one runs (exit
0, strict JSON; the readable table too).
"""

from __future__ import annotations

import copy
import math
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from fuzz_harness import CASES, ODD_TEXT, check, fuzz_settings, invoke
from hypothesis import assume, given
from hypothesis import strategies as st

from bmdsim.errors import ScenarioError
from bmdsim.scenario import limits as L
from bmdsim.scenario.loader import parse_scenario_text

BASE: dict[str, Any] = {
    "name": "fuzz",
    "epoch": "2017-08-29T05:58:00+09:00",
    "seed": 1,
    "places": {"ship-1": {"lat_deg": 38.5, "lon_deg": 134.0, "height_m": 0.0}},
    "sensors": [
        {
            "name": "r",
            "sensor": "spy7-class",
            "site": "araya",
            "owner": "own",
            "link_latency_s": 1.0,
            "boresight_az_deg": 270.0,
        },
        {"name": "ir", "sensor": "sbirs-class"},
    ],
    "batteries": [
        {
            "name": "b",
            "interceptor": "sm3-iia-class",
            "site": "ship-1",
            "inventory": 8,
            "radar": "r",
            "fire_on": "engage-on-remote",
            "launch_interval_s": 5.0,
            "reaction_time_s": 10.0,
            "overrides": {"burnout_speed_m_s": 4300.0},
        }
    ],
    "doctrine": {
        "kind": "shoot-look-shoot",
        "salvo_size": 2,
        "max_waves": 2,
        "pk": 0.7,
        "kill_assessment_delay_s": 10.0,
        "assignment": "earliest-intercept-first",
    },
    "threats": [
        {
            "name": "t",
            "missile": "scud-er-class",
            "launch": "wonsan",
            "target": "fukuoka",
            "launch_time_s": 0.0,
            "count": 1,
            "rcs_m2": 0.1,
        }
    ],
}

#: the edges of every range of the scenario, and just past them
_EDGES = [
    v
    for lo, hi in (
        L.APOGEE_KM,
        L.FLIGHT_TIME_S,
        L.LAUNCH_TIME_S,
        L.RCS_M2,
        L.LATENCY_S,
        L.LAUNCH_INTERVAL_S,
        L.INTERCEPTOR_BURNOUT_SPEED_M_S,
        L.SEED,
        L.THREAT_COUNT,
        (-90.0, 90.0),
        (-500.0, 100_000.0),
    )
    for v in (lo, hi, lo - 1, hi + 1)
]

LEAF = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e300, -1e300, 1e-300, 0.0, -0.0]),
    st.sampled_from(_EDGES),
    st.integers(),
    st.sampled_from([2**64, -(2**63), 10**400]),
    st.booleans(),
    st.none(),
    ODD_TEXT,
    st.sampled_from(["lofted", "salvo", "own", "random", "sunan", "39,125,100", "nodong"]),
)
VALUE = st.recursive(
    LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        doc = doc[key]
    return doc


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """BASE with one to four mutations: a value replaced, a key removed, an unknown key or a
    list item added."""
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        parent = _parent(doc, path)
        action = draw(st.sampled_from(["set", "set", "set", "delete", "add_key", "add_item"]))
        if action == "set":
            parent[path[-1]] = draw(VALUE)
        elif action == "delete":
            del parent[path[-1]]
        elif action == "add_key" and isinstance(parent, dict):
            parent[draw(st.text(max_size=12) | st.sampled_from(["apogee", "count_", "x"]))] = draw(
                VALUE
            )
        elif action == "add_item" and isinstance(parent, list):
            parent.append(
                copy.deepcopy(parent[-1]) if parent and draw(st.booleans()) else draw(VALUE)
            )
    return doc


def _dump(doc: Any) -> str:
    try:
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, UnicodeEncodeError, ValueError):
        assume(False)
        raise AssertionError from None


def bomb(levels: int, width: int) -> str:
    """A 'billion laughs' of ``levels`` anchors, each ``width`` aliases of the one before."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + f"\nname: x\nthreats: *a{levels - 1}\n"


ATTACKS = st.one_of(
    st.builds(bomb, st.integers(2, 12), st.integers(2, 12)),
    st.sampled_from(
        [
            "name: x\nthreats: &t [*t]\n",
            "name: &n {a: *n}\nthreats: []\n",
            "name: x\nthreats: [*nope]\n",
            "name: !!python/object/apply:os.system ['true']\nthreats: []\n",
            "name: !!binary aGVsbG8=\nthreats: []\n",
            "name: !!set {a, b}\nthreats: []\n",
            "name: !custom x\nthreats: []\n",
            "name: x\nepoch: !!timestamp 2001-12-14\nthreats: []\n",
            "name: x\nseed: !!float nan\nthreats: []\n",
            "name: x\nseed: " + "9" * 5000 + "\nthreats: []\n",
            "name: x\nseed: 0x" + "f" * 100 + "\nthreats: []\n",
            "\ufeffname: x\nthreats: []\n",
            "name:\tx\nthreats: []\n",
            "--- a\n--- b\n",
            "name: x\n...\n---\nname: y\n",
            "%YAML 1.1\n---\nname: x\n",
            "%TAG ! tag:x,2000:\n---\nname: !a x\n",
            "name: x\nthreats:\n  - <<: {name: t, missile: scud-er-class}\n    launch: wonsan\n",
            "? [a, b]\n: c\n",
            "name: x\nname: y\nthreats: []\n",
            "[" * 40 + "]" * 40,
            "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 40)),
            "name: x\nthreats: [" + ", ".join(["{}"] * 2000) + "]\n",
            "x" * (L.MAX_SCENARIO_BYTES + 1),
            "name: '" + "a\\nb" + "'\nthreats: []\n",
            'name: "a\\u2028b"\nthreats: []\n',
            'name: "\\ud800"\nthreats: []\n',
            "",
            "\x00",
            "- a\n- b\n",
        ]
    ),
)


def _read(text: str) -> None:
    """Read ``text``: a scenario (whose engagement input can be built) or one error line."""
    t0 = time.perf_counter()
    try:
        parse_scenario_text(text, "fuzz.yaml").to_setup()
    except ScenarioError as exc:
        CASES["scenario text", 2] += 1
        message = str(exc)
        assert message.strip() and len(message.splitlines()) == 1, message
        assert message.startswith("fuzz.yaml"), message
    else:
        CASES["scenario text", 0] += 1
    assert time.perf_counter() - t0 < 10.0, "reading took too long"


@fuzz_settings(150)
@given(doc=mutated())
def test_mutated_documents(doc: dict[str, Any]) -> None:
    _read(_dump(doc))


@fuzz_settings(40)
@given(
    doc=mutated(),
    where=st.integers(0, 10_000),
    junk=ODD_TEXT | st.sampled_from([": :", "&a", "*a", "! x", "- [", "'"]),
)
def test_corrupted_text(doc: dict[str, Any], where: int, junk: str) -> None:
    text = _dump(doc)
    at = where % (len(text) + 1)
    _read(text[:at] + junk + text[at:])


@fuzz_settings(40)
@given(text=ATTACKS)
def test_yaml_attacks(text: str) -> None:
    _read(text)


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-scenarios")


@fuzz_settings(40)
@given(text=st.one_of(mutated().map(_dump), ATTACKS), as_bytes=st.booleans())
def test_run_refuses_a_bad_file(text: str, as_bytes: bool, scenario_dir: Path) -> None:
    """Through ``bmdsim run``: only files that fail at the door (a good one runs for
    seconds; the next test runs a few)."""
    try:
        parse_scenario_text(text, "x").to_setup()
    except ScenarioError:
        pass
    else:
        assume(False)
    path = scenario_dir / "scenario.yaml"
    if as_bytes:  # not UTF-8
        path.write_bytes(text.encode("utf-8", "surrogatepass") + b"\xff\xfe")
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    o = invoke(["run", str(path), "--json"], limit_s=30, kind="run")
    check(o)
    assert o.code == 2, o.describe()


@st.composite
def good_small(draw: st.DrawFn) -> dict[str, Any]:
    """A small scenario that reads: values inside their ranges (at the edges too)."""
    doc = copy.deepcopy(BASE)
    t = doc["threats"][0]
    t["launch_time_s"] = draw(st.sampled_from([0.0, 3600.0, float(L.LAUNCH_TIME_S[1])]))
    t["rcs_m2"] = draw(st.sampled_from([L.RCS_M2[0], 0.1, L.RCS_M2[1]]))
    t["count"] = draw(st.integers(1, 3))
    b = doc["batteries"][0]
    b["inventory"] = draw(st.sampled_from([0, 1, 8]))
    b["reaction_time_s"] = draw(st.sampled_from([0.0, 10.0, L.REACTION_TIME_S[1]]))
    b["launch_interval_s"] = draw(st.sampled_from([L.LAUNCH_INTERVAL_S[0], 5.0]))
    b["fire_on"] = draw(st.sampled_from(["own", "launch-on-remote", "engage-on-remote"]))
    d = doc["doctrine"]
    d["kind"] = draw(st.sampled_from(["shoot-look-shoot", "salvo"]))
    d["salvo_size"] = draw(st.integers(*L.SALVO_SIZE))
    d["max_waves"] = draw(st.integers(1, 3))
    d["pk"] = draw(st.sampled_from([0.0, 0.7, 1.0]))
    doc["sensors"][0]["link_latency_s"] = draw(st.sampled_from([0.0, 1.0, L.LATENCY_S[1]]))
    doc["seed"] = draw(st.integers(*L.SEED))
    return doc


@fuzz_settings(3)
@given(doc=good_small(), json_out=st.booleans())
def test_good_files_run(doc: dict[str, Any], json_out: bool, scenario_dir: Path) -> None:
    path = scenario_dir / "good.yaml"
    path.write_text(_dump(doc), encoding="utf-8")
    argv = ["run", str(path), *(["--json"] if json_out else [])]
    o = invoke(argv, limit_s=120, kind="run")
    check(o)
    assert o.code == 0, o.describe()
