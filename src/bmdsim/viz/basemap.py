"""Base maps from the shipped Natural Earth country layer (offline: no tiles, no cartopy).

Two views, each with ``xy`` (a point's plot coordinates), ``path_xy`` (a continuous path's),
``frame`` (limits, background, graticule or range rings, scale) and ``draw_land`` (land
fill, coastlines and borders):

* :class:`LonLatMap`: plain longitude/latitude axes with the aspect 1/cos(mid-latitude),
  so that a small region is drawn at its true shape. Longitudes are continuous across the
  antimeridian: a view may run from 170 E to 200 E (160 W), and every longitude is moved
  by whole turns to the copy nearest the view's centre.
* :class:`LocalMap`: azimuthal equidistant about a point, in km east and north on the
  WGS84 ellipsoid (geodesic azimuth and distance from the centre): distances from the
  centre are true, which suits fall points around a launcher and flights around a site at
  any scale. Land beyond 15,000 km of the centre (toward the antipode, where the view
  tears) is not drawn.

Coastlines are clipped to the view and thinned to about one vertex per pixel of a 1,000
pixel wide map before drawing; a LocalMap projects them on the sphere of the ellipsoid's
mean curvature at its centre (ten times faster than geodesics, within 0.5 % of the distance
from the centre).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import Collection, LineCollection, PolyCollection
from matplotlib.patches import Circle
from numpy.typing import ArrayLike, NDArray

from bmdsim.earth.countries import load_countries
from bmdsim.earth.geodesics import inverse
from bmdsim.earth.wgs84 import A_M, E2

__all__ = [
    "COAST_COLOUR",
    "LAND_COLOUR",
    "SEA_COLOUR",
    "LocalMap",
    "LonLatMap",
    "MapView",
    "format_lat",
    "format_lon",
    "lon_span",
    "nice_step",
]

FloatArray = NDArray[np.float64]

LAND_COLOUR = "#efebe1"
SEA_COLOUR = "#e8f1f8"
COAST_COLOUR = "#8a8a8a"
GRID_COLOUR = "#b9c3cc"
#: vertices per map width kept when thinning coastlines
_DETAIL = 1000.0
#: land farther than this from a LocalMap's centre is not drawn [km]
_FAR_KM = 15_000.0
_KM_PER_DEG = 111.32


class MapView(Protocol):
    """What the figures need of a map view."""

    def xy(self, lat_deg: ArrayLike, lon_deg: ArrayLike) -> tuple[FloatArray, FloatArray]: ...

    def path_xy(self, lat_deg: ArrayLike, lon_deg: ArrayLike) -> tuple[FloatArray, FloatArray]: ...

    def frame(self, ax: Axes) -> None: ...

    def draw_land(self, ax: Axes, fill: bool = True) -> None: ...


@dataclass(frozen=True)
class _Ring:
    xy: FloatArray  # (n, 2) longitude, latitude [deg]
    bbox: tuple[float, float, float, float]  # lon0, lat0, lon1, lat1
    exterior: bool


@cache
def _rings() -> tuple[_Ring, ...]:
    """Every ring of the country layer with its bounding box (built once)."""
    rings = [
        (ring, k == 0)
        for c in load_countries()
        for polygon in c.polygons
        for k, ring in enumerate(polygon)
    ]
    if not rings:
        return ()
    starts = np.cumsum([0] + [len(r) for r, _ in rings[:-1]])
    allpts = np.concatenate([r for r, _ in rings])
    lo = np.minimum.reduceat(allpts, starts, axis=0)
    hi = np.maximum.reduceat(allpts, starts, axis=0)
    return tuple(
        _Ring(r, (float(a[0]), float(a[1]), float(b[0]), float(b[1])), ext)
        for (r, ext), a, b in zip(rings, lo.tolist(), hi.tolist(), strict=True)
    )


def _rings_in(lon0: float, lat0: float, lon1: float, lat1: float) -> list[tuple[FloatArray, bool]]:
    """The rings (moved by whole turns of longitude where needed) that meet a lon/lat box
    whose longitudes may run past +-180; a ring may come twice, one turn apart."""
    out = []
    for r in _rings():
        a0, b0, a1, b1 = r.bbox
        if b1 < lat0 or b0 > lat1:
            continue
        for shift in (-360.0, 0.0, 360.0):
            if a1 + shift >= lon0 and a0 + shift <= lon1:
                xy = r.xy if shift == 0.0 else r.xy + np.array([shift, 0.0])
                out.append((xy, r.exterior))
    return out


def _clip_half(p: FloatArray, axis: int, bound: float, below: bool) -> FloatArray:
    """One Sutherland-Hodgman pass: the polygon ``p`` (cyclic, (n, 2)) cut to the half
    plane x[axis] <= bound (``below``) or >= bound."""
    if len(p) == 0:
        return p
    q = np.roll(p, -1, axis=0)
    a, b = p[:, axis], q[:, axis]
    ina = a <= bound if below else a >= bound
    inb = b <= bound if below else b >= bound
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(a != b, (bound - a) / (b - a), 0.0)
    cut = p + t[:, None] * (q - p)
    cut[:, axis] = bound
    first = np.where((ina & inb)[:, None], q, cut)
    pts = np.stack([first, q], axis=1)
    mask = np.stack([ina | inb, ~ina & inb], axis=1)
    return pts[mask]


def _clip_box(p: FloatArray, x0: float, x1: float, y0: float, y1: float) -> FloatArray:
    """A polygon cut to a box (edges along the box where it was cut)."""
    for axis, bound, below in ((0, x1, True), (0, x0, False), (1, y1, True), (1, y0, False)):
        p = _clip_half(p, axis, bound, below)
    return p


def _add_land(
    ax: Axes,
    rings: list[tuple[FloatArray, bool]],
    box: tuple[float, float, float, float],
    fill: bool,
    clip: Circle | None = None,
) -> None:
    """Land (exteriors filled, cut to the box) and every ring's outline, in plot
    coordinates; ``box`` is (x0, x1, y0, y1) of the view."""
    x0, x1, y0, y1 = box
    tol = max(x1 - x0, y1 - y0) / _DETAIL
    mx, my = 0.01 * (x1 - x0), 0.01 * (y1 - y0)
    x0, x1, y0, y1 = x0 - mx, x1 + mx, y0 - my, y1 + my
    keep_rings = []
    for xy, exterior in rings:
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        if hi[0] < x0 or lo[0] > x1 or hi[1] < y0 or lo[1] > y1:
            continue
        inside = bool(lo[0] >= x0 and hi[0] <= x1 and lo[1] >= y0 and hi[1] <= y1)
        keep_rings.append((xy, exterior, inside))
    faces, outlines = [], []
    if keep_rings:
        # thin every ring at once: snap to the grid, drop repeated vertices
        sizes = np.array([len(xy) for xy, _, _ in keep_rings])
        allpts = np.concatenate([xy for xy, _, _ in keep_rings])
        q = np.rint(allpts * (1.0 / tol))
        new = np.ones(len(allpts), dtype=bool)
        new[1:] = (q[1:, 0] != q[:-1, 0]) | (q[1:, 1] != q[:-1, 1])
        new[np.cumsum(sizes)[:-1]] = True  # every ring keeps its first vertex
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        for (_, exterior, inside), a, n in zip(keep_rings, starts, sizes, strict=True):
            m = new[a : a + n]
            if np.count_nonzero(m) < 3:
                continue
            thin = allpts[a : a + n][m]
            outlines.append(thin)
            if fill and exterior:
                face = thin if inside else _clip_box(thin, x0, x1, y0, y1)
                if len(face) >= 3:
                    faces.append(face)
    colls: list[Collection] = [
        LineCollection(outlines, colors=COAST_COLOUR, linewidths=0.45, zorder=1.2)
    ]
    if faces:
        colls.append(PolyCollection(faces, facecolors=LAND_COLOUR, edgecolors="none", zorder=1))
    for coll in colls:
        ax.add_collection(coll, autolim=False)
        if clip is not None:
            coll.set_clip_path(clip)


def nice_step(span: float, target: int = 5) -> float:
    """A 1-2-5 step that cuts ``span`` into about ``target`` pieces."""
    if not (math.isfinite(span) and span > 0):
        return 1.0
    raw = span / target
    mag = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * mag >= raw:
            return m * mag
    return 10.0 * mag


def _nice_below(x: float) -> float:
    """The largest 1-2-5 number not above ``x``."""
    mag = 10.0 ** math.floor(math.log10(x))
    for m in (5.0, 2.0, 1.0):
        if m * mag <= x:
            return m * mag
    return mag


def format_lon(lon_deg: float) -> str:
    """A longitude as '130°E' / '170°W' (any turn of it)."""
    w = (lon_deg + 180.0) % 360.0 - 180.0
    if abs(abs(w) - 180.0) < 1e-9:
        return "180°"
    text = f"{abs(w):g}°"
    return text if w == 0 else text + ("E" if w > 0 else "W")


def format_lat(lat_deg: float) -> str:
    """A latitude as '35°N' / '10°S'."""
    text = f"{abs(lat_deg):g}°"
    return text if lat_deg == 0 else text + ("N" if lat_deg > 0 else "S")


def lon_span(lon_deg: ArrayLike) -> tuple[float, float]:
    """The shortest arc of longitude holding every finite value: (west, east) with west in
    [-180, 180) and east >= west (east may pass 180)."""
    lon = np.asarray(lon_deg, dtype=np.float64).ravel()
    lon = np.sort(np.mod(lon[np.isfinite(lon)], 360.0))
    if lon.size == 0:
        return 0.0, 0.0
    gaps = np.diff(np.append(lon, lon[0] + 360.0))
    k = int(np.argmax(gaps))
    west = float(lon[(k + 1) % lon.size])
    east = float(lon[k])
    if east < west:
        east += 360.0
    shift = ((west + 180.0) % 360.0 - 180.0) - west
    return west + shift, east + shift


@dataclass(frozen=True)
class LonLatMap:
    """Longitude/latitude axes over a box; ``lon1_deg`` may pass 180 (see the module)."""

    lon0_deg: float
    lon1_deg: float
    lat0_deg: float
    lat1_deg: float

    @classmethod
    def around(
        cls,
        lat_deg: ArrayLike,
        lon_deg: ArrayLike,
        pad_frac: float = 0.06,
        min_span_deg: float = 3.0,
        shape: float | None = None,
    ) -> LonLatMap:
        """The box around every finite point, padded by ``pad_frac`` of its size; widened
        to ``shape`` (width / height on the page) when given."""
        lat = np.asarray(lat_deg, dtype=np.float64).ravel()
        lat = lat[np.isfinite(lat)]
        west, east = lon_span(lon_deg)
        lat0, lat1 = (float(lat.min()), float(lat.max())) if lat.size else (-10.0, 10.0)
        dlon = max(east - west, min_span_deg)
        dlat = max(lat1 - lat0, min_span_deg)
        clon, clat = 0.5 * (west + east), 0.5 * (lat0 + lat1)
        dlon *= 1.0 + 2.0 * pad_frac
        dlat *= 1.0 + 2.0 * pad_frac
        if shape is not None:
            coslat = max(math.cos(math.radians(clat)), 0.1)
            if dlon * coslat / dlat < shape:
                dlon = shape * dlat / coslat
            else:
                dlat = dlon * coslat / shape
        dlon = min(dlon, 360.0)
        lat0, lat1 = clat - 0.5 * dlat, clat + 0.5 * dlat
        if lat1 > 89.0:
            lat0, lat1 = lat0 - (lat1 - 89.0), 89.0
        if lat0 < -89.0:
            lat0, lat1 = -89.0, min(89.0, lat1 + (-89.0 - lat0))
        return cls(clon - 0.5 * dlon, clon + 0.5 * dlon, lat0, lat1)

    @property
    def centre_lon_deg(self) -> float:
        return 0.5 * (self.lon0_deg + self.lon1_deg)

    @property
    def mid_lat_deg(self) -> float:
        return 0.5 * (self.lat0_deg + self.lat1_deg)

    @property
    def km_per_deg_lon(self) -> float:
        return _KM_PER_DEG * math.cos(math.radians(self.mid_lat_deg))

    def wrap(self, lon_deg: ArrayLike) -> FloatArray:
        """Longitudes moved by whole turns to the copy nearest the view's centre."""
        c = self.centre_lon_deg
        return c + np.mod(np.asarray(lon_deg, dtype=np.float64) - c + 180.0, 360.0) - 180.0

    def xy(self, lat_deg: ArrayLike, lon_deg: ArrayLike) -> tuple[FloatArray, FloatArray]:
        return self.wrap(lon_deg), np.asarray(lat_deg, dtype=np.float64)

    def path_xy(self, lat_deg: ArrayLike, lon_deg: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """A path kept continuous across the antimeridian (unwrapped, then moved as a whole
        next to the view's centre)."""
        lat = np.asarray(lat_deg, dtype=np.float64)
        lon = np.asarray(lon_deg, dtype=np.float64)
        ok = np.isfinite(lat) & np.isfinite(lon)
        lat, lon = lat[ok], lon[ok]
        if lon.size == 0:
            return lon, lat
        u = np.unwrap(lon, period=360.0)
        mid = u[u.size // 2]
        return u + (float(self.wrap(mid)) - mid), lat

    def frame(self, ax: Axes, scale: bool = True) -> None:
        """Limits, aspect, sea, graticule with labelled degrees, and a km scale bar."""
        ax.set_xlim(self.lon0_deg, self.lon1_deg)
        ax.set_ylim(self.lat0_deg, self.lat1_deg)
        ax.set_aspect(1.0 / max(math.cos(math.radians(self.mid_lat_deg)), 0.05))
        ax.set_facecolor(SEA_COLOUR)
        step = nice_step(max(self.lon1_deg - self.lon0_deg, self.lat1_deg - self.lat0_deg), 8)
        xs = np.arange(math.ceil(self.lon0_deg / step) * step, self.lon1_deg + 1e-9, step)
        ys = np.arange(math.ceil(self.lat0_deg / step) * step, self.lat1_deg + 1e-9, step)
        ax.set_xticks(xs, [format_lon(float(x)) for x in xs])
        ax.set_yticks(ys, [format_lat(float(y)) for y in ys])
        ax.tick_params(labelsize=7, length=2)
        ax.grid(True, color=GRID_COLOUR, linewidth=0.5, alpha=0.8)
        ax.set_axisbelow(False)
        if scale:
            self.draw_scale(ax)

    def draw_scale(self, ax: Axes) -> None:
        """A km scale bar in the lower left corner (true at its own latitude)."""
        y = self.lat0_deg + 0.05 * (self.lat1_deg - self.lat0_deg)
        km_per_deg = _KM_PER_DEG * max(math.cos(math.radians(y)), 0.01)
        width_km = 0.22 * (self.lon1_deg - self.lon0_deg) * km_per_deg
        length_km = _nice_below(width_km)
        x0 = self.lon0_deg + 0.04 * (self.lon1_deg - self.lon0_deg)
        x1 = x0 + length_km / km_per_deg
        ax.plot([x0, x1], [y, y], color="black", linewidth=2.0, solid_capstyle="butt", zorder=8)
        ax.text(
            0.5 * (x0 + x1),
            y + 0.012 * (self.lat1_deg - self.lat0_deg),
            f"{length_km:g} km",
            ha="center",
            va="bottom",
            fontsize=7,
            zorder=8,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1.0},
        )

    def draw_land(self, ax: Axes, fill: bool = True) -> None:
        """Land fill, coastlines and borders within the view."""
        rings = _rings_in(self.lon0_deg, self.lat0_deg, self.lon1_deg, self.lat1_deg)
        box = (self.lon0_deg, self.lon1_deg, self.lat0_deg, self.lat1_deg)
        _add_land(ax, rings, box, fill)


@dataclass(frozen=True)
class LocalMap:
    """Azimuthal equidistant view about a point: km east and north, ``radius_km`` from the
    centre to the frame's edge; ``round_frame`` clips everything to that circle."""

    lat_deg: float
    lon_deg: float
    radius_km: float
    round_frame: bool = False
    graticule_deg: float | None = None
    ring_label_deg: float = 35.0  # where the range rings' labels sit, clockwise from north

    def xy(self, lat_deg: ArrayLike, lon_deg: ArrayLike) -> tuple[FloatArray, FloatArray]:
        lat = np.asarray(lat_deg, dtype=np.float64)
        lon = np.asarray(lon_deg, dtype=np.float64)
        az, _, dist = inverse(self.lat_deg, self.lon_deg, lat, lon)
        d_km = np.asarray(dist) / 1e3
        a = np.radians(np.asarray(az))
        return d_km * np.sin(a), d_km * np.cos(a)

    def path_xy(self, lat_deg: ArrayLike, lon_deg: ArrayLike) -> tuple[FloatArray, FloatArray]:
        return self.xy(lat_deg, lon_deg)

    def _sphere_xy(self, lat_deg: FloatArray, lon_deg: FloatArray) -> tuple[FloatArray, FloatArray]:
        """The same view on the sphere of the ellipsoid's mean curvature at the centre [km]:
        ten times faster than geodesics and within 0.5 % of their distance from the centre
        (for coastlines; data points use :meth:`xy`)."""
        s0 = math.sin(math.radians(self.lat_deg))
        c0 = math.cos(math.radians(self.lat_deg))
        radius_km = A_M * math.sqrt(1.0 - E2) / (1.0 - E2 * s0 * s0) / 1e3
        lat, dlon = np.radians(lat_deg), np.radians(lon_deg - self.lon_deg)
        sl, cl, cd = np.sin(lat), np.cos(lat), np.cos(dlon)
        cos_c = np.clip(s0 * sl + c0 * cl * cd, -1.0, 1.0)
        c = np.arccos(cos_c)
        sin_c = np.sin(c)
        k = np.where(sin_c > 1e-12, c / np.where(sin_c > 1e-12, sin_c, 1.0), 1.0) * radius_km
        return k * cl * np.sin(dlon), k * (c0 * sl - s0 * cl * cd)

    def clip_circle(self, ax: Axes) -> Circle | None:
        """The round frame as a clip path for an artist of ``ax`` (None: a square frame)."""
        if not self.round_frame:
            return None
        return Circle((0.0, 0.0), self.radius_km, transform=ax.transData)

    def frame(self, ax: Axes, rings: bool = True) -> None:
        """Limits, sea, labelled range rings about the centre (and the graticule)."""
        r = self.radius_km
        ax.set_xlim(-r, r)
        ax.set_ylim(-r, r)
        ax.set_aspect("equal")
        if self.round_frame:
            ax.set_facecolor("white")
            ax.add_patch(Circle((0.0, 0.0), r, facecolor=SEA_COLOUR, edgecolor="none", zorder=0))
            ax.add_patch(
                Circle((0.0, 0.0), r, facecolor="none", edgecolor="#555555", lw=0.8, zorder=7)
            )
            ax.set_axis_off()
        else:
            ax.set_facecolor(SEA_COLOUR)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel("north up; range rings about the centre", fontsize=7)
        if self.graticule_deg:
            self._graticule(ax)
        if rings:
            step = nice_step(r, 4)
            t = np.linspace(0.0, 2.0 * np.pi, 181)
            for k in np.arange(step, r * (1.0 if self.round_frame else 1.42), step):
                ax.plot(k * np.sin(t), k * np.cos(t), color="#6b7785", lw=0.5, ls=":", zorder=2)
                a = math.radians(self.ring_label_deg)
                if k <= r * 0.98:
                    ax.text(
                        k * math.sin(a),
                        k * math.cos(a),
                        f"{k:,.0f} km" if k >= 10 else f"{k:g} km",
                        fontsize=6,
                        color="#3c4650",
                        ha="left" if math.sin(a) >= 0 else "right",
                        va="bottom" if math.cos(a) >= 0 else "top",
                        zorder=8,
                    )
        ax.plot([0.0], [0.0], marker="+", color="black", markersize=6, zorder=8)

    def _graticule(self, ax: Axes) -> None:
        step = float(self.graticule_deg or 30.0)
        lines = []
        lats = np.arange(-80.0, 80.0 + 1e-9, 2.0)
        for lon in np.arange(-180.0, 180.0, step):
            lines.append((lats, np.full(lats.size, lon)))
        lons = np.arange(-180.0, 180.0 + 1e-9, 2.0)
        for lat in np.arange(-60.0, 60.0 + 1e-9, step):
            lines.append((np.full(lons.size, lat), lons))
        segs = []
        for la, lo in lines:
            x, y = self.xy(la, lo)
            far = np.hypot(x, y) > 1.3 * self.radius_km
            x, y = np.where(far, np.nan, x), np.where(far, np.nan, y)
            segs.append(np.column_stack([x, y]))
        coll = LineCollection(segs, colors=GRID_COLOUR, linewidths=0.5, zorder=1.5)
        ax.add_collection(coll, autolim=False)
        clip = self.clip_circle(ax)
        if clip is not None:
            coll.set_clip_path(clip)

    def _box(self) -> tuple[float, float, float, float] | None:
        """A lon/lat box holding the view (None: the whole world)."""
        reach_km = self.radius_km * 1.5
        dlat = reach_km / _KM_PER_DEG
        if abs(self.lat_deg) + dlat > 85.0:
            return None
        dlon = dlat / math.cos(math.radians(abs(self.lat_deg) + dlat))
        if dlon >= 170.0:
            return None
        return (self.lon_deg - dlon, self.lat_deg - dlat, self.lon_deg + dlon, self.lat_deg + dlat)

    def draw_land(self, ax: Axes, fill: bool = True) -> None:
        """Land fill, coastlines and borders, projected about the centre (land beyond
        15,000 km is left out)."""
        box = self._box()
        if box is None:
            rings = [(r.xy, r.exterior) for r in _rings()]
        else:
            rings = _rings_in(*box)
        if not rings:
            return
        sizes = [len(xy) for xy, _ in rings]
        allpts = np.concatenate([xy for xy, _ in rings])
        x, y = self._sphere_xy(allpts[:, 1], allpts[:, 0])
        pts = np.column_stack([x, y])
        far = np.hypot(x, y) > _FAR_KM
        out = []
        start = 0
        for (_, exterior), n in zip(rings, sizes, strict=True):
            seg = slice(start, start + n)
            start += n
            if not far[seg].any():
                out.append((pts[seg], exterior))
        r = self.radius_km
        _add_land(ax, out, (-r, r, -r, r), fill, self.clip_circle(ax))
