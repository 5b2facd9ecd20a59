"""Unit tests of bmdsim.earth.atmosphere: shapes, monotonicity, continuity, range limits."""

from __future__ import annotations

import math

import numba
import numpy as np
import pytest

from bmdsim.earth.atmosphere import (
    ALTITUDE_MAX_M,
    ALTITUDE_MIN_M,
    G0_M_S2,
    R0_M,
    AtmosphereState,
    density,
    pressure,
    speed_of_sound,
    state,
    temperature,
    us76,
)

PUBLIC_FUNCTIONS = [density, pressure, temperature, speed_of_sound]


@pytest.mark.parametrize("func", PUBLIC_FUNCTIONS, ids=lambda f: f.__name__)
def test_scalar_gives_float(func: object) -> None:
    assert callable(func)
    for h in (1000.0, 1000, np.float64(1000.0), 2.0e5):
        value = func(h)
        assert isinstance(value, float)
    assert func(1000.0) == func(np.array([1000.0]))[0]


@pytest.mark.parametrize("func", PUBLIC_FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", [(), (7,), (3, 5), (2, 3, 4)])
def test_array_gives_same_shape(func: object, shape: tuple[int, ...]) -> None:
    assert callable(func)
    rng = np.random.default_rng(0)
    h = rng.uniform(-1e3, 1.1e6, size=shape)
    out = func(h)
    assert isinstance(out, np.ndarray)
    assert out.shape == shape
    assert out.dtype == np.float64
    flat = [func(float(x)) for x in h.reshape(-1)]
    np.testing.assert_array_equal(out.reshape(-1), flat)


def test_sequence_and_non_contiguous_input() -> None:
    assert density([0.0, 1e4]).shape == (2,)
    h = np.linspace(0.0, 2e5, 20).reshape(4, 5).T  # Fortran-ordered view
    np.testing.assert_array_equal(density(h), density(np.ascontiguousarray(h)))


def test_state_fields() -> None:
    s = state(5000.0)
    assert isinstance(s, AtmosphereState)
    assert s == AtmosphereState(*us76(5000.0))
    assert s.density_kg_m3 == density(5000.0)
    assert s.pressure_pa == pressure(5000.0)
    assert s.temperature_k == temperature(5000.0)
    assert s.speed_of_sound_m_s == speed_of_sound(5000.0)
    h = np.array([[0.0, 5e4], [1e5, 5e5]])
    sa = state(h)
    for field in sa:
        assert isinstance(field, np.ndarray)
        assert field.shape == (2, 2)
    np.testing.assert_array_equal(sa.density_kg_m3, density(h))
    with pytest.raises(AttributeError):
        s.density_kg_m3 = 1.0  # type: ignore[misc]


def test_density_and_pressure_decrease_monotonically() -> None:
    h = np.arange(0.0, ALTITUDE_MAX_M + 1.0, 10.0)
    s = state(h)
    assert np.all(np.diff(s.density_kg_m3) < 0.0)
    assert np.all(np.diff(s.pressure_pa) < 0.0)
    assert np.all(np.isfinite(s.speed_of_sound_m_s))
    assert np.all(s.temperature_k > 180.0)
    assert np.all(s.temperature_k <= 1000.0)


@pytest.mark.parametrize("boundary_m", [86000.0], ids=["86km"])
def test_continuous_across_86_km(boundary_m: float) -> None:
    below = np.array(us76(math.nextafter(boundary_m, 0.0)))
    at = np.array(us76(boundary_m))
    above = np.array(us76(boundary_m + 1.0))
    np.testing.assert_allclose(below, at, rtol=1e-4)  # far inside the required 1 %
    np.testing.assert_allclose(above, at, rtol=1e-3)
    # The standard itself has a kink here (dT/dZ: -2 K/km below, 0 above), so the density
    # scale heights on the two sides differ by ~6 %, but no more.
    d_below = math.log(below[0]) - math.log(us76(boundary_m - 1.0)[0])
    d_above = math.log(above[0]) - math.log(at[0])
    assert d_above == pytest.approx(d_below, rel=0.1)


def test_continuous_across_table_nodes_and_segments() -> None:
    for z_m in [91e3, 100e3, 110e3, 120e3, 150e3, 500e3, 999e3]:
        lo = np.array(us76(z_m - 1e-3))
        hi = np.array(us76(z_m + 1e-3))
        np.testing.assert_allclose(lo, hi, rtol=1e-5)


def test_hydrostatic_balance() -> None:
    """dP/dZ = -rho g below 86 km (exactly, by construction) and above 120 km (the
    standard's diffusion model is near-hydrostatic there; 86-120 km has flux terms)."""
    for lo, hi, tol in [(0.0, 85e3, 1e-4), (121e3, 999e3, 5e-3)]:
        z = np.linspace(lo, hi, 2000)
        dp_dz = (pressure(z + 1.0) - pressure(z - 1.0)) / 2.0
        g = G0_M_S2 * (R0_M / (R0_M + z)) ** 2
        np.testing.assert_allclose(dp_dz, -density(z) * g, rtol=tol)


def test_above_1000_km() -> None:
    for h in (1.0e6 + 1e-6, 1.5e6, 4.0e7, math.inf):
        rho, p, t, a = us76(h)
        assert rho == 0.0
        assert p == 0.0
        assert t == 1000.0
        assert a == pytest.approx(us76(ALTITUDE_MAX_M)[3])
    rho_top, p_top, t_top, _ = us76(ALTITUDE_MAX_M)
    assert 0.0 < rho_top < 4e-15
    assert 0.0 < p_top < 1e-8
    assert t_top == pytest.approx(1000.0, abs=1e-3)


def test_below_sea_level_extrapolates_first_layer_to_minus_5_km() -> None:
    for h in (-100.0, -2500.0, ALTITUDE_MIN_M):
        h_geopotential = R0_M * h / (R0_M + h)
        rho, p, t, _ = us76(h)
        assert t == pytest.approx(288.15 - 6.5e-3 * h_geopotential, rel=1e-12)
        assert p > 101325.0
        assert rho > 1.225
    assert us76(-5000.0) == pytest.approx((1.9311, 177.76e3, 320.68, 358.99), rel=1e-4)
    assert us76(-8000.0) == us76(ALTITUDE_MIN_M)
    assert us76(-math.inf) == us76(ALTITUDE_MIN_M)


def test_nan_propagates() -> None:
    assert all(math.isnan(v) for v in us76(math.nan))
    assert math.isnan(density(np.array([math.nan]))[0])


def test_callable_from_numba() -> None:
    @numba.njit
    def column_mass_kg_m2(top_m: float, step_m: float) -> float:
        total = 0.0
        h = 0.5 * step_m
        while h < top_m:
            total += us76(h)[0] * step_m
            h += step_m
        return total

    # column mass ~ P0 / g0 = 10332 kg/m^2
    assert column_mass_kg_m2(2e5, 10.0) == pytest.approx(101325.0 / 9.80665, rel=5e-3)
