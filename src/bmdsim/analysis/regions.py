"""Regions of a footprint: a grid of cells over an area, its land, and Japan's regions.

A region is a latitude-longitude box and, optionally, the one country whose land counts:

* ``japan`` (default): the box 24-46 N, 122-146 E; land cells of Japan;
* a country of the shipped Natural Earth admin-0 layer (:mod:`bmdsim.earth.countries`), by
  name or ISO A3 code (any case): its bounding box; land cells of that country;
* ``LAT0,LON0,LAT1,LON1`` (degrees, south-west then north-east corner): the box; land cells
  of any country.

The grid's cells are ``grid_deg`` squares from the box's south-west corner; a cell is
represented by its centre (it lies in a country when its centre does) and weighs its share
of the Earth's area, which is proportional to cos(latitude) for a fixed step in latitude and
longitude.

Japan's prefectures. No admin-1 (prefecture) layer is shipped, so a Japanese land cell is
given to the prefecture whose capital (the prefectural office,
:func:`bmdsim.earth.places.japanese_prefectural_capitals`) is nearest on the WGS84
ellipsoid: a Voronoi partition of the land by the 47 capitals. It follows the real borders
only roughly. Departures found by checking towns against it: Hakodate, on the southern
Oshima peninsula of Hokkaido, is nearer to Aomori than to Sapporo and falls to Aomori (so
to Honshu); the Amami islands (Kagoshima) fall to Okinawa; Tsushima (Nagasaki) falls to
Fukuoka; the Izu and Ogasawara islands (Tokyo) fall to Shizuoka; western Kagawa (Kanonji)
falls to Ehime. Sado stays with Niigata and Yakushima with Kagoshima. Each prefecture
then belongs to one main island by a fixed table (:data:`ISLAND_OF_PREFECTURE`):
Hokkaido; Aomori to Yamaguchi, Honshu; Tokushima, Kagawa, Ehime and Kochi, Shikoku;
Fukuoka to Kagoshima, Kyushu; Okinawa, Okinawa. Outlying islands count with the main
island of their (nearest capital's) prefecture: Sado with Honshu, Yakushima with Kyushu,
the Amami islands with Okinawa.

A cell counts as land when its centre does, so islands much smaller than a cell are
missed at coarse steps (at 0.25 deg, Okinawa prefecture has three land cells).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from bmdsim.earth.countries import country_at, load_countries
from bmdsim.earth.geodesics import distance_m
from bmdsim.earth.places import japanese_prefectural_capitals
from bmdsim.errors import InputError, UnknownName, quote

__all__ = [
    "ISLANDS",
    "ISLAND_OF_PREFECTURE",
    "JAPAN",
    "MAX_CELLS",
    "PREFECTURES",
    "Grid",
    "Region",
    "cell_weights",
    "island_of",
    "japanese_regions",
    "tiles",
    "make_grid",
    "parse_region",
    "prefecture_of",
]

#: the 47 prefectures in JIS code order, each with its capital (places catalog name)
_CAPITALS: tuple[tuple[str, str], ...] = (
    ("Hokkaido", "sapporo"),
    ("Aomori", "aomori"),
    ("Iwate", "morioka"),
    ("Miyagi", "sendai"),
    ("Akita", "akita"),
    ("Yamagata", "yamagata"),
    ("Fukushima", "fukushima"),
    ("Ibaraki", "mito"),
    ("Tochigi", "utsunomiya"),
    ("Gunma", "maebashi"),
    ("Saitama", "saitama"),
    ("Chiba", "chiba"),
    ("Tokyo", "tokyo"),
    ("Kanagawa", "yokohama"),
    ("Niigata", "niigata"),
    ("Toyama", "toyama"),
    ("Ishikawa", "kanazawa"),
    ("Fukui", "fukui"),
    ("Yamanashi", "kofu"),
    ("Nagano", "nagano"),
    ("Gifu", "gifu"),
    ("Shizuoka", "shizuoka"),
    ("Aichi", "nagoya"),
    ("Mie", "tsu"),
    ("Shiga", "otsu"),
    ("Kyoto", "kyoto"),
    ("Osaka", "osaka"),
    ("Hyogo", "kobe"),
    ("Nara", "nara"),
    ("Wakayama", "wakayama"),
    ("Tottori", "tottori"),
    ("Shimane", "matsue"),
    ("Okayama", "okayama"),
    ("Hiroshima", "hiroshima"),
    ("Yamaguchi", "yamaguchi"),
    ("Tokushima", "tokushima"),
    ("Kagawa", "takamatsu"),
    ("Ehime", "matsuyama"),
    ("Kochi", "kochi"),
    ("Fukuoka", "fukuoka"),
    ("Saga", "saga"),
    ("Nagasaki", "nagasaki"),
    ("Kumamoto", "kumamoto"),
    ("Oita", "oita"),
    ("Miyazaki", "miyazaki"),
    ("Kagoshima", "kagoshima"),
    ("Okinawa", "naha"),
)
#: the 47 prefectures in JIS code order
PREFECTURES: tuple[str, ...] = tuple(p for p, _ in _CAPITALS)
_PREFECTURE_OF_CAPITAL = {c: p for p, c in _CAPITALS}

#: the main islands (regions of the footprint's summary)
ISLANDS: tuple[str, ...] = ("Honshu", "Hokkaido", "Kyushu", "Shikoku", "Okinawa")


def _island(jis: int) -> str:
    """Main island of the prefecture with JIS code ``jis`` (1 to 47)."""
    if jis == 1:
        return "Hokkaido"
    if jis <= 35:  # Aomori .. Yamaguchi
        return "Honshu"
    if jis <= 39:  # Tokushima, Kagawa, Ehime, Kochi
        return "Shikoku"
    if jis <= 46:  # Fukuoka .. Kagoshima
        return "Kyushu"
    return "Okinawa"


#: each prefecture's main island (a fixed table, see the module text)
ISLAND_OF_PREFECTURE: dict[str, str] = {p: _island(k + 1) for k, p in enumerate(PREFECTURES)}

#: the largest grid a footprint evaluates (cells of the box)
MAX_CELLS = 2_000_000
#: the shipped layer's name of Japan
JAPAN = "Japan"
_JAPAN_BOX = (24.0, 122.0, 46.0, 146.0)


@dataclass(frozen=True)
class Region:
    """A box (degrees; longitudes may run past 180 E) and the country whose land counts
    (``None``: the land of any country)."""

    name: str
    lat0_deg: float
    lon0_deg: float
    lat1_deg: float
    lon1_deg: float
    country: str | None = None


@dataclass(frozen=True)
class Grid:
    """The land cells of a region (centres, degrees; longitudes within [-180, 180)), in
    grid order (south to north, then west to east), with their row and column in the box."""

    region: Region
    grid_deg: float
    lat_deg: NDArray[np.float64]
    lon_deg: NDArray[np.float64]
    country: tuple[str, ...]  # the country of each cell
    box_cells: int  # cells of the whole box, land and sea
    row: NDArray[np.int64] = field(default_factory=lambda: np.empty(0, np.int64))
    col: NDArray[np.int64] = field(default_factory=lambda: np.empty(0, np.int64))

    @property
    def size(self) -> int:
        return int(self.lat_deg.size)


def _box(spec: str) -> Region:
    parts = spec.split(",")
    try:
        lat0, lon0, lat1, lon1 = (float(p) for p in parts)
    except ValueError:
        raise InputError(
            f"region {quote(spec)}: expected 'japan', a country name or LAT0,LON0,LAT1,LON1"
        ) from None
    if not all(math.isfinite(x) for x in (lat0, lon0, lat1, lon1)):
        raise InputError(f"region {quote(spec)}: corners must be finite numbers")
    if not (-90.0 <= lat0 < lat1 <= 90.0):
        raise InputError(
            f"region {quote(spec)}: need -90 <= LAT0 < LAT1 <= 90 (south-west corner first)"
        )
    if not (-180.0 <= lon0 <= 360.0 and -180.0 <= lon1 <= 360.0):
        raise InputError(f"region {quote(spec)}: longitudes must lie within [-180, 360] deg")
    if lon1 <= lon0:  # across the antimeridian, e.g. 170 -> -170
        lon1 += 360.0
    if lon1 - lon0 > 360.0:
        raise InputError(f"region {quote(spec)}: spans more than 360 deg of longitude")
    return Region(f"box {lat0:g},{lon0:g},{lat1:g},{lon1:g}", lat0, lon0, lat1, lon1)


def parse_region(spec: str) -> Region:
    """``japan``, a country name or ISO A3 code, or ``LAT0,LON0,LAT1,LON1`` (see the module
    text); :class:`~bmdsim.errors.InputError` / :class:`~bmdsim.errors.UnknownName` else."""
    text = str(spec).strip()
    if not text:
        raise InputError("region: empty; give 'japan', a country name or LAT0,LON0,LAT1,LON1")
    if text.lower() == "japan":
        return Region("japan", *_JAPAN_BOX, country=JAPAN)
    if "," in text:
        return _box(text)
    key = text.lower()
    for c in load_countries():
        if c.name.lower() == key or (c.iso_a3 or "").lower() == key:
            lon0, lat0, lon1, lat1 = c.bbox
            return Region(c.name, lat0, lon0, lat1, lon1, country=c.name)
    raise UnknownName("country", text, [c.name for c in load_countries()])


def make_grid(region: Region, grid_deg: float) -> Grid:
    """The cells of ``region`` at ``grid_deg`` whose centres lie on the region's land."""
    if not (math.isfinite(grid_deg) and 0.0 < grid_deg <= 10.0):
        raise InputError(f"grid step must lie in (0, 10] deg, got {grid_deg}")
    n_lat = max(1, math.ceil((region.lat1_deg - region.lat0_deg) / grid_deg - 1e-9))
    n_lon = max(1, math.ceil((region.lon1_deg - region.lon0_deg) / grid_deg - 1e-9))
    if n_lat * n_lon > MAX_CELLS:
        raise InputError(
            f"region {region.name} at {grid_deg:g} deg has {n_lat * n_lon:,} cells "
            f"(at most {MAX_CELLS:,}); give a coarser --grid-deg or a smaller region"
        )
    lat = region.lat0_deg + grid_deg * (np.arange(n_lat) + 0.5)
    lon = region.lon0_deg + grid_deg * (np.arange(n_lon) + 0.5)
    lat = lat[lat < 90.0]
    lat_c, lon_c = (a.ravel() for a in np.meshgrid(lat, lon, indexing="ij"))
    row, col = (
        a.ravel() for a in np.meshgrid(np.arange(lat.size), np.arange(lon.size), indexing="ij")
    )
    lon_c = (lon_c + 180.0) % 360.0 - 180.0
    names = country_at(lat_c, lon_c) if lat_c.size else []
    keep = np.array(
        [n is not None and (region.country is None or n == region.country) for n in names],
        dtype=bool,
    )
    return Grid(
        region,
        float(grid_deg),
        lat_c[keep],
        lon_c[keep],
        tuple(n for n, k in zip(names, keep, strict=True) if k),  # type: ignore[misc]
        int(n_lat * n_lon),
        row[keep].astype(np.int64),
        col[keep].astype(np.int64),
    )


