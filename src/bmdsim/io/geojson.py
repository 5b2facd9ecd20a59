"""GeoJSON (RFC 7946) of a run's scene, and the geometry helpers the other exports share.

One FeatureCollection per scene; every feature has a ``kind`` property:

* ``threat`` and ``interceptor``: the tracks, LineString with positions (lon, lat, alt_m);
  a track that crosses the antimeridian is split there into a MultiLineString (RFC 7946
  section 3.1.9), each part ending on +-180 deg at the latitude and altitude interpolated
  between the two samples;
* ``intercept`` (Point, lon, lat, alt_m) and ``booster_impact`` (Point on the ground);
* ``battery``, ``radar`` (Point) and ``space_sensor`` (no position: ``geometry`` null);
* ``coverage``: a radar's coverage ring for a target at ``coverage_alt_m`` (Polygon, or a
  MultiPolygon when it crosses the antimeridian);
* ``launch`` and ``target``: the scenario's launch areas and aim points (Point).

Keys carry their unit: times ``_s`` on the scenario clock with ``_time`` companions in ISO
8601 UTC, lengths and altitudes ``_m``, angles ``_deg``. Undefined numbers are null, never
NaN. Coordinates are rounded to 1e-6 deg (about 0.1 m) and altitudes to 0.1 m.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from bmdsim.engagement.scene import Scene, SceneSite, SceneTrack
from bmdsim.io.jsonsafe import json_safe as clean

__all__ = [
    "booster_name",
    "clean",
    "epoch_utc",
    "feature",
    "feature_collection",
    "intercept_names",
    "interceptor_classes",
    "iso_time",
    "line_parts",
    "line_geometry",
    "point_geometry",
    "polygon_geometry",
    "polygon_rings",
    "scene_features",
    "scene_geojson",
    "si_properties",
    "site_properties",
    "track_properties",
    "write_geojson",
    "write_json",
]

Position = list[float]
COORD_DIGITS = 6  # 1e-6 deg: about 0.1 m
ALT_DIGITS = 1  # 0.1 m


# ---- values -------------------------------------------------------------------------------


def si_properties(props: Mapping[str, Any]) -> dict[str, Any]:
    """Properties with every length in metres: a number under a ``*_km`` key moves to
    ``*_m`` (times 1,000); the rest as they are, cleaned (:func:`clean`)."""
    out: dict[str, Any] = {}
    for k, v in props.items():
        if k.endswith("_km") and isinstance(v, int | float | np.number) and not isinstance(v, bool):
            out[k[:-3] + "_m"] = clean(float(v) * 1e3)
        else:
            out[k] = clean(v)
    return out


def epoch_utc(epoch: str) -> datetime:
    """The scenario epoch (ISO 8601) as an aware UTC time; one without an offset is UTC."""
    t = datetime.fromisoformat(epoch.strip().replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC)


def iso_time(epoch: datetime, t_s: float) -> str | None:
    """ISO 8601 UTC text (milliseconds, 'Z') of ``t_s`` seconds after ``epoch``; None for a
    non-finite time."""
    t = float(t_s)
    if not math.isfinite(t):
        return None
    return (epoch + timedelta(seconds=t)).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _r(x: float, nd: int) -> float:
    v = round(float(x), nd)
    return 0.0 if v == 0.0 else v  # no -0.0


def _wrap(lon: ArrayLike) -> np.ndarray:
    """Longitudes in [-180, 180)."""
    return (np.asarray(lon, dtype=np.float64) + 180.0) % 360.0 - 180.0


# ---- lines --------------------------------------------------------------------------------


def line_parts(
    lon_deg: ArrayLike, lat_deg: ArrayLike, alt_m: ArrayLike | None = None
) -> list[list[Position]]:
    """A path's positions (lon, lat[, alt]) cut at the antimeridian.

    Samples with a non-finite value are dropped. Between two samples whose longitudes differ
    by more than 180 deg the path crosses +-180 deg: the part ends there and the next one
    starts on the other side, at the latitude and altitude interpolated linearly in
    longitude. Each part has at least two distinct positions; a path with fewer gives
    none."""
    lon = np.asarray(lon_deg, dtype=np.float64).ravel()
    lat = np.asarray(lat_deg, dtype=np.float64).ravel()
    has_alt = alt_m is not None
    alt = np.asarray(alt_m, dtype=np.float64).ravel() if has_alt else np.zeros_like(lon)
    ok = np.isfinite(lon) & np.isfinite(lat) & np.isfinite(alt)
    lon, lat, alt = _wrap(lon[ok]), lat[ok], alt[ok]

    def pos(x: float, y: float, z: float) -> Position:
        p = [_r(x, COORD_DIGITS), _r(y, COORD_DIGITS)]
        return [*p, _r(z, ALT_DIGITS)] if has_alt else p

    parts: list[list[Position]] = []
    cur: list[Position] = []

    def add(p: Position) -> None:
        if not cur or cur[-1] != p:
            cur.append(p)

    for i in range(len(lon)):
        if i > 0:
            a, b = float(lon[i - 1]), float(lon[i])
            d = b - a
            if abs(d) > 180.0:
                edge = 180.0 if d < 0.0 else -180.0  # eastward across +180, westward -180
                b_un = b + 360.0 if d < 0.0 else b - 360.0
                f = (edge - a) / (b_un - a) if b_un != a else 0.0
                y = float(lat[i - 1] + f * (lat[i] - lat[i - 1]))
                z = float(alt[i - 1] + f * (alt[i] - alt[i - 1]))
                add(pos(edge, y, z))
                if len(cur) >= 2:
                    parts.append(cur)
                cur = []
                add(pos(-edge, y, z))
        add(pos(float(lon[i]), float(lat[i]), float(alt[i])))
    if len(cur) >= 2:
        parts.append(cur)
    return parts


def line_geometry(
    lon_deg: ArrayLike, lat_deg: ArrayLike, alt_m: ArrayLike | None = None
) -> dict[str, Any] | None:
    """A LineString, a MultiLineString when the path crosses the antimeridian, a Point for
    a path of one position, None for none."""
    parts = line_parts(lon_deg, lat_deg, alt_m)
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    if parts:
        return {"type": "MultiLineString", "coordinates": parts}
    lon = np.asarray(lon_deg, dtype=np.float64).ravel()
    lat = np.asarray(lat_deg, dtype=np.float64).ravel()
    alt = None if alt_m is None else np.asarray(alt_m, dtype=np.float64).ravel()
    for i in range(len(lon)):  # one finite position (or the same one repeated)
        z = None if alt is None else float(alt[i])
        g = point_geometry(float(lon[i]), float(lat[i]), z)
        if g is not None:
            return g
    return None


def point_geometry(
    lon_deg: float, lat_deg: float, alt_m: float | None = None
) -> dict[str, Any] | None:
    """A Point (lon, lat[, alt]); None where the position is not finite (no position)."""
    vals = [lon_deg, lat_deg] + ([] if alt_m is None else [alt_m])
    if not all(math.isfinite(float(v)) for v in vals):
        return None
    c = [_r(float(_wrap(lon_deg)), COORD_DIGITS), _r(lat_deg, COORD_DIGITS)]
    if alt_m is not None:
        c.append(_r(alt_m, ALT_DIGITS))
    return {"type": "Point", "coordinates": c}


# ---- polygons -----------------------------------------------------------------------------


def _signed_area(ring: Sequence[Sequence[float]]) -> float:
    """Shoelace area in the lon/lat plane: positive when counter-clockwise."""
    s = 0.0
    for (x0, y0), (x1, y1) in zip(
        ((p[0], p[1]) for p in ring), ((p[0], p[1]) for p in ring[1:]), strict=False
    ):
        s += x0 * y1 - x1 * y0
    return 0.5 * s


def _clip(ring: list[tuple[float, float]], x: float, keep_below: bool) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: the part of a closed ring on one side of the line lon = x."""

    def inside(p: tuple[float, float]) -> bool:
        return p[0] <= x if keep_below else p[0] >= x

    out: list[tuple[float, float]] = []
    n = len(ring)
    for i in range(n):
        p, q = ring[i], ring[(i + 1) % n]
        if inside(p):
            out.append(p)
        if inside(p) != inside(q):
            f = (x - p[0]) / (q[0] - p[0])
            out.append((x, p[1] + f * (q[1] - p[1])))
    return out


