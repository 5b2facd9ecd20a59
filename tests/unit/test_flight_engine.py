"""Unit tests of the flight engine: staging, trajectory views, events."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from bmdsim.flight.forces import FULL, KEPLER, Drag, Gravity, Thrust
from bmdsim.flight.generic import GENERIC_ICBM, GENERIC_ICBM_PROGRAM
from bmdsim.flight.launch import impulsive_launch, powered_launch
from bmdsim.flight.propagator import Propagator
from bmdsim.flight.reference import reference_flight
from bmdsim.flight.vehicle import DragCurve, Vehicle


@pytest.fixture(scope="module")
def icbm():
    batch = powered_launch(GENERIC_ICBM, 39.2, 125.7, 70.0, GENERIC_ICBM_PROGRAM, kick_deg=20.0)
    return Propagator().propagate(batch, record=True)


def test_forces_add_up():
    model = Gravity("j2") + Drag() + Thrust()
    assert model == FULL
    assert model.drag and model.thrust and model.gravity == "j2"
    assert KEPLER.gravity == "point-mass" and not KEPLER.earth.rotating
    with pytest.raises(ValueError):
        Gravity("j9")


def test_vehicle_phases():
    phases = GENERIC_ICBM.phases(100.0)
    assert len(phases) == 3
    assert phases[0].t_start_s == 100.0
    assert phases[1].t_end_s == pytest.approx(100.0 + GENERIC_ICBM.burn_time_s)
    assert phases[0].mass_start_kg == pytest.approx(GENERIC_ICBM.launch_mass_kg)
    assert phases[-1].mass_start_kg == GENERIC_ICBM.rv.mass_kg
    assert math.isinf(phases[-1].t_end_s)
    cut = GENERIC_ICBM.phases(0.0, cutoff_time_s=50.0)
    assert len(cut) == 2 and cut[0].t_end_s == 50.0
    assert GENERIC_ICBM.ideal_delta_v_m_s() == pytest.approx(8390, rel=0.01)


def test_icbm_flight_summary(icbm):
    assert icbm.impacted[0]
    assert icbm.burnout_time_s[0] == pytest.approx(GENERIC_ICBM.burn_time_s)
    assert 8_000e3 < icbm.ground_range_m()[0] < 13_000e3
    assert 500e3 < icbm.apogee_m[0] < 3_000e3
    assert icbm.apogee_time_s[0] < icbm.impact_time_s[0]


def test_trajectory_views(icbm):
    traj = icbm.trajectory(0)
    # dense output reproduces the nodes
    r, v = traj.sample(traj.t_s)
    assert np.allclose(r, traj.r_eci_m, atol=1e-6)
    lat, lon, h = traj.geodetic()
    assert abs(h[0]) < 1.0 and abs(h[-1]) < 1.0  # launch pad and impact on the surface
    # the dense output sampled every second peaks within metres of the located apogee
    assert traj.height_m(traj.times(1.0)).max() == pytest.approx(icbm.apogee_m[0], abs=10.0)
    assert traj.height_m([icbm.apogee_time_s[0]])[0] == pytest.approx(icbm.apogee_m[0], abs=1.0)
    grid = traj.times(10.0)
    assert np.all(np.diff(grid) <= 10.0 + 1e-9)
    up = traj.crossings(100e3, direction=+1)
    down = traj.crossings(100e3, direction=-1)
    assert len(up) == 1 and len(down) == 1 and up[0] < down[0]
    assert traj.height_m(up)[0] == pytest.approx(100e3, abs=0.1)
    assert traj.ground_range_km()[-1] == pytest.approx(icbm.ground_range_m()[0] / 1e3, rel=1e-6)
    az, el, rng = traj.aer(39.2, 125.7)
    assert el[-1] < 0  # the impact point lies below the launch site's horizon


def test_impact_lies_on_the_surface(icbm):
    from bmdsim.earth.geodetic import ecef_to_geodetic

    _, _, h = ecef_to_geodetic(icbm.impact_ecef_m)
    assert abs(h[0]) < 1e-3


def test_orbit_reports_no_impact():
    res = Propagator().propagate(impulsive_launch(7_900.0, 0.0, 300e3))
    assert not res.impacted[0]
    assert math.isnan(res.impact_time_s[0])


def test_batches_are_independent_of_composition():
    """A flight's result does not depend on what else is in the batch."""
    v = np.array([3000.0, 5000.0, 7000.0])
    whole = Propagator().propagate(impulsive_launch(v, 40.0, force=FULL, earth_relative=True))
    alone = Propagator().propagate(impulsive_launch(v[1], 40.0, force=FULL, earth_relative=True))
    assert whole.impact_eci_m[1] == pytest.approx(alone.impact_eci_m[0], abs=1e-9)


