"""End-to-end: bad input is refused at the door with one line on stderr and exit code 2;
never a traceback, a hang or a Python warning. Good input at the edge of its range runs.

Most cases run in process through the console entry point (the same code path as the
shell); closed pipes and full disks need a real process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import typing
from pathlib import Path

import pytest

from bmdsim.cli.main import main
from bmdsim.scenario import limits as L

SMALL = """\
name: small
sensors:
  - {name: r, sensor: spy7-class, site: araya, link_latency_s: 1.0}
batteries:
  - {name: b, interceptor: sm3-iia-class, site: araya, radar: r}
threats:
  - {name: t, missile: nodong-class, launch: sunan, target: tokyo}
"""


def bmdsim(*args: str, **kwargs: typing.Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bmdsim.cli.main", *args],
        capture_output="stdout" not in kwargs,
        text=True,
        timeout=300,
        **kwargs,
    )


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run ``bmdsim ARGV`` in process; assert exit 2, nothing on stdout and exactly one line
    on stderr; return that line."""
    assert main(list(argv)) == 2, argv
    out, err = capsys.readouterr()
    assert out == "", out
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("bmdsim: error: "), err
    assert "Traceback" not in err and "Warning" not in err
    return lines[0]


def _no_constant(name: str) -> float:
    raise AssertionError(f"{name} in the JSON output")


def scenario(tmp_path: Path, text: str, name: str = "s.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# ---- output paths, closed pipes, full disks ---------------------------------------------------


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("{tmp}/missing/dir/x.geojson", "No such file or directory"),
        ("{tmp}", "is a folder"),
        ("/dev/full", "No space left on device"),
    ],
)
def test_unwritable_geojson(capsys, tmp_path, target, reason):
    line = refused(
        capsys,
        "coverage",
        "--sensor",
        "spy7-class",
        "--site",
        "araya",
        "--altitude-km",
        "100",
        "--geojson",
        target.format(tmp=tmp_path),
    )
    assert "--geojson" in line and reason in line


def test_geojson_written(capsys, tmp_path):
    path = tmp_path / "cov.geojson"
    args = ["coverage", "--sensor", "spy7-class", "--site", "araya", "--altitude-km", "100"]
    assert main([*args, "--geojson", str(path), "--json"]) == 0
    json.loads(capsys.readouterr().out)
    assert json.loads(path.read_text())["type"] == "FeatureCollection"


def test_full_disk_on_stdout():
    with open("/dev/full", "w") as full:
        p = bmdsim("schema", stdout=full, stderr=subprocess.PIPE)
    assert p.returncode == 2
    assert p.stderr.strip() == "bmdsim: error: cannot write the output: No space left on device"


def test_closed_pipe_exits_141_quietly():
    """`bmdsim catalog places --json | head -0`: the reader went away; exit 141 (128 +
    SIGPIPE, as a shell reports a program killed by the signal), nothing on stderr."""
    p = subprocess.Popen(
        [sys.executable, "-m", "bmdsim.cli.main", "catalog", "places", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert p.stdout is not None and p.stderr is not None
    p.stdout.close()
    assert p.wait(timeout=120) == 141
    assert p.stderr.read() == b""


# ---- scenario files ------------------------------------------------------------------------------


def test_scenario_path_too_long(capsys):
    line = refused(capsys, "run", "a" * 5000)
    assert "File name too long" in line and len(line) < 400


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ("launch_time_s: 1.0e+300", "threats[0].launch_time_s"),
        ("launch_time_s: 1.0e+12", "threats[0].launch_time_s"),
        ("launch_time_s: 1.0e+10", "threats[0].launch_time_s"),
        ("rcs_m2: .inf", "threats[0].rcs_m2"),
        ("count: 1001", "threats[0].count"),
    ],
)
def test_threat_values_out_of_range(capsys, tmp_path, change, key):
    text = SMALL.replace("target: tokyo}", f"target: tokyo, {change}}}")
    line = refused(capsys, "run", scenario(tmp_path, text))
    assert key in line


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ("link_latency_s: 1.0", "link_latency_s: .inf"),
        ("radar: r}", "radar: r, reaction_time_s: .inf}"),
        ("radar: r}", "radar: r, launch_interval_s: .inf}"),
        ("radar: r}", "radar: r, launch_interval_s: .nan}"),
    ],
)
def test_non_finite_numbers(capsys, tmp_path, change, key):
    line = refused(capsys, "run", scenario(tmp_path, SMALL.replace(change, key)))
    assert "finite number" in line


