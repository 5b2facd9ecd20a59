"""Scenario files: built-ins, round trip, one-line errors with file:line and key, schema."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
import yaml

from bmdsim.engagement.run import fly_threats
from bmdsim.engagement.setup import Setup
from bmdsim.errors import ScenarioError
from bmdsim.scenario.loader import (
    builtin_names,
    dump_schema,
    load_scenario,
    load_scenario_model,
    load_scenario_text,
    parse_scenario_text,
)
from bmdsim.scenario.schema import Scenario

GOOD = """\
name: test
epoch: 2017-08-29T05:58:00+09:00
seed: 7
places:
  ship-1: {lat_deg: 38.5, lon_deg: 134.0}
sensors:
  - name: radar-a
    sensor: spy7-class
    site: araya
  - name: ir
    sensor: sbirs-class
batteries:
  - name: ddg
    interceptor: sm3-iia-class
    site: ship-1
    radar: radar-a
    fire_on: own-radar
    overrides:
      burnout_speed_m_s: 4300.0
threats:
  - name: t0
    missile: nodong-class
    launch: wonsan
    target: tokyo
  - name: t1
    missile: scud-er-class
    launch: '39.2,127.5'
    target: fukuoka
    launch_time_s: 30
    count: 2
  - name: t2
    missile: nodong-class
    launch: sinpo
    target: osaka
    profile: lofted
    apogee_km: 600
"""


def _error(text: str, filename: str = "scenario.yaml") -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, filename)
    message = str(info.value)
    assert "\n" not in message
    return message


def _line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` containing ``needle``."""
    for i, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(needle)


# ---- built-ins --------------------------------------------------------------------------------


def test_builtin_names() -> None:
    assert {"aegis-ashore-japan", "aegis-ashore-japan-own-sensors"} <= set(builtin_names())


@pytest.mark.parametrize("name", ["aegis-ashore-japan", "aegis-ashore-japan-own-sensors"])
def test_builtins_load(name: str) -> None:
    setup = load_scenario(name)
    assert isinstance(setup, Setup)
    assert setup.name == name
    assert 8 <= len(setup.threats) <= 12
    assert {b.name for b in setup.batteries} == {"araya", "mutsumi"}
    for b in setup.batteries:
        assert (
            b.interceptor == "sm3-iia-class"
            and b.inventory == 24
            and b.fire_on == "engage-on-remote"
        )
        assert b.radar is not None and b.radar.endswith("spy7")
    own = [s for s in setup.sensors if s.owner == "own"]
    assert {s.sensor for s in own} == {"spy7-class", "fps5-class"}
    missiles = {t.missile for t in setup.threats}
    assert {"nodong-class", "scud-er-class", "hwasong-12-class"} <= missiles
    times = [t.launch_time_s for t in setup.threats]
    assert 60.0 <= max(times) - min(times) <= 600.0


def test_builtin_allied_sensors() -> None:
    setup = load_scenario("aegis-ashore-japan")
    allied = {s.sensor: s for s in setup.sensors if s.owner == "allied"}
    assert set(allied) == {"sbirs-class", "tpy2-class"}
    assert all(s.link_latency_s > 0 for s in allied.values())
    tpy2_sites = {
        (round(s.lat_deg, 2), round(s.lon_deg, 2))
        for s in setup.sensors
        if s.sensor == "tpy2-class"
    }
    assert tpy2_sites == {(40.89, 140.34), (35.77, 135.2)}  # Shariki, Kyogamisaki
    sbirs = allied["sbirs-class"]
    assert math.isnan(sbirs.lat_deg)


def test_own_sensors_builtin_is_the_default_without_allied() -> None:
    full = load_scenario("aegis-ashore-japan")
    own = load_scenario("aegis-ashore-japan-own-sensors")
    stripped = full.without_allied_sensors()
    assert stripped.name == own.name
    assert stripped.sensors == own.sensors
    assert stripped.batteries == own.batteries
    assert stripped.threats == own.threats
    assert stripped.doctrine == own.doctrine
    assert all(s.owner == "own" for s in own.sensors)


