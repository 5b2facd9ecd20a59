"""Force models as values that add up: the algebra of ``+`` and what the kernel makes of it."""

from __future__ import annotations

import numpy as np
import pytest

from bmdsim.earth.wgs84 import GM_M3_S2, R_MEAN_M
from bmdsim.errors import InputError
from bmdsim.flight.forces import (
    FULL,
    KEPLER,
    Drag,
    EarthShape,
    ForceModel,
    Gravity,
    Thrust,
)
from bmdsim.flight.launch import impulsive_launch
from bmdsim.flight.propagator import Propagator, Tolerances

SPHERE = EarthShape(ellipsoid=False, rotating=False, radius_m=R_MEAN_M)
TERMS = (Gravity("j2"), Drag(), Thrust())


def test_drag_plus_thrust_is_a_model_without_gravity():
    for model in (Drag() + Thrust(), Thrust() + Drag()):
        assert model.drag and model.thrust and model.gravity == "none"
        o = model.opts()  # packs: the kernels fly it with no gravity term
        assert o.shape == FULL.opts().shape


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 0, 2), (1, 2, 0), (0, 2, 1)])
def test_sum_is_the_same_in_any_order(order):
    a, b, c = (TERMS[i] for i in order)
    assert a + b + c == FULL
    assert a + (b + c) == FULL


def test_right_operand_keeps_its_gravitational_parameter():
    mu = 3.9e14
    left = Gravity("point-mass", mu_m3_s2=mu) + Drag()
    right = Drag() + Gravity("point-mass", mu_m3_s2=mu)
    assert left == right
    assert right.mu_m3_s2 == mu and right.gravity == "point-mass" and right.drag


def test_terms_are_added_once():
    assert FULL + Drag() == FULL
    assert Drag() + Drag() == Drag()
    assert Gravity("j2") + Gravity("j2") == Gravity("j2")


@pytest.mark.parametrize(
    ("a", "b", "word"),
    [
        (Gravity("j2"), Gravity("point-mass"), "gravity"),
        (Gravity("j2", mu_m3_s2=GM_M3_S2), Gravity("j2", mu_m3_s2=3.9e14), "gravity"),
        (Gravity("point-mass").on(SPHERE), Drag(), "Earth"),
        (KEPLER, Thrust(), "Earth"),
    ],
)
def test_disagreeing_terms_are_refused_in_both_orders(a, b, word):
    for x, y in ((a, b), (b, a)):
        with pytest.raises(InputError, match=word):
            x + y


def test_models_on_the_same_earth_add():
    model = (Gravity("point-mass") + Drag() + Thrust()).on(SPHERE)
    assert model == Gravity("point-mass").on(SPHERE) + Drag().on(SPHERE) + Thrust().on(SPHERE)
    assert model.earth == SPHERE


def test_only_force_models_add():
    with pytest.raises(TypeError):
        FULL + 1.0  # type: ignore[operator]


def test_a_model_without_gravity_flies_in_a_straight_line():
    """No gravity, no drag (infinite beta), non-rotating: the coast is uniform motion."""
    force = (Drag() + Thrust()).on(SPHERE)
    batch = impulsive_launch(1_000.0, 30.0, 1_000.0, 10.0, 20.0, 45.0, force=force)
    res = Propagator(Tolerances(max_duration_s=100.0)).propagate(batch, record=True)
    traj = res.trajectory(0)
    assert traj.t_s[-1] == pytest.approx(100.0)
    r0, v0 = batch.y0[0, :3], batch.y0[0, 3:]
    assert np.allclose(traj.v_eci_m_s, v0, rtol=0.0, atol=1e-9)
    assert np.allclose(traj.r_eci_m, r0 + traj.t_s[:, None] * v0, rtol=0.0, atol=1e-6)


def test_gravity_names_are_checked():
    with pytest.raises(ValueError, match="gravity model"):
        Gravity("none")
    assert isinstance(Gravity("j4"), ForceModel)


@pytest.mark.parametrize(("h_m", "bound_m"), [(0.0, 1e-6), (100e3, 1.0), (1_000e3, 6.0)])
def test_force_model_height_is_near_the_geodetic_one(h_m, bound_m):
    """The kernel's cheap height equals the geodetic height on the surface (so the impact
    event lands on the ellipsoid) and stays within 6 m of it up to 1000 km."""
    from bmdsim._core.force_kernels import height_fast_s
    from bmdsim._core.layouts import SHAPE_WGS84
    from bmdsim.earth.geodetic import geodetic_to_ecef

    lat = np.radians(np.linspace(-90.0, 90.0, 721))
    pts = geodetic_to_ecef(lat, 0.7, h_m)
    fast = np.array([height_fast_s(x, y, z, SHAPE_WGS84, 0.0) for x, y, z in pts])
    assert np.max(np.abs(fast - h_m)) < bound_m
