"""Gravity is the gradient of its potential: every model against central finite differences.

The zonal potential (Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed.,
2013, eq. 8-18, zonal terms only):

    U(r) = mu / r * [1 - sum_n J_n (a / r)^n P_n(z / r)],   g = grad U

with the Legendre polynomials P_2, P_3, P_4. "point-mass" keeps none of the J_n, "j2" J2,
"j4" J2, J3 and J4 (the kernel's model codes).

Tolerance of the central difference (U(x + h) - U(x - h)) / 2h:

* truncation: h^2 / 6 * |d^3U/dx^3|, and |d^3/dx^3 (mu/r)| <= 6 mu / r^4 in any direction
  (the J_n terms add ~1e-3 of it), so at most h^2 mu / r^4 (1 + 1e-2);
* rounding: U is summed from a few terms, each good to a few ulp, so it carries an error of
  at most ~10 eps U, and the difference quotient ~10 eps U / h.

With h = 100 m this is ~4e-9 m/s^2 at the surface: 1e-7 of the J2 term (~1.5e-2 m/s^2)
and 2e-4 of the J3 and J4 terms (~1e-5 m/s^2), so a wrong coefficient, sign or power in any
term fails.
"""

from __future__ import annotations

import numpy as np
import pytest

from bmdsim.earth.geodetic import geodetic_to_ecef
from bmdsim.earth.gravity import (
    GRAVITY_J2,
    GRAVITY_J4,
    GRAVITY_POINT_MASS,
    gravity,
    gravity_s,
)
from bmdsim.earth.wgs84 import A_M, GM_M3_S2, J2, J3, J4

H_M = 100.0  # finite-difference step
EPS = np.finfo(float).eps

#: the zonal coefficients each model code keeps
ZONALS = {
    GRAVITY_POINT_MASS: (0.0, 0.0, 0.0),
    GRAVITY_J2: (J2, 0.0, 0.0),
    GRAVITY_J4: (J2, J3, J4),
}


def potential(r: np.ndarray, zonals: tuple[float, ...], mu: float = GM_M3_S2) -> np.ndarray:
    """Gravitational potential U [m^2/s^2] with zonal coefficients (J2, J3, J4) at ECEF/ECI
    positions ``(..., 3)``."""
    j2, j3, j4 = zonals
    rn = np.linalg.norm(r, axis=-1)
    s = r[..., 2] / rn
    q = A_M / rn
    p2 = 0.5 * (3.0 * s**2 - 1.0)
    p3 = 0.5 * (5.0 * s**3 - 3.0 * s)
    p4 = (35.0 * s**4 - 30.0 * s**2 + 3.0) / 8.0
    return mu / rn * (1.0 - j2 * q**2 * p2 - j3 * q**3 * p3 - j4 * q**4 * p4)


def gradient(r: np.ndarray, zonals: tuple[float, ...], mu: float = GM_M3_S2) -> np.ndarray:
    """Central finite-difference gradient of :func:`potential` with step ``H_M``."""
    out = np.empty_like(r)
    for k in range(3):
        step = np.zeros(3)
        step[k] = H_M
        up, down = potential(r + step, zonals, mu), potential(r - step, zonals, mu)
        out[..., k] = (up - down) / (2.0 * H_M)
    return out


def tolerance(r: np.ndarray, mu: float = GM_M3_S2) -> np.ndarray:
    """Bound on the finite difference's error [m/s^2] (see the module docstring)."""
    rn = np.linalg.norm(r, axis=-1)
    return 1.01 * H_M**2 * mu / rn**4 + 10.0 * EPS * (mu / rn) / H_M


def _positions() -> np.ndarray:
    """Equator, both poles, mid-latitudes, on the surface and at LEO altitudes."""
    lat = np.radians([0.0, 90.0, -90.0, 45.0, -45.0, 30.0, -60.0, 10.0, 75.0, -80.0])
    lon = np.radians([0.0, 0.0, 0.0, 135.0, -20.0, 60.0, 200.0, -100.0, 10.0, 300.0])
    h = np.array([0.0, 200e3, 400e3, 800e3, 2_000e3])
    pts = geodetic_to_ecef(lat[:, None], lon[:, None], h[None, :])
    return pts.reshape(-1, 3)


POSITIONS = _positions()


@pytest.mark.parametrize("model", [GRAVITY_POINT_MASS, GRAVITY_J2, GRAVITY_J4])
def test_gravity_is_the_gradient_of_the_potential(model):
    g = gravity(POSITIONS, model)
    fd = gradient(POSITIONS, ZONALS[model])
    err = np.linalg.norm(g - fd, axis=-1)
    assert np.all(err <= tolerance(POSITIONS)), err.max()


@pytest.mark.parametrize("model", [GRAVITY_J2, GRAVITY_J4])
def test_the_check_sees_each_zonal_term(model):
    """The finite difference resolves the smallest term the model adds: dropping it (J2
    from 'j2', J3 or J4 from 'j4') leaves a difference far above the tolerance."""
    g = gravity(POSITIONS, model)
    tol = tolerance(POSITIONS)
    coeffs = ZONALS[model]
    for k in range(3):
        if coeffs[k] == 0.0:
            continue
        without = tuple(0.0 if i == k else c for i, c in enumerate(coeffs))
        err = np.linalg.norm(g - gradient(POSITIONS, without), axis=-1)
        assert err.max() > 100.0 * tol.max(), (k, err.max())


def test_gravitational_parameter_scales_the_field():
    mu = 3.986e14
    g = gravity(POSITIONS, GRAVITY_J4, mu)
    err = np.linalg.norm(g - gradient(POSITIONS, ZONALS[GRAVITY_J4], mu), axis=-1)
    assert np.all(err <= tolerance(POSITIONS, mu))


def test_scalar_kernel_and_batch_agree():
    r = POSITIONS[7]
    for model in ZONALS:
        assert np.array_equal(gravity_s(*r, model, GM_M3_S2), gravity(r, model))
    grid = gravity(POSITIONS.reshape(10, 5, 3), GRAVITY_J2)
    assert grid.shape == (10, 5, 3)
    assert np.array_equal(grid.reshape(-1, 3), gravity(POSITIONS, GRAVITY_J2))
