"""End-to-end: the command line of the foundation (run as a user would, in a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def bmdsim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bmdsim.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_trajectory_kepler_json():
    p = bmdsim(
        "trajectory",
        "--physics",
        "kepler",
        "--burnout-speed-m-s",
        "7198",
        "--burnout-angle-deg",
        "22.52",
        "--json",
    )
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["ground_range_km"] == pytest.approx(10000, rel=1e-3)
    assert doc["apogee_km"] == pytest.approx(1319, rel=5e-3)
    assert doc["flight_time_s"] == pytest.approx(1931, rel=5e-3)


def test_trajectory_kepler_burnout_altitude():
    p = bmdsim(
        "trajectory",
        "--physics",
        "kepler",
        "--burnout-speed-m-s",
        "3000",
        "--burnout-angle-deg",
        "40",
        "--burnout-altitude-km",
        "100",
        "--json",
    )
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["apogee_km"] > 100


@pytest.mark.parametrize(
    "args",
    [
        ["trajectory", "--physics", "kepler", "--burnout-speed-m-s", "abc"],
        [
            "trajectory",
            "--physics",
            "kepler",
            "--burnout-speed-m-s",
            "-5",
            "--burnout-angle-deg",
            "3",
        ],
        ["trajectory", "--physics", "kepler", "--burnout-speed-m-s", "5000"],
        ["trajectory", "--physics", "warp"],
        ["bench", "--n", "0"],
        ["no-such-command"],
    ],
)
def test_bad_input_one_line_exit_2(args):
    p = bmdsim(*args)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
    assert p.stdout == ""


def test_bench_small_json():
    p = bmdsim("bench", "--n", "200", "--reference-n", "2", "--json")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    for key in (
        "n",
        "trajectories_per_s",
        "reference_trajectories_per_s",
        "speedup",
        "median_impact_error_m",
        "max_impact_error_m",
        "cores",
    ):
        assert key in doc
    assert doc["n"] == 200
    assert doc["median_impact_error_m"] < 10.0


def test_demo_runs(tmp_path):
    p = subprocess.run(
        [sys.executable, "-m", "bmdsim.cli.main", "demo"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert p.returncode == 0, p.stderr
    assert "apogee" in p.stdout
    assert (tmp_path / "bmdsim-out" / "report.html").is_file()


def test_validate_reports_every_case_and_exit_code():
    """`bmdsim validate --json`: one row per case with its source and tolerance, and every
    case passes (exit code 0). That the cases can fail at all, and that a failing case
    gives exit code 1, is tested in tests/validation/test_validate_cases.py and below."""
    p = bmdsim("validate", "--json")
    doc = json.loads(p.stdout)
    assert doc["summary"]["cases"] == len(doc["cases"]) > 50
    for row in doc["cases"]:
        assert set(row) == {"case", "source", "expected", "got", "tolerance", "passed"}
        assert row["source"]
    failed = [row for row in doc["cases"] if not row["passed"]]
    assert not failed, failed
    assert doc["summary"]["failed"] == 0
    assert p.returncode == 0, p.stderr


def test_validate_exits_1_when_a_case_fails():
    """The same command with one case broken on purpose (a relative case fed a value 1 %
    off, at 0.1 % tolerance): the case is reported failed and the exit code is 1."""
    code = (
        "import sys\n"
        "import bmdsim.analysis.validation as V\n"
        "def broken():\n"
        "    yield V._rel('broken on purpose', 'test', 100.0, 101.0, 1e-3)\n"
        "V.GROUPS['broken'] = broken\n"
        "from bmdsim.cli.main import main\n"
        "sys.exit(main(['validate', '--group', 'sensors', '--group', 'broken', '--json']))\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    doc = json.loads(p.stdout)
    broken = [row for row in doc["cases"] if row["case"] == "broken on purpose"]
    assert len(broken) == 1 and not broken[0]["passed"]
    assert doc["summary"]["failed"] == 1
    assert p.returncode == 1, p.stderr


@pytest.mark.parametrize(
    ("profile", "factor", "word"), [("lofted", 0.9, "above"), ("depressed", 1.1, "below")]
)
def test_shaped_profile_on_the_wrong_side_of_min_energy_exits_2(profile, factor, word):
    p = bmdsim(
        "trajectory", "--missile", "nodong-class", "--from", "musudan-ri", "--to", "tokyo", "--json"
    )
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["propellant_used_kg"] > 0
    assert -90.0 < doc["burnout_angle_deg"] < 90.0
    q = bmdsim(
        "trajectory",
        "--missile",
        "nodong-class",
        "--from",
        "musudan-ri",
        "--to",
        "tokyo",
        "--profile",
        profile,
        "--apogee-km",
        str(factor * doc["apogee_km"]),
    )
    assert q.returncode == 2
    lines = q.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{word} the min-energy apogee of" in lines[0], q.stderr
    assert f"{doc['apogee_km']:,.0f} km" in lines[0]


def test_range_prints_both_maxima():
    p = bmdsim("range", "--missile", "nodong-class", "--json")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    best = max(r["range_km"] for r in doc["by_azimuth"])
    assert doc["max_range_rotating_km"] == best
    assert doc["max_range_rotating_km"] > doc["max_range_km"]
    t = bmdsim("range", "--missile", "nodong-class")
    assert "non-rotating Earth" in t.stdout and "rotating Earth from here" in t.stdout
