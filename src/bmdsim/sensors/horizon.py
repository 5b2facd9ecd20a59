"""Radar horizon and terrain-masking helpers on the 4/3-Earth refraction model.

Standard atmospheric refraction bends radar rays down; the usual engineering model replaces
the Earth of radius R by a sphere of radius k R (k = 4/3) on which rays are straight lines
(M. I. Skolnik, *Introduction to Radar Systems*, 3rd ed., McGraw-Hill 2001, sec. 8.2;
ITU-R P.834). All functions broadcast; lengths in metres, angles in radians unless the name
says ``_deg``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim.earth.wgs84 import R_MEAN_M

__all__ = [
    "EARTH_RADIUS_M",
    "K_FACTOR",
    "apparent_elevation_rad",
    "horizon_ground_range_m",
    "lowest_visible_altitude_m",
    "masking_angle_deg",
]

#: Radius of the true Earth under the k-Earth model [m]: bmdsim's mean radius.
EARTH_RADIUS_M = R_MEAN_M
#: Effective-Earth-radius factor of the standard atmosphere (Skolnik 2001, sec. 8.2).
K_FACTOR = 4.0 / 3.0


def apparent_elevation_rad(
    ground_range_m: ArrayLike,
    target_h_m: ArrayLike,
    site_h_m: ArrayLike = 0.0,
    k: float = K_FACTOR,
    earth_radius_m: ArrayLike = EARTH_RADIUS_M,
) -> NDArray[np.float64]:
    """Elevation of a target seen along a (refracted) ray on the k-Earth.

    ``ground_range_m`` is the distance on the true Earth between the site and the point under
    the target; on the effective Earth it subtends the central angle s / (k R).
    """
    re = k * np.asarray(earth_radius_m, float)
    th = np.asarray(ground_range_m, float) / re
    rt = re + np.asarray(target_h_m, float)
    rs = re + np.asarray(site_h_m, float)
    return np.arctan2(rt * np.cos(th) - rs, rt * np.sin(th))


def lowest_visible_altitude_m(
    ground_range_m: ArrayLike,
    site_h_m: ArrayLike = 0.0,
    elevation_deg: ArrayLike = 0.0,
    k: float = K_FACTOR,
    earth_radius_m: float = EARTH_RADIUS_M,
) -> NDArray[np.float64]:
    """Lowest target altitude visible at a ground range above a given elevation angle.

    Exact on the k-Earth: the ray leaving the site at elevation e meets the vertical of the
    target point (central angle t) at height (R_e + h_s) cos e / cos(e + t) - R_e.
    """
    re = k * earth_radius_m
    th = np.asarray(ground_range_m, float) / re
    e = np.radians(np.asarray(elevation_deg, float))
    return (re + np.asarray(site_h_m, float)) * np.cos(e) / np.cos(e + th) - re


def horizon_ground_range_m(
    target_h_m: ArrayLike,
    site_h_m: ArrayLike = 0.0,
    k: float = K_FACTOR,
    earth_radius_m: float = EARTH_RADIUS_M,
) -> NDArray[np.float64]:
    """Ground range of the radar horizon (0 deg elevation) for a target at ``target_h_m``."""
    re = k * earth_radius_m
    a = np.arccos(re / (re + np.asarray(site_h_m, float)))
    b = np.arccos(re / (re + np.asarray(target_h_m, float)))
    return re * (a + b)


def masking_angle_deg(
    obstacle_h_m: ArrayLike,
    distance_m: ArrayLike,
    site_h_m: ArrayLike = 0.0,
    k: float = K_FACTOR,
    earth_radius_m: float = EARTH_RADIUS_M,
) -> NDArray[np.float64]:
    """Elevation angle [deg] of the top of an obstacle (a peak) seen from a site.

    Includes the drop of the k-Earth surface over the distance (about d^2 / (2 k R), 5 m for
    a peak 9.6 km away); ``k = inf`` gives the flat-Earth value atan(h / d).
    """
    if np.isinf(k):
        d = np.asarray(distance_m, float)
        return np.degrees(np.arctan2(np.asarray(obstacle_h_m, float) - site_h_m, d))
    return np.degrees(apparent_elevation_rad(distance_m, obstacle_h_m, site_h_m, k, earth_radius_m))
