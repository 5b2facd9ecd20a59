"""bmdsim.io: file formats.

Exports of a run's scene and of the analyses (:func:`export`, and the writers of each
format: GeoJSON, KML, CZML, CSV and Parquet tables, a footprint's files) and the country
layer's old name (:mod:`bmdsim.io.countries`). The names load on first use, so that
importing a submodule does not import the engagement layer."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bmdsim.io.czml import write_czml
    from bmdsim.io.export import FORMATS, ExportError, export, parse_formats
    from bmdsim.io.footprint_files import (
        footprint_geojson,
        write_footprint_csv,
        write_footprint_geojson,
        write_footprint_parquet,
    )
    from bmdsim.io.geojson import scene_geojson, write_geojson
    from bmdsim.io.kml import scene_kml, write_kml
    from bmdsim.io.tables import (
        booster_columns,
        intercept_columns,
        montecarlo_columns,
        strategic_columns,
        track_sample_columns,
        write_csv,
        write_parquet,
    )

_WHERE = {
    "FORMATS": "export",
    "ExportError": "export",
    "export": "export",
    "parse_formats": "export",
    "footprint_geojson": "footprint_files",
    "write_footprint_csv": "footprint_files",
    "write_footprint_geojson": "footprint_files",
    "write_footprint_parquet": "footprint_files",
    "scene_geojson": "geojson",
    "write_geojson": "geojson",
    "scene_kml": "kml",
    "write_kml": "kml",
    "booster_columns": "tables",
    "intercept_columns": "tables",
    "montecarlo_columns": "tables",
    "strategic_columns": "tables",
    "track_sample_columns": "tables",
    "write_csv": "tables",
    "write_czml": "czml",
    "write_parquet": "tables",
}

__all__ = [
    "FORMATS",
    "ExportError",
    "booster_columns",
    "export",
    "footprint_geojson",
    "intercept_columns",
    "montecarlo_columns",
    "parse_formats",
    "scene_geojson",
    "scene_kml",
    "strategic_columns",
    "track_sample_columns",
    "write_csv",
    "write_czml",
    "write_footprint_csv",
    "write_footprint_geojson",
    "write_footprint_parquet",
    "write_geojson",
    "write_kml",
    "write_parquet",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"bmdsim.io.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'bmdsim.io' has no attribute {name!r}")
