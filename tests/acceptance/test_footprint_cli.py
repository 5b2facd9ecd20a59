"""End-to-end: ``bmdsim footprint`` (JSON contract, output files, text mode, one-line errors)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bmdsim.engagement.results import REASONS

REQUIRED = {
    "defended_fraction",
    "threatened_fraction",
    "cells",
    "by_launch_area",
    "by_region",
    "elapsed_s",
}
# a small, quick footprint: one launch area, one class, a 1 deg grid
QUICK = ("--grid-deg", "1", "--launch", "wonsan", "--missile", "scud-er-class")


def bmdsim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bmdsim.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("fp")
    p = bmdsim("footprint", "aegis-ashore-japan", *QUICK, "--out", str(out), "--json")
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout), out


def test_json_contract(quick):
    doc, _ = quick
    assert REQUIRED <= set(doc)
    assert 0.0 <= doc["defended_fraction"] <= 1.0
    assert 0.0 < doc["threatened_fraction"] <= 1.0
    assert isinstance(doc["cells"], int) and doc["cells"] > 10
    assert doc["threatened_cells"] <= doc["cells"]
    assert doc["defended_cells"] <= doc["threatened_cells"]
    assert set(doc["by_launch_area"]) == {"wonsan"}
    assert doc["launch_areas"] == ["wonsan"] and doc["missiles"] == ["scud-er-class"]
    assert doc["profiles"] == ["min-energy"]
    regions = doc["by_region"]
    assert {"Honshu", "Hokkaido", "Kyushu", "Shikoku", "Okinawa"} <= set(regions)
    assert {"Tokyo", "Yamaguchi", "Kagoshima"} <= set(regions)  # prefectures
    assert len(set(regions) - {"Honshu", "Kyushu", "Shikoku"}) == 47  # + 3 island-only names
    for v in regions.values():
        assert v is None or 0.0 <= v <= 1.0
    assert doc["by_island"]["Hokkaido"] is None  # beyond the Scud-ER-class reach from Wonsan
    assert doc["elapsed_s"] > 0.0 and doc["threats_flown"] > 0


def test_output_files(quick):
    doc, out = quick
    gj = json.loads((out / "footprint.geojson").read_text(encoding="utf-8"))
    assert gj["type"] == "FeatureCollection"
    feats = gj["features"]
    assert len(feats) == doc["cells"]
    threatened = [f for f in feats if f["properties"]["threatened"]]
    assert len(threatened) == doc["threatened_cells"]
    for f in feats:
        ring = f["geometry"]["coordinates"][0]
        assert f["geometry"]["type"] == "Polygon" and ring[0] == ring[-1] and len(ring) == 5
        p = f["properties"]
        assert p["country"] == "Japan" and p["prefecture"] and p["island"]
        if p["defended"]:
            assert p["threatened"] and p["opportunities"] >= 1 and p["reason"] is None
            assert p["intercept_alt_km"] > 0.0
        elif p["threatened"]:
            assert p["reason"] in REASONS and p["opportunities"] == 0
        else:
            assert p["opportunities"] == -1 and p["threats"] == 0
    names = {f.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] for f in doc["files"]}
    assert "footprint.geojson" in names


def test_parquet(quick):
    pq = pytest.importorskip("pyarrow.parquet")
    doc, out = quick
    table = pq.read_table(out / "footprint.parquet")
    assert table.num_rows == doc["cells"]
    assert {"lat_deg", "lon_deg", "threatened", "defended", "opportunities"} <= set(
        table.column_names
    )
    assert sum(table.column("threatened").to_pylist()) == doc["threatened_cells"]


def test_text_mode(tmp_path):
    p = bmdsim("footprint", "aegis-ashore-japan", *QUICK, "--out", str(tmp_path))
    assert p.returncode == 0, p.stderr
    assert "defended:" in p.stdout and "wonsan" in p.stdout


def test_workers_give_the_same_footprint(quick, tmp_path):
    doc, _ = quick
    p = bmdsim(
        "footprint", "aegis-ashore-japan", *QUICK, "--workers", "2", "--out", str(tmp_path),
        "--json",
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    two = json.loads(p.stdout)
    assert two["workers"] == 2
    for key in ("defended_fraction", "threatened_fraction", "cells", "by_region"):
        assert two[key] == doc[key]


@pytest.mark.parametrize(
    "args,needle",
    [
        (("--region", "atlantis"), "--region"),
        (("--region", "35,130,30,135"), "--region"),
        (("--region", "1,2,3"), "--region"),
        (("--grid-deg", "0"), "--grid-deg"),
        (("--grid-deg", "nan"), "--grid-deg"),
        (("--grid-deg", "20"), "--grid-deg"),
        (("--launch", "atlantis"), "--launch"),
        (("--missile", "no-such-class"), "--missile"),
        (("--profiles", "lofted"), "--profiles"),
        (("--profiles", "standard,depressed:-3"), "--profiles"),
        (("--burnout-speed-m-s", "100"), "--burnout-speed-m-s"),
        (("--workers", "0"), "--workers"),
        (("--workers", "2", "--scheduler", "tcp://127.0.0.1:1"), "--workers"),
        (("--scheduler", "nowhere"), "--scheduler"),
    ],
)
def test_bad_flags(args, needle, tmp_path):
    p = bmdsim("footprint", "aegis-ashore-japan", *args, "--out", str(tmp_path), "--json")
    assert p.returncode == 2
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]


def test_unknown_scenario(tmp_path):
    p = bmdsim("footprint", "no-such-scenario", "--out", str(tmp_path))
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1


def test_out_is_a_file(tmp_path):
    f = tmp_path / "taken"
    f.write_text("x")
    p = bmdsim("footprint", "aegis-ashore-japan", *QUICK, "--out", str(f), "--json")
    assert p.returncode == 2 and p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "--out" in lines[0]
