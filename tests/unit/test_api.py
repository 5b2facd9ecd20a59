"""The public Python API: the names a notebook user imports from ``bmdsim``."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import bmdsim


def test_import_is_light_and_names_are_public() -> None:
    code = (
        "import sys, bmdsim; heavy = [m for m in ('numba', 'matplotlib', 'duckdb', 'dask') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    for name in bmdsim.__all__:
        assert getattr(bmdsim, name) is not None
    with pytest.raises(AttributeError):
        _ = bmdsim.no_such_name  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def demo() -> bmdsim.Run:
    return bmdsim.run("aegis-ashore-japan")


def test_run_returns_summary_and_json(demo: bmdsim.Run) -> None:
    s = demo.summary
    assert s["threats"] == s["killed"] + s["leaked"] + s["no_opportunity"] > 0
    doc = json.loads(demo.to_json())
    assert doc["summary"] == s
    assert doc == json.loads(json.dumps(demo.to_dict(), default=float).replace("NaN", "null"))
    assert len(demo.scene().threat_tracks()) == s["threats"]


def test_same_seed_same_run(demo: bmdsim.Run) -> None:
    again = bmdsim.run(demo.setup)
    assert again.to_json() == demo.to_json()
    other = bmdsim.run(demo.setup, seed=demo.setup.seed + 1)
    assert other.setup.seed != demo.setup.seed


def test_fly_hits_its_target() -> None:
    from bmdsim.earth.geodesics import distance_m
    from bmdsim.earth.places import get_place

    t = bmdsim.fly("nodong-class", "sinpo", "tokyo")
    lat, lon, h = t.geodetic(np.array([t.impact_time_s]))
    tokyo = get_place("tokyo")
    assert float(distance_m(lat[0], lon[0], tokyo.lat_deg, tokyo.lon_deg)) < 100.0
    assert abs(float(h[0])) < 50.0
    # a lofted shot goes higher than the minimum-energy one
    lofted = bmdsim.fly("nodong-class", (40.03, 128.185), "tokyo", "lofted", apogee_km=450.0)
    assert lofted.height_m().max() > t.height_m().max()


def test_reach_and_observe() -> None:
    from bmdsim.sensors.catalog import get_sensor

    fan = bmdsim.reach("sm3-iia-class")
    assert np.isfinite(fan.time_to(500e3, 200e3))
    slower = bmdsim.reach("sm3-iia-class", burnout_speed_m_s=3500.0)
    assert slower.max_ground_range_m < fan.max_ground_range_m
    t = bmdsim.fly("nodong-class", "sinpo", "tokyo")
    radar = get_sensor("spy7-class").at(39.7, 140.06)  # type: ignore[attr-defined]
    ob = bmdsim.observe([t], [radar])
    assert np.isfinite(ob.fire_control_track_s[0])


def test_report_and_export(demo: bmdsim.Run, tmp_path) -> None:
    page = bmdsim.report(demo, tmp_path / "rep")
    assert page.name == "report.html" and page.stat().st_size > 10_000
    files = bmdsim.export(demo, "geojson,csv", tmp_path / "exp")
    assert [f.suffix for f in files][:1] == [".geojson"]
    assert all(f.exists() for f in files)
