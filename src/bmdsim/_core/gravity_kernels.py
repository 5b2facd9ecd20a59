"""Gravitational acceleration kernels: point mass and zonal harmonics J2 (J3, J4 optional).

The zonal terms are axisymmetric about the Earth's spin axis, so the same formula holds in
ECEF and in bmdsim's ECI (which shares the z axis). Formulae: Vallado, *Fundamentals of
Astrodynamics and Applications* (4th ed., 2013), eqs. 8-29 to 8-31 (J2), with J3/J4 from
the derivatives of the zonal potential. Model codes: :mod:`bmdsim._core.layouts`.
"""

from __future__ import annotations

import math

from numpy.typing import NDArray

from bmdsim._core.constants import A_M, GM_M3_S2, J2, J3, J4
from bmdsim._core.jit import jit
from bmdsim._core.layouts import GRAVITY_J4, GRAVITY_POINT_MASS

__all__ = ["gravity_many", "gravity_s"]


@jit()
def gravity_s(
    x: float, y: float, z: float, model: int, mu: float = GM_M3_S2
) -> tuple[float, float, float]:
    """Acceleration [m/s^2] at position (x, y, z) [m] for gravity ``model``."""
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    k = -mu / (r2 * r)
    if model == GRAVITY_POINT_MASS:
        return k * x, k * y, k * z
    zr2 = z * z / r2
    q = A_M * A_M / r2
    # J2: Vallado eq. 8-30
    f = 1.5 * J2 * q
    fxy = 1.0 + f * (1.0 - 5.0 * zr2)
    fz = 1.0 + f * (3.0 - 5.0 * zr2)
    az_extra = 0.0
    if model >= GRAVITY_J4:
        zr = z / r
        q15 = q * math.sqrt(q)
        # J3 (odd zonal harmonic)
        g3 = 2.5 * J3 * q15
        fxy += g3 * (3.0 * zr - 7.0 * zr * zr2)
        # its z term does not vanish on the equator: -mu/r^2 * g3 * (6 zr^2 - 7 zr^4 - 3/5)
        az_extra = -mu / r2 * g3 * (6.0 * zr2 - 7.0 * zr2 * zr2 - 0.6)
        # J4
        g4 = -0.625 * J4 * q * q
        fxy += g4 * (3.0 - 42.0 * zr2 + 63.0 * zr2 * zr2)
        fz += g4 * (15.0 - 70.0 * zr2 + 63.0 * zr2 * zr2)
    return k * x * fxy, k * y * fxy, k * z * fz + az_extra


@jit()
def gravity_many(r: NDArray, model: int, mu: float, out: NDArray) -> None:
    """out[i] = gravity_s(r[i]) for (n, 3) arrays."""
    for i in range(r.shape[0]):
        gx, gy, gz = gravity_s(r[i, 0], r[i, 1], r[i, 2], model, mu)
        out[i, 0] = gx
        out[i, 1] = gy
        out[i, 2] = gz