def _round_pole(lon: np.ndarray, lat: np.ndarray) -> list[tuple[float, float]]:
    """A path that turns a full circle of longitude, closed through the pole on its side:
    cut where it crosses +-180 deg and joined along that meridian and the pole's parallel."""
    w = _wrap(lon).tolist()
    y = lat.tolist()
    n = len(w)
    j = next((i for i in range(n) if abs(w[(i + 1) % n] - w[i]) > 180.0), n - 1)
    a, b = w[j], w[(j + 1) % n]
    edge = 180.0 if b < a else -180.0  # where the path leaves the window
    b_un = b + 360.0 if b < a else b - 360.0
    f = (edge - a) / (b_un - a) if b_un != a else 0.0
    y_x = y[j] + f * (y[(j + 1) % n] - y[j])
    pole = 90.0 if float(np.mean(lat)) > 0.0 else -90.0
    body = [(w[(j + 1 + k) % n], y[(j + 1 + k) % n]) for k in range(n)]
    return [(-edge, y_x), *body, (edge, y_x), (edge, pole), (-edge, pole)]


def polygon_rings(lon_deg: ArrayLike, lat_deg: ArrayLike) -> list[list[Position]]:
    """The exterior rings of a region bounded by one closed path, cut at the antimeridian.

    The path is unwrapped (no step over 180 deg of longitude); one that turns a full circle
    of longitude encloses a pole and is closed through it. Where the unwrapped region
    reaches past +-180 deg it is clipped to each 360-degree window and shifted back, one
    ring per window. Each ring is closed, counter-clockwise (the RFC 7946 right-hand rule)
    and has at least four positions. The clipping (Sutherland-Hodgman) is exact for a
    region whose boundary crosses each cut meridian at most twice (coverage rings, which
    are star-shaped about their site, and grid cells)."""
    lon = np.asarray(lon_deg, dtype=np.float64).ravel()
    lat = np.asarray(lat_deg, dtype=np.float64).ravel()
    ok = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = lon[ok], lat[ok]
    if len(lon) >= 2 and lon[0] == lon[-1] and lat[0] == lat[-1]:
        lon, lat = lon[:-1], lat[:-1]  # open; closed again below
    if len(lon) < 3:
        return []
    steps = _wrap(np.diff(lon))
    u = float(_wrap(lon[0])) + np.concatenate(([0.0], np.cumsum(steps)))
    net = float(u[-1] + _wrap(lon[0] - lon[-1]) - u[0])
    pts = (
        _round_pole(lon, lat)  # a full turn of longitude
        if abs(net) > 180.0
        else list(zip(u.tolist(), lat.tolist(), strict=True))
    )
    lo, hi = min(p[0] for p in pts), max(p[0] for p in pts)
    rings: list[list[Position]] = []
    for k in range(math.floor((lo + 180.0) / 360.0), math.ceil((hi - 180.0) / 360.0) + 1):
        shift = 360.0 * k
        piece = pts
        if lo < shift - 180.0:
            piece = _clip(piece, shift - 180.0, keep_below=False)
        if hi > shift + 180.0 and piece:
            piece = _clip(piece, shift + 180.0, keep_below=True)
        ring: list[Position] = []
        for x, y in piece:
            p = [_r(min(180.0, max(-180.0, x - shift)), COORD_DIGITS), _r(y, COORD_DIGITS)]
            if not ring or ring[-1] != p:
                ring.append(p)
        if len(ring) >= 2 and ring[0] == ring[-1]:
            ring.pop()
        if len(ring) < 3:
            continue
        ring.append(list(ring[0]))
        area = _signed_area(ring)
        if area == 0.0:
            continue
        rings.append(ring if area > 0.0 else ring[::-1])
    return rings


