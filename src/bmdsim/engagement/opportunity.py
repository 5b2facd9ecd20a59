"""Engagement opportunities: when a battery can intercept a threat, and when it must launch.

For a threat trajectory and a battery's fly-out fan, every instant t of the threat's flight
gives a point (ground range from the battery, altitude); the fan gives the interceptor's time
of flight T to it (NaN outside the fan or the altitude, range and time-of-flight limits), so an
intercept at t needs a launch at t - T. An intercept at t is *feasible* when the launch time is
not before the battery is ready to fire (fire-control track + reaction time) and the threat is
still flying. These windows say *when* an intercept is kinematically possible; *where* the
interceptor is sent, and whether its kill vehicle can make up the track's error, is fire
control from the track estimate (:mod:`bmdsim.engagement.handover`).

When a battery has a track but no feasible intercept, :func:`window_reason` says why:
``out_of_reach`` (no point of the flight within the fan's kinematic reach, its engagement
range and its time of flight), ``below_min_altitude`` / ``above_max_altitude`` (reachable
only outside the class's intercept altitudes), or ``too_late`` (reachable, but only with a
launch before the battery was ready).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from bmdsim._core.view_kernels import flight_view
from bmdsim.earth.geodetic import geodetic_to_ecef
from bmdsim.earth.wgs84 import R_MEAN_M
from bmdsim.flight.trajectory import Trajectory, sample_many
from bmdsim.interceptors.flyout import FlyoutFan

__all__ = [
    "WINDOW_REASONS",
    "FlightGeometry",
    "Window",
    "earliest_intercepts",
    "flight_geometries",
    "flight_geometry",
    "intercept_window",
    "window_from",
    "window_reason",
]

#: time step of the intercept-time search [s]
DT_S = 1.0
#: flights whose samples :func:`flight_geometries` converts together (bounds its memory)
GEOMETRY_BLOCK = 1000

WINDOW_REASONS = ("out_of_reach", "below_min_altitude", "above_max_altitude", "too_late")


@dataclass(frozen=True)
class Window:
    """Feasible intercepts of one threat by one battery (times since the epoch)."""

    t_intercept_s: NDArray[np.float64]  # candidate intercept times (feasible ones finite)
    t_launch_s: NDArray[np.float64]  # launch time for each (NaN where infeasible)
    ground_range_m: NDArray[np.float64]
    altitude_m: NDArray[np.float64]

    # the window's arrays are not changed after it is made: what is derived from them is
    # computed once (a window is read by every Monte Carlo trial that reuses it)
    @cached_property
    def feasible(self) -> NDArray[np.bool_]:
        return np.isfinite(self.t_launch_s)

    @cached_property
    def feasible_index(self) -> NDArray[np.int64]:
        return np.flatnonzero(self.feasible)

    @cached_property
    def any(self) -> bool:
        return bool(self.feasible_index.size)

    @cached_property
    def earliest_s(self) -> float:
        k = self.feasible_index
        return float(self.t_intercept_s[k[0]]) if k.size else math.nan

    @cached_property
    def latest_s(self) -> float:
        k = self.feasible_index
        return float(self.t_intercept_s[k[-1]]) if k.size else math.nan

    def first_after_launch(self, t_launch_min_s: float) -> int | None:
        """Index of the earliest feasible intercept whose launch is at or after a time."""
        ok = self.feasible & (self.t_launch_s >= t_launch_min_s - 1e-9)
        idx = np.flatnonzero(ok)
        return int(idx[0]) if idx.size else None


@dataclass(frozen=True)
class FlightGeometry:
    """A flight seen from a battery every ``DT_S`` from launch to impact: ground range,
    altitude and the fan's time of flight to each point (NaN where unreachable). Flights
    that differ only in their launch times share it, shifted in time."""

    t_s: NDArray[np.float64]
    ground_range_m: NDArray[np.float64]
    altitude_m: NDArray[np.float64]
    time_of_flight_s: NDArray[np.float64]


def flight_geometry(
    traj: Trajectory,
    fan: FlyoutFan,
    site_lat_deg: float,
    site_lon_deg: float,
    radius_m: float = R_MEAN_M,
) -> FlightGeometry:
    """The flight seen from a battery (see :class:`FlightGeometry`)."""
    return flight_geometries([traj], [(fan, site_lat_deg, site_lon_deg)], radius_m)[0][0]


def flight_geometries(
    trajs: Sequence[Trajectory],
    batteries: Sequence[tuple[FlyoutFan, float, float]],
    radius_m: float = R_MEAN_M,
    from_s: Sequence[float] | None = None,
) -> list[list[FlightGeometry]]:
    """:func:`flight_geometry` of every flight seen from every battery (``(fan, site
    latitude, site longitude)`` each), per flight and battery, with the samples of
    :data:`GEOMETRY_BLOCK` flights at a time converted together in one compiled pass
    (:func:`bmdsim._core.view_kernels.flight_view`: heights from the ECI samples, ground
    ranges on the sphere of ``radius_m`` from each site).

    ``from_s`` (optional, per flight): only the samples at or after that time (the same
    samples, so :func:`window_from` gives the same window for a battery ready then or
    later)."""
    out: list[list[FlightGeometry]] = []
    sites = _sites(batteries)
    for lo in range(0, len(trajs), GEOMETRY_BLOCK):
        block = trajs[lo : lo + GEOMETRY_BLOCK]
        times, start, alt, ground = _views(
            block, sites, radius_m, None if from_s is None else from_s[lo : lo + len(block)]
        )
        rows: list[list[FlightGeometry]] = [[] for _ in block]
        for (fan, _, _), g in zip(batteries, ground, strict=True):
            tof = fan.time_to(g, alt)
            for i, t in enumerate(times):
                a, b = int(start[i]), int(start[i + 1])
                rows[i].append(FlightGeometry(t, g[a:b], alt[a:b], tof[a:b]))
        out.extend(rows)
    return out


def _sites(batteries: Sequence[tuple[FlyoutFan, float, float]]) -> NDArray[np.float64]:
    return np.array(
        [
            geodetic_to_ecef(math.radians(lat_deg), math.radians(lon_deg), 0.0)
            for _, lat_deg, lon_deg in batteries
        ],
        dtype=np.float64,
    ).reshape(-1, 3)


def _views(
    block: Sequence[Trajectory],
    sites: NDArray[np.float64],
    radius_m: float,
    from_s: Sequence[float] | NDArray[np.float64] | None,
) -> tuple[list[NDArray[np.float64]], NDArray[np.int64], NDArray[np.float64], NDArray]:
    """The candidate times of each flight (every ``DT_S`` from launch to impact, from
    ``from_s[i]`` on), where each starts in the flattened samples,
    and the samples' altitudes and ground ranges from each site."""
    times = []
    for i, traj in enumerate(block):
        end = float(traj.impact_time_s) if math.isfinite(traj.impact_time_s) else traj.t_s[-1]
        t = np.arange(float(traj.t_s[0]), end, DT_S)
        if from_s is not None:
            t = t[int(np.searchsorted(t, from_s[i] - 1e-9)) :]
        times.append(t)
    start = np.concatenate([[0], np.cumsum([t.size for t in times])]).astype(np.int64)
    r = sample_many(list(block), times)
    angle = np.empty(int(start[-1]))
    for i, (traj, t) in enumerate(zip(block, times, strict=True)):
        angle[int(start[i]) : int(start[i + 1])] = -traj.earth_rotation_rad_s * t
    alt = np.empty(r.shape[0])
    ground = np.empty((sites.shape[0], r.shape[0]))
    flight_view(r, angle, sites, float(radius_m), alt, ground)
    return times, start, alt, ground


