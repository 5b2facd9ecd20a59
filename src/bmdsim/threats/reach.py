"""How far a missile class flies: maximum range, and range in every direction.

The maximum range of a boosted missile is found by flying its full burn with the pitch
program of :mod:`bmdsim.flight.steering` (vertical rise, kick, gravity turn) and searching the
kick angle that gives the longest ground range: a coarse log-spaced scan of the kick (0.02 to
85 deg), a finer scan around the best node, then a parabola through the three best points.
All flights of a search are flown as one batch.

* :func:`max_range_km` - on a non-rotating WGS84 Earth (the figure open sources quote).
* :func:`range_by_azimuth` - on the rotating Earth from a launch point: the range toward each
  direction (the impact bearing, after one correction of the launch azimuth for the Earth's
  rotation). Eastward ranges exceed westward ones (the Earth's surface speed adds to the
  burnout speed).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim.caches import remember
from bmdsim.earth.geodesics import WGS84_GEOD
from bmdsim.earth.places import get_place
from bmdsim.flight.forces import FULL, EarthShape, ForceModel
from bmdsim.flight.vehicle import Vehicle
from bmdsim.threats.aim_flights import ballistic, fly, wrap180
from bmdsim.threats.catalog import MissileClass, get_missile

__all__ = [
    "KICK_MAX_DEG",
    "KICK_MIN_DEG",
    "NON_ROTATING",
    "BestKick",
    "EDGE_MARGIN_MIN",
    "FAR_INSIDE",
    "REACH_NODES_DEG",
    "InterpolatedReach",
    "best_kick",
    "interpolated_reach",
    "max_range_km",
    "range_by_azimuth",
    "range_toward",
]

#: The full force model on a non-rotating WGS84 Earth (ranges as open sources quote them).
NON_ROTATING = FULL.on(EarthShape(ellipsoid=True, rotating=False))
KICK_MIN_DEG = 0.02
KICK_MAX_DEG = 85.0


def as_missile(missile: str | MissileClass | Vehicle) -> tuple[str, Vehicle]:
    """(name, vehicle) of a catalog name, a :class:`MissileClass` or a bare :class:`Vehicle`."""
    if isinstance(missile, str):
        missile = get_missile(missile)
    if isinstance(missile, MissileClass):
        return missile.name, missile.vehicle
    return missile.name, missile


@dataclass(frozen=True)
class BestKick:
    """Range-optimal kick per launch azimuth (arrays over azimuths)."""

    azimuth_deg: NDArray[np.float64]
    kick_deg: NDArray[np.float64]
    range_m: NDArray[np.float64]
    impact_bearing_deg: NDArray[np.float64]


def _ranges(
    vehicle: Vehicle,
    lat: float,
    lon: float,
    az: NDArray,
    kick: NDArray,
    force: ForceModel,
    cutoff_time_s: NDArray | float = math.inf,
) -> tuple[NDArray, NDArray]:
    fb = fly(vehicle, lat, lon, az, kick, cutoff_time_s, force)
    r = fb.ground_range_m()
    ilat, ilon = fb.impact_lat_lon_deg()
    b, _, _ = WGS84_GEOD.inv(np.full_like(ilat, lon), np.full_like(ilat, lat), ilon, ilat)
    b = np.asarray(b, float)
    # a flight that lands more than 90 deg off its launch azimuth has passed the antipode
    # (or fallen behind the launcher): the geodesic distance no longer measures it
    ahead = np.abs(_wrap180(b - np.broadcast_to(az, b.shape))) <= 90.0
    r = np.where(ballistic(fb) & np.isfinite(r) & ahead, r, -np.inf)
    return r, b


def best_kick(
    vehicle: Vehicle,
    lat_deg: float,
    lon_deg: float,
    azimuth_deg: ArrayLike,
    force: ForceModel = FULL,
    n_coarse: int = 33,
    n_fine: int = 17,
    cutoff_time_s: ArrayLike = math.inf,
    kick_hint_deg: ArrayLike | None = None,
) -> BestKick:
    """The kick giving the longest range for each launch azimuth (batched), with the engine
    cut off at ``cutoff_time_s`` (default: the full burn). ``kick_hint_deg`` (the best kick
    of a nearby azimuth) replaces the coarse scan by the finer scans around it.

    A log-spaced scan of the kick, two finer scans around the best node (each spanning the
    neighbouring nodes of the scan before), then a parabola through the best point and its
    neighbours (kept only if its flight does go further). Near the edge of orbital speed the
    range rises steeply up to a cliff (flatter flights burn out inside the atmosphere), so the
    nested scans, not the parabola, carry most of the search.
    """
    az = np.atleast_1d(np.asarray(azimuth_deg, float))
    na = az.size
    cut = np.broadcast_to(np.asarray(cutoff_time_s, float), az.shape)
    lo, hi = math.log(KICK_MIN_DEG), math.log(KICK_MAX_DEG)
    rows = np.arange(na)
    if kick_hint_deg is None:
        u = np.broadcast_to(np.linspace(lo, hi, n_coarse), (na, n_coarse))
        r, _ = _ranges(
            vehicle,
            lat_deg,
            lon_deg,
            np.repeat(az, n_coarse),
            np.exp(u.ravel()),
            force,
            np.repeat(cut, n_coarse),
        )
        r = r.reshape(na, n_coarse)
    else:  # a one-node "coarse scan" at the hint, with the coarse spacing
        du0 = (hi - lo) / (n_coarse - 1)
        hint = np.log(np.broadcast_to(np.asarray(kick_hint_deg, float), az.shape))
        u = np.stack([hint - du0, hint], axis=1)
        r = np.stack([np.full(na, -np.inf), np.zeros(na)], axis=1)
    for _ in range(2):
        i = np.argmax(r, axis=1)
        du = u[:, 1] - u[:, 0]
        u = u[rows, i][:, None] + du[:, None] * np.linspace(-1.0, 1.0, n_fine)[None, :]
        u = np.clip(u, lo, hi)
        r, _ = _ranges(
            vehicle,
            lat_deg,
            lon_deg,
            np.repeat(az, n_fine),
            np.exp(u.ravel()),
            force,
            np.repeat(cut, n_fine),
        )
        r = r.reshape(na, n_fine)
    j = np.clip(np.argmax(r, axis=1), 1, n_fine - 2)
    y0, y1, y2 = r[rows, j - 1], r[rows, j], r[rows, j + 1]
    cliff = np.isfinite(y1) & (~np.isfinite(y0) | ~np.isfinite(y2))
    if np.any(cliff):
        return _cliff_edge(vehicle, lat_deg, lon_deg, az, u, r, j, cliff, cut, force)
    # parabola through the best fine node and its neighbours
    h = u[rows, j + 1] - u[rows, j]
    with np.errstate(invalid="ignore"):
        den = y0 - 2 * y1 + y2
        ok = np.isfinite(den) & (den < 0)
        dy = np.where(ok, y0 - y2, 0.0)
    shift = np.where(ok, 0.5 * dy / np.where(ok, den, 1.0), 0.0)
    u_best = u[rows, j] + np.clip(shift, -1.0, 1.0) * h
    r_best, b_best = _ranges(vehicle, lat_deg, lon_deg, az, np.exp(u_best), force, cut)
    # keep the best node if the parabola made it worse (flat, noisy or cliff-edged tops)
    worse = ~(r_best >= y1)
    if np.any(worse):
        u_best = np.where(worse, u[rows, j], u_best)
        r_best, b_best = _ranges(vehicle, lat_deg, lon_deg, az, np.exp(u_best), force, cut)
    return BestKick(az, np.exp(u_best), r_best, b_best)


def _cliff_edge(
    vehicle: Vehicle,
    lat: float,
    lon: float,
    az: NDArray,
    u: NDArray,
    r: NDArray,
    j: NDArray,
    cliff: NDArray,
    cut: NDArray,
    force: ForceModel,
    n_bisect: int = 16,
) -> BestKick:
    """Best kick where the best fine node borders a flight that is not counted (past the
    ballistic cap or the antipode): the range rises up to that cliff, so the edge is found by
    bisection between the two nodes (to 2^-16 of the fine step) instead of a parabola.
    Other rows take their best fine node. Keeps the reach a smooth function of the azimuth."""
    rows = np.arange(az.size)
    good, r_good = u[rows, j].copy(), r[rows, j].copy()
    lower_bad = ~np.isfinite(r[rows, j - 1])
    bad = np.where(lower_bad, u[rows, j - 1], u[rows, j + 1])
    k = np.flatnonzero(cliff)
    for _ in range(n_bisect):
        mid = 0.5 * (good[k] + bad[k])
        rm, _ = _ranges(vehicle, lat, lon, az[k], np.exp(mid), force, cut[k])
        up = rm > r_good[k]
        good[k] = np.where(up, mid, good[k])
        r_good[k] = np.where(up, rm, r_good[k])
        bad[k] = np.where(up, bad[k], mid)
    r_best, b_best = _ranges(vehicle, lat, lon, az, np.exp(good), force, cut)
    return BestKick(az, np.exp(good), r_best, b_best)


def _wrap180(x: NDArray) -> NDArray:
    return (np.asarray(x) + 180.0) % 360.0 - 180.0


def range_toward(
    vehicle: Vehicle,
    lat_deg: float,
    lon_deg: float,
    bearing_deg: ArrayLike,
    force: ForceModel = FULL,
) -> BestKick:
    """Maximum range toward each bearing (the launch azimuth corrected three times so that the
    impact lies on that bearing from the launch point). This is the reach that aiming, the
    scenario check and ``bmdsim range`` all use."""
    bearing = np.atleast_1d(np.asarray(bearing_deg, float))
    point = (vehicle, float(lat_deg), float(lon_deg), force)
    out = np.full((bearing.size, 4), np.nan)
    missing = []
    for i, b in enumerate(bearing.tolist()):
        hit = _REACH_CACHE.get((*point, b))
        if hit is None:
            missing.append(i)
        else:
            out[i] = hit
            _REACH_CACHE.move_to_end((*point, b))
    if missing:
        # each bearing once (the search of one bearing does not depend on the others)
        todo, inv = np.unique(bearing[missing], return_inverse=True)
        res = _range_toward(vehicle, lat_deg, lon_deg, todo, force)
        rows = np.stack(
            [res.azimuth_deg, res.kick_deg, res.range_m, res.impact_bearing_deg], axis=-1
        )
        out[missing] = rows[inv]
        for b, row in zip(todo.tolist(), rows, strict=True):
            _REACH_CACHE[(*point, b)] = row
        while len(_REACH_CACHE) > _REACH_CACHE_SIZE:
            _REACH_CACHE.popitem(last=False)
    return BestKick(*(out[:, j].copy() for j in range(4)))


#: the reaches computed in this process, per launch point and bearing (a scenario check,
#: the aimer and the footprint's reach mask ask for the same ones)
_REACH_CACHE: OrderedDict[tuple, NDArray[np.float64]] = OrderedDict()
_REACH_CACHE_SIZE = 50_000


#: bearings [deg] of the reach nodes, between which :func:`interpolated_reach` interpolates
REACH_NODES_DEG = np.arange(0.0, 360.0, 15.0)
#: the least relative margin around an interpolated reach within which a target's own
#: bearing is computed exactly (:func:`interpolated_reach`)
EDGE_MARGIN_MIN = 0.002
#: targets nearer than this fraction of the interpolated reach need no interpolation error
FAR_INSIDE = 0.9
#: per process and launch point: :func:`range_toward` at the nodes (azimuth less bearing,
#: ln kick, range) and the relative interpolation error at the middle of the interval that
#: starts at the node; NaN until a bearing next to the node is asked for
_NODE_REACH: OrderedDict[tuple, NDArray[np.float64]] = OrderedDict()


@dataclass(frozen=True)
class InterpolatedReach:
    """Reach [m], its range-optimal kick [deg] and launch azimuth less bearing [deg] toward
    each bearing, interpolated; and the relative margin around the reach within which the
    interpolation may be wrong about a target (four times the interpolation error measured
    at the middle of the bearing's interval, at least :data:`EDGE_MARGIN_MIN`)."""

    range_m: NDArray[np.float64]
    kick_deg: NDArray[np.float64]
    shift_deg: NDArray[np.float64]
    margin: NDArray[np.float64]


def interpolated_reach(
    vehicle: Vehicle,
    lat_deg: float,
    lon_deg: float,
    bearing_deg: ArrayLike,
    force: ForceModel = FULL,
    dist_m: ArrayLike | None = None,
) -> InterpolatedReach:
    """The reach toward each bearing interpolated (linearly; the kick in its logarithm)
    between the exact reaches at :data:`REACH_NODES_DEG`, with its margin (see
    :class:`InterpolatedReach`). Only the nodes next to the bearings asked for, and the
    middles between them, are computed; they are kept per process and launch point. A
    target farther than ``(1 - margin)`` times the interpolated reach needs its own bearing's
    exact reach (:func:`range_toward`) to be judged.

    With the targets' distances ``dist_m``, an interval's middle is computed only if a
    target in it lies beyond :data:`FAR_INSIDE` of the interpolated reach; the others get
    the margin ``1 - FAR_INSIDE`` (a target in them is that far inside the reach, and the
    interpolation is never that wrong: at most 1.9 % over every catalogue class)."""
    b = np.atleast_1d(np.asarray(bearing_deg, float)) % 360.0
    step = float(REACH_NODES_DEG[1] - REACH_NODES_DEG[0])
    n = REACH_NODES_DEG.size
    pos = b / step
    i0 = np.floor(pos).astype(np.int64) % n
    i1 = (i0 + 1) % n
    w = pos - np.floor(pos)
    key = (vehicle, float(lat_deg), float(lon_deg), force)
    table = remember(_NODE_REACH, key, 64, lambda: np.full((n, 4), np.nan))
    need = np.union1d(i0, i1)
    need = need[np.isnan(table[need, 2])]
    if need.size:
        rt = range_toward(vehicle, lat_deg, lon_deg, REACH_NODES_DEG[need], force)
        table[need, 0] = wrap180(rt.azimuth_deg - REACH_NODES_DEG[need])
        table[need, 1] = np.log(rt.kick_deg)
        table[need, 2] = rt.range_m
    lo, hi = table[i0], table[i1]
    reach_m = (1.0 - w) * lo[:, 2] + w * hi[:, 2]
    if dist_m is None:
        intervals = np.unique(i0)
    else:
        d = np.broadcast_to(np.asarray(dist_m, float), b.shape)
        intervals = np.unique(i0[~(d <= FAR_INSIDE * reach_m)])
    intervals = intervals[np.isnan(table[intervals, 3])]
    if intervals.size:
        mid = range_toward(
            vehicle, lat_deg, lon_deg, REACH_NODES_DEG[intervals] + 0.5 * step, force
        ).range_m
        guess = 0.5 * (table[intervals, 2] + table[(intervals + 1) % n, 2])
        with np.errstate(invalid="ignore", divide="ignore"):
            err = np.abs(guess - mid) / mid
        table[intervals, 3] = np.where(np.isfinite(err), err, 1.0)
    lo, hi = table[i0], table[i1]
    # the azimuth shifts are small angles: no wrap between the nodes
    mix = (1.0 - w)[:, None] * lo[:, :3] + w[:, None] * hi[:, :3]
    err = np.where(np.isnan(lo[:, 3]), (1.0 - FAR_INSIDE) / 4.0, lo[:, 3])
    margin = np.maximum(4.0 * err, EDGE_MARGIN_MIN)
    return InterpolatedReach(mix[:, 2], np.exp(mix[:, 1]), mix[:, 0], margin)


def _range_toward(
    vehicle: Vehicle, lat_deg: float, lon_deg: float, bearing: NDArray, force: ForceModel
) -> BestKick:
    res = best_kick(vehicle, lat_deg, lon_deg, bearing, force)
    if force.omega_rad_s == 0.0:
        return res
    # secant corrections of the azimuth by the impact's bearing error (a plain correction
    # diverges near the antipode, where the bearing turns faster than the azimuth)
    res = BestKick(
        *(
            np.array(x, dtype=float, copy=True)
            for x in (res.azimuth_deg, res.kick_deg, res.range_m, res.impact_bearing_deg)
        )
    )
    az = bearing.copy()
    err = _wrap180(bearing - res.impact_bearing_deg)
    slope = np.ones_like(az)
    for _ in range(6):
        todo = np.abs(err) > 0.01
        if not np.any(todo):
            break
        az_new = az + np.clip(err / slope, -10.0, 10.0)
        k = np.flatnonzero(todo)
        new = best_kick(vehicle, lat_deg, lon_deg, az_new[k], force, kick_hint_deg=res.kick_deg[k])
        err_new = _wrap180(bearing[k] - new.impact_bearing_deg)
        with np.errstate(all="ignore"):
            s_k = (err[k] - err_new) / (az_new[k] - az[k])
        slope[k] = np.where(np.isfinite(s_k) & (s_k > 0.2) & (s_k < 5.0), s_k, slope[k])
        better = np.abs(err_new) < np.abs(err[k])
        kb = k[better]
        az[k] = np.where(better, az_new[k], az[k])
        err[kb] = err_new[better]
        for f in ("kick_deg", "range_m", "impact_bearing_deg"):
            getattr(res, f)[kb] = getattr(new, f)[better]
        res.azimuth_deg[kb] = az_new[kb]
        # a correction that did not help: retry with half of it
        slope[k[~better]] *= 2.0
    return res


def max_range_km(missile: str | MissileClass | Vehicle, non_rotating: bool = True) -> float:
    """Maximum ground range [km] of a missile (full burn, range-optimal kick).

    ``non_rotating`` (default): on a non-rotating WGS84 Earth, the convention of the open
    sources; launched eastward from the missile's usual launch area (or 40 N, 125 E for a
    bare vehicle). Otherwise the best range over 24 azimuths on the rotating Earth.
    """
    _, vehicle = as_missile(missile)
    if isinstance(missile, str):
        missile = get_missile(missile)
    if isinstance(missile, MissileClass):
        place = get_place(missile.launch_area)
        lat, lon = place.lat_deg, place.lon_deg
    else:
        lat, lon = 40.0, 125.0
    if non_rotating:
        res = best_kick(vehicle, lat, lon, 90.0, NON_ROTATING)
    else:
        res = best_kick(vehicle, lat, lon, np.arange(0.0, 360.0, 15.0), FULL)
    return float(np.max(res.range_m)) / 1e3


def range_by_azimuth(
    missile: str | MissileClass | Vehicle,
    lat_deg: float,
    lon_deg: float,
    step_deg: float = 15.0,
    force: ForceModel = FULL,
) -> list[dict[str, float]]:
    """``[{azimuth_deg, range_km}]`` every ``step_deg`` on the rotating Earth: the maximum
    range toward each direction (the bearing of the impact point from the launch point)."""
    if not (math.isfinite(step_deg) and 0.0 < step_deg <= 180.0):
        from bmdsim.errors import InputError

        raise InputError(f"step must lie in (0, 180] deg, got {step_deg}")
    _, vehicle = as_missile(missile)
    bearings = np.arange(0.0, 360.0 - 1e-9, step_deg)
    res = range_toward(vehicle, lat_deg, lon_deg, bearings, force)
    return [
        {"azimuth_deg": float(b), "range_km": float(r) / 1e3}
        for b, r in zip(bearings, res.range_m, strict=True)
    ]
