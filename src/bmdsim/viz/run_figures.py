"""Figures of one engagement run: the map, the threats' altitude profiles, the engagement
timeline and the spent stages around each site.

The map, profiles and fall points are drawn from a :class:`~bmdsim.engagement.scene.Scene`
(:func:`~bmdsim.engagement.scene.scene_of`); the timeline from the run's JSON document
(:meth:`~bmdsim.engagement.results.RunResult.to_dict`), so that it shows exactly the times
that document reports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from bmdsim.earth.geodesics import distance_m
from bmdsim.engagement.scene import Scene, SceneSite
from bmdsim.viz.basemap import LonLatMap
from bmdsim.viz.falls import StagePoints, fall_panel, panel_radii_km
from bmdsim.viz.labels import MapLabels
from bmdsim.viz.style import (
    ALLIED_COLOUR,
    BATTERY_COLOUR,
    INTERCEPTOR_COLOUR,
    LAUNCH_COLOUR,
    MISS_COLOUR,
    OUTCOME_COLOURS,
    OWN_COLOUR,
    TARGET_COLOUR,
    new_figure,
    stage_colour,
)

__all__ = ["booster_falls_figure", "profile_figure", "run_map_figure", "timeline_figure"]

#: batteries drawn in the fall-point figure at most (those that fired most)
MAX_FALL_SITES = 6

_KILL_MARKER: dict[str, Any] = {
    "marker": "*",
    "markersize": 11,
    "markeredgecolor": "black",
    "markeredgewidth": 0.5,
}
_MISS_MARKER: dict[str, Any] = {
    "marker": "o",
    "markersize": 6,
    "markerfacecolor": "none",
    "markeredgewidth": 1.1,
}


def _outcome_colour(outcome: str | None) -> str:
    return OUTCOME_COLOURS.get(outcome or "", MISS_COLOUR)


def _map_view(scene: Scene, shape: float | None = None) -> LonLatMap:
    """The box around the places, sites, tracks and fall points of a scene."""
    lats: list[np.ndarray] = []
    lons: list[np.ndarray] = []
    for t in scene.tracks:
        lats.append(t.lat_deg)
        lons.append(t.lon_deg)
    pts = [*scene.places, *scene.booster_impacts]
    lats.append(np.array([p["lat_deg"] for p in pts], dtype=float))
    lons.append(np.array([p["lon_deg"] for p in pts], dtype=float))
    sites = [s for s in scene.sites if math.isfinite(s.lat_deg)]
    lats.append(np.array([s.lat_deg for s in sites], dtype=float))
    lons.append(np.array([s.lon_deg for s in sites], dtype=float))
    return LonLatMap.around(np.concatenate(lats), np.concatenate(lons), shape=shape)


def run_map_figure(scene: Scene) -> Figure:
    """Map of a run: launch areas and targets, batteries, radars with their coverage rings
    (for a target at the scene's coverage altitude), the threats' ground tracks coloured by
    outcome (a killed threat's track ends at the kill), interceptor fly-outs, intercept
    points (kill or not) and the spent stages' fall points."""
    view = _map_view(scene, shape=1.45)
    fig = new_figure(10.0, 7.2)
    ax = fig.add_axes((0.06, 0.06, 0.91, 0.86))
    view.frame(ax)
    view.draw_land(ax)
    radars = [s for s in scene.sites if s.kind == "radar"]
    for s in radars:
        colour = OWN_COLOUR if s.owner == "own" else ALLIED_COLOUR
        if s.coverage_lat_deg.size:
            x, y = view.path_xy(s.coverage_lat_deg, s.coverage_lon_deg)
            ax.plot(x, y, color=colour, lw=0.7, ls="--", alpha=0.55, zorder=2)
        x, y = view.xy(s.lat_deg, s.lon_deg)
        ax.plot(x, y, "d", color=colour, markersize=5, markeredgecolor="white", zorder=6)
    for t in scene.interceptor_tracks():
        x, y = view.path_xy(t.lat_deg, t.lon_deg)
        ax.plot(x, y, color=INTERCEPTOR_COLOUR, lw=0.7, alpha=0.75, zorder=3)
    for t in scene.threat_tracks():
        colour = _outcome_colour(t.properties.get("outcome"))
        x, y = view.path_xy(t.lat_deg, t.lon_deg)
        ax.plot(x, y, color=colour, lw=1.6, zorder=4, solid_capstyle="round")
        if t.properties.get("outcome") != "killed" and x.size:
            ax.plot(x[-1], y[-1], "v", color=colour, markersize=6, zorder=5)
    for b in scene.booster_impacts:
        x, y = view.xy(b["lat_deg"], b["lon_deg"])
        ax.plot(x, y, ".", color=stage_colour(int(b["stage"])), markersize=4, zorder=5)
    for p in scene.intercepts:
        x, y = view.xy(p["lat_deg"], p["lon_deg"])
        if p["kill"]:
            ax.plot(x, y, color=OUTCOME_COLOURS["killed"], zorder=7, **_KILL_MARKER)
        else:
            ax.plot(x, y, color=MISS_COLOUR, zorder=7, **_MISS_MARKER)
    labels = MapLabels(ax)
    named: list[tuple[float, float, str, bool]] = []
    for s in scene.sites:
        if s.kind == "battery":
            x, y = view.xy(s.lat_deg, s.lon_deg)
            ax.plot(x, y, "s", color=BATTERY_COLOUR, markersize=7, mec="white", zorder=8)
            named.append((float(x), float(y), s.name, True))
    for p in scene.places:
        x, y = view.xy(p["lat_deg"], p["lon_deg"])
        if p["kind"] == "launch":
            ax.plot(x, y, "^", color=LAUNCH_COLOUR, markersize=8, mec="white", zorder=8)
        else:
            ax.plot(x, y, "o", color=TARGET_COLOUR, markersize=3.5, zorder=8)
        named.append((float(x), float(y), p["name"], False))
    for px, py, _, _ in named:
        labels.mark(px, py)
    done: set[str] = set()
    for px, py, name, bold in named:
        if name not in done:
            labels.add(px, py, name, fontweight="bold" if bold else "normal")
            done.add(name)
    stages = sorted({int(b["stage"]) for b in scene.booster_impacts})
    handles = [
        Line2D([], [], color=OUTCOME_COLOURS[k], lw=1.6, label=f"threat {k.replace('_', ' ')}")
        for k in ("killed", "leaked", "no_opportunity")
        if any(t.properties.get("outcome") == k for t in scene.threat_tracks())
    ]
    handles += [
        Line2D([], [], color=INTERCEPTOR_COLOUR, lw=0.8, label="interceptor fly-out"),
        Line2D([], [], ls="none", color=OUTCOME_COLOURS["killed"], label="kill", **_KILL_MARKER),
        Line2D([], [], ls="none", color=MISS_COLOUR, label="intercept, no kill", **_MISS_MARKER),
        Line2D([], [], marker="^", ls="none", color=LAUNCH_COLOUR, label="launch area"),
        Line2D([], [], marker="o", ls="none", color=TARGET_COLOUR, ms=3.5, label="target"),
        Line2D([], [], marker="s", ls="none", color=BATTERY_COLOUR, label="battery"),
    ]
    if any(s.owner == "own" for s in radars):
        handles.append(
            Line2D([], [], marker="d", color=OWN_COLOUR, ls="--", lw=0.7, label="own radar")
        )
    if any(s.owner != "own" for s in radars):
        handles.append(
            Line2D([], [], marker="d", color=ALLIED_COLOUR, ls="--", lw=0.7, label="allied radar")
        )
    handles += [
        Line2D([], [], marker=".", ls="none", color=stage_colour(k), label=f"stage {k} falls")
        for k in stages
    ]
    ax.legend(handles=handles, loc="upper left", fontsize=7, framealpha=0.9, ncol=2)
    space = [s.name for s in scene.sites if s.kind == "space_sensor"]
    alt_km = next((s.coverage_alt_m / 1e3 for s in radars), math.nan)
    note = f"radar coverage for a 0.1 m² target at {alt_km:.0f} km" if radars else ""
    if space:
        note += ("; " if note else "") + "space sensors: " + ", ".join(space)
    ax.set_title(f"{scene.name}: ground tracks, fly-outs and intercepts", fontsize=11)
    if note:
        fig.text(0.06, 0.015, note, fontsize=7, color="#444444")
    return fig


def _ranges_km(lat0: float, lon0: float, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    return np.asarray(distance_m(lat0, lon0, lat, lon)) / 1e3


def profile_figure(scene: Scene) -> Figure:
    """Altitude versus ground range from the launch point, one line per threat (a killed
    threat's line ends at the kill), with its intercept points."""
    threats = scene.threat_tracks()
    fig = new_figure(10.0, 5.2)
    ax = fig.add_axes((0.07, 0.1, 0.68, 0.8))
    colours = _threat_colours(len(threats))
    handles = []
    for t, colour in zip(threats, colours, strict=True):
        r = _ranges_km(float(t.lat_deg[0]), float(t.lon_deg[0]), t.lat_deg, t.lon_deg)
        ax.plot(r, t.alt_m / 1e3, color=colour, lw=1.3, zorder=3)
        outcome = t.properties.get("outcome")
        if outcome != "killed":
            ax.plot(r[-1], t.alt_m[-1] / 1e3, "v", color=_outcome_colour(outcome), zorder=5)
        for p in scene.intercepts:
            if p["threat"] != t.name or not math.isfinite(p["lat_deg"]):
                continue
            d = _ranges_km(float(t.lat_deg[0]), float(t.lon_deg[0]), p["lat_deg"], p["lon_deg"])
            if p["kill"]:
                ax.plot(d, p["alt_m"] / 1e3, color=colour, zorder=6, **_KILL_MARKER)
            else:
                ax.plot(d, p["alt_m"] / 1e3, color=colour, zorder=6, **_MISS_MARKER)
        handles.append(Line2D([], [], color=colour, lw=1.3, label=f"{t.name} ({outcome})"))
    handles += [
        Line2D([], [], ls="none", color="#888888", label="kill", **_KILL_MARKER),
        Line2D([], [], ls="none", color="#555555", label="intercept, no kill", **_MISS_MARKER),
        Line2D([], [], ls="none", marker="v", color=OUTCOME_COLOURS["leaked"], label="impact"),
    ]
    ax.set_xlabel("ground range from launch [km]", fontsize=8)
    ax.set_ylabel("altitude [km]", fontsize=8)
    ax.set_ylim(bottom=0.0)
    ax.set_xlim(left=0.0)
    ax.tick_params(labelsize=7)
    ax.grid(True, color="#dddddd", lw=0.5)
    ax.set_title(f"{scene.name}: altitude profiles", fontsize=11)
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.76, 0.5), fontsize=7)
    return fig


def _threat_colours(n: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


#: timeline markers: event kind -> (marker, colour, label)
_EVENT_STYLE: dict[str, tuple[str, str, str]] = {
    "ir_detection": ("o", "#e08a00", "infrared detection"),
    "radar_detection": ("o", "#222222", "radar detection"),
    "track_initiated": ("|", "#222222", "track initiated"),
    "fire_control_track": ("D", OWN_COLOUR, "fire-control track"),
    "interceptor_launch": ("^", INTERCEPTOR_COLOUR, "interceptor launch"),
}


def _first(events: Sequence[dict[str, Any]], kind: str) -> float | None:
    ts = [e["t_s"] for e in events if e["kind"] == kind and e["t_s"] is not None]
    return min(ts) if ts else None


def timeline_figure(run: dict[str, Any]) -> Figure:
    """The engagement timeline of a run's JSON document: per threat a row from launch to
    impact or kill, with its first infrared and radar detections, track initiation,
    fire-control track, interceptor launches and intercepts (kill or not)."""
    threats = run["threats"]
    n = len(threats)
    height_in = 1.6 + 0.32 * max(n, 1)
    fig = new_figure(10.0, height_in)
    ax = fig.add_axes((0.17, 1.0 / height_in, 0.62, 1.0 - 1.4 / height_in))
    seen: set[str] = set()
    for row, t in enumerate(threats):
        y = n - 1 - row
        start, end = t["launch_time_s"], t["impact_time_s"]
        hits = [
            e["intercept_t_s"]
            for e in t["engagements"]
            if e["hit"] and e["intercept_t_s"] is not None
        ]
        stop = min(hits) if t["outcome"] == "killed" and hits else end
        colour = _outcome_colour(t["outcome"])
        if start is not None and end is not None:
            ax.plot([start, end], [y, y], color="#cccccc", lw=1.0, zorder=1)
        if start is not None and stop is not None:
            ax.plot([start, stop], [y, y], color=colour, lw=3.0, alpha=0.55, zorder=2)
        for kind, (marker, mcolour, _) in _EVENT_STYLE.items():
            ts = [e["t_s"] for e in t["events"] if e["kind"] == kind]
            if kind != "interceptor_launch":
                first = _first(t["events"], kind)
                ts = [] if first is None else [first]
            if ts:
                seen.add(kind)
                ax.plot(ts, [y] * len(ts), marker, color=mcolour, ms=5, ls="none", zorder=4)
        for e in t["engagements"]:
            ti = e["intercept_t_s"]
            if ti is None:
                continue
            if e["hit"] and ti == stop and t["outcome"] == "killed":
                ax.plot(ti, y, color=OUTCOME_COLOURS["killed"], zorder=5, **_KILL_MARKER)
            else:
                ax.plot(ti, y, color=MISS_COLOUR, zorder=5, **_MISS_MARKER)
        if t["outcome"] != "killed" and end is not None:
            ax.plot(end, y, "v", color=colour, ms=7, zorder=5)
        why = t["outcome"].replace("_", " ") + (f" ({t['reason']})" if t["reason"] else "")
        ax.annotate(
            why,
            (1.0, y),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
            color=colour,
        )
    ax.set_yticks(range(n), [t["name"] for t in reversed(threats)])
    ax.set_ylim(-0.7, n - 0.3)
    ax.tick_params(labelsize=7)
    ax.set_xlabel("time since the scenario epoch [s]", fontsize=8)
    ax.grid(True, axis="x", color="#dddddd", lw=0.5)
    ax.set_title(f"{run['scenario']}: engagement timeline", fontsize=11)
    handles = [
        Line2D([], [], marker=m, color=c, ls="none", label=label)
        for kind, (m, c, label) in _EVENT_STYLE.items()
        if kind in seen
    ]
    handles += [
        Line2D([], [], ls="none", color=OUTCOME_COLOURS["killed"], label="kill", **_KILL_MARKER),
        Line2D([], [], ls="none", color=MISS_COLOUR, label="intercept, no kill", **_MISS_MARKER),
        Line2D([], [], marker="v", ls="none", color=OUTCOME_COLOURS["leaked"], label="impact"),
        Line2D([], [], color="#cccccc", lw=1.0, label="flight to impact"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=5, fontsize=7, frameon=False)
    return fig


def _stages_of(scene: Scene, battery: str) -> list[StagePoints]:
    rows = [b for b in scene.booster_impacts if b["battery"] == battery]
    out = []
    for k in sorted({int(b["stage"]) for b in rows}):
        xs = [b for b in rows if int(b["stage"]) == k]
        out.append(
            StagePoints(
                k,
                np.array([b["lat_deg"] for b in xs], dtype=float),
                np.array([b["lon_deg"] for b in xs], dtype=float),
                np.array([b["distance_km"] for b in xs], dtype=float),
                tuple(str(b["country"]) for b in xs),
            )
        )
    return out


def booster_falls_figure(scene: Scene) -> Figure:
    """Per battery that fired: a close-up of the first stages' fall points about the
    launcher and a wider view with every spent stage, in km from the launcher."""
    counts: dict[str, int] = {}
    for b in scene.booster_impacts:
        counts[b["battery"]] = counts.get(b["battery"], 0) + 1
    sites: list[SceneSite] = [
        s for s in scene.sites if s.kind == "battery" and counts.get(s.name, 0) > 0
    ]
    sites = sorted(sites, key=lambda s: -counts[s.name])[:MAX_FALL_SITES]
    rows = max(len(sites), 1)
    fig = new_figure(9.0, 0.3 + 4.5 * rows)
    if not sites:
        fig.text(0.5, 0.5, "no interceptor was fired", ha="center", va="center")
        return fig
    for i, s in enumerate(sites):
        stages = _stages_of(scene, s.name)
        near, far = panel_radii_km(stages)
        for j, radius in enumerate((near, far)):
            ax = fig.add_subplot(rows, 2, 2 * i + j + 1)
            what = "close-up" if j == 0 else "every spent stage"
            fall_panel(ax, s.lat_deg, s.lon_deg, radius, stages, f"{s.name} ({s.cls}): {what}")
    top = 1.0 - 0.35 / fig.get_figheight()
    fig.subplots_adjust(left=0.03, right=0.97, top=top, bottom=0.04, wspace=0.08, hspace=0.18)
    return fig
