"""Figures of the analyses: the defended footprint, a raid Monte Carlo, strategic reach and
the spent-stage Monte Carlo."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from numpy.typing import NDArray

from bmdsim.analysis.footprint import Footprint
from bmdsim.analysis.montecarlo import MonteCarloResult
from bmdsim.analysis.strategic import StrategicReach, threat_specs
from bmdsim.analysis.threat_sets import StrategicFlight, get_threat_set
from bmdsim.earth.geodesics import distance_m
from bmdsim.earth.places import get_place
from bmdsim.engagement.opportunity import intercept_window
from bmdsim.engagement.run import fly_threats
from bmdsim.interceptors.booster_mc import BoosterDispersion
from bmdsim.interceptors.flyout import flyout_fan
from bmdsim.viz.basemap import LocalMap, LonLatMap, nice_step
from bmdsim.viz.falls import StagePoints, fall_panel, panel_radii_km
from bmdsim.viz.labels import MapLabels
from bmdsim.viz.style import (
    BATTERY_COLOUR,
    LAUNCH_COLOUR,
    OUTCOME_COLOURS,
    TARGET_COLOUR,
    new_figure,
)

__all__ = [
    "BatterySite",
    "StrategicPath",
    "booster_dispersion_figure",
    "footprint_figure",
    "montecarlo_figure",
    "strategic_figure",
    "strategic_paths",
]

FloatArray = NDArray[np.float64]

#: footprint cell colours: land not threatened, threatened and defended, threatened and not
UNTHREATENED_COLOUR = "#c8c8c8"
DEFENDED_COLOUR = "#2f9e44"
UNDEFENDED_COLOUR = "#e03131"


@dataclass(frozen=True)
class BatterySite:
    """A battery to mark on a map."""

    name: str
    lat_deg: float
    lon_deg: float


# ---- footprint --------------------------------------------------------------------------------


def _cells_rgba(
    view: LonLatMap,
    lat: FloatArray,
    lon: FloatArray,
    grid_deg: float,
    threatened: NDArray[np.bool_],
    defended: NDArray[np.bool_],
) -> tuple[NDArray[np.float64], tuple[float, float, float, float]] | None:
    """The cells as an RGBA image on their own grid and its extent (None: no cells)."""
    if lat.size == 0:
        return None
    x, y = view.xy(lat, lon)
    x0, y0 = float(x.min()), float(y.min())
    j = np.rint((x - x0) / grid_deg).astype(int)
    i = np.rint((y - y0) / grid_deg).astype(int)
    img = np.zeros((int(i.max()) + 1, int(j.max()) + 1, 4))
    colours = {
        "u": (*_rgb(UNTHREATENED_COLOUR), 0.85),
        "d": (*_rgb(DEFENDED_COLOUR), 0.8),
        "x": (*_rgb(UNDEFENDED_COLOUR), 0.8),
    }
    kind = np.where(~threatened, "u", np.where(defended, "d", "x"))
    for k, rgba in colours.items():
        m = kind == k
        img[i[m], j[m]] = rgba
    h = 0.5 * grid_deg
    extent = (
        x0 - h,
        x0 + h + grid_deg * (img.shape[1] - 1),
        y0 - h,
        y0 + h + grid_deg * (img.shape[0] - 1),
    )
    return img, extent


def _rgb(colour: str) -> tuple[float, float, float]:
    c = colour.lstrip("#")
    return (int(c[0:2], 16) / 255.0, int(c[2:4], 16) / 255.0, int(c[4:6], 16) / 255.0)


def _pct(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{100.0 * x:.1f} %"


def _fraction(weight: FloatArray, num: NDArray[np.bool_], den: NDArray[np.bool_]) -> float:
    total = float(weight[den].sum())
    return float(weight[num & den].sum()) / total if total > 0.0 else math.nan


def footprint_figure(fp: Footprint, batteries: Sequence[BatterySite] = ()) -> Figure:
    """Land cells over coastlines: defended, threatened but not defended, not threatened;
    one panel for every launch area together and, with several, one per launch area (its
    own threats only: a cell is defended when each of them has an engagement
    opportunity)."""
    areas = fp.launch_areas
    panels: list[tuple[str, NDArray[np.bool_], NDArray[np.bool_]]] = [
        ("every launch area", fp.threatened, fp.defended)
    ]
    if len(areas) > 1:
        for area in areas:
            rows = np.array([k.launch == area for k in fp.kinds])
            opp = fp.kind_opportunities[rows]
            thr = (opp >= 0).any(axis=0)
            panels.append((f"from {area}", thr, thr & ~(opp == 0).any(axis=0)))
    n = len(panels)
    cols = 1 if n == 1 else (2 if n <= 4 else 3)
    rows_n = math.ceil(n / cols)
    reg = fp.region
    view = LonLatMap(reg.lon0_deg, reg.lon1_deg, reg.lat0_deg, reg.lat1_deg)
    shape = (view.lon1_deg - view.lon0_deg) * math.cos(math.radians(view.mid_lat_deg))
    shape /= max(view.lat1_deg - view.lat0_deg, 1e-6)
    width = 9.0 if cols == 1 else 5.0 * cols
    panel_w = width / cols
    fig = new_figure(width, rows_n * (panel_w / max(shape, 0.3) * 0.85 + 0.7) + 0.6)
    launches = {k.launch: (k.launch_lat_deg, k.launch_lon_deg) for k in fp.kinds}
    for p, (title, thr, dfd) in enumerate(panels):
        ax = fig.add_subplot(rows_n, cols, p + 1)
        view.frame(ax, scale=(p == 0))
        view.draw_land(ax)
        cells = _cells_rgba(view, fp.lat_deg, fp.lon_deg, fp.grid_deg, thr, dfd)
        if cells is not None:
            img, extent = cells
            ax.imshow(img, extent=extent, origin="lower", interpolation="nearest", zorder=1.1)
            view.frame(ax, scale=False)  # imshow resets the limits and aspect
        for name, (la, lo) in launches.items():
            if p == 0 or title == f"from {name}":
                x, y = view.xy(la, lo)
                ax.plot(x, y, "^", color=LAUNCH_COLOUR, ms=8, mec="white", zorder=8)
                ax.annotate(name, (x, y), xytext=(4, 3), textcoords="offset points", fontsize=7)
        for b in batteries:
            x, y = view.xy(b.lat_deg, b.lon_deg)
            ax.plot(x, y, "s", color=BATTERY_COLOUR, ms=6, mec="white", zorder=8)
            ax.annotate(
                b.name,
                (x, y),
                xytext=(4, -9),
                textcoords="offset points",
                fontsize=7,
                fontweight="bold",
            )
        share = _fraction(fp.weight, dfd, thr)
        ax.set_title(f"{title}: {_pct(share)} of the threatened land defended", fontsize=9)
    handles = [
        Patch(color=DEFENDED_COLOUR, label="threatened, defended"),
        Patch(color=UNDEFENDED_COLOUR, label="threatened, not defended"),
        Patch(color=UNTHREATENED_COLOUR, label="not threatened"),
        Line2D([], [], marker="^", ls="none", color=LAUNCH_COLOUR, label="launch area"),
        Line2D([], [], marker="s", ls="none", color=BATTERY_COLOUR, label="battery"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=5, fontsize=7, frameon=False)
    fig.suptitle(
        f"{fp.scenario}: defended footprint over {reg.name} ({fp.grid_deg:g} deg cells)",
        fontsize=11,
    )
    fig.subplots_adjust(left=0.07, right=0.98, top=0.92, bottom=0.09, wspace=0.2, hspace=0.25)
    return fig


# ---- Monte Carlo ------------------------------------------------------------------------------


def _histogram(
    ax: Axes,
    values: FloatArray,
    mean: float,
    ci: Sequence[float | None],
    what: str,
    upto: int | None = None,
) -> None:
    """A histogram of integer counts per trial, its mean and the mean's interval; the axis
    runs from 0 to ``upto`` at least when given."""
    v = np.asarray(values, dtype=np.float64)
    lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 1.0)
    bins = np.arange(math.floor(lo) - 0.5, math.ceil(hi) + 1.5, 1.0)
    if bins.size > 80:
        bins = np.linspace(lo - 0.5, hi + 0.5, 60)
    ax.hist(v, bins=bins.tolist(), color="#7a9cc6", edgecolor="white", zorder=2)
    c0, c1 = ci[0], ci[1]
    if c0 is not None and c1 is not None and math.isfinite(c0) and math.isfinite(c1):
        ax.axvspan(c0, c1, color="#f08c00", alpha=0.25, zorder=1, label="95 % CI of the mean")
        ci_text = f", 95 % CI [{c0:.3g}, {c1:.3g}]"
    else:
        ci_text = ""
    if math.isfinite(mean):
        ax.axvline(mean, color="#c92a2a", lw=1.5, zorder=3, label=f"mean {mean:.3g}")
    if upto is not None:
        ax.set_xlim(min(lo, 0.0) - 0.5, max(hi, float(upto)) + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(what, fontsize=8)
    ax.set_ylabel("trials", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, axis="y", color="#dddddd", lw=0.5)
    ax.set_title(f"{what}: mean {mean:.3g}{ci_text}", fontsize=9)
    ax.legend(fontsize=7, loc="upper right")


def montecarlo_figure(res: MonteCarloResult, scenario: str) -> Figure:
    """Histograms over the trials of the leakers per raid and of the interceptors used,
    with their means and the 95 % confidence intervals of the means."""
    s = res.summary
    fig = new_figure(10.0, 4.2)
    ax1 = fig.add_subplot(1, 2, 1)
    ax2 = fig.add_subplot(1, 2, 2)
    threats = s.get("threats")
    _histogram(
        ax1,
        res.trials["leakers"],
        s["leakers_mean"],
        s["leakers_ci95"],
        "leakers per raid",
        int(threats) if threats is not None else None,
    )
    _histogram(
        ax2,
        res.trials["interceptors_used"],
        s["interceptors_used_mean"],
        s["interceptors_used_ci95"],
        "interceptors used",
    )
    p0 = s["p_zero_leakers"]
    fig.suptitle(
        f"{scenario}: {s['trials']:,} trials (seed {res.seed}); P(no leaker) = {p0:.3f}",
        fontsize=11,
    )
    fig.subplots_adjust(left=0.07, right=0.98, top=0.84, bottom=0.13, wspace=0.22)
    return fig


# ---- strategic reach --------------------------------------------------------------------------


@dataclass(frozen=True)
class StrategicPath:
    """A flight of a strategic-reach run: its ground track (every ``step_s``) and the part
    of it an interceptor launched at the threat's lift-off could reach (the kinematic
    window, every second: NaN elsewhere)."""

    lat_deg: FloatArray
    lon_deg: FloatArray
    reach_lat_deg: FloatArray
    reach_lon_deg: FloatArray


def strategic_paths(
    reach: StrategicReach,
    flights: Sequence[StrategicFlight] | None = None,
    step_s: float = 10.0,
) -> list[StrategicPath]:
    """The flights of a strategic-reach run, flown again (the same deterministic aim and
    flight) with their kinematic windows. ``flights``: the run's own (default: its
    built-in set's)."""
    specs = threat_specs(get_threat_set(reach.threat_set) if flights is None else flights)
    fan = flyout_fan(reach.interceptor)
    out = []
    for fl in fly_threats(specs):
        traj = fl.trajectory
        t_end = traj.impact_time_s if math.isfinite(traj.impact_time_s) else traj.t_s[-1]
        t = np.append(np.arange(float(traj.t_s[0]), float(t_end), step_s), float(t_end))
        lat, lon, _ = traj.geodetic(t)
        w = intercept_window(
            traj, fan, reach.site_lat_deg, reach.site_lon_deg, fl.spec.launch_time_s
        )
        if w.any:
            rl, ro, _ = traj.geodetic(w.t_intercept_s)
            rl = np.where(w.feasible, rl, np.nan)
            ro = np.where(w.feasible, ro, np.nan)
        else:
            rl = ro = np.empty(0)
        out.append(StrategicPath(np.asarray(lat), np.asarray(lon), rl, ro))
    return out


