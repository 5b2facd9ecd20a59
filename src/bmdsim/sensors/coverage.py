"""Detection coverage of a radar against a target at a given altitude and RCS.

For each azimuth the outermost ground range at which a target at altitude H is both in
view (horizon, masks, faces, instrumented range) and inside the free-space detection range
for its RCS; the ring of those points, on the WGS84 ellipsoid, is the coverage polygon.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bmdsim.earth.geodesics import WGS84_GEOD
from bmdsim.earth.geodetic import geodetic_to_ecef
from bmdsim.sensors.radar import Radar

__all__ = ["Coverage", "coverage"]


@dataclass(frozen=True)
class Coverage:
    lat_deg: NDArray[np.float64]  # closed ring
    lon_deg: NDArray[np.float64]
    ground_range_km: NDArray[np.float64]  # per azimuth
    azimuth_deg: NDArray[np.float64]
    detection_range_km: float
    area_km2: float
    max_ground_range_km: float

    def geojson(self, properties: dict | None = None) -> dict:
        ring = [[float(lo), float(la)] for lo, la in zip(self.lon_deg, self.lat_deg, strict=True)]
        return {
            "type": "Feature",
            "properties": properties or {},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }


def coverage(
    radar: Radar,
    altitude_m: float,
    rcs_m2: float | None = None,
    n_azimuths: int = 360,
    step_m: float = 5_000.0,
) -> Coverage:
    """The coverage region of a placed radar for a target at ``altitude_m``."""
    rcs = radar.reference_rcs_m2 if rcs_m2 is None else rcs_m2
    det = radar.detection_range_m(rcs)
    az = np.arange(n_azimuths) * 360.0 / n_azimuths
    smax = min(det, radar.max_range_m) + step_m
    s = np.arange(0.0, smax, step_m)
    lon0 = np.full((az.size, s.size), radar.site_lon_deg)
    lat0 = np.full_like(lon0, radar.site_lat_deg)
    azz = np.broadcast_to(az[:, None], lon0.shape)
    ss = np.broadcast_to(s[None, :], lon0.shape)
    lon, lat, _ = WGS84_GEOD.fwd(lon0, lat0, azz, ss)
    lon, lat = np.asarray(lon), np.asarray(lat)
    r = geodetic_to_ecef(np.radians(lat), np.radians(lon), np.full(lat.shape, altitude_m))
    ok, g = radar.visible(r)
    ok &= g["range_m"] <= det
    has = ok.any(axis=1)
    jmax = np.where(has, s.size - 1 - np.argmax(ok[:, ::-1], axis=1), 0)
    rows = np.arange(az.size)
    ring_lat = np.where(has, lat[rows, jmax], radar.site_lat_deg)
    ring_lon = np.where(has, lon[rows, jmax], radar.site_lon_deg)
    gr = np.where(has, s[jmax], 0.0)
    ring_lat = np.append(ring_lat, ring_lat[0])
    ring_lon = np.append(ring_lon, ring_lon[0])
    area, _ = WGS84_GEOD.polygon_area_perimeter(ring_lon, ring_lat)
    return Coverage(
        lat_deg=ring_lat,
        lon_deg=ring_lon,
        ground_range_km=gr / 1e3,
        azimuth_deg=az,
        detection_range_km=det / 1e3,
        area_km2=abs(area) / 1e6 if math.isfinite(area) else math.nan,
        max_ground_range_km=float(gr.max() / 1e3),
    )
