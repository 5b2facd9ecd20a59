"""End-to-end: `bmdsim run`, `bmdsim demo`, `bmdsim schema` and broken scenario files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def bmdsim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bmdsim.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def run_doc():
    p = bmdsim("run", "aegis-ashore-japan", "--json")
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_run_json_contract(run_doc):
    assert run_doc["scenario"] == "aegis-ashore-japan"
    assert set(run_doc["summary"]) >= {
        "threats",
        "killed",
        "leaked",
        "no_opportunity",
        "interceptors_fired",
    }
    for t in run_doc["threats"]:
        assert set(t) >= {
            "name",
            "missile",
            "launch_place",
            "target_place",
            "launch_time_s",
            "impact_time_s",
            "apogee_km",
            "outcome",
            "reason",
            "shots",
            "engagements",
            "events",
        }
        assert t["outcome"] in ("killed", "leaked", "no_opportunity")
        assert (t["reason"] is None) == (t["outcome"] == "killed")
        assert t["shots"] == len(t["engagements"])
        for e in t["events"]:
            assert set(e) == {"t_s", "kind", "by", "alt_km", "lat_deg", "lon_deg"}
        times = [e["t_s"] for e in t["events"]]
        assert times == sorted(times)
    for b in run_doc["batteries"]:
        assert set(b) >= {"name", "fired", "remaining", "booster_impacts"}
        for x in b["booster_impacts"]:
            assert set(x) == {
                "stage",
                "lat_deg",
                "lon_deg",
                "distance_km",
                "impact_time_s",
                "country",
            }


def test_mutsumi_booster_drops_reported(run_doc):
    """Engagements from Mutsumi toward the Sea of Japan report every spent stage's impact
    point, its distance from the launcher and its country or sea (the June 2020 suspension
    question turned on the first stage)."""
    mutsumi = next(b for b in run_doc["batteries"] if b["name"] == "mutsumi")
    assert mutsumi["fired"] > 0
    first = [x for x in mutsumi["booster_impacts"] if x["stage"] == 1]
    assert len(first) == mutsumi["fired"]
    assert all(0.0 < x["distance_km"] < 50.0 for x in first)
    later = [x for x in mutsumi["booster_impacts"] if x["stage"] > 1]
    assert later and min(x["distance_km"] for x in later) > max(x["distance_km"] for x in first)


def test_seed_reproducible():
    a = bmdsim("run", "aegis-ashore-japan", "--seed", "5", "--json")
    b = bmdsim("run", "aegis-ashore-japan", "--seed", "5", "--json")
    assert a.returncode == b.returncode == 0
    assert json.loads(a.stdout) == json.loads(b.stdout)


def test_demo():
    p = bmdsim("demo")
    assert p.returncode == 0, p.stderr
    assert "summary:" in p.stdout and "killed" in p.stdout


def test_schema_is_one_json_document():
    p = bmdsim("schema")
    assert p.returncode == 0, p.stderr
    schema = json.loads(p.stdout)
    assert "threats" in json.dumps(schema)


def test_broken_scenario_one_line_exit_2(tmp_path: Path):
    from bmdsim.scenario.loader import builtin_text

    text = builtin_text("aegis-ashore-japan")
    broken = text.replace("missile: nodong-class", "missile: nodong", 1)
    f = tmp_path / "scenario.yaml"
    f.write_text(broken)
    p = bmdsim("run", str(f))
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    line = p.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "scenario.yaml:" in line and "unknown missile 'nodong'" in line
    assert "did you mean 'nodong-class'" in line