def test_builtin_irbm_within_reach() -> None:
    from pyproj import Geod

    from bmdsim.threats.catalog import get_missile

    setup = load_scenario("aegis-ashore-japan")
    (irbm,) = [t for t in setup.threats if t.missile == "hwasong-12-class"]
    _, _, dist = Geod(ellps="WGS84").inv(
        irbm.launch_lon_deg, irbm.launch_lat_deg, irbm.target_lon_deg, irbm.target_lat_deg
    )
    assert 2400e3 < dist < get_missile("hwasong-12-class").nominal_range_km * 1e3


def test_builtin_by_file_path_and_yaml_suffix(tmp_path: Path) -> None:
    a = load_scenario("aegis-ashore-japan.yaml")
    src = Path(__file__).parents[2] / "src/bmdsim/scenario/builtin/aegis-ashore-japan.yaml"
    assert load_scenario(src) == a
    copy = tmp_path / "copy.yaml"
    copy.write_text(src.read_text())
    assert load_scenario(str(copy)) == a


# ---- conversion -------------------------------------------------------------------------------


def test_good_scenario_converts() -> None:
    setup = load_scenario_text(GOOD, "good.yaml")
    assert setup.seed == 7
    assert setup.epoch.startswith("2017-08-29T05:58:00")
    (ddg,) = setup.batteries
    assert (ddg.lat_deg, ddg.lon_deg) == (38.5, 134.0)
    assert ddg.burnout_speed_m_s == 4300.0 and ddg.fire_on == "own"  # earlier spelling read
    radar, ir = setup.sensors
    assert radar.owner == "own" and radar.link_latency_s == 0.0
    assert ir.owner == "allied" and ir.link_latency_s > 0  # catalog defaults of the class
    t0, t1, t2 = setup.threats
    assert t0.launch_place == "wonsan" and t0.target_place == "tokyo"
    assert t1.launch_place == "39.2,127.5" and t1.launch_lon_deg == 127.5 and t1.count == 2
    assert t2.profile == "lofted" and t2.apogee_km == 600.0


def test_catalog_names_are_canonicalised() -> None:
    text = GOOD.replace(
        "missile: nodong-class\n    launch: wonsan", "missile: Nodong_Class\n    launch: wonsan"
    )
    assert load_scenario_text(text).threats[0].missile == "nodong-class"


def test_round_trip() -> None:
    model = load_scenario_model("aegis-ashore-japan")
    text = yaml.safe_dump(model.model_dump(mode="json"), sort_keys=False)
    again = parse_scenario_text(text, "dumped.yaml")
    assert again == model
    assert again.to_setup() == model.to_setup()
    model2 = parse_scenario_text(GOOD)
    text2 = yaml.safe_dump(model2.model_dump(mode="json", exclude_defaults=True))
    assert parse_scenario_text(text2).to_setup() == model2.to_setup()


# ---- errors -----------------------------------------------------------------------------------


def test_unknown_missile_did_you_mean() -> None:
    text = GOOD.replace("missile: scud-er-class", "missile: nodong").replace(
        "missile: nodong-class\n    launch: sinpo", "missile: nodong-clas\n    launch: sinpo"
    )
    msg = _error(text)
    line = text.splitlines().index("    missile: nodong") + 1
    assert msg.startswith(f"scenario.yaml:{line} threats[1].missile: ")
    assert "unknown missile 'nodong'; did you mean 'nodong-class'?" in msg
    assert msg.endswith("(and 1 more error)")


def test_unknown_missile_exact_message() -> None:
    text = GOOD.replace("missile: scud-er-class", "missile: nodong")
    line = text.splitlines().index("    missile: nodong") + 1
    assert _error(text) == (
        f"scenario.yaml:{line} threats[1].missile: unknown missile 'nodong'; "
        "did you mean 'nodong-class'?"
    )


