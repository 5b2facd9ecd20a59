"""Offline admin-0 country layer: which countries a point or a region lies in.

The data are Natural Earth's 1:50m admin-0 countries (public domain), shipped as
``bmdsim/data/countries_50m.geojson`` (simplified to about 1 km; see ``docs/data-sources.md``
and ``tools/gen_countries.py``). Every ring of that file lies within longitude [-180, 180]:
countries that straddle the antimeridian (Russia, Fiji, USA) are split there, and Antarctica
is closed through the south pole.

Geometry is planar in (longitude, latitude) degrees, which is what the data mean: an edge
between two vertices is a straight line in that plane. Query regions should therefore be
sampled densely (every degree or so), as a coverage circle normally is. Regions may cross
the antimeridian (their longitudes are unwrapped along the ring) and may enclose a pole.

Pure numpy: points are ray cast against edges bucketed into latitude bands; a region
overlaps a country when a country vertex lies inside the region, a region vertex lies inside
the country, or an edge of one crosses an edge of the other.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim.errors import InputError

__all__ = [
    "DATA_FILE",
    "Country",
    "countries_overlapping",
    "country_at",
    "is_land",
    "load_countries",
]

DATA_FILE = "countries_50m.geojson"

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

_BAND_DEG = 0.25  # height of the latitude bands that bucket the country edges
_PAIR_CHUNK = 1 << 21  # largest (points x edges) block evaluated at once


@dataclass(frozen=True)
class Country:
    """One admin-0 country of Natural Earth.

    ``polygons`` holds the geometry: one tuple per polygon, exterior ring first, then holes;
    each ring a read-only (n, 2) array of (longitude, latitude) degrees, closed (last vertex
    equals the first), within [-180, 180] longitude. ``bbox`` is (lon_min, lat_min, lon_max,
    lat_max). Equality and hashing use the name and codes only.
    """

    name: str
    iso_a3: str | None
    iso_n3: str | None = None
    polygons: tuple[tuple[FloatArray, ...], ...] = field(default=(), compare=False, repr=False)
    bbox: tuple[float, float, float, float] = field(
        default=(0.0, 0.0, 0.0, 0.0), compare=False, repr=False
    )

    @property
    def rings(self) -> list[FloatArray]:
        """All rings (exteriors and holes) of all polygons."""
        return [ring for polygon in self.polygons for ring in polygon]


def _ring(coords: list[list[float]]) -> FloatArray:
    ring = np.asarray(coords, dtype=np.float64).reshape(-1, 2)
    if not np.array_equal(ring[0], ring[-1]):
        ring = np.vstack([ring, ring[:1]])
    ring.setflags(write=False)
    return ring


def _country(feature: dict[str, Any]) -> Country:
    props = feature["properties"]
    geometry = feature["geometry"]
    coords = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        coords = [coords]
    polygons = tuple(tuple(_ring(r) for r in polygon) for polygon in coords)
    allpts = np.concatenate([r for polygon in polygons for r in polygon])
    lo, hi = allpts.min(axis=0), allpts.max(axis=0)
    return Country(
        name=str(props["name"]),
        iso_a3=props.get("iso_a3"),
        iso_n3=props.get("iso_n3"),
        polygons=polygons,
        bbox=(float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])),
    )


@cache
def load_countries() -> list[Country]:
    """All countries of the shipped layer, sorted by name (read once, then cached).

    The returned list is shared: do not modify it.
    """
    text = resources.files("bmdsim.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    features = json.loads(text)["features"]
    return sorted((_country(f) for f in features), key=lambda c: c.name)


# --------------------------------------------------------------------------------------------
# Ray casting with latitude bands


class _EdgeSet:
    """Edges (x1, y1) -> (x2, y2) bucketed into latitude bands, for ray casting toward +x."""

    def __init__(
        self, x1: FloatArray, y1: FloatArray, x2: FloatArray, y2: FloatArray, band: float
    ) -> None:
        self.x1, self.y1, self.x2, self.y2 = x1, y1, x2, y2
        ymin, ymax = np.minimum(y1, y2), np.maximum(y1, y2)
        self.base = float(ymin.min()) if len(ymin) else 0.0
        self.band = band
        b0 = np.floor((ymin - self.base) / band).astype(np.intp)
        b1 = np.floor((ymax - self.base) / band).astype(np.intp)
        self.n_bands = int(b1.max()) + 1 if len(b1) else 0
        counts = b1 - b0 + 1
        edge = np.repeat(np.arange(len(x1)), counts)
        starts = np.cumsum(counts) - counts
        bands = np.repeat(b0, counts) + (np.arange(len(edge)) - np.repeat(starts, counts))
        order = np.argsort(bands, kind="stable")
        self.edges = edge[order]
        self.ptr = np.searchsorted(bands[order], np.arange(self.n_bands + 1))

    def crossings(self, px: FloatArray, py: FloatArray) -> tuple[IntArray, IntArray]:
        """(point index, edge index) of every edge crossed by a ray from a point toward +x.

        Half-open in y (an edge counts when min(y1, y2) <= py < max(y1, y2)), so a ray
        through a vertex is counted once.
        """
        pts_out: list[IntArray] = []
        edges_out: list[IntArray] = []
        if self.n_bands == 0 or len(px) == 0:
            return np.empty(0, np.intp), np.empty(0, np.intp)
        pb = np.floor((py - self.base) / self.band)
        valid = np.nonzero((pb >= 0) & (pb < self.n_bands))[0]
        if len(valid) == 0:
            return np.empty(0, np.intp), np.empty(0, np.intp)
        pb_valid = pb[valid].astype(np.intp)
        order = np.argsort(pb_valid, kind="stable")
        valid, pb_valid = valid[order], pb_valid[order]
        bands, first = np.unique(pb_valid, return_index=True)
        last = np.append(first[1:], len(valid))
        for b, i0, i1 in zip(bands, first, last, strict=True):
            edges = self.edges[self.ptr[b] : self.ptr[b + 1]]
            if len(edges) == 0:
                continue
            x1, y1, x2, y2 = self.x1[edges], self.y1[edges], self.x2[edges], self.y2[edges]
            step = max(1, _PAIR_CHUNK // len(edges))
            for j0 in range(i0, i1, step):
                pts = valid[j0 : min(i1, j0 + step)]
                qx, qy = px[pts][:, None], py[pts][:, None]
                straddle = (y1 > qy) != (y2 > qy)
                with np.errstate(divide="ignore", invalid="ignore"):
                    xi = x1 + (qy - y1) * (x2 - x1) / (y2 - y1)
                i, j = np.nonzero(straddle & (qx < xi))
                pts_out.append(pts[i])
                edges_out.append(edges[j])
        if not pts_out:
            return np.empty(0, np.intp), np.empty(0, np.intp)
        return np.concatenate(pts_out), np.concatenate(edges_out)


@dataclass(frozen=True)
class _Index:
    """All country edges and vertices in flat arrays, with their owner (country index)."""

    names: list[str]
    edges: _EdgeSet
    edge_owner: IntArray
    vx: FloatArray
    vy: FloatArray
    vertex_owner: IntArray


@cache
def _index() -> _Index:
    countries = load_countries()
    x1s, y1s, x2s, y2s, owners = [], [], [], [], []
    for k, country in enumerate(countries):
        for ring in country.rings:
            x1s.append(ring[:-1, 0])
            y1s.append(ring[:-1, 1])
            x2s.append(ring[1:, 0])
            y2s.append(ring[1:, 1])
            owners.append(np.full(len(ring) - 1, k, dtype=np.intp))
    x1, y1 = np.concatenate(x1s), np.concatenate(y1s)
    x2, y2 = np.concatenate(x2s), np.concatenate(y2s)
    owner = np.concatenate(owners)
    return _Index(
        names=[c.name for c in countries],
        edges=_EdgeSet(x1, y1, x2, y2, _BAND_DEG),
        edge_owner=owner,
        vx=x1,  # the start vertex of each edge: every vertex of every ring, once
        vy=y1,
        vertex_owner=owner,
    )


def _odd(keys: IntArray) -> IntArray:
    """The keys that occur an odd number of times."""
    uniq, counts = np.unique(keys, return_counts=True)
    odd: IntArray = uniq[counts % 2 == 1]
    return odd


def _wrap_lon(lon: FloatArray) -> FloatArray:
    return (lon + 180.0) % 360.0 - 180.0


def _points(lat_deg: ArrayLike, lon_deg: ArrayLike) -> tuple[FloatArray, FloatArray]:
    lat, lon = np.broadcast_arrays(
        np.asarray(lat_deg, dtype=np.float64), np.asarray(lon_deg, dtype=np.float64)
    )
    if not (np.all(np.isfinite(lat)) and np.all(np.isfinite(lon))):
        raise InputError("latitude and longitude must be finite")
    if np.any(np.abs(lat) > 90.0):
        raise InputError("latitude must lie within [-90, 90] deg")
    return lat, _wrap_lon(lon)


def _owners_at(lat: FloatArray, lon: FloatArray) -> IntArray:
    """Index of the country containing each point (-1 where none), for flat arrays."""
    index = _index()
    n_countries = len(index.names)
    pts, edges = index.edges.crossings(lon, lat)
    inside = _odd(pts * n_countries + index.edge_owner[edges])
    owner = np.full(len(lat), -1, dtype=np.intp)
    # Where territories overlap (they hardly do), the last name in sorted order wins.
    owner[inside // n_countries] = inside % n_countries
    return owner


@overload
def is_land(lat_deg: float, lon_deg: float) -> bool: ...
@overload
def is_land(lat_deg: NDArray[Any], lon_deg: ArrayLike) -> BoolArray: ...
@overload
def is_land(lat_deg: ArrayLike, lon_deg: ArrayLike) -> bool | BoolArray: ...
def is_land(lat_deg: ArrayLike, lon_deg: ArrayLike) -> bool | BoolArray:
    """Whether each point lies in some country (any land but the sea; lakes count as land).

    Vectorised: arrays broadcast and give a boolean array of their shape; two scalars give a
    ``bool``.
    """
    lat, lon = _points(lat_deg, lon_deg)
    result = _owners_at(lat.ravel(), lon.ravel()).reshape(lat.shape) >= 0
    return bool(result) if result.ndim == 0 else result


@overload
def country_at(lat_deg: float, lon_deg: float) -> str | None: ...
@overload
def country_at(lat_deg: NDArray[Any], lon_deg: ArrayLike) -> list[str | None]: ...
@overload
def country_at(lat_deg: ArrayLike, lon_deg: ArrayLike) -> str | None | list[str | None]: ...
def country_at(lat_deg: ArrayLike, lon_deg: ArrayLike) -> str | None | list[str | None]:
    """Name of the country at a point, or ``None`` at sea.

    Two scalars give one name; arrays (broadcast together, flattened) give a list.
    """
    lat, lon = _points(lat_deg, lon_deg)
    names = _index().names
    owner = _owners_at(lat.ravel(), lon.ravel())
    result = [names[k] if k >= 0 else None for k in owner]
    return result[0] if lat.ndim == 0 else result


# --------------------------------------------------------------------------------------------
# Region overlap


def _region_ring(lat_deg: ArrayLike, lon_deg: ArrayLike) -> FloatArray:
    """The region as an open (n, 2) ring in continuous (unwrapped) longitude.

    A ring that runs once around a pole is closed through that pole (the one on the side of
    its mean latitude).
    """
    lat = np.asarray(lat_deg, dtype=np.float64).ravel()
    lon = np.asarray(lon_deg, dtype=np.float64).ravel()
    if lat.shape != lon.shape:
        raise InputError(f"{lat.size} latitudes but {lon.size} longitudes")
    if not (np.all(np.isfinite(lat)) and np.all(np.isfinite(lon))):
        raise InputError("polygon latitudes and longitudes must be finite")
    if np.any(np.abs(lat) > 90.0):
        raise InputError("polygon latitudes must lie within [-90, 90] deg")
    lon = np.unwrap(_wrap_lon(lon), period=360.0)
    ring = np.column_stack([lon, lat])
    if len(ring) > 1 and np.allclose(ring[0], ring[-1]):
        ring = ring[:-1]
    if len(ring) < 3:
        raise InputError("a polygon needs at least 3 vertices")
    # Net longitude travelled around the closed ring (the closing edge taken the short way).
    closing = (ring[0, 0] - ring[-1, 0] + 180.0) % 360.0 - 180.0
    turns = round((ring[-1, 0] + closing - ring[0, 0]) / 360.0)
    if turns != 0:
        pole = 90.0 if lat.mean() > 0.0 else -90.0
        end = ring[-1, 0] + closing
        ring = np.vstack([ring, [[end, pole], [ring[0, 0], pole]]])
    return ring


def _segments_cross(
    ax1: FloatArray,
    ay1: FloatArray,
    ax2: FloatArray,
    ay2: FloatArray,
    bx1: FloatArray,
    by1: FloatArray,
    bx2: FloatArray,
    by2: FloatArray,
) -> BoolArray:
    """Whether segments a (column vectors) and b (row vectors) intersect (touching counts)."""
    boxes = (
        (np.minimum(ax1, ax2) <= np.maximum(bx1, bx2))
        & (np.minimum(bx1, bx2) <= np.maximum(ax1, ax2))
        & (np.minimum(ay1, ay2) <= np.maximum(by1, by2))
        & (np.minimum(by1, by2) <= np.maximum(ay1, ay2))
    )
    d1 = (bx2 - bx1) * (ay1 - by1) - (by2 - by1) * (ax1 - bx1)
    d2 = (bx2 - bx1) * (ay2 - by1) - (by2 - by1) * (ax2 - bx1)
    d3 = (ax2 - ax1) * (by1 - ay1) - (ay2 - ay1) * (bx1 - ax1)
    d4 = (ax2 - ax1) * (by2 - ay1) - (ay2 - ay1) * (bx2 - ax1)
    return boxes & (d1 * d2 <= 0.0) & (d3 * d4 <= 0.0)


def _overlapping_in_window(ring: FloatArray, index: _Index) -> set[int]:
    """Countries overlapping ``ring`` (open, any longitudes) within the [-180, 180] window."""
    rx1, ry1 = ring[:, 0], ring[:, 1]
    rx2, ry2 = np.roll(rx1, -1), np.roll(ry1, -1)
    lon_lo, lat_lo = ring.min(axis=0)
    lon_hi, lat_hi = ring.max(axis=0)
    found: set[int] = set()

    # A country vertex inside the region (covers countries, islands, lying wholly inside).
    sel = np.nonzero(
        (index.vx >= lon_lo) & (index.vx <= lon_hi) & (index.vy >= lat_lo) & (index.vy <= lat_hi)
    )[0]
    if len(sel):
        region = _EdgeSet(rx1, ry1, rx2, ry2, band=max((lat_hi - lat_lo) / 64.0, 1e-6))
        pts, _ = region.crossings(index.vx[sel], index.vy[sel])
        inside = _odd(pts)
        found.update(np.unique(index.vertex_owner[sel[inside]]).tolist())

    # A region vertex inside a country (covers a region lying wholly inside one country).
    window = np.nonzero((rx1 >= -180.0) & (rx1 <= 180.0))[0]
    if len(window):
        owners = _owners_at(ry1[window], rx1[window])
        found.update(np.unique(owners[owners >= 0]).tolist())

    # Crossing edges (a country strip passing through without a vertex inside).
    e = index.edges
    cand = np.nonzero(
        (np.maximum(e.x1, e.x2) >= lon_lo)
        & (np.minimum(e.x1, e.x2) <= lon_hi)
        & (np.maximum(e.y1, e.y2) >= lat_lo)
        & (np.minimum(e.y1, e.y2) <= lat_hi)
    )[0]
    if found and len(cand):
        cand = cand[~np.isin(index.edge_owner[cand], list(found))]
    if len(cand):
        ax1, ay1, ax2, ay2 = rx1[:, None], ry1[:, None], rx2[:, None], ry2[:, None]
        step = max(1, _PAIR_CHUNK // len(rx1))
        for j0 in range(0, len(cand), step):
            c = cand[j0 : j0 + step]
            cross = _segments_cross(ax1, ay1, ax2, ay2, e.x1[c], e.y1[c], e.x2[c], e.y2[c])
            found.update(np.unique(index.edge_owner[c[cross.any(axis=0)]]).tolist())
    return found


def countries_overlapping(lat_deg: ArrayLike, lon_deg: ArrayLike) -> list[str]:
    """Sorted names of the countries whose territory intersects a polygon.

    ``lat_deg`` and ``lon_deg`` are the vertices of one ring (closing vertex optional),
    degrees; edges are straight in (longitude, latitude), so sample curved boundaries densely.
    Longitudes may cross the antimeridian; a ring around a pole encloses that pole.
    """
    ring = _region_ring(lat_deg, lon_deg)
    index = _index()
    lon_lo, lon_hi = float(ring[:, 0].min()), float(ring[:, 0].max())
    found: set[int] = set()
    for k in range(math.ceil((lon_lo - 180.0) / 360.0), math.floor((lon_hi + 180.0) / 360.0) + 1):
        shifted = ring - np.array([360.0 * k, 0.0])
        found |= _overlapping_in_window(shifted, index)
    return sorted(index.names[i] for i in found)