def test_non_finite_doctrine_and_unknown_assignment(capsys, tmp_path):
    text = SMALL + "doctrine: {kill_assessment_delay_s: .inf}\n"
    assert "finite number" in refused(capsys, "run", scenario(tmp_path, text))
    line = refused(capsys, "run", scenario(tmp_path, SMALL + "doctrine: {assignment: random}\n"))
    assert "doctrine.assignment: unknown assignment 'random'" in line
    assert "earliest-intercept-first" in line


def test_recursive_alias_and_alias_bomb(capsys, tmp_path):
    line = refused(capsys, "run", scenario(tmp_path, "name: x\nthreats: &t [*t]\n"))
    assert "recursive YAML alias 't'" in line
    bomb = "a0: &a0 [" + ", ".join(["lol"] * 9) + "]\n"
    for i in range(1, 9):
        bomb += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n"
    assert len(bomb) < 1100
    t0 = time.perf_counter()
    line = refused(capsys, "run", scenario(tmp_path, bomb + "name: x\nthreats: []\n"))
    assert time.perf_counter() - t0 < 2.0
    assert f"more than {L.MAX_YAML_NODES:,} nodes" in line


def test_text_with_a_newline_is_refused_and_escaped(capsys, tmp_path):
    text = SMALL.replace("name: small", 'name: "sm\\nall\\u001b[31m"')
    line = refused(capsys, "run", scenario(tmp_path, text))
    assert "name: expected printable text" in line and "'sm\\nall\\x1b[31m'" in line


def test_threat_launch_with_a_height(capsys, tmp_path):
    text = SMALL.replace("launch: sunan", "launch: '39.2,125.7,100'")
    assert "does not use" in refused(capsys, "run", scenario(tmp_path, text))


def test_good_scenario_at_the_edge_runs_in_both_modes(capsys, tmp_path):
    """A launch 10 days after the epoch (the maximum): the table and the JSON agree."""
    last = int(L.LAUNCH_TIME_S[1])
    path = scenario(
        tmp_path, SMALL.replace("target: tokyo}", f"target: tokyo, launch_time_s: {last}}}")
    )
    assert main(["run", path, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out, parse_constant=_no_constant)
    (threat,) = doc["threats"]
    assert threat["launch_time_s"] == last and threat["impact_time_s"] > last
    assert main(["run", path]) == 0
    assert f"{last}" in capsys.readouterr().out


# ---- command-line values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "aegis-ashore-japan", "--seed", "-1"],
        ["bench", "--seed", "-1"],
        ["bench", "--n", "18446744073709551616"],
        ["bench", "--n", "1000000000"],
        ["bench", "--reference-n", "100000"],
        ["reconstruct", "--apogee-km", "1000", "--range-km", "1000", "--azimuth-deg", "1e300"],
        ["coverage", "--sensor", "spy7-class", "--site", "araya", "--altitude-km", "0"],
        ["coverage", "--sensor", "spy7-class", "--site", "araya", "--altitude-km", "1e9"],
        ["coverage", "--sensor", "spy7-class", "--site", "araya", "--altitude-km", "100",
         "--rcs-m2", "1e-300"],
        ["coverage", "--sensor", "spy7-class", "--site", "araya", "--altitude-km", "100",
         "--rcs-m2", "1e300"],
        ["coverage", "--sensor", "spy7-class", "--site", "araya", "--altitude-km", "3000"],
        ["trajectory", "--physics", "kepler", "--burnout-speed-m-s", "1",
         "--burnout-angle-deg", "45"],
        ["trajectory", "--physics", "kepler", "--burnout-speed-m-s", "12000",
         "--burnout-angle-deg", "45"],
        ["trajectory", "--physics", "kepler", "--burnout-speed-m-s", "11000",
         "--burnout-angle-deg", "45"],
        ["trajectory", "--physics", "kepler", "--burnout-speed-m-s", "8000",
         "--burnout-angle-deg", "1", "--burnout-altitude-km", "300"],
        ["trajectory", "--physics", "kepler", "--burnout-speed-m-s", "100",
         "--burnout-angle-deg", "2"],
        ["trajectory", "--missile", "nodong-class", "--from", "sunan", "--to", "tokyo",
         "--profile", "depressed", "--apogee-km", "1e-300"],
        ["boosters", "--site", "araya", "--interceptor", "sm3-iia-class", "--azimuth-deg",
         "1e300"],
        ["reach", "--interceptor", "sm3-iia-class", "--point-km", "1e300,5"],
        ["catalog", "missiles\n\x1b[2J"],
        ["trajectory", "--physics", "x" * 5000],
        ["no-such-command-" + "y" * 3000],
    ],
)  # fmt: skip
def test_values_out_of_range(capsys, argv):
    line = refused(capsys, *argv)
    assert len(line) < 700


