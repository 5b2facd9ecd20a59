"""Geodesics on the WGS84 ellipsoid (pyproj's GeographicLib port, C speed), and great
circles on bmdsim's spherical Earth.

Ellipsoid: distances in metres, angles in degrees at this boundary (pyproj's convention).
:data:`WGS84_GEOD` is the one ``pyproj.Geod`` of the package; use it (or the functions
below) rather than making another. Sphere: :func:`central_angle_rad` between position
vectors and :func:`great_circle_distance_m` between geocentric latitudes and longitudes
[rad], on a sphere of radius ``R_MEAN_M`` unless told otherwise. All functions broadcast
over arrays.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

from bmdsim.earth.wgs84 import R_MEAN_M

__all__ = [
    "WGS84_GEOD",
    "central_angle_rad",
    "closest_approach_m",
    "destination",
    "distance_m",
    "great_circle_distance_m",
    "great_circle_points",
    "inverse",
]

#: The WGS84 ellipsoid's geodesics (GeographicLib through pyproj)
WGS84_GEOD = Geod(ellps="WGS84")


def inverse(
    lat1_deg: ArrayLike, lon1_deg: ArrayLike, lat2_deg: ArrayLike, lon2_deg: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Forward azimuth at 1 [deg], back azimuth at 2 [deg], distance [m] from 1 to 2."""
    lat1, lon1, lat2, lon2 = np.broadcast_arrays(
        *(np.asarray(a, float) for a in (lat1_deg, lon1_deg, lat2_deg, lon2_deg))
    )
    az12, az21, d = WGS84_GEOD.inv(lon1, lat1, lon2, lat2)
    return np.asarray(az12), np.asarray(az21), np.asarray(d)


def distance_m(
    lat1_deg: ArrayLike, lon1_deg: ArrayLike, lat2_deg: ArrayLike, lon2_deg: ArrayLike
) -> NDArray[np.float64]:
    """Geodesic distance [m]."""
    return inverse(lat1_deg, lon1_deg, lat2_deg, lon2_deg)[2]


def destination(
    lat_deg: ArrayLike, lon_deg: ArrayLike, azimuth_deg: ArrayLike, distance_m: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The direct problem: latitude and longitude [deg] reached from a point along a geodesic."""
    lat, lon, az, d = np.broadcast_arrays(
        *(np.asarray(a, float) for a in (lat_deg, lon_deg, azimuth_deg, distance_m))
    )
    lon2, lat2, _ = WGS84_GEOD.fwd(lon, lat, az, d)
    return np.asarray(lat2), np.asarray(lon2)


def great_circle_points(
    lat1_deg: float, lon1_deg: float, lat2_deg: float, lon2_deg: float, n: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``n`` points evenly spaced along the geodesic, end points included."""
    inner = WGS84_GEOD.npts(lon1_deg, lat1_deg, lon2_deg, lat2_deg, max(n - 2, 0))
    lons = np.array([lon1_deg] + [p[0] for p in inner] + [lon2_deg])
    lats = np.array([lat1_deg] + [p[1] for p in inner] + [lat2_deg])
    return lats, lons


def closest_approach_m(
    lat1_deg: float,
    lon1_deg: float,
    lat2_deg: float,
    lon2_deg: float,
    lat_deg: float,
    lon_deg: float,
    step_m: float = 1_000.0,
) -> float:
    """Shortest distance [m] from a point to the geodesic between two others (sampled every
    ``step_m`` along the geodesic, then refined by a parabola through the nearest samples)."""
    length = float(distance_m(lat1_deg, lon1_deg, lat2_deg, lon2_deg))
    n = max(3, int(length / step_m) + 1)
    lats, lons = great_circle_points(lat1_deg, lon1_deg, lat2_deg, lon2_deg, n)
    d = distance_m(lats, lons, lat_deg, lon_deg)
    i = int(np.argmin(d))
    if 0 < i < n - 1:  # vertex of the parabola through three samples
        a, b, c = d[i - 1], d[i], d[i + 1]
        den = a - 2.0 * b + c
        if den > 0.0:
            return float(b - (a - c) ** 2 / (8.0 * den))
    return float(d[i])


# ----- on a sphere ---------------------------------------------------------------------
def central_angle_rad(r1_m: ArrayLike, r2_m: ArrayLike) -> NDArray[np.float64]:
    """Angle [rad] at the Earth's centre between position vectors ``(..., 3)``: a ground
    range on a sphere is this angle times its radius."""
    a = np.asarray(r1_m, float)
    b = np.asarray(r2_m, float)
    cosang = np.einsum("...i,...i->...", a, b) / (
        np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1)
    )
    return np.arccos(np.clip(cosang, -1.0, 1.0))


def great_circle_distance_m(
    lat1_rad: ArrayLike,
    lon1_rad: ArrayLike,
    lat2_rad: ArrayLike,
    lon2_rad: ArrayLike,
    radius_m: float = R_MEAN_M,
) -> NDArray[np.float64]:
    """Great-circle distance [m] between geocentric latitudes and longitudes [rad] on a
    sphere (spherical law of cosines)."""
    lat1 = np.asarray(lat1_rad, float)
    lat2 = np.asarray(lat2_rad, float)
    c = np.sin(lat1) * np.sin(lat2) + np.cos(lat1) * np.cos(lat2) * np.cos(
        np.asarray(lon2_rad, float) - np.asarray(lon1_rad, float)
    )
    return radius_m * np.arccos(np.clip(c, -1, 1))
