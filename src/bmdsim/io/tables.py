"""Tables as CSV and Parquet: a scene's track samples, intercepts and booster impacts, a
Monte Carlo run's trials, a strategic analysis's details.

A table is a mapping of column name to values (a numpy array or a list), one value per row.
Both formats hold the same columns and rows (written through pyarrow):

* CSV: a header line, every string quoted, an undefined value (NaN, None) as an empty
  field, booleans ``true``/``false``, floats in their shortest round-trip form; time columns
  (``time``, ``*_time``) as ISO 8601 UTC text.
* Parquet: undefined values as nulls; time columns as ``timestamp[ms, tz=UTC]``.

Units are in the column names: ``_s`` seconds (``t_s``: the scenario clock), ``_m`` metres
(altitudes and distances alike), ``_deg`` degrees, ``_m_s`` metres per second.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bmdsim.engagement.scene import Scene
from bmdsim.io.geojson import epoch_utc, iso_time, si_properties

if TYPE_CHECKING:
    import pyarrow as pa

    from bmdsim.analysis.montecarlo import MonteCarloResult
    from bmdsim.analysis.strategic import StrategicReach

__all__ = [
    "booster_columns",
    "intercept_columns",
    "montecarlo_columns",
    "strategic_columns",
    "to_arrow",
    "track_sample_columns",
    "write_csv",
    "write_parquet",
]

Columns = Mapping[str, Any]

#: the columns of an intercept and of a booster impact row (also an empty table's header)
INTERCEPT_KEYS = (
    "threat",
    "battery",
    "wave",
    "launch_t_s",
    "intercept_t_s",
    "lat_deg",
    "lon_deg",
    "alt_m",
    "kill",
    "hit",
)
BOOSTER_KEYS = ("battery", "stage", "lat_deg", "lon_deg", "distance_m", "impact_time_s", "country")


def _is_time(name: str) -> bool:
    return name == "time" or name.endswith("_time")


def to_arrow(columns: Columns, *, timestamps: bool = True) -> pa.Table:
    """A pyarrow table of ``columns`` (NaN as null; time columns as UTC timestamps, or kept
    as ISO 8601 text when ``timestamps`` is False)."""
    import pyarrow as pa

    arrays: dict[str, Any] = {}
    for name, values in columns.items():
        if isinstance(values, np.ndarray) and values.dtype != object:
            arr = pa.array(values, from_pandas=True)
        else:
            vals = list(values)
            if all(v is None or isinstance(v, str) for v in vals):
                arr = pa.array(vals, type=pa.string())
            else:
                arr = pa.array(vals, from_pandas=True)
        if timestamps and _is_time(name) and pa.types.is_string(arr.type):
            arr = arr.cast(pa.timestamp("ms", tz="UTC"))
        arrays[name] = arr
    return pa.table(arrays)


def write_csv(columns: Columns, path: str | Path) -> Path:
    """Write a table as CSV (see the module text)."""
    import pyarrow.csv as pcsv

    p = Path(path)
    pcsv.write_csv(to_arrow(columns, timestamps=False), p)
    return p


def write_parquet(columns: Columns, path: str | Path) -> Path:
    """Write a table as Parquet (see the module text)."""
    import pyarrow.parquet as pq

    p = Path(path)
    pq.write_table(to_arrow(columns), p)
    return p


# ---- a scene ------------------------------------------------------------------------------


def track_sample_columns(scene: Scene) -> dict[str, Any]:
    """One row per track sample: ``track`` (name), ``kind`` (threat | interceptor), ``t_s``
    (scenario clock), ``time`` (ISO 8601 UTC), ``lat_deg``, ``lon_deg``, ``alt_m``."""
    epoch = epoch_utc(scene.epoch)
    n = [len(t.t_s) for t in scene.tracks]
    track: list[str] = []
    kind: list[str] = []
    for tr, k in zip(scene.tracks, n, strict=True):
        track += [tr.name] * k
        kind += [tr.kind] * k

    def cat(attr: str) -> np.ndarray:
        parts = [np.asarray(getattr(t, attr), dtype=np.float64) for t in scene.tracks]
        return np.concatenate(parts) if parts else np.empty(0)

    t_s = cat("t_s")
    return {
        "track": track,
        "kind": kind,
        "t_s": t_s,
        "time": [iso_time(epoch, t) for t in t_s.tolist()],
        "lat_deg": cat("lat_deg"),
        "lon_deg": cat("lon_deg"),
        "alt_m": cat("alt_m"),
    }


def _row_columns(rows: Sequence[Mapping[str, Any]], keys: Iterable[str]) -> dict[str, list[Any]]:
    """Columns from dict rows (lengths in m), the known ``keys`` first, then any others."""
    conv = [si_properties(r) for r in rows]
    names = list(keys)
    for r in conv:
        names += [k for k in r if k not in names]
    return {k: [r.get(k) for r in conv] for k in names}


def intercept_columns(scene: Scene) -> dict[str, Any]:
    """One row per shot: threat, battery, wave, launch and intercept times (scenario clock
    and ISO 8601 UTC), the intercept point, kill and hit."""
    epoch = epoch_utc(scene.epoch)
    cols = _row_columns(scene.intercepts, INTERCEPT_KEYS)
    cols["launch_time"] = [iso_time(epoch, _num(t)) for t in cols["launch_t_s"]]
    cols["intercept_time"] = [iso_time(epoch, _num(t)) for t in cols["intercept_t_s"]]
    return cols


def booster_columns(scene: Scene) -> dict[str, Any]:
    """One row per spent interceptor stage: battery, stage, fall point, distance from the
    launcher, impact time (scenario clock and ISO 8601 UTC), country or 'sea'."""
    epoch = epoch_utc(scene.epoch)
    cols = _row_columns(scene.booster_impacts, BOOSTER_KEYS)
    cols["impact_time"] = [iso_time(epoch, _num(t)) for t in cols["impact_time_s"]]
    return cols


def _num(x: Any) -> float:
    return math.nan if x is None else float(x)


# ---- analyses -----------------------------------------------------------------------------


def montecarlo_columns(result: MonteCarloResult) -> dict[str, Any]:
    """One row per trial, in trial order: every per-trial output of the run. A drawn burnout
    speed per battery becomes ``burnout_speed_b{i}_m_s`` (i = 1, 2, ... in the scenario's
    order of batteries)."""
    trials = result.trials
    order = np.argsort(np.asarray(trials["trial"]), kind="stable")
    out: dict[str, Any] = {}
    for name, values in trials.items():
        arr = np.asarray(values)[order]
        if arr.ndim == 2:
            stem = name[:-4] if name.endswith("_m_s") else name
            unit = "_m_s" if name.endswith("_m_s") else ""
            for j in range(arr.shape[1]):
                out[f"{stem}_b{j + 1}{unit}"] = arr[:, j]
        else:
            out[name] = arr
    return out


def strategic_columns(reach: StrategicReach) -> dict[str, Any]:
    """One row per trajectory of a strategic analysis (SI units; null where undefined):
    site and interceptor, then every field of the trajectory's answer."""
    from dataclasses import fields

    from bmdsim.analysis.strategic import TrajectoryReach

    names = [f.name for f in fields(TrajectoryReach)]
    n = len(reach.trajectories)
    cols: dict[str, Any] = {
        "site": [reach.site] * n,
        "site_lat_deg": np.full(n, reach.site_lat_deg),
        "site_lon_deg": np.full(n, reach.site_lon_deg),
        "interceptor": [reach.interceptor] * n,
        "threat_set": [reach.threat_set] * n,
        "own_sensors_only": np.full(n, reach.own_sensors_only, dtype=bool),
    }
    for name in names:
        vals = [getattr(t, name) for t in reach.trajectories]
        if vals and all(isinstance(v, float) for v in vals):
            cols[name] = np.asarray(vals, dtype=np.float64)
        elif vals and all(isinstance(v, bool) for v in vals):
            cols[name] = np.asarray(vals, dtype=bool)
        else:
            cols[name] = vals
    return cols