def test_messages_escape_user_text(capsys):
    line = refused(capsys, "catalog", "missiles\n\x1b[2J\u2028")
    assert "'missiles\\n\\x1b[2J\\u2028'" in line
    line = refused(capsys, "trajectory", "--physics", "x" * 5000)
    assert "(5,000 characters)" in line


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("", "bad place ''"),
        ("sunan\n", "line break"),
        ("39,125,-1e6", "height -1e+06 m is outside [-500, 100000] m"),
        ("39,125,1e9", "height 1e+09 m is outside"),
    ],
)
def test_bad_places(capsys, spec, words):
    line = refused(
        capsys, "trajectory", "--missile", "nodong-class", "--from", spec, "--to", "tokyo"
    )
    assert line.startswith("bmdsim: error: --from") and words in line


@pytest.mark.parametrize(
    "argv",
    [
        ["trajectory", "--missile", "nodong-class", "--from", "39,125.7,100", "--to", "tokyo"],
        ["trajectory", "--missile", "nodong-class", "--to", "35.7,139.8,10"],
        ["range", "--missile", "nodong-class", "--from", "39,125.7,100"],
        ["reconstruct", "--apogee-km", "1000", "--range-km", "1000", "--from", "39,125,1"],
        ["boosters", "--site", "39.7,140.1,50", "--interceptor", "sm3-iia-class",
         "--azimuth-deg", "270"],
    ],
)  # fmt: skip
def test_heights_not_used_are_refused(capsys, argv):
    assert "a height is not used here" in refused(capsys, *argv)


def test_coverage_uses_the_site_height(capsys):
    args = ["coverage", "--sensor", "spy7-class", "--altitude-km", "50", "--json"]
    assert main([*args, "--site", "39.7,140.06"]) == 0
    low = json.loads(capsys.readouterr().out)
    assert main([*args, "--site", "39.7,140.06,3000"]) == 0
    high = json.loads(capsys.readouterr().out)
    assert high["max_ground_range_km"] != low["max_ground_range_km"]  # the height is used


def test_kepler_textbook_flight_still_flies(capsys):
    assert main(["trajectory", "--physics", "kepler", "--burnout-speed-m-s", "7198",
                 "--burnout-angle-deg", "22.52", "--json"]) == 0  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    assert doc["impacts"] and 1900 < doc["flight_time_s"] < 1960


def test_bare_command_prints_help(capsys):
    assert main([]) == 0
    assert "Usage: bmdsim" in capsys.readouterr().out


# ---- documented ranges ---------------------------------------------------------------------------


def test_every_numeric_option_has_a_range_in_its_help():
    import typer

    from bmdsim.cli.main import app

    command = typer.main.get_command(app)
    for name, sub in command.commands.items():
        for p in sub.params:
            kinds = set(typing.get_args(p.type_descriptor.annotation)) or {
                p.type_descriptor.annotation
            }
            if kinds & {int, float}:
                assert p.min is not None and p.max is not None, (name, p.name)


def test_every_scenario_number_has_a_range_in_the_schema():
    from bmdsim.scenario.loader import dump_schema

    schema = dump_schema()
    models = [schema, *schema["$defs"].values()]
    checked = 0
    for model in models:
        for key, prop in model.get("properties", {}).items():
            for variant in prop.get("anyOf", [prop]):
                if variant.get("type") in ("number", "integer"):
                    assert "minimum" in variant and "maximum" in variant, key
                    checked += 1
    assert checked >= 15


def test_booster_trials_bound_matches_the_monte_carlo():
    from bmdsim.cli.booster_cmds import TRIALS
    from bmdsim.interceptors.booster_mc import MAX_TRIALS

    assert TRIALS[1] == MAX_TRIALS