def test_record_buffer_grows_when_needed():
    """A flight with more steps than the first buffer is flown again with a larger one."""
    batch = powered_launch(GENERIC_ICBM, 39.2, 125.7, [70.0, 100.0], GENERIC_ICBM_PROGRAM)
    small = Propagator(record_nodes=16).propagate(batch, record=True)
    big = Propagator().propagate(batch, record=True)
    for i in range(2):
        a, b = small.trajectory(i), big.trajectory(i)
        assert len(a.t_s) == len(b.t_s) > 16
        assert np.allclose(a.y, b.y)


def _draggy(factor: float) -> Vehicle:
    """GENERIC_ICBM with its drag curve scaled by ``factor``."""
    curve = GENERIC_ICBM.drag
    return replace(
        GENERIC_ICBM,
        name=f"generic-icbm-cd-x{factor:g}",
        drag=DragCurve(curve.mach, tuple(factor * c for c in curve.cd), "test"),
    )


def test_vehicle_drag_curve_is_the_one_flown():
    """Each flight's boost drag comes from its own vehicle's Cd(Mach) curve, also in a mixed
    batch, and the reference integrator flies the same curve."""
    vehicles = [_draggy(0.0), GENERIC_ICBM, _draggy(3.0)]
    kw = {"program": GENERIC_ICBM_PROGRAM, "kick_deg": 20.0}
    mixed = powered_launch(vehicles, 39.2, 125.7, 70.0, **kw)
    res = Propagator().propagate(mixed)
    # more drag, less burnout speed; and the impact points move by tens of km at least
    speed = np.linalg.norm(res.burnout_velocity_relative_m_s(), axis=1)
    assert speed[0] > speed[1] > speed[2]
    gap = np.linalg.norm(np.diff(res.impact_eci_m, axis=0), axis=1)
    assert np.all(gap > 10e3)
    for i, veh in enumerate(vehicles):
        alone = Propagator().propagate(powered_launch(veh, 39.2, 125.7, 70.0, **kw))
        assert res.impact_eci_m[i] == pytest.approx(alone.impact_eci_m[0], abs=1e-9)
        assert res.burnout_state_eci[i] == pytest.approx(alone.burnout_state_eci[0], abs=1e-9)
    # the reference (DOP853) flies the vehicle's curve too: it agrees with the engine to the
    # engine's own accuracy (tens of metres at most), not to the km between the curves
    sub = mixed.take([2])
    ref = reference_flight(sub, 0)
    one = Propagator().propagate(sub)
    assert np.linalg.norm(ref.impact_eci_m - one.impact_eci_m[0]) < 100.0


def test_many_flights_sampled_at_once_equal_one_at_a_time() -> None:
    """Dense output of many flights in one compiled pass equals each flight's own."""
    from bmdsim.flight.trajectory import sample_many
    from bmdsim.threats.aiming import aim

    sol = aim("nodong-class", 40.0, 128.0, [35.0, 36.0, 34.0], [133.0, 138.0, 131.0])
    trajs = [sol.fly(i).trajectory(0) for i in range(3)]
    times = [
        np.linspace(trajs[0].t_s[0], trajs[0].t_s[-1], 57),
        np.empty(0),
        np.array([trajs[2].t_s[0], trajs[2].t_s[3], trajs[2].t_s[-1]]),
    ]
    got = sample_many(trajs, times)
    want = np.concatenate(
        [tr.sample(t)[0].reshape(-1, 3) for tr, t in zip(trajs, times, strict=True)]
    )
    np.testing.assert_array_equal(got, want)
    assert sample_many([], []).shape == (0, 3)
