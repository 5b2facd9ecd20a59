"""Validation of the interceptor models against public cases and figures."""

from __future__ import annotations

import numpy as np
import pytest

from bmdsim.interceptors.booster import booster_drop
from bmdsim.interceptors.flyout import flyout_fan, kinematic_envelope

MUTSUMI = (34.45, 131.62)


@pytest.mark.parametrize("name", ["sm3-ib-class"])
def test_burnt_frost(name):
    """DoD, 21 Feb 2008: an SM-3 (Block IA) hit USA-193 at ~247 km, nearly overhead of
    USS Lake Erie, a few minutes after launch."""
    fan = flyout_fan(name)
    t = fan.time_to([0.0, 50e3, 100e3], [247e3, 247e3, 247e3])
    assert np.all(np.isfinite(t))
    assert np.all((t > 100.0) & (t < 240.0)), t


def _reaches_its_limits(fan, altitude_m: float, range_m: float) -> bool:
    """The engagement fan is cut at the class limits: it reaches them to within a grid cell
    only if the interceptor can fly there."""
    dr = fan.ground_range_grid_m[1] - fan.ground_range_grid_m[0]
    dh = fan.altitude_grid_m[1] - fan.altitude_grid_m[0]
    return fan.max_altitude_m >= altitude_m - dh and fan.max_ground_range_m >= range_m - dr


def test_thaad_envelope_covers_public_figures():
    """USCC 2016: THAAD ~200 km range, ~150 km altitude. These are engagement limits (the
    class carries them, and its fan is cut there), so the check is that the interceptor can
    fly to them: its kinematic envelope covers both, and its fan reaches both limits."""
    env = kinematic_envelope("thaad-class")
    assert env.max_altitude_m >= 150e3
    assert env.max_ground_range_m >= 200e3  # at or above the 40 km minimum intercept altitude
    assert _reaches_its_limits(flyout_fan("thaad-class"), 150e3, 200e3)


def test_pac3_envelope_covers_public_figures():
    """Japan MoD: PAC-3 intercepts at ~10-20 km altitude, defended radius ~20 km: the class
    flies above 20 km and beyond 20 km (above its 2 km floor), and its fan reaches both."""
    env = kinematic_envelope("pac3-class")
    assert env.max_altitude_m >= 20e3
    assert env.max_ground_range_m >= 20e3
    fan = flyout_fan("pac3-class")
    assert _reaches_its_limits(fan, 20e3, 20e3)
    # a typical terminal point: 10 km out at 15 km altitude within tens of seconds
    assert 5.0 < float(fan.time_to(10e3, 15e3)) < 40.0


def test_sm3_iia_reaches_above_1000_km():
    """Japanese press on FTM-45 / the IIA's exo-atmospheric reach: > 1000 km altitude."""
    fan = flyout_fan("sm3-iia-class")
    assert fan.max_altitude_m > 1000e3
    assert np.isfinite(fan.time_to(0.0, 1000e3))
    ib = flyout_fan("sm3-ib-class")
    assert ib.max_altitude_m < fan.max_altitude_m
    assert flyout_fan("sm3-iib-class").burnout_speed_m_s > fan.burnout_speed_m_s


@pytest.mark.parametrize("azimuth_deg", [0.0, 15.0, 30.0])
def test_mutsumi_booster_drop(azimuth_deg):
    """Aegis Ashore (cancelled June 2020): from Mutsumi toward the Sea of Japan the Mk 72-like
    first stage falls a few km from the launcher (plausibility: 0.5-20 km); later stages far
    out at sea."""
    for kick in (30.0, 45.0):
        drops = booster_drop("sm3-iia-class", *MUTSUMI, azimuth_deg, kick_deg=kick)
        first = drops[0]
        assert first.stage == 1
        assert 0.5 <= first.distance_km <= 20.0, (azimuth_deg, kick, first)
        assert first.lat_deg >= MUTSUMI[0] - 0.05  # downrange is northward
        assert drops[1].distance_km > 20.0