def cell_weights(lat_deg: NDArray[np.float64]) -> NDArray[np.float64]:
    """Relative area of equal-step cells centred at these latitudes (cos latitude)."""
    return np.cos(np.radians(np.asarray(lat_deg, dtype=float)))


def prefecture_of(lat_deg: NDArray[np.float64], lon_deg: NDArray[np.float64]) -> list[str]:
    """The prefecture of each point: that of the nearest prefectural capital (geodesic
    distance; see the module text). Meaningful for points in Japan only."""
    lat = np.atleast_1d(np.asarray(lat_deg, dtype=float))
    lon = np.atleast_1d(np.asarray(lon_deg, dtype=float))
    caps = japanese_prefectural_capitals()
    names = [_PREFECTURE_OF_CAPITAL.get(c.name) for c in caps]
    if len(caps) != len(PREFECTURES) or None in names:  # the catalog and the table disagree
        raise InputError("the places catalog's prefectural capitals do not match the table")
    if lat.size == 0:
        return []
    clat = np.array([c.lat_deg for c in caps])
    clon = np.array([c.lon_deg for c in caps])
    d = distance_m(lat[:, None], lon[:, None], clat[None, :], clon[None, :])
    return [str(names[int(k)]) for k in np.argmin(d, axis=1)]


def island_of(prefectures: list[str]) -> list[str]:
    """The main island of each prefecture (:data:`ISLAND_OF_PREFECTURE`)."""
    return [ISLAND_OF_PREFECTURE[p] for p in prefectures]