def test_unknown_sensor_and_interceptor() -> None:
    msg = _error(GOOD.replace("sensor: spy7-class", "sensor: spy-7"))
    assert re.match(r"scenario\.yaml:8 sensors\[0\]\.sensor: unknown sensor 'spy-7'", msg)
    msg = _error(GOOD.replace("sm3-iia-class", "sm3-2a"))
    assert "batteries[0].interceptor: unknown interceptor 'sm3-2a'" in msg
    assert msg.startswith(f"scenario.yaml:{_line_of(GOOD, 'interceptor:')} ")


def test_bad_place() -> None:
    text = GOOD.replace("target: tokyo", "target: tokio")
    msg = _error(text)
    assert msg.startswith(f"scenario.yaml:{_line_of(text, 'tokio')} threats[0].target: ")
    assert "unknown place 'tokio'; did you mean 'tokyo'?" in msg
    text = GOOD.replace("'39.2,127.5'", "'99.2,127.5'")
    msg = _error(text)
    assert msg.startswith(f"scenario.yaml:{_line_of(text, '99.2')} threats[1].launch: ")
    assert "latitude" in msg
    msg = _error(GOOD.replace("site: ship-1", "site: ship-2"))
    assert "batteries[0].site: unknown place 'ship-2'; did you mean 'ship-1'?" in msg


def test_user_place_out_of_range() -> None:
    msg = _error(GOOD.replace("lat_deg: 38.5", "lat_deg: 138.5"))
    assert msg.startswith("scenario.yaml:5 places.ship-1.lat_deg: expected less than or equal")
    assert "138.5" in msg


def test_missing_key() -> None:
    text = GOOD.replace("    launch: wonsan\n", "")
    msg = _error(text)
    assert (
        msg == f"scenario.yaml:{_line_of(text, 'name: t0')} threats[0].launch: missing required key"
    )
    msg = _error(GOOD.replace("name: test\n", ""))
    assert msg == "scenario.yaml:1 name: missing required key"


def test_wrong_type() -> None:
    text = GOOD.replace("count: 2", "count: two")
    msg = _error(text)
    assert msg == (
        f"scenario.yaml:{_line_of(text, 'count: two')} threats[1].count: "
        "expected a valid integer, got 'two'"
    )
    msg = _error(GOOD.replace("seed: 7", "seed: 7.5"))
    assert msg.startswith("scenario.yaml:3 seed: expected a valid integer")
    msg = _error(GOOD.replace("  ship-1: {lat_deg: 38.5, lon_deg: 134.0}", "  ship-1: here"))
    assert msg.startswith("scenario.yaml:5 places.ship-1: expected a mapping")


def test_unknown_key_did_you_mean() -> None:
    text = GOOD.replace("apogee_km: 600", "apogee: 600")
    msg = _error(text)
    line = _line_of(text, "apogee: 600")
    assert msg.startswith(f"scenario.yaml:{line} threats[2].apogee: unknown key 'apogee'; ")
    assert "did you mean 'apogee_km'?" in msg


def test_bad_literal_and_negative_numbers() -> None:
    msg = _error(GOOD.replace("fire_on: own-radar", "fire_on: remote"))
    assert "batteries[0].fire_on: expected 'own', 'launch-on-remote', 'engage-on-remote'" in msg
    msg = _error(GOOD.replace("launch_time_s: 30", "launch_time_s: -30"))
    assert "threats[1].launch_time_s: expected greater than or equal to 0" in msg
    msg = _error(GOOD.replace("burnout_speed_m_s: 4300.0", "burnout_speed_m_s: 0"))
    assert "batteries[0].overrides.burnout_speed_m_s: expected greater than or equal to 100" in msg
    msg = _error(GOOD.replace("burnout_speed_m_s: 4300.0", "burnout_speed_s: 4300.0"))
    assert "overrides.burnout_speed_s: unknown key 'burnout_speed_s'; did you mean" in msg


