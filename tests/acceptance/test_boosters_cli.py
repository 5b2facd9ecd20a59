"""End-to-end: `bmdsim boosters`, where an interceptor's spent stages fall (Monte Carlo)."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

TRIALS = "200"


def bmdsim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bmdsim.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def boosters_json(site: str, *extra: str, trials: str = TRIALS) -> dict:
    p = bmdsim(
        "boosters",
        "--site",
        site,
        "--interceptor",
        "sm3-iia-class",
        "--toward",
        "sunan",
        "--trials",
        trials,
        *extra,
        "--json",
    )
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.fixture(scope="module", params=["araya", "mutsumi"])
def site_doc(request):
    return request.param, boosters_json(request.param, "--site-radius-km", "1.5", "--seed", "3")


def test_json_contract(site_doc):
    site, doc = site_doc
    assert set(doc) == {"site", "interceptor", "azimuth_deg", "trials", "site_radius_km", "stages"}
    assert doc["site"] == site
    assert doc["interceptor"] == "sm3-iia-class"
    assert doc["trials"] == int(TRIALS)
    assert doc["site_radius_km"] == 1.5
    assert 0.0 <= doc["azimuth_deg"] < 360.0
    for s in doc["stages"]:
        assert set(s) == {
            "stage",
            "mean_lat_deg",
            "mean_lon_deg",
            "distance_km",
            "ellipse_95",
            "inside_site",
            "country",
        }
        assert set(s["ellipse_95"]) == {"major_km", "minor_km", "orientation_deg"}
        assert isinstance(s["country"], str) and s["country"]


def test_aegis_ashore_sites_toward_sunan(site_doc):
    """From both Aegis Ashore sites toward Sunan, the spent stages of an sm3-iia-class fall
    farther out stage by stage; the first stage lands in Japan near the launcher, with its
    95 % ellipse and the share of trials inside the 1.5 km site reported."""
    _, doc = site_doc
    stages = doc["stages"]
    assert [s["stage"] for s in stages] == [1, 2, 3]
    d = [s["distance_km"] for s in stages]
    assert d[0] < d[1] < d[2]
    first = stages[0]
    assert first["country"] == "Japan"
    e = first["ellipse_95"]
    assert 0.0 < e["minor_km"] <= e["major_km"] < 10.0
    assert 0.0 <= e["orientation_deg"] < 180.0
    assert 0.0 < first["inside_site"] < 1.0
    assert all(s["inside_site"] == 0.0 for s in stages[1:])


def test_same_seed_identical_json():
    a = boosters_json("araya", "--seed", "5", trials="100")
    b = boosters_json("araya", "--seed", "5", trials="100")
    c = boosters_json("araya", "--seed", "6", trials="100")
    assert a == b
    assert a != c


def test_azimuth_and_text_table():
    p = bmdsim(
        "boosters",
        "--site",
        "mutsumi",
        "--interceptor",
        "sm3-iia-class",
        "--azimuth-deg",
        "-45",
        "--trials",
        "50",
    )
    assert p.returncode == 0, p.stderr
    assert "azimuth 315.0 deg" in p.stdout
    assert "within 1 km" in p.stdout and "Japan" in p.stdout
    lines = [ln for ln in p.stdout.splitlines() if ln.strip().startswith("│")]
    assert len(lines) == 3  # one row per spent stage


@pytest.mark.parametrize(
    "args",
    [
        ["--site", "araya", "--interceptor", "sm3-iia-class"],
        ["--site", "araya", "--interceptor", "sm3-iia-class", "--toward", "sunan",
         "--azimuth-deg", "270"],
        ["--site", "araya", "--interceptor", "no-such-class", "--toward", "sunan"],
        ["--site", "atlantis", "--interceptor", "sm3-iia-class", "--toward", "sunan"],
        ["--site", "araya", "--interceptor", "sm3-iia-class", "--toward", "atlantis"],
        ["--site", "araya", "--interceptor", "sm3-iia-class", "--toward", "araya"],
        ["--site", "araya", "--interceptor", "sm3-iia-class", "--azimuth-deg", "nan"],
        ["--site", "araya", "--interceptor", "sm3-iia-class", "--azimuth-deg", "270",
         "--trials", "0"],
        ["--site", "araya", "--interceptor", "sm3-iia-class", "--azimuth-deg", "270",
         "--trials", "10000000"],
        ["--site", "araya", "--interceptor", "sm3-iia-class", "--azimuth-deg", "270",
         "--trials", "many"],
        ["--site", "araya", "--interceptor", "sm3-iia-class", "--azimuth-deg", "270",
         "--site-radius-km", "-1"],
        ["--site", "araya", "--interceptor", "sm3-iia-class", "--azimuth-deg", "270",
         "--site-radius-km", "inf"],
        ["--site", "araya", "--interceptor", "sm3-iia-class", "--azimuth-deg", "270",
         "--seed", "-1"],
    ],
)  # fmt: skip
def test_user_errors_exit_2_with_one_line(args, capsys):
    """In process through the console entry point (the same code path as the shell)."""
    from bmdsim.cli.main import main

    assert main(["boosters", *args, "--json"]) == 2, args
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("bmdsim: error:")


def test_user_error_in_a_shell():
    p = bmdsim("boosters", "--site", "araya", "--interceptor", "sm3-iia-class", "--json")
    assert p.returncode == 2
    assert p.stdout == ""
    assert p.stderr.strip() == (
        "bmdsim: error: give exactly one of --toward PLACE and --azimuth-deg A"
    )


def test_null_ellipse_for_one_trial():
    p = bmdsim(
        "boosters",
        "--site",
        "araya",
        "--interceptor",
        "sm3-iia-class",
        "--azimuth-deg",
        "270",
        "--trials",
        "1",
        "--json",
    )
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    for s in doc["stages"]:
        assert s["ellipse_95"] == {"major_km": None, "minor_km": None, "orientation_deg": None}
        assert math.isfinite(s["mean_lat_deg"])
