"""One entry point for every export: :func:`export` writes a scene, a footprint, a Monte
Carlo run or a strategic analysis in the formats asked for, into one folder.

Formats (``--export geojson,kml,czml,csv,parquet``) and files, ``STEM`` being the scenario
name (made safe for a file name) unless given:

* a run's :class:`~bmdsim.engagement.scene.Scene`: ``STEM.geojson``, ``STEM.kml``,
  ``STEM.czml``, and per table format ``STEM-tracks``, ``STEM-intercepts`` and
  ``STEM-boosters`` (``.csv`` / ``.parquet``);
* a :class:`~bmdsim.analysis.footprint.Footprint`: ``footprint.geojson``,
  ``footprint.csv``, ``footprint.parquet`` (one row or polygon per land cell);
* a :class:`~bmdsim.analysis.montecarlo.MonteCarloResult`: ``STEM-trials.csv`` /
  ``.parquet`` (STEM ``montecarlo-RUN_ID``);
* a :class:`~bmdsim.analysis.strategic.StrategicReach`: ``STEM-details.csv`` /
  ``.parquet`` (STEM ``strategic-SET-SITE``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bmdsim.engagement.scene import Scene
from bmdsim.errors import InputError, quote

__all__ = [
    "FOOTPRINT_FORMATS",
    "FORMATS",
    "TABLE_FORMATS",
    "ExportError",
    "export",
    "formats_for",
    "out_folder",
    "parse_formats",
    "safe_stem",
]

#: every export format; a scene can be written in each, a footprint and the tables in some
FORMATS: tuple[str, ...] = ("geojson", "kml", "czml", "csv", "parquet")
FOOTPRINT_FORMATS: tuple[str, ...] = ("geojson", "csv", "parquet")
TABLE_FORMATS: tuple[str, ...] = ("csv", "parquet")


class ExportError(InputError):
    """An export that cannot be made: an unknown format, a folder that cannot be written."""


def formats_for(obj: Any) -> tuple[str, ...]:
    """The formats that ``obj`` can be exported in."""
    if isinstance(obj, Scene):
        return FORMATS
    kind = _kind(obj)
    return FOOTPRINT_FORMATS if kind == "footprint" else TABLE_FORMATS


def parse_formats(text: str | Iterable[str], allowed: Iterable[str] = FORMATS) -> tuple[str, ...]:
    """Formats from 'geojson,kml,...' (case and spaces ignored, repeats kept once, in the
    order given); an unknown or unavailable one is an :class:`ExportError`."""
    items = text.split(",") if isinstance(text, str) else list(text)
    ok = tuple(allowed)
    out: list[str] = []
    for raw in items:
        name = raw.strip().lower()
        if not name:
            continue
        if name not in FORMATS:
            raise ExportError(
                f"unknown format {quote(raw.strip())}; give a comma-separated list of "
                + ", ".join(ok)
            )
        if name not in ok:
            raise ExportError(f"{name} is not available here; give some of " + ", ".join(ok))
        if name not in out:
            out.append(name)
    if not out:
        raise ExportError("no format given; give a comma-separated list of " + ", ".join(ok))
    return tuple(out)


def safe_stem(name: str) -> str:
    """``name`` as a file-name stem: letters, digits, '.', '-' and '_' only (at most 100
    characters; 'bmdsim' when nothing is left)."""
    s = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._-")[:100]
    return s or "bmdsim"


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def out_folder(out: str | os.PathLike[str]) -> Path:
    """The output folder ``out``, made if missing (with its parents); an
    :class:`ExportError` when it is a file or cannot be made or written."""
    folder = Path(out)
    try:
        if folder.exists() and not folder.is_dir():
            raise ExportError(f"{quote(str(out))}: is a file; give a folder")
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ExportError(f"{quote(str(out))}: cannot write the files: Permission denied")
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        if isinstance(exc, ExportError):
            raise
        raise ExportError(f"{quote(str(out))}: cannot write the files: {_reason(exc)}") from exc
    return folder


def _kind(obj: Any) -> str:
    """'footprint', 'montecarlo' or 'strategic' (imported here: the analyses are heavy)."""
    from bmdsim.analysis.footprint import Footprint
    from bmdsim.analysis.montecarlo import MonteCarloResult
    from bmdsim.analysis.strategic import StrategicReach

    if isinstance(obj, Footprint):
        return "footprint"
    if isinstance(obj, MonteCarloResult):
        return "montecarlo"
    if isinstance(obj, StrategicReach):
        return "strategic"
    raise TypeError(f"cannot export a {type(obj).__name__}")


Writer = Callable[[Path], Path]


def _scene_writers(scene: Scene, fmt: str, stem: str) -> list[tuple[str, Writer]]:
    from bmdsim.io import tables

    if fmt == "geojson":
        from bmdsim.io.geojson import write_geojson

        return [(f"{stem}.geojson", lambda p: write_geojson(scene, p))]
    if fmt == "kml":
        from bmdsim.io.kml import write_kml

        return [(f"{stem}.kml", lambda p: write_kml(scene, p))]
    if fmt == "czml":
        from bmdsim.io.czml import write_czml

        return [(f"{stem}.czml", lambda p: write_czml(scene, p))]
    write = tables.write_csv if fmt == "csv" else tables.write_parquet
    parts = (
        ("tracks", tables.track_sample_columns),
        ("intercepts", tables.intercept_columns),
        ("boosters", tables.booster_columns),
    )
    return [(f"{stem}-{part}.{fmt}", _table_writer(write, cols, scene)) for part, cols in parts]


def _table_writer(
    write: Callable[[Any, Path], Path], columns: Callable[[Any], Any], obj: Any
) -> Writer:
    """A writer of the table ``columns(obj)`` (built when the file is written)."""
    return lambda p: write(columns(obj), p)


def _writers(obj: Any, fmt: str, stem: str | None) -> list[tuple[str, Writer]]:
    if isinstance(obj, Scene):
        return _scene_writers(obj, fmt, safe_stem(stem or obj.name))
    kind = _kind(obj)
    from bmdsim.io import tables

    if kind == "footprint":
        from bmdsim.io import footprint_files as ff

        name = safe_stem(stem or "footprint")
        write_fp = {
            "geojson": ff.write_footprint_geojson,
            "csv": ff.write_footprint_csv,
            "parquet": ff.write_footprint_parquet,
        }[fmt]
        return [(f"{name}.{fmt}", lambda p: write_fp(obj, p))]
    write = tables.write_csv if fmt == "csv" else tables.write_parquet
    if kind == "montecarlo":
        run = f"montecarlo-{obj.run_id}" if obj.run_id else "montecarlo"
        name = safe_stem(stem or run)
        return [(f"{name}-trials.{fmt}", _table_writer(write, tables.montecarlo_columns, obj))]
    name = safe_stem(stem or f"strategic-{obj.threat_set}-{obj.site}")
    return [(f"{name}-details.{fmt}", _table_writer(write, tables.strategic_columns, obj))]


def export(
    obj: Any,
    formats: str | Iterable[str],
    out_dir: str | os.PathLike[str],
    *,
    stem: str | None = None,
) -> list[Path]:
    """Write ``obj`` (a scene, a footprint, a Monte Carlo result or a strategic analysis) in
    each of ``formats`` ('geojson,kml,...' or a sequence) into the folder ``out_dir`` (made
    if missing); the paths written, in the order of the formats. Files of the same name are
    replaced. An :class:`ExportError` names the format or folder at fault."""
    fmts = parse_formats(formats, formats_for(obj))
    folder = out_folder(out_dir)
    written: list[Path] = []
    for fmt in fmts:
        for name, write in _writers(obj, fmt, stem):
            path = folder / name
            try:
                written.append(write(path))
            except OSError as exc:
                raise ExportError(
                    f"{quote(str(path))}: cannot write the file: {_reason(exc)}"
                ) from exc
    return written