def test_cross_references() -> None:
    msg = _error(GOOD.replace("radar: radar-a", "radar: radar-b"))
    assert msg.startswith(f"scenario.yaml:{_line_of(GOOD, 'radar: radar-a')} batteries[0].radar:")
    assert "no sensor named 'radar-b'" in msg and "did you mean 'radar-a'?" in msg
    msg = _error(GOOD.replace("radar: radar-a", "radar: ir"))
    assert "batteries[0].radar: 'ir' is not a ground radar" in msg
    msg = _error(GOOD.replace("name: t1", "name: t0"))
    assert msg.startswith(f"scenario.yaml:{_line_of(GOOD, 'name: t1')} threats[1].name: ")
    assert "duplicate threat name 't0'" in msg
    msg = _error(GOOD.replace("    radar: radar-a\n", ""))
    assert "batteries[0].radar: fire_on 'own-radar' needs a radar" in msg
    msg = _error(GOOD.replace("    site: araya\n", ""))
    assert "sensors[0].site: ground sensor 'spy7-class' needs a site" in msg
    msg = _error(GOOD.replace("ship-1:", "araya:").replace("site: ship-1", "site: araya"))
    assert "places.araya: place 'araya' is a catalog place" in msg


def test_profile_and_reach() -> None:
    msg = _error(GOOD.replace("    apogee_km: 600\n", ""))
    assert "threats[2].apogee_km: profile 'lofted' needs apogee_km or flight_time_s" in msg
    msg = _error(
        GOOD.replace("    apogee_km: 600\n", "    apogee_km: 600\n    flight_time_s: 900\n")
    )
    assert "threats[2].flight_time_s: give apogee_km or flight_time_s, not both" in msg
    msg = _error(GOOD.replace("    count: 2\n", "    count: 2\n    flight_time_s: 900\n"))
    assert "threats[1].flight_time_s: flight_time_s is only used with profile" in msg
    msg = _error(GOOD.replace("target: tokyo", "target: honolulu"))
    assert "threats[0].target: target 'honolulu' is" in msg and "beyond the nodong-class" in msg


def test_yaml_syntax_error() -> None:
    text = GOOD.replace("  - name: t1\n", "  - name: t1\n   bad: [\n")
    msg = _error(text)
    assert re.match(r"scenario\.yaml:\d+: invalid YAML: ", msg)
    msg = _error("name: a\nthreats: [\n", "x.yaml")
    assert msg.startswith("x.yaml:") and "invalid YAML" in msg


def test_python_tags_are_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = "name: !!python/object/apply:os.system ['touch " + str(marker) + "']\nthreats: []\n"
    msg = _error(evil)
    assert msg.startswith("scenario.yaml:1: unsupported YAML tag '!!python/object/apply:os.system'")
    assert not marker.exists()
    msg = _error("name: x\nseed: !!python/object:builtins.int {}\n")
    assert msg.startswith("scenario.yaml:2: unsupported YAML tag")


def test_duplicate_yaml_key() -> None:
    msg = _error(GOOD.replace("seed: 7\n", "seed: 7\nseed: 8\n"))
    assert msg == "scenario.yaml:4 seed: duplicate key 'seed'"


def test_empty_and_non_mapping_files() -> None:
    assert "empty" in _error("")
    assert "expected a mapping" in _error("- a\n- b\n")


