"""Unit tests of bmdsim.sensors and the sensor commands."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import typer

from bmdsim.cli import sensor_cmds
from bmdsim.cli._common import run_app
from bmdsim.earth.geodetic import geodetic_to_ecef
from bmdsim.earth.places import get_place
from bmdsim.errors import UnknownName
from bmdsim.sensors.catalog import SENSORS, get_sensor
from bmdsim.sensors.coverage import coverage
from bmdsim.sensors.horizon import horizon_ground_range_m, lowest_visible_altitude_m
from bmdsim.sensors.infrared import InfraredConstellation
from bmdsim.sensors.radar import Radar, pd_swerling1, required_snr_swerling1


def _radar(name: str = "spy7-class") -> Radar:
    a = get_place("araya")
    r = get_sensor(name)
    assert isinstance(r, Radar)
    return r.at(a.lat_deg, a.lon_deg, 0.0)


def _point(lat: float, lon: float, h: float) -> np.ndarray:
    return geodetic_to_ecef(np.radians(lat), np.radians(lon), h)


def test_swerling1_pd_and_required_snr_round_trip() -> None:
    need = required_snr_swerling1(0.9, 1e-6)
    assert 10 * math.log10(need) == pytest.approx(21.1, abs=0.1)
    assert float(pd_swerling1(need, 1e-6)) == pytest.approx(0.9)
    assert float(pd_swerling1(0.0, 1e-6)) == pytest.approx(1e-6)


def test_detection_range_scales_with_rcs_to_the_quarter() -> None:
    r = _radar()
    assert r.detection_range_m(1.6) / r.detection_range_m(0.1) == pytest.approx(2.0)
    assert r.detection_range_m(0.1, cued=False) < r.detection_range_m(0.1)


def test_catalog_entries_have_sources_and_unknown_names_fail() -> None:
    for name, s in SENSORS.items():
        assert s.name == name and len(s.source) > 40
        assert s.describe()["name"] == name
    assert isinstance(get_sensor("SBIRS"), InfraredConstellation)
    with pytest.raises(UnknownName):
        get_sensor("spy-99")


def test_horizon_helpers_agree() -> None:
    s = horizon_ground_range_m(91e3)
    assert float(lowest_visible_altitude_m(s)) == pytest.approx(91e3, rel=1e-9)


def test_earth_occlusion_and_horizon() -> None:
    r = _radar()
    low = _point(39.22, 125.67, 20e3)  # over Sunan, 20 km up: below the horizon
    high = _point(39.22, 125.67, 200e3)
    ok, _ = r.visible(np.stack([low, high]))
    assert ok.tolist() == [False, True]
    far = _point(-39.7, -40.0, 500e3)  # antipodes: occluded by the Earth
    assert not r.visible(far[None])[0][0]


def test_faces_scan_limits_and_terrain_mask() -> None:
    sh = get_place("shariki")
    tpy = get_sensor("tpy2-class")
    assert isinstance(tpy, Radar)
    west = tpy.at(sh.lat_deg, sh.lon_deg, 0.0, boresight_az_deg=270.0)
    p_west = _point(40.9, 133.0, 300e3)
    p_east = _point(40.9, 148.0, 300e3)
    ok, _ = west.visible(np.stack([p_west, p_east]))
    assert ok.tolist() == [True, False]
    masked = west.at(sh.lat_deg, sh.lon_deg, 0.0, terrain_mask=((0.0, 180.0), (30.0, 30.0)))
    assert not masked.visible(p_west[None])[0][0]


def test_ir_no_detection_after_burnout() -> None:
    ir = get_sensor("sbirs-class")
    assert isinstance(ir, InfraredConstellation) and ir.space_based
    t = np.arange(0.0, 200.0, 2.0)
    h = np.stack([t * 300.0, t * 300.0])  # both reach 10 km at 33 s
    first, last = ir.detection_times_s(t, h, np.array([150.0, 30.0]))
    assert first[0] == 40.0 and last[0] == 150.0
    assert math.isnan(first[1])  # burnt out under the clouds


def test_coverage_region() -> None:
    cov = coverage(_radar(), 300e3)
    assert cov.max_ground_range_km <= cov.detection_range_km
    assert cov.area_km2 > 1e6
    assert cov.lat_deg[0] == cov.lat_deg[-1]


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    app = typer.Typer()
    sensor_cmds.register(app)
    code = run_app(app, argv)
    return code, capsys.readouterr().out


def test_cli_coverage_json(tmp_path, capsys) -> None:
    gj = tmp_path / "c.geojson"
    code, out = _cli(
        [
            "coverage",
            "--sensor",
            "spy7-class",
            "--site",
            "araya",
            "--altitude-km",
            "300",
            "--geojson",
            str(gj),
            "--json",
        ],
        capsys,
    )
    assert code == 0
    doc = json.loads(out)
    assert {"detection_range_km", "area_km2", "max_ground_range_km", "countries"} <= set(doc)
    assert "Russia" in doc["countries"] and "Japan" in doc["countries"]
    assert json.loads(gj.read_text())["features"][0]["geometry"]["type"] == "Polygon"


def test_cli_errors_are_one_line(capsys) -> None:
    code, _ = _cli(
        ["coverage", "--sensor", "sbirs-class", "--site", "araya", "--altitude-km", "300"], capsys
    )
    assert code == 2
    code, _ = _cli(
        [
            "observe",
            "--sensor",
            "spy7-class",
            "--missile",
            "nodong-class",
            "--from",
            "sunan",
            "--to",
            "tokyo",
        ],
        capsys,
    )
    assert code == 2


def test_cli_observe_json(capsys) -> None:
    code, out = _cli(
        [
            "observe",
            "--sensor",
            "sbirs-class",
            "--site",
            "araya",
            "--sensor",
            "spy7-class",
            "--site",
            "araya",
            "--missile",
            "nodong-class",
            "--from",
            "sunan",
            "--to",
            "akita",
            "--json",
        ],
        capsys,
    )
    assert code == 0, out
    doc = json.loads(out)
    assert doc["events"][0]["kind"] == "ir_detection"
    assert set(doc["events"][0]) == {"t_s", "kind", "by", "alt_km", "lat_deg", "lon_deg"}
    assert doc["first_detection_s"] is not None
    assert "fire_control_track_s" in doc


def test_catalog_sensors_doc() -> None:
    doc = sensor_cmds.catalog_sensors_doc()
    assert doc["reference_rcs_m2"] == 0.1
    assert {s["name"] for s in doc["sensors"]} == set(SENSORS)


def test_the_ekf_is_a_tracker() -> None:
    """The C2 node talks to its tracks only through the Tracker surface."""
    from bmdsim.sensors.base import Tracker
    from bmdsim.sensors.tracking import BallisticEKF

    assert isinstance(BallisticEKF(3), Tracker)
