"""Invariants of the flight engine (Hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bmdsim.flight.forces import FULL, EarthShape, Gravity
from bmdsim.flight.launch import impulsive_launch
from bmdsim.flight.propagator import Propagator, Tolerances
from bmdsim.flight.reference import reference_flight

TIGHT = Tolerances(rtol=1e-13, atol_pos_m=1e-5, atol_vel_m_s=1e-8)
PRECISE = Tolerances(rtol=1e-11, atol_pos_m=1e-2, atol_vel_m_s=1e-5)


@settings(max_examples=25, deadline=None)
@given(
    st.floats(2_000.0, 7_500.0),
    st.floats(10.0, 80.0),
    st.floats(100e3, 500e3),
    st.floats(-60.0, 60.0),
    st.floats(0.0, 360.0),
)
def test_energy_conserved_in_vacuum_coast(v, gamma, h, lat, az):
    """Point-mass gravity, no drag, non-rotating: v^2/2 - mu/r constant to 1e-9 relative."""
    force = Gravity("point-mass").on(EarthShape(ellipsoid=True, rotating=False))
    batch = impulsive_launch(v, gamma, h, lat, 130.0, az, force=force)
    traj = Propagator(TIGHT).propagate(batch, record=True).trajectory(0)
    r = np.linalg.norm(traj.r_eci_m, axis=1)
    e = 0.5 * np.sum(traj.v_eci_m_s**2, axis=1) - force.mu_m3_s2 / r
    assert np.max(np.abs(e / e[0] - 1.0)) < 1e-9


@settings(max_examples=12, deadline=None)
@given(
    st.floats(3_000.0, 7_000.0),
    st.floats(15.0, 60.0),
    st.floats(-60.0, 60.0),
    st.floats(0.0, 360.0),
    st.floats(3_000.0, 60_000.0),
)
def test_impact_within_a_metre_of_reference(v, gamma, lat, az, beta):
    """Full physics ballistic flights (J2, drag with beta, rotating WGS84): the impact the
    batched engine locates is within 1 m (and 1 ms) of SciPy DOP853's at rtol 1e-13.

    The engine runs at rtol 1e-11 here so that the check is of the event location (Hermite
    root + Newton polish on real steps), not of the default step tolerance (rtol 1e-9,
    atol 1 m), whose whole-flight error can reach ~1 m on steep, low-beta reentries."""
    batch = impulsive_launch(
        v,
        gamma,
        100e3,
        lat,
        125.0,
        az,
        force=FULL,
        earth_relative=True,
        ballistic_coefficient_kg_m2=beta,
    )
    res = Propagator(PRECISE).propagate(batch)
    ref = reference_flight(batch, 0)
    assert res.impacted[0]
    assert np.linalg.norm(res.impact_eci_m[0] - ref.impact_eci_m) < 1.0
    assert abs(res.impact_time_s[0] - ref.impact_time_s) < 1e-3