def test_missing_file_and_unknown_builtin(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario(tmp_path / "nope.yaml")
    with pytest.raises(ScenarioError, match="did you mean 'aegis-ashore-japan'"):
        load_scenario("aegis-ashore-japn")
    with pytest.raises(ScenarioError, match="is a folder"):
        load_scenario(tmp_path)


# ---- ranges and size limits ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("launch_time_s: 30", "launch_time_s: .inf", "threats[1].launch_time_s"),
        ("launch_time_s: 30", "launch_time_s: .nan", "threats[1].launch_time_s"),
        ("burnout_speed_m_s: 4300.0", "burnout_speed_m_s: -.inf", "burnout_speed_m_s"),
        ("lat_deg: 38.5", "lat_deg: .nan", "places.ship-1.lat_deg"),
        ("    site: araya\n", "    site: araya\n    link_latency_s: .inf\n", "link_latency_s"),
        ("    count: 2\n", "    count: 2\n    rcs_m2: .inf\n", "threats[1].rcs_m2"),
    ],
)
def test_non_finite_numbers_are_refused(old: str, new: str, key: str) -> None:
    msg = _error(GOOD.replace(old, new))
    assert key in msg and "expected a finite number" in msg


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("launch_time_s: 30", "launch_time_s: 864001", "less than or equal to 864000"),
        ("launch_time_s: 30", "launch_time_s: 1.0e+10", "less than or equal to 864000"),
        ("seed: 7", "seed: 4294967296", "seed: expected less than or equal to 4294967295"),
        ("apogee_km: 600", "apogee_km: 5.0", "greater than or equal to 10"),
        ("count: 2", "count: 1001", "less than or equal to 1000"),
        ("    count: 2\n", "    count: 2\n    rcs_m2: 1.0e+300\n", "less than or equal to 1000"),
    ],
)
def test_values_past_their_range(old: str, new: str, words: str) -> None:
    assert words in _error(GOOD.replace(old, new))


def test_threats_with_their_counts_are_bounded() -> None:
    msg = _error(GOOD.replace("count: 2", "count: 1000"))
    assert "threats: 1,002 threats with their counts; a scenario holds at most 1,000" in msg


def test_unknown_assignment() -> None:
    text = GOOD + "doctrine:\n  assignment: random\n"
    msg = _error(text)
    assert msg.startswith(f"scenario.yaml:{_line_of(text, 'assignment:')} doctrine.assignment:")
    assert "unknown assignment 'random'" in msg and "earliest-intercept-first" in msg


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("name: test", 'name: "te\\nst"', "name"),
        ("name: t0", 'name: "t0\\t"', "threats[0].name"),
        ("target: tokyo", 'target: "tokyo\\n"', "threats[0].target"),
    ],
)
def test_text_must_be_printable(old: str, new: str, key: str) -> None:
    msg = _error(GOOD.replace(old, new))
    assert f"{key}: " in msg and "printable" in msg and "\\" in msg


def test_bad_epoch_is_quoted_escaped() -> None:
    msg = _error(GOOD.replace("epoch: 2017-08-29T05:58:00+09:00", 'epoch: "2017\\u001b[2J"'))
    assert msg.endswith("got '2017\\x1b[2J'")


def test_threat_points_take_no_height() -> None:
    msg = _error(GOOD.replace("launch: '39.2,127.5'", "launch: '39.2,127.5,100'"))
    assert "threats[1].launch: place '39.2,127.5,100' has a height (100 m)" in msg
    msg = _error(GOOD.replace("target: tokyo", "target: '35.7,139.8,-1000'"))
    assert "height -1000 m is outside [-500, 100000] m" in msg


def test_recursive_alias() -> None:
    assert _error("name: x\nthreats: &t [*t]\n") == (
        "scenario.yaml:2: recursive YAML alias 't' (a node that holds itself)"
    )
    assert "recursive YAML alias" in _error("name: &n {a: *n}\nthreats: []\n")


def test_alias_bomb_is_refused_quickly() -> None:
    import time

    bomb = "a0: &a0 [" + ", ".join(["lol"] * 9) + "]\n"
    for i in range(1, 9):
        bomb += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n"
    t0 = time.perf_counter()
    msg = _error(bomb + "name: x\nthreats: *a8\n")
    assert time.perf_counter() - t0 < 1.0
    assert "the YAML expands to more than 100,000 nodes" in msg


def test_alias_uses_and_nesting_are_bounded() -> None:
    many = "a: &a x\nb: [" + ", ".join(["*a"] * 1001) + "]\n"
    assert "more than 1,000 uses of YAML aliases" in _error(many)
    deep = "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 40))
    assert "nested more than 32 levels deep" in _error(deep)
    assert "nested more than 32 levels deep" in _error("[" * 40 + "]" * 40)


