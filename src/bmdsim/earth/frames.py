"""Reference frames: ECI <-> ECEF rotation, local ENU bases and azimuth-elevation-range.

ECI in bmdsim is the inertial frame whose axes coincide with ECEF at the scenario epoch
(t = 0) and which the Earth turns in at ``OMEGA_RAD_S`` about z (no precession, nutation or
polar motion: flights last minutes). With theta = omega * t,

    r_eci = R3(-theta) r_ecef,        v_eci = R3(-theta) (v_ecef + omega x r_ecef).

All functions broadcast: positions ``(..., 3)``, times ``(...)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim.earth.geodetic import geodetic_to_ecef
from bmdsim.earth.wgs84 import OMEGA_RAD_S

__all__ = [
    "aer_from_enu",
    "ecef_to_eci",
    "eci_to_ecef",
    "enu_basis",
    "geodetic_to_aer",
    "ecef_to_aer",
    "rotate_z",
    "velocity_ecef_to_eci",
    "velocity_eci_to_ecef",
]


def rotate_z(r: ArrayLike, angle_rad: ArrayLike) -> NDArray:
    """Rotate vectors ``(..., 3)`` by ``angle_rad`` (counter-clockwise) about z: R3(-angle) r.

    The one rotation of bmdsim's frames: ECEF -> ECI is ``rotate_z(r, omega * t)``, and a
    flight launched dt later is its Earth-fixed twin turned by ``omega * dt``.
    """
    r = np.asarray(r, float)
    angle = np.asarray(angle_rad, float)
    c = np.cos(angle)
    s = np.sin(angle)
    out = np.empty(np.broadcast_shapes(r.shape, np.shape(angle) + (3,)))
    out[..., 0] = c * r[..., 0] - s * r[..., 1]
    out[..., 1] = s * r[..., 0] + c * r[..., 1]
    out[..., 2] = r[..., 2]
    return out


def ecef_to_eci(r_ecef_m: ArrayLike, t_s: ArrayLike) -> NDArray:
    """ECI position of an ECEF position at time ``t_s`` since the epoch."""
    return rotate_z(r_ecef_m, OMEGA_RAD_S * np.asarray(t_s, float))


def eci_to_ecef(r_eci_m: ArrayLike, t_s: ArrayLike) -> NDArray:
    """ECEF position of an ECI position at time ``t_s`` since the epoch."""
    return rotate_z(r_eci_m, -OMEGA_RAD_S * np.asarray(t_s, float))


def _omega_cross(r: NDArray) -> NDArray:
    out = np.empty_like(r)
    out[..., 0] = -OMEGA_RAD_S * r[..., 1]
    out[..., 1] = OMEGA_RAD_S * r[..., 0]
    out[..., 2] = 0.0
    return out


def velocity_ecef_to_eci(r_ecef_m: ArrayLike, v_ecef_m_s: ArrayLike, t_s: ArrayLike) -> NDArray:
    """ECI velocity of a point with ECEF position and velocity at time ``t_s``."""
    r = np.asarray(r_ecef_m, float)
    v = np.asarray(v_ecef_m_s, float)
    return ecef_to_eci(v + _omega_cross(r), t_s)


def velocity_eci_to_ecef(r_eci_m: ArrayLike, v_eci_m_s: ArrayLike, t_s: ArrayLike) -> NDArray:
    """ECEF (Earth-relative) velocity from ECI position and velocity at time ``t_s``."""
    r = np.asarray(r_eci_m, float)
    v = np.asarray(v_eci_m_s, float)
    return eci_to_ecef(v - _omega_cross(r), t_s)


def enu_basis(lat_rad: ArrayLike, lon_rad: ArrayLike) -> NDArray:
    """East, north, up unit vectors in ECEF, shape ``(..., 3, 3)`` (rows e, n, u)."""
    lat = np.asarray(lat_rad, float)
    lon = np.asarray(lon_rad, float)
    sl, cl = np.sin(lat), np.cos(lat)
    so, co = np.sin(lon), np.cos(lon)
    z = np.zeros(np.broadcast_shapes(lat.shape, lon.shape))
    east = np.stack([-so + z, co + z, z], axis=-1)
    north = np.stack([-sl * co, -sl * so, cl + z], axis=-1)
    up = np.stack([cl * co, cl * so, sl + z], axis=-1)
    return np.stack([east, north, up], axis=-2)


def aer_from_enu(enu_m: ArrayLike) -> tuple[NDArray, NDArray, NDArray]:
    """Azimuth [rad, 0..2pi from north, clockwise], elevation [rad], range [m] of ENU vectors."""
    d = np.asarray(enu_m, float)
    e, n, u = d[..., 0], d[..., 1], d[..., 2]
    horiz = np.hypot(e, n)
    return np.mod(np.arctan2(e, n), 2 * np.pi), np.arctan2(u, horiz), np.hypot(horiz, u)


def ecef_to_aer(
    r_ecef_m: ArrayLike, site_lat_rad: float, site_lon_rad: float, site_h_m: float = 0.0
) -> tuple[NDArray, NDArray, NDArray]:
    """Azimuth, elevation [rad] and slant range [m] of ECEF points seen from a geodetic site."""
    site = geodetic_to_ecef(site_lat_rad, site_lon_rad, site_h_m)
    basis = enu_basis(site_lat_rad, site_lon_rad)
    d = np.asarray(r_ecef_m, float) - site
    return aer_from_enu(d @ basis.T)


def geodetic_to_aer(
    lat_rad: ArrayLike,
    lon_rad: ArrayLike,
    h_m: ArrayLike,
    site_lat_rad: float,
    site_lon_rad: float,
    site_h_m: float = 0.0,
) -> tuple[NDArray, NDArray, NDArray]:
    """Azimuth, elevation [rad] and slant range [m] of geodetic points seen from a site."""
    return ecef_to_aer(
        geodetic_to_ecef(lat_rad, lon_rad, h_m), site_lat_rad, site_lon_rad, site_h_m
    )
