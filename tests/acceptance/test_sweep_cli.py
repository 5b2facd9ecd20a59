"""End-to-end: ``bmdsim sweep`` (the defended footprint against interceptor burnout speed and
the loss of a battery, a raid Monte Carlo against Pk and reaction time, the JSON contract,
one-line errors with exit code 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bmdsim.cli.main import main

# one threat, one radar, one battery of one round, one shot: ~50 ms a trial
CHEAP = """\
name: cheap-sweep
seed: 11
sensors:
  - {name: araya-spy7, sensor: spy7-class, site: araya, owner: own}
batteries:
  - {name: araya, interceptor: sm3-iia-class, site: araya, inventory: 1, radar: araya-spy7}
doctrine: {kind: salvo, salvo_size: 1, max_waves: 1, pk: 0.5}
threats:
  - {name: t0, missile: nodong-class, launch: sunan, target: tokyo, launch_time_s: 0}
"""
BURNOUT = "batteries[*].overrides.burnout_speed_m_s"


def bmdsim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bmdsim.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def cheap(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sweep") / "cheap.yaml"
    path.write_text(CHEAP, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def japan():
    """One at a time on the built-in scenario, 1 deg grid: each battery dropped, and every
    battery's SM-3 IIA-class burnout speed at the low and high ends of what re-sizing its
    last stage gives (3.3-5.5 km/s; the catalog's is 4.5 km/s)."""
    p = bmdsim(
        "sweep",
        "aegis-ashore-japan",
        "--grid-deg",
        "1",
        "--sensitivity",
        "--param",
        "batteries=drop:araya,drop:mutsumi",
        "--param",
        f"{BURNOUT}=3400,5400",
        "--json",
    )
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_japan_contract(japan):
    doc = japan
    assert doc["metric"] == "defended_fraction" and doc["mode"] == "sensitivity"
    assert doc["grid_deg"] == 1.0 and doc["region"] == "japan"
    assert [p["key"] for p in doc["params"]] == ["batteries", BURNOUT]
    assert doc["params"][1]["values"] == [3400, 5400] and doc["params"][1]["baseline"] is None
    assert len(doc["points"]) == 5 and doc["elapsed_s"] > 0.0
    for pt in doc["points"]:
        assert {"batteries", BURNOUT, "defended_fraction", "threatened_fraction"} <= set(pt)
        assert 0.0 <= pt["defended_fraction"] <= 1.0 and pt["elapsed_s"] >= 0.0
    base = doc["points"][0]
    assert base["batteries"] == "keep" and base[BURNOUT] is None
    assert {r["param"] for r in doc["sensitivity"]} == {"batteries", BURNOUT}
    swings = [r["swing"] for r in doc["sensitivity"]]
    assert swings == sorted(swings, reverse=True)


def test_losing_a_battery_loses_land(japan):
    pts = {(p["batteries"], p[BURNOUT]): p["defended_fraction"] for p in japan["points"]}
    base = pts[("keep", None)]
    assert base > 0.9
    assert pts[("drop:araya", None)] < base
    assert pts[("drop:mutsumi", None)] < base
    row = next(r for r in japan["sensitivity"] if r["param"] == "batteries")
    assert row["by"] == "metric" and row["low"]["delta"] < 0.0 and row["swing"] > 0.0


def test_defended_land_is_flat_in_burnout_speed_above_3_4_km_s(japan):
    """Against these medium- and intermediate-range threats the SM-3 IIA-class reaches
    every threat that its track allows well before 3.4 km/s; speed adds nothing."""
    pts = {(p["batteries"], p[BURNOUT]): p["defended_fraction"] for p in japan["points"]}
    base = pts[("keep", None)]
    assert pts[("keep", 3400)] == base and pts[("keep", 5400)] == base
    row = next(r for r in japan["sensitivity"] if r["param"] == BURNOUT)
    assert row["by"] == "value" and row["low"]["value"] == 3400 and row["swing"] == 0.0


def test_montecarlo_sweep_with_common_draws(cheap):
    p = bmdsim(
        "sweep",
        str(cheap),
        "--metric",
        "p_zero_leakers",
        "--trials",
        "30",
        "--param",
        "doctrine.pk=0.2,0.9",
        "--param",
        "batteries[araya].reaction_time_s=10,900",
        "--json",
    )
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["mode"] == "grid" and doc["trials"] == 30 and len(doc["points"]) == 4
    pts = {(q["doctrine.pk"], q["batteries[araya].reaction_time_s"]): q for q in doc["points"]}
    for q in doc["points"]:
        lo, hi = q["p_zero_leakers_ci95"]
        assert lo <= q["p_zero_leakers"] <= hi and q["trials"] == 30
    # the same kill draws at every point: a higher Pk never kills less
    assert pts[(0.9, 10)]["p_zero_leakers"] > pts[(0.2, 10)]["p_zero_leakers"]
    # a 900 s reaction time misses every window of a ~10 min flight
    assert pts[(0.9, 900)]["p_zero_leakers"] == 0.0 == pts[(0.2, 900)]["p_zero_leakers"]


def test_text_mode_prints_tables(capsys, cheap):
    args = ["sweep", str(cheap), "--metric", "p_zero_leakers", "--trials", "5", "--sensitivity"]
    assert main([*args, "--param", "doctrine.pk=0.3,0.8"]) == 0
    out = capsys.readouterr().out
    assert "doctrine.pk" in out and "p_zero_leakers" in out and "baseline" in out


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ([], "give at least one"),
        (["--param", "doctrine.pk"], "KEY=SPEC"),
        (["--param", "doctrine.pk=0.5,0.9"], "footprint fires"),
        (["--param", "batteries[0].overrides.burnout=4000"], "did you mean 'burnout_speed_m_s'"),
        (["--param", f"{BURNOUT}=1000:2000:500"], "re-sizing"),
        (["--param", "batteries[0].reaction_time_s=1:2:0"], "zero"),
        (["--param", "batteries[9]=drop"], "2 entries"),
        (["--param", "sensors=drop:araya-spy7"], "no sensor named"),
        (["--param", "seed=1", "--param", "seed=2"], "given twice"),
        (["--param", "seed=1", "--trials", "5"], "--trials"),
        (["--param", "seed=1", "--metric", "p_zero_leakers", "--grid-deg", "1"], "--grid-deg"),
        (["--param", "seed=1", "--metric", "leakers"], "--metric"),
        (["--param", "seed=1", "--region", "atlantis"], "--region"),
        (["--param", "seed=1", "--workers", "2", "--scheduler", "tcp://h:1"], "give one"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, extra, words):
    assert main(["sweep", "aegis-ashore-japan", *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("bmdsim: error: ") and words in err, err