def test_anchors_within_the_limits_still_work() -> None:
    text = GOOD.replace("  - name: t0\n", "  - &first\n    name: t0\n").replace(
        "  - name: t2\n", "  - <<: *first\n    name: t2x\n  - name: t2\n"
    )
    setup = load_scenario_text(text)
    assert [t.name for t in setup.threats][:4] == ["t0", "t1", "t2x", "t2"]


def test_huge_integer_and_size_limits(tmp_path: Path) -> None:
    assert "invalid YAML value" in _error("name: x\nseed: " + "9" * 5000 + "\nthreats: []\n")
    msg = _error("name: x\nseed: " + "9" * 400 + "\nthreats: []\n")
    assert "an integer of 400 digits" in msg
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * 1_000_000 + "\n")
    with pytest.raises(ScenarioError, match="more than a scenario file may hold"):
        load_scenario(big)


def test_odd_paths(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="File name too long"):
        load_scenario("a" * 5000)
    with pytest.raises(ScenarioError, match="not a regular file"):
        load_scenario("/dev/null")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(ScenarioError, match="not UTF-8 text"):
        load_scenario(bad)
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(tmp_path / "no\nsuch.yaml"))
    assert "\n" not in str(info.value) and "no\\nsuch.yaml" in str(info.value)


# ---- schema -----------------------------------------------------------------------------------


def test_schema_is_json_with_sections() -> None:
    schema = json.loads(json.dumps(dump_schema()))
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["type"] == "object"
    props = schema["properties"]
    for key in ("name", "epoch", "seed", "places", "sensors", "batteries", "doctrine", "threats"):
        assert key in props
    assert set(schema["required"]) == {"name", "threats"}
    assert schema["additionalProperties"] is False
    threat = schema["$defs"]["ThreatModel"]["properties"]
    assert {"missile", "launch", "target", "launch_time_s", "apogee_km", "rcs_m2"} <= set(threat)


def test_schema_validates_builtins() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    model = load_scenario_model("aegis-ashore-japan")
    jsonschema.validate(model.model_dump(mode="json"), dump_schema())


def test_schema_command() -> None:
    import typer
    from typer.testing import CliRunner

    from bmdsim.cli import scenario_cmds

    app = typer.Typer()
    scenario_cmds.register(app)

    @app.command("noop")
    def _noop() -> None:  # a second command keeps 'schema' a named sub-command
        pass

    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert "threats" in doc["properties"]


def test_model_validate_directly() -> None:
    data = yaml.safe_load(GOOD)
    assert Scenario.model_validate(data).to_setup() == load_scenario_text(GOOD)


def test_flight_time_shapes_the_flight() -> None:
    """A lofted threat given by its flight time flies that time (the aimer's tolerance)."""
    text = GOOD.replace("    apogee_km: 600\n", "    flight_time_s: 700\n")
    setup = load_scenario_text(text, "scenario.yaml")
    t2 = setup.threats[2]
    assert t2.flight_time_s == 700.0 and t2.apogee_km is None
    (flown,) = fly_threats([t2])
    tr = flown.trajectory
    assert tr.t_s[-1] - tr.t_s[0] == pytest.approx(700.0, abs=1.0)


def test_threats_carry_the_line_they_were_defined_on(tmp_path) -> None:
    """A runtime failure can name where the threat is in the file."""
    from bmdsim.scenario.loader import load_scenario

    path = tmp_path / "raid.yaml"
    path.write_text(
        "name: raid\n"
        "threats:\n"
        "  - name: a\n"
        "    missile: nodong-class\n"
        "    launch: sinpo\n"
        "    target: tokyo\n"
        "  # a comment\n"
        "  - {name: b, missile: nodong-class, launch: sinpo, target: osaka}\n"
    )
    setup = load_scenario(str(path))
    assert [t.origin for t in setup.threats] == [f"{path}:3", f"{path}:8"]