def earliest_intercepts(
    trajs: Sequence[Trajectory],
    batteries: Sequence[tuple[FlyoutFan, float, float]],
    shift_s: NDArray[np.float64],
    ready_s: NDArray[np.float64],
    radius_m: float = R_MEAN_M,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """For every flight (launched ``shift_s[i]`` later, :meth:`Trajectory.shifted`) and
    battery ready to fire at ``ready_s[i, b]`` (NaN: never): the earliest feasible
    intercept time and the threat's altitude then (NaN where the window is empty), as
    ``window_from(flight_geometries(...)[i][b], shift_s[i], ready_s[i, b])`` gives them
    (``earliest_s`` and the altitude of its first feasible sample), without building a
    window per pair: what a map of many flights needs."""
    n, nb = len(trajs), len(batteries)
    ready = np.asarray(ready_s, float).reshape(n, nb)
    shift = np.asarray(shift_s, float).reshape(n)
    t_out = np.full((n, nb), np.nan)
    alt_out = np.full((n, nb), np.nan)
    sites = _sites(batteries)
    first = np.full(n, np.nan)  # the earliest ready time, on the flights' own clock
    some = np.isfinite(ready).any(axis=1)
    first[some] = np.nanmin(ready[some], axis=1) - shift[some]
    _earliest(
        trajs, batteries, sites, shift, ready, first, np.flatnonzero(some), t_out, alt_out, radius_m
    )
    return t_out, alt_out


def _earliest(
    trajs: Sequence[Trajectory],
    batteries: Sequence[tuple[FlyoutFan, float, float]],
    sites: NDArray[np.float64],
    shift: NDArray[np.float64],
    ready: NDArray[np.float64],
    from_s: NDArray[np.float64],
    which: NDArray[np.int64],
    t_out: NDArray[np.float64],
    alt_out: NDArray[np.float64],
    radius_m: float,
) -> None:
    """:func:`earliest_intercepts` over the candidates of flights ``which`` from
    ``from_s`` (own clock) on."""
    for lo in range(0, which.size, GEOMETRY_BLOCK):
        idx = which[lo : lo + GEOMETRY_BLOCK]
        times, start, alt, ground = _views(
            [trajs[i] for i in idx],
            sites,
            radius_m,
            from_s[idx],
        )
        if start[-1] == 0:
            continue
        counts = np.diff(start)
        # the candidate times on the epoch's clock, as window_from shifts them
        t_abs = np.concatenate(times) + np.repeat(shift[idx], counts)
        owner = np.repeat(np.arange(idx.size), counts)
        for b, (fan, _, _) in enumerate(batteries):
            open_b = np.isnan(t_out[idx, b]) & np.isfinite(ready[idx, b])
            if not open_b.any():
                continue
            tof = fan.time_to(ground[b], alt)
            r_b = np.repeat(np.where(open_b, ready[idx, b], np.nan), counts)
            with np.errstate(invalid="ignore"):
                ok = (
                    np.isfinite(r_b)
                    & (t_abs >= r_b - 1e-9)
                    & np.isfinite(tof)
                    & (t_abs - tof >= r_b - 1e-9)
                )
            hit = np.flatnonzero(ok)
            if hit.size == 0:
                continue
            who, at = np.unique(owner[hit], return_index=True)
            t_out[idx[who], b] = t_abs[hit[at]]
            alt_out[idx[who], b] = alt[hit[at]]


def window_from(geometry: FlightGeometry, shift_s: float, ready_s: float) -> Window:
    """The window of a flight with this geometry launched ``shift_s`` later, for a battery
    ready to fire at ``ready_s``."""
    if not math.isfinite(ready_s):
        empty = np.empty(0)
        return Window(empty, empty, empty, empty)
    t = geometry.t_s + shift_s
    k = int(np.searchsorted(t, ready_s - 1e-9))
    t, tof = t[k:], geometry.time_of_flight_s[k:]
    t_launch = t - tof
    t_launch = np.where(np.isfinite(tof) & (t_launch >= ready_s - 1e-9), t_launch, np.nan)
    return Window(t, t_launch, geometry.ground_range_m[k:], geometry.altitude_m[k:])


def intercept_window(
    traj: Trajectory,
    fan: FlyoutFan,
    site_lat_deg: float,
    site_lon_deg: float,
    ready_s: float,
    radius_m: float = R_MEAN_M,
) -> Window:
    """Feasible intercepts of ``traj`` by a battery at the site, ready to fire at ``ready_s``
    (candidate intercepts every ``DT_S`` from launch)."""
    return window_from(
        flight_geometry(traj, fan, site_lat_deg, site_lon_deg, radius_m), 0.0, ready_s
    )


def window_reason(
    traj: Trajectory,
    fan: FlyoutFan,
    free_fan: FlyoutFan,
    site_lat_deg: float,
    site_lon_deg: float,
    radius_m: float = R_MEAN_M,
) -> str:
    """Why a battery at the site has no feasible intercept of ``traj`` (see the module
    text); assumes it has none. ``free_fan``: the same class's fan without its intercept
    altitude limits."""
    geom = flight_geometry(traj, free_fan, site_lat_deg, site_lon_deg, radius_m)
    if geom.t_s.size == 0:
        return "out_of_reach"
    ground, alt = geom.ground_range_m, geom.altitude_m
    reach = np.isfinite(geom.time_of_flight_s)
    if not reach.any():
        return "out_of_reach"
    if not np.isfinite(fan.time_to(ground, alt)).any():
        high = (reach & (alt > fan.max_intercept_altitude_m)).any()
        return "above_max_altitude" if high else "below_min_altitude"
    return "too_late"
