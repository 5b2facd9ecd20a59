"""A defended footprint's files: its land cells as GeoJSON polygons, as a CSV and as a
Parquet table (one row per cell)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bmdsim.io.geojson import feature_collection, polygon_geometry, write_json
from bmdsim.io.tables import write_csv, write_parquet

if TYPE_CHECKING:
    from bmdsim.analysis.footprint import Footprint

__all__ = [
    "footprint_columns",
    "footprint_geojson",
    "write_footprint_csv",
    "write_footprint_geojson",
    "write_footprint_parquet",
]


def _round(x: float, nd: int) -> float | None:
    return round(float(x), nd) if math.isfinite(x) else None


def _cell_geometry(lon: float, lat: float, h: float) -> dict[str, Any] | None:
    """The square cell of half-side ``h`` about (lon, lat), counter-clockwise; cut in two
    where it crosses the antimeridian."""
    w, e, s, n = lon - h, lon + h, lat - h, lat + h
    if -180.0 <= w and e <= 180.0:
        ring = [
            [round(w, 6), round(s, 6)],
            [round(e, 6), round(s, 6)],
            [round(e, 6), round(n, 6)],
            [round(w, 6), round(n, 6)],
            [round(w, 6), round(s, 6)],
        ]
        return {"type": "Polygon", "coordinates": [ring]}
    return polygon_geometry([w, e, e, w], [s, s, n, n])


def footprint_geojson(fp: Footprint) -> dict[str, Any]:
    """Each land cell as a square polygon with its properties: centre, country, prefecture,
    island, threatened, defended, opportunities (-1: not threatened), the earliest
    intercept's altitude (km, 0.1 km), the reason a threatened cell is not defended, the
    number of threat kinds that reach it and the kinds without an opportunity."""
    cols = fp.cell_columns()
    h = fp.grid_deg / 2.0
    features = []
    for j in range(fp.cells):
        lat, lon = float(fp.lat_deg[j]), float(fp.lon_deg[j])
        features.append(
            {
                "type": "Feature",
                "geometry": _cell_geometry(lon, lat, h),
                "properties": {
                    "lat_deg": round(lat, 6),
                    "lon_deg": round(lon, 6),
                    "country": cols["country"][j],
                    "prefecture": cols["prefecture"][j],
                    "island": cols["island"][j],
                    "threatened": bool(cols["threatened"][j]),
                    "defended": bool(cols["defended"][j]),
                    "opportunities": int(cols["opportunities"][j]),
                    "intercept_alt_km": _round(cols["intercept_alt_km"][j], 1),
                    "reason": cols["reason"][j],
                    "threats": int(cols["threats"][j]),
                    "undefended_by": cols["undefended_by"][j] or None,
                },
            }
        )
    meta = {
        "scenario": fp.scenario,
        "region": fp.region.name,
        "grid_deg": fp.grid_deg,
        "own_sensors_only": fp.own_sensors_only,
    }
    return feature_collection(features, meta)


def footprint_columns(fp: Footprint) -> dict[str, Any]:
    """The cell table: one row per land cell, every property unrounded (null where
    undefined)."""
    return dict(fp.cell_columns())


def write_footprint_geojson(fp: Footprint, path: str | Path) -> Path:
    """Write :func:`footprint_geojson` to ``path``."""
    return write_json(footprint_geojson(fp), path)


def write_footprint_parquet(fp: Footprint, path: str | Path) -> Path:
    """Write the cell table as Parquet."""
    return write_parquet(footprint_columns(fp), path)


def write_footprint_csv(fp: Footprint, path: str | Path) -> Path:
    """Write the cell table as CSV."""
    return write_csv(footprint_columns(fp), path)