def strategic_figure(reach: StrategicReach, paths: Sequence[StrategicPath]) -> Figure:
    """Map about the site (azimuthal equidistant, true distances from it): every flight's
    ground track, engageable or not; the part an interceptor could reach kinematically; the
    earliest feasible intercept with the sensors."""
    if len(paths) != len(reach.trajectories):
        raise ValueError(f"{len(paths)} paths for {len(reach.trajectories)} trajectories")
    dmax = 0.0
    for p in paths:
        d = np.asarray(distance_m(reach.site_lat_deg, reach.site_lon_deg, p.lat_deg, p.lon_deg))
        dmax = max(dmax, float(np.nanmax(d)) / 1e3 if d.size else 0.0)
    radius = min(max(1.06 * dmax, 2000.0), 14_000.0)
    view = LocalMap(
        reach.site_lat_deg,
        reach.site_lon_deg,
        radius,
        round_frame=True,
        graticule_deg=30,
        ring_label_deg=215.0,
    )
    fig = new_figure(9.0, 8.6)
    ax = fig.add_axes((0.02, 0.08, 0.96, 0.85))
    view.frame(ax)
    view.draw_land(ax)
    clip = view.clip_circle(ax)
    kill = OUTCOME_COLOURS["killed"]
    places: dict[str, str] = {}
    for tr, p in zip(reach.trajectories, paths, strict=True):
        x, y = view.path_xy(p.lat_deg, p.lon_deg)
        colour = kill if tr.engageable else "#6c757d"
        (line,) = ax.plot(x, y, color=colour, lw=1.4 if tr.engageable else 0.8, zorder=3)
        line.set_clip_path(clip)
        if p.reach_lat_deg.size:
            rx, ry = view.path_xy(p.reach_lat_deg, p.reach_lon_deg)
            (seg,) = ax.plot(rx, ry, color="#f08c00", lw=4.0, alpha=0.7, zorder=4)
            seg.set_clip_path(clip)
        if tr.engageable and math.isfinite(tr.intercept_lat_deg):
            ix, iy = view.xy(tr.intercept_lat_deg, tr.intercept_lon_deg)
            ax.plot(ix, iy, "*", color=kill, ms=13, mec="black", mew=0.6, zorder=6)
        places.setdefault(tr.launch, "launch")
        places.setdefault(tr.target, "target")
    ax.plot(0.0, 0.0, "s", color=BATTERY_COLOUR, ms=8, mec="white", zorder=9)
    labels = MapLabels(ax, fontsize=6.5)
    labels.mark(0.0, 0.0, 5.0)
    shown: list[tuple[float, float, str]] = []
    for name, kind in places.items():
        pl = get_place(name)
        x, y = view.xy(pl.lat_deg, pl.lon_deg)
        if math.hypot(float(x), float(y)) > radius:
            continue
        marker, colour = ("^", LAUNCH_COLOUR) if kind == "launch" else ("o", TARGET_COLOUR)
        ax.plot(x, y, marker, color=colour, ms=6 if kind == "launch" else 3.5, zorder=7)
        labels.mark(float(x), float(y))
        shown.append((float(x), float(y), name))
    labels.add(0.0, 0.0, reach.site, fontweight="bold")
    for px, py, name in shown:
        labels.add(px, py, name)
    n = len(reach.trajectories)
    handles = [
        Line2D([], [], color=kill, lw=1.4, label="engageable (with the sensors)"),
        Line2D([], [], color="#6c757d", lw=0.8, label="not engageable"),
        Line2D([], [], color="#f08c00", lw=4.0, alpha=0.7, label="kinematically reachable part"),
        Line2D(
            [],
            [],
            ls="none",
            marker="*",
            color=kill,
            mec="black",
            ms=11,
            label="earliest feasible intercept",
        ),
        Line2D(
            [],
            [],
            ls="none",
            marker="s",
            color=BATTERY_COLOUR,
            label=f"battery ({reach.interceptor})",
        ),
        Line2D([], [], ls="none", marker="^", color=LAUNCH_COLOUR, label="launch area"),
        Line2D([], [], ls="none", marker="o", color=TARGET_COLOUR, ms=3.5, label="target"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=7, frameon=False)
    sensors = "own radar only" if reach.own_sensors_only else "own radar and allied sensors"
    ax.set_title(
        f"{reach.threat_set}: {reach.engageable} of {n} trajectories engageable from "
        f"{reach.site} ({sensors})\nrange rings every {nice_step(radius, 4):,.0f} km, "
        "graticule every 30 deg",
        fontsize=10,
    )
    return fig


# ---- spent-stage Monte Carlo ------------------------------------------------------------------


def booster_dispersion_figure(res: BoosterDispersion, site: str) -> Figure:
    """The spent stages' fall points over the trials with each stage's 1- and 2-sigma
    ellipses and mean point: a close-up of the first stage and a view of every stage, in km
    from the launcher."""
    stages = [
        StagePoints(
            s.stage,
            s.lat_deg,
            s.lon_deg,
            s.distance_m / 1e3,
            (s.country,) if s.country else (),
        )
        for s in res.stages
    ]
    fig = new_figure(9.0, 5.0)
    if not stages:
        fig.text(0.5, 0.5, "no spent stage", ha="center", va="center")
        return fig
    near, far = panel_radii_km(stages)
    for j, radius in enumerate((near, far)):
        ax = fig.add_subplot(1, 2, j + 1)
        what = "close-up" if j == 0 else "every spent stage"
        fall_panel(ax, res.lat_deg, res.lon_deg, radius, stages, f"{site}: {what}", ellipses=True)
    fig.suptitle(
        f"{res.interceptor} from {site}, azimuth {res.azimuth_deg:.1f} deg: {res.trials:,} trials",
        fontsize=11,
    )
    fig.subplots_adjust(left=0.03, right=0.97, top=0.86, bottom=0.06, wspace=0.08)
    return fig
