"""Geodetic (WGS84 latitude, longitude, height) <-> ECEF: the numba kernels.

Scalar kernels (``*_s``) for use inside other kernels' loops, and loops over flat arrays
for :mod:`bmdsim.earth.geodetic`, which broadcasts. Angles in radians, lengths in metres.

ECEF -> geodetic uses Bowring's method (Bowring 1976, *Survey Review* 23:181): his formula
for the latitude is applied three times, each from the parametric latitude of the previous
estimate (his one-step solution and two refinements), accurate to well below a millimetre
from 6,000 km under the surface out beyond GEO. On the spin axis (distance to it
p < 1 nm) the latitude is the pole's (0 at the centre) and the height |z| - b.
"""

from __future__ import annotations

import math

from numba import prange
from numpy.typing import NDArray

from bmdsim._core.constants import A_M, B_M, E2, EP2, F
from bmdsim._core.jit import jit, pjit

__all__ = [
    "ecef_to_geodetic_s",
    "geodetic_height_s",
    "geodetic_to_ecef_s",
    "to_ecef_many",
    "to_geodetic_many",
    "to_geodetic_many_parallel",
]


@jit()
def geodetic_to_ecef_s(lat_rad: float, lon_rad: float, h_m: float) -> tuple[float, float, float]:
    """ECEF position [m] of one geodetic point."""
    s = math.sin(lat_rad)
    c = math.cos(lat_rad)
    n = A_M / math.sqrt(1.0 - E2 * s * s)
    return (
        (n + h_m) * c * math.cos(lon_rad),
        (n + h_m) * c * math.sin(lon_rad),
        (n * (1.0 - E2) + h_m) * s,
    )


@jit()
def _lat_h(p: float, z: float) -> tuple[float, float]:
    """Geodetic latitude and height from the distance to the axis p and z (Bowring's formula,
    three times)."""
    if p < 1e-9:
        lat = math.copysign(0.5 * math.pi, z) if z != 0.0 else 0.0
        return lat, abs(z) - B_M
    # initial parametric latitude
    beta = math.atan2(A_M * z, B_M * p)
    lat = 0.0
    for _ in range(3):
        sb = math.sin(beta)
        cb = math.cos(beta)
        lat = math.atan2(z + EP2 * B_M * sb * sb * sb, p - E2 * A_M * cb * cb * cb)
        beta = math.atan2((1.0 - F) * math.sin(lat), math.cos(lat))
    s = math.sin(lat)
    c = math.cos(lat)
    n = A_M / math.sqrt(1.0 - E2 * s * s)
    # height, well conditioned at all latitudes
    h = p * c + z * s - A_M * A_M / n
    return lat, h


@jit()
def ecef_to_geodetic_s(x: float, y: float, z: float) -> tuple[float, float, float]:
    """Geodetic latitude [rad], longitude [rad], height [m] of one ECEF point."""
    p = math.hypot(x, y)
    lat, h = _lat_h(p, z)
    return lat, math.atan2(y, x), h


@jit()
def geodetic_height_s(x: float, y: float, z: float) -> float:
    """Height above the WGS84 ellipsoid [m]; invariant under rotation about z (ECI or ECEF)."""
    return _lat_h(math.hypot(x, y), z)[1]


@jit()
def to_ecef_many(lat: NDArray, lon: NDArray, h: NDArray, out: NDArray) -> None:
    """out[i] = ECEF of (lat[i], lon[i], h[i]) for 1-D inputs and an (n, 3) output."""
    for i in range(lat.shape[0]):
        x, y, z = geodetic_to_ecef_s(lat[i], lon[i], h[i])
        out[i, 0] = x
        out[i, 1] = y
        out[i, 2] = z


@jit()
def to_geodetic_many(r: NDArray, lat: NDArray, lon: NDArray, h: NDArray) -> None:
    """lat[i], lon[i], h[i] = geodetic of r[i] for an (n, 3) input and 1-D outputs."""
    for i in range(r.shape[0]):
        a, b, c = ecef_to_geodetic_s(r[i, 0], r[i, 1], r[i, 2])
        lat[i] = a
        lon[i] = b
        h[i] = c


@pjit()
def to_geodetic_many_parallel(r: NDArray, lat: NDArray, lon: NDArray, h: NDArray) -> None:
    """:func:`to_geodetic_many` over the CPU's cores (for large inputs)."""
    for i in prange(r.shape[0]):
        a, b, c = ecef_to_geodetic_s(r[i, 0], r[i, 1], r[i, 2])
        lat[i] = a
        lon[i] = b
        h[i] = c