def polygon_geometry(lon_deg: ArrayLike, lat_deg: ArrayLike) -> dict[str, Any] | None:
    """A Polygon, a MultiPolygon when the region crosses the antimeridian, None when the
    path bounds nothing (:func:`polygon_rings`)."""
    rings = polygon_rings(lon_deg, lat_deg)
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings}
    if rings:
        return {"type": "MultiPolygon", "coordinates": [[r] for r in rings]}
    return None


# ---- features -----------------------------------------------------------------------------


def feature(geometry: dict[str, Any] | None, properties: Mapping[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature (``geometry`` None: a feature without a position)."""
    return {"type": "Feature", "geometry": geometry, "properties": clean(dict(properties))}


def feature_collection(
    features: Iterable[dict[str, Any]], meta: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A FeatureCollection; ``meta`` goes under the foreign member ``bmdsim``."""
    doc: dict[str, Any] = {"type": "FeatureCollection"}
    if meta is not None:
        doc["bmdsim"] = clean(dict(meta))
    doc["features"] = list(features)
    return doc


def _track_outcome(tr: SceneTrack) -> str | None:
    if tr.kind == "interceptor":
        if tr.properties.get("kill"):
            return "kill"
        return "hit" if tr.properties.get("hit") else "miss"
    out = tr.properties.get("outcome")
    return None if out is None else str(out)


def interceptor_classes(scene: Scene) -> dict[str, str]:
    """The interceptor class of each battery of a scene."""
    return {s.name: s.cls for s in scene.sites if s.kind == "battery"}


def track_properties(
    tr: SceneTrack, epoch: datetime, classes: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A track's properties: its name and kind, its own (lengths in m), ``missile`` (an
    interceptor's class, from ``classes`` by battery), outcome (a threat's; a shot's
    'kill', 'hit' or 'miss'), start and end on the scenario clock and in UTC, number of
    samples."""
    props: dict[str, Any] = {"name": tr.name, "kind": tr.kind}
    props.update(si_properties(tr.properties))
    props["outcome"] = _track_outcome(tr)
    if "missile" not in props:
        props["missile"] = (classes or {}).get(str(props.get("battery")))
    props.update(
        {
            "start_t_s": tr.start_s,
            "end_t_s": tr.end_s,
            "start_time": iso_time(epoch, tr.start_s),
            "end_time": iso_time(epoch, tr.end_s),
            "samples": len(tr.t_s),
        }
    )
    return clean(props)


def site_properties(s: SceneSite) -> dict[str, Any]:
    """A site's properties (lengths in m; NaN as null)."""
    return clean(
        {
            "name": s.name,
            "kind": s.kind,
            "class": s.cls,
            "owner": s.owner,
            "lat_deg": s.lat_deg,
            "lon_deg": s.lon_deg,
            "detection_range_m": s.detection_range_km * 1e3,
            "boresight_az_deg": s.boresight_az_deg,
        }
    )


def intercept_names(scene: Scene) -> list[str]:
    """'BATTERY>THREAT#WAVE.N' of each intercept row, N counting the threat's shots: the
    name of the shot's fly-out track."""
    count: dict[Any, int] = {}
    names = []
    for x in scene.intercepts:
        n = count[x.get("threat")] = count.get(x.get("threat"), 0) + 1
        names.append(f"{x.get('battery')}>{x.get('threat')}#{x.get('wave')}.{n}")
    return names


def booster_name(x: Mapping[str, Any]) -> str:
    """'BATTERY stage N' of a booster impact row."""
    return f"{x.get('battery')} stage {x.get('stage')}"


def scene_features(scene: Scene) -> list[dict[str, Any]]:
    """Every feature of a scene: tracks, intercepts, booster impacts, sites, coverage rings,
    launch and target places (in that order)."""
    epoch = epoch_utc(scene.epoch)
    classes = interceptor_classes(scene)
    feats: list[dict[str, Any]] = []
    for tr in scene.tracks:
        geom = line_geometry(tr.lon_deg, tr.lat_deg, tr.alt_m)
        feats.append(feature(geom, track_properties(tr, epoch, classes)))
    for x, name in zip(scene.intercepts, intercept_names(scene), strict=True):
        props = {"name": name, "kind": "intercept", **si_properties(x)}
        props["intercept_time"] = iso_time(epoch, x.get("intercept_t_s", math.nan))
        props["launch_time"] = iso_time(epoch, x.get("launch_t_s", math.nan))
        geom = point_geometry(x["lon_deg"], x["lat_deg"], x.get("alt_m", math.nan))
        feats.append(feature(geom, props))
    for x in scene.booster_impacts:
        props = {"name": booster_name(x), "kind": "booster_impact", **si_properties(x)}
        props["impact_time"] = iso_time(epoch, x.get("impact_time_s", math.nan))
        feats.append(feature(point_geometry(x["lon_deg"], x["lat_deg"]), props))
    for s in scene.sites:
        feats.append(feature(point_geometry(s.lon_deg, s.lat_deg), site_properties(s)))
    for s in scene.sites:
        if s.kind == "radar" and len(s.coverage_lon_deg):
            props = {
                "name": s.name,
                "kind": "coverage",
                "radar": s.name,
                "class": s.cls,
                "owner": s.owner,
                "coverage_alt_m": s.coverage_alt_m,
                "detection_range_m": s.detection_range_km * 1e3,
            }
            feats.append(feature(polygon_geometry(s.coverage_lon_deg, s.coverage_lat_deg), props))
    for p in scene.places:
        props = {
            "name": p["name"],
            "kind": p["kind"],
            "lat_deg": p["lat_deg"],
            "lon_deg": p["lon_deg"],
        }
        feats.append(feature(point_geometry(p["lon_deg"], p["lat_deg"]), props))
    return feats


def scene_geojson(scene: Scene) -> dict[str, Any]:
    """The scene as one FeatureCollection (see the module text for its layout)."""
    meta = {
        "scenario": scene.name,
        "epoch": scene.epoch,
        "epoch_utc": iso_time(epoch_utc(scene.epoch), 0.0),
        "units": {"t": "s", "alt": "m", "length": "m", "angle": "deg"},
    }
    return feature_collection(scene_features(scene), meta)


def write_json(doc: Mapping[str, Any], path: str | Path) -> Path:
    """Write ``doc`` as strict compact JSON (NaN and infinities as null)."""
    p = Path(path)
    p.write_text(
        json.dumps(clean(doc), allow_nan=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    return p


def write_geojson(scene: Scene, path: str | Path) -> Path:
    """Write the scene's FeatureCollection (:func:`scene_geojson`) to ``path``."""
    return write_json(scene_geojson(scene), path)
