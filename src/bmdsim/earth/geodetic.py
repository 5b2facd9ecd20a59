"""Geodetic (WGS84 latitude, longitude, height) <-> ECEF conversions.

The public functions broadcast over any batch shape: ``(..., 3)`` positions, ``(...)``
angles. Angles are radians inside, degrees only in names that say so. The numba kernels
(Bowring's method for ECEF -> geodetic, see :mod:`bmdsim._core.geodetic_kernels`) are
re-exported as ``geodetic_to_ecef_s``, ``ecef_to_geodetic_s`` and ``geodetic_height_s`` for
use inside other kernels.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim._core.geodetic_kernels import (
    ecef_to_geodetic_s,
    geodetic_height_s,
    geodetic_to_ecef_s,
    to_ecef_many,
    to_geodetic_many,
    to_geodetic_many_parallel,
)

__all__ = [
    "ecef_to_geodetic",
    "ecef_to_geodetic_s",
    "geodetic_height_s",
    "geodetic_to_ecef",
    "geodetic_to_ecef_s",
]


def geodetic_to_ecef(lat_rad: ArrayLike, lon_rad: ArrayLike, h_m: ArrayLike = 0.0) -> NDArray:
    """ECEF positions ``(..., 3)`` [m] from geodetic latitude, longitude [rad] and height [m]."""
    lat, lon, h = np.broadcast_arrays(
        np.asarray(lat_rad, float), np.asarray(lon_rad, float), np.asarray(h_m, float)
    )
    shape = lat.shape
    out = np.empty((lat.size, 3))
    to_ecef_many(lat.ravel(), lon.ravel(), h.ravel(), out)
    return out.reshape(shape + (3,))


#: conversions of at least this many points run over the CPU's cores
_PARALLEL_POINTS = 20_000


def ecef_to_geodetic(r_ecef_m: ArrayLike) -> tuple[NDArray, NDArray, NDArray]:
    """Geodetic latitude [rad], longitude [rad] and height [m] of ECEF positions ``(..., 3)``."""
    r = np.asarray(r_ecef_m, float)
    shape = r.shape[:-1]
    flat = np.ascontiguousarray(r.reshape(-1, 3))
    lat = np.empty(flat.shape[0])
    lon = np.empty_like(lat)
    h = np.empty_like(lat)
    if flat.shape[0] >= _PARALLEL_POINTS:
        to_geodetic_many_parallel(flat, lat, lon, h)
    else:
        to_geodetic_many(flat, lat, lon, h)
    return lat.reshape(shape), lon.reshape(shape), h.reshape(shape)
