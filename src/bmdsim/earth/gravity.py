"""Gravitational acceleration: point mass and zonal harmonics J2 (J3, J4 optional).

The zonal terms are axisymmetric about the Earth's spin axis, so the same formula holds in
ECEF and in bmdsim's ECI (which shares the z axis). Formulae: Vallado, *Fundamentals of
Astrodynamics and Applications* (4th ed., 2013), eqs. 8-29 to 8-31 (J2), with J3/J4 from
the derivatives of the zonal potential. The scalar kernel ``gravity_s`` (for use inside
other kernels) lives in :mod:`bmdsim._core.gravity_kernels` and is re-exported here.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim._core.gravity_kernels import gravity_many, gravity_s
from bmdsim._core.layouts import GRAVITY_J2, GRAVITY_J4, GRAVITY_POINT_MASS
from bmdsim.earth.wgs84 import GM_M3_S2

__all__ = ["GRAVITY_J2", "GRAVITY_J4", "GRAVITY_POINT_MASS", "gravity", "gravity_s"]


def gravity(r_m: ArrayLike, model: int = GRAVITY_J2, mu_m3_s2: float = GM_M3_S2) -> NDArray:
    """Gravitational acceleration ``(..., 3)`` [m/s^2] at positions ``(..., 3)`` [m]."""
    r = np.asarray(r_m, float)
    flat = np.ascontiguousarray(r.reshape(-1, 3))
    out = np.empty_like(flat)
    gravity_many(flat, int(model), float(mu_m3_s2), out)
    return out.reshape(r.shape)
