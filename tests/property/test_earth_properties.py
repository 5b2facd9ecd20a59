"""Invariants of the Earth model (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pymap3d
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bmdsim.earth.frames import ecef_to_eci, eci_to_ecef, velocity_ecef_to_eci, velocity_eci_to_ecef
from bmdsim.earth.geodetic import ecef_to_geodetic, geodetic_to_ecef

lat = st.floats(-90.0, 90.0)
lon = st.floats(-180.0, 180.0)
height = st.floats(-1_000.0, 3_000_000.0)
time = st.floats(0.0, 86_400.0)


@settings(max_examples=300, deadline=None)
@given(lat, lon, height)
def test_geodetic_ecef_round_trip_below_a_millimetre(lat_deg, lon_deg, h_m):
    r = geodetic_to_ecef(np.radians(lat_deg), np.radians(lon_deg), h_m)
    back = geodetic_to_ecef(*ecef_to_geodetic(r))
    assert np.linalg.norm(back - r) < 1e-3
    la, lo, h = ecef_to_geodetic(r)
    assert abs(h - h_m) < 1e-3


@settings(max_examples=200, deadline=None)
@given(lat, lon, height, time)
def test_eci_ecef_round_trip_below_a_millimetre(lat_deg, lon_deg, h_m, t_s):
    r = geodetic_to_ecef(np.radians(lat_deg), np.radians(lon_deg), h_m)
    v = np.array([100.0, -2000.0, 300.0])
    assert np.linalg.norm(eci_to_ecef(ecef_to_eci(r, t_s), t_s) - r) < 1e-3
    v_back = velocity_eci_to_ecef(ecef_to_eci(r, t_s), velocity_ecef_to_eci(r, v, t_s), t_s)
    assert np.linalg.norm(v_back - v) < 1e-9 * 1e3


@settings(max_examples=100, deadline=None)
@given(st.floats(-89.9, 89.9), lon, st.floats(-1_000.0, 100_000.0))
def test_geodetic_matches_pymap3d(lat_deg, lon_deg, h_m):
    """Independent oracle: pymap3d's geodetic2ecef on WGS84 (< 1 mm)."""
    ref = np.array(pymap3d.geodetic2ecef(lat_deg, lon_deg, h_m))
    r = geodetic_to_ecef(np.radians(lat_deg), np.radians(lon_deg), h_m)
    assert np.linalg.norm(r - ref) < 1e-3


@pytest.mark.parametrize("shape", [(), (5,), (3, 4)])
def test_broadcasting(shape):
    """Scalar, (N,) and (M, N) batches give (..., 3) arrays of the same batch shape."""
    la = np.full(shape, 0.5)
    r = geodetic_to_ecef(la, 0.2, 1000.0)
    assert r.shape == shape + (3,)
    lat_r, lon_r, h = ecef_to_geodetic(r)
    assert lat_r.shape == shape and h.shape == shape
    assert ecef_to_eci(r, np.zeros(shape)).shape == shape + (3,)
