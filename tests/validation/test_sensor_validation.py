"""Validation of the sensors layer against ../shared/validation/public-cases.yaml."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Geod

from bmdsim.earth.places import get_place
from bmdsim.sensors.c2 import C2Config, observe
from bmdsim.sensors.catalog import REFERENCE_RCS_M2, get_sensor
from bmdsim.sensors.horizon import lowest_visible_altitude_m, masking_angle_deg
from bmdsim.sensors.radar import Radar
from bmdsim.sensors.tracking import propagate_ballistic
from bmdsim.threats.aiming import aim_apogee

GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize(
    ("ground_km", "alt_km"),
    [(500, 15), (1000, 59), (1238, 91), (1500, 134), (2000, 241), (3000, 559)],
)
def test_radar_horizon_table_within_3_percent(ground_km: float, alt_km: float) -> None:
    h = float(lowest_visible_altitude_m(ground_km * 1e3)) / 1e3
    assert h == pytest.approx(alt_km, rel=0.03)


def test_sunan_araya_needs_about_91_km() -> None:
    s, a = get_place("sunan"), get_place("araya")
    _, _, d = GEOD.inv(s.lon_deg, s.lat_deg, a.lon_deg, a.lat_deg)
    h = float(lowest_visible_altitude_m(d)) / 1e3
    assert 85.0 < h < 97.0, (d / 1e3, h)


def test_r4_scaling_30x_sensitivity_gives_2_34x_range() -> None:
    spy1 = get_sensor("spy1d-class")
    spy6 = get_sensor("spy6-class")
    assert isinstance(spy1, Radar) and isinstance(spy6, Radar)
    ratio = spy6.detection_range_m(REFERENCE_RCS_M2) / spy1.detection_range_m(REFERENCE_RCS_M2)
    assert ratio == pytest.approx(30.0**0.25, rel=1e-12)
    assert round(ratio, 2) == 2.34
    # and SNR scales exactly as R^-4
    assert float(spy1.snr(500e3, 0.1) / spy1.snr(1000e3, 0.1)) == pytest.approx(16.0, rel=1e-12)


def test_oga_masking_angle() -> None:
    # 715 m peak (Mt. Honzan) 9.6 km from the surveyed site: 4.26 deg, not the reported 15
    flat = float(masking_angle_deg(715.0, 9600.0, k=math.inf))
    curved = float(masking_angle_deg(715.0, 9600.0))  # 4/3-Earth drop of ~5 m
    assert flat == pytest.approx(4.26, abs=0.1)
    assert curved == pytest.approx(4.26, abs=0.1)
    assert curved < flat


def test_tpy2_and_spy7_detection_ranges_match_calibration() -> None:
    rcs = REFERENCE_RCS_M2
    assert rcs == 0.1
    fbm, term = get_sensor("tpy2-class"), get_sensor("tpy2-terminal-class")
    spy7, spy1 = get_sensor("spy7-class"), get_sensor("spy1d-class")
    assert isinstance(fbm, Radar) and isinstance(term, Radar)
    assert isinstance(spy7, Radar) and isinstance(spy1, Radar)
    assert fbm.detection_range_m(rcs) / 1e3 == pytest.approx(2000.0, rel=1e-9)
    assert term.detection_range_m(rcs) / 1e3 == pytest.approx(600.0, rel=1e-9)
    r7 = spy7.detection_range_m(rcs) / 1e3
    assert r7 > 1000.0  # "well over 1,000 km"
    assert r7 > 2.0 * spy1.detection_range_m(rcs) / 1e3  # "more than twice SPY-1"
    for s in (fbm, term, spy7, spy1):
        assert "0.1 m^2" in s.source


def _hwasong12_2017_08_29():
    """Hwasong-12-class from Sunan east-north-east over Hokkaido, ~2,700 km, apogee ~550 km."""
    su, erimo = get_place("sunan"), get_place("cape-erimo")
    az, _, _ = GEOD.inv(su.lon_deg, su.lat_deg, erimo.lon_deg, erimo.lat_deg)
    tlon, tlat, _ = GEOD.fwd(su.lon_deg, su.lat_deg, az, 2700e3)
    fb = aim_apogee("hwasong-12-class", su.lat_deg, su.lon_deg, tlat, tlon, 550.0).fly(0)
    return fb.trajectory(0), float(fb.ground_range_m()[0]), float(fb.apogee_m[0])


def test_j_alert_timeline_reachable_with_ir_cue() -> None:
    tr, rng_m, apo = _hwasong12_2017_08_29()
    assert 2400e3 < rng_m < 2900e3 and 450e3 < apo < 650e3
    sh, ar, su = get_place("shariki"), get_place("araya"), get_place("sunan")
    bore, _, _ = GEOD.inv(sh.lon_deg, sh.lat_deg, su.lon_deg, su.lat_deg)
    sensors = [
        get_sensor("sbirs-class"),
        get_sensor("tpy2-class").at(sh.lat_deg, sh.lon_deg, 0.0, boresight_az_deg=bore),  # type: ignore[union-attr]
        get_sensor("spy7-class").at(ar.lat_deg, ar.lon_deg, 0.0),  # type: ignore[union-attr]
    ]
    cfg = C2Config(track_until="fire_control")
    ob = observe([tr], sensors, REFERENCE_RCS_M2, cfg, rng=np.random.default_rng(829))
    kinds = [e.kind for e in ob.events[0]]
    assert kinds[:2] == ["ir_detection", "cue"]
    t_fc = float(ob.fire_control_track_s[0])
    assert t_fc <= 240.0, ob.events[0]  # J-Alert went out 3-4 min after launch
    # the track then predicts the over-flight of Hokkaido (lon 141-145 E) to a few tens of km
    t_over = tr.t_s[0] + np.arange(300.0, 800.0, 10.0)
    lat, lon, h = tr.geodetic(t_over)
    k = int(np.argmin(np.abs(lon - 143.0)))
    x, _ = propagate_ballistic(ob.ekf.x[:1], t_over[k] - ob.ekf.t_s[0])
    miss = np.linalg.norm(x[0, :3] - tr.ecef(np.array([t_over[k]]))[0])
    assert miss < 50e3, miss
    assert h[k] > 100e3  # it over-flies (exo-atmospheric) rather than lands


def test_ir_cue_detects_earlier_than_radar_alone() -> None:
    tr, _, _ = _hwasong12_2017_08_29()
    ar = get_place("araya")
    spy7 = get_sensor("spy7-class").at(ar.lat_deg, ar.lon_deg, 0.0)  # type: ignore[union-attr]
    alone = observe([tr], [spy7], REFERENCE_RCS_M2)
    cued = observe([tr], [get_sensor("sbirs-class"), spy7], REFERENCE_RCS_M2)
    t_alone = next(e.t_s for e in alone.events[0] if e.kind == "radar_detection")
    t_cued = next(e.t_s for e in cued.events[0] if e.kind == "radar_detection")
    assert t_cued < t_alone
