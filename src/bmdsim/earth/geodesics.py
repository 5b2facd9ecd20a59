"""Geodesics on the WGS84 ellipsoid (pyproj's GeographicLib port, C speed).

Distances in metres, angles in degrees at this boundary (pyproj's convention); all functions
broadcast over arrays.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

__all__ = ["closest_approach_m", "destination", "distance_m", "great_circle_points", "inverse"]

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