def japanese_regions(grid: Grid) -> tuple[tuple[str | None, ...], tuple[str | None, ...]]:
    """(prefecture, main island) of each cell of a grid; None for cells outside Japan."""
    pref: list[str | None] = [None] * grid.size
    isl: list[str | None] = [None] * grid.size
    jp = np.flatnonzero(np.array([c == JAPAN for c in grid.country], dtype=bool))
    if jp.size:
        names = prefecture_of(grid.lat_deg[jp], grid.lon_deg[jp])
        for j, name, island in zip(jp, names, island_of(names), strict=True):
            pref[j], isl[j] = name, island
    return tuple(pref), tuple(isl)


def tiles(
    grid: Grid, side: int, min_cells: int
) -> tuple[NDArray[np.int64], list[NDArray[np.int64]]]:
    """The tile (row, column) of each cell, tiles being ``side`` x ``side`` cells of the
    box; and groups of whole tiles, gathered in grid order until each group (but the last)
    holds at least ``min_cells`` cells: the grid indices of each group's cells."""
    tr, tc = grid.row // side, grid.col // side
    tile = np.stack([tr, tc], axis=1).astype(np.int64)
    order = np.lexsort((grid.col, grid.row, tc, tr)).astype(np.int64)
    tile_id = tr[order] * (int(tc.max(initial=0)) + 1) + tc[order]
    starts = np.flatnonzero(np.diff(tile_id, prepend=-1)).tolist() if order.size else []
    bounds = [*starts, int(order.size)]
    groups: list[NDArray[np.int64]] = []
    a = 0
    for k in range(1, len(bounds)):
        if bounds[k] - a >= min_cells or k == len(bounds) - 1:
            groups.append(order[a : bounds[k]])
            a = bounds[k]
    return tile, groups
