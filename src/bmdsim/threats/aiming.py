"""Aiming a missile at targets on the rotating Earth: launch azimuth and trajectory shape.

Every solve is batched over targets: one propagation per iteration flies every target that
has not converged yet. The launch azimuth is corrected each iteration by the bearing error of
the impact point (bearing of the target minus bearing of the impact, seen from the launch
point); the rest is the profile's:

* ``min-energy`` (default): the flight that reaches the target with the least propellant -
  kick and cut-off optimised jointly (:mod:`bmdsim.threats.min_energy`).
* ``standard``: the class's range-optimal pitch program for the full burn, range set by the
  cut-off alone (:mod:`bmdsim.threats.standard`), what a fixed guidance programme does.
* ``lofted`` / ``depressed``: the same range with an apogee above / below the minimum-energy
  apogee, or a flight time longer / shorter than its flight time
  (:mod:`bmdsim.threats.shaped`).

Before any solve, each target's distance is checked against the missile's reach toward it,
the same computation that ``bmdsim range`` and the scenario check use
(:func:`bmdsim.threats.reach.range_toward`); a target beyond it raises
:class:`UnreachableTarget` with the numbers. Iterations are bounded; a solve that does not
converge raises :class:`ConvergenceError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim.earth.geodesics import WGS84_GEOD
from bmdsim.errors import ConvergenceError, InputError, UnreachableTarget
from bmdsim.flight.forces import FULL, ForceModel
from bmdsim.flight.propagator import FlightBatch
from bmdsim.flight.vehicle import Vehicle
from bmdsim.threats.aim_flights import PROGRAM, fly, wrap180
from bmdsim.threats.catalog import MissileClass
from bmdsim.threats.min_energy import (
    MIN_NODE_TARGETS,
    every_batch_from_tables,
    prime_min_energy,
    solve_min_energy,
    too_near,
)
from bmdsim.threats.reach import as_missile, interpolated_reach, range_toward
from bmdsim.threats.shaped import check_shape, shape_ok, solve_shaped
from bmdsim.threats.standard import solve_standard

__all__ = [
    "PROFILES",
    "AimResult",
    "AimedTargets",
    "aim",
    "aim_apogee",
    "aim_each",
    "fly",
    "prime",
    "reach_toward",
]

PROFILES = ("min-energy", "standard", "lofted", "depressed")
_PROGRAM = PROGRAM


@dataclass(frozen=True)
class AimResult:
    """Solved launch parameters and the resulting flights (arrays over targets)."""

    name: str
    vehicle: Vehicle
    profile: str
    launch_lat_deg: float
    launch_lon_deg: float
    target_lat_deg: NDArray[np.float64]
    target_lon_deg: NDArray[np.float64]
    azimuth_deg: NDArray[np.float64]
    kick_deg: NDArray[np.float64]
    cutoff_time_s: NDArray[np.float64]
    miss_m: NDArray[np.float64]
    iterations: int
    flights: FlightBatch

    @property
    def propellant_used_kg(self) -> NDArray[np.float64]:
        """Propellant burnt up to each flight's cut-off [kg]."""
        return np.array([self.vehicle.propellant_used_kg(float(c)) for c in self.cutoff_time_s])

    def fly(self, index: int = 0, record: bool = True, force: ForceModel = FULL) -> FlightBatch:
        """Re-fly one solved flight (recorded, for its trajectory)."""
        return fly(
            self.vehicle,
            self.launch_lat_deg,
            self.launch_lon_deg,
            self.azimuth_deg[index],
            self.kick_deg[index],
            self.cutoff_time_s[index],
            force,
            record,
        )


def reach_toward(
    vehicle: Vehicle,
    lat0: float,
    lon0: float,
    bearing_deg: NDArray,
    force: ForceModel = FULL,
    dist_m: NDArray | None = None,
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Reach [m], its range-optimal kick [deg], azimuth shift [deg] toward each bearing, and
    the relative margin within which the reach is not exact: exactly :func:`range_toward`
    for one bearing or a few (margin 0); for many, interpolated between 15-degree nodes
    (:func:`~bmdsim.threats.reach.interpolated_reach`; with the targets' distances
    ``dist_m``, the margin is measured only where a target is near the edge)."""
    n = bearing_deg.size
    if n <= 24 and not every_batch_from_tables():
        rt = range_toward(vehicle, lat0, lon0, bearing_deg, force)
        return rt.range_m, rt.kick_deg, wrap180(rt.azimuth_deg - bearing_deg), np.zeros(n)
    ir = interpolated_reach(vehicle, lat0, lon0, bearing_deg, force, dist_m)
    return ir.range_m, ir.kick_deg, ir.shift_deg, ir.margin


def _reach_of(
    vehicle: Vehicle,
    lat0: float,
    lon0: float,
    bearing: NDArray,
    dist: NDArray,
    force: ForceModel,
) -> tuple[NDArray, NDArray, NDArray]:
    """Reach [m], range-optimal kick [deg] and azimuth shift [deg] toward each target:
    exact at the target's own bearing where the interpolated reach's margin leaves it in
    doubt."""
    reach, kick, shift, margin = reach_toward(vehicle, lat0, lon0, bearing, force, dist)
    edge = np.flatnonzero(dist > (1.0 - margin) * reach)
    if edge.size and (bearing.size > 24 or every_batch_from_tables()):
        rt = range_toward(vehicle, lat0, lon0, bearing[edge], force)
        reach[edge], kick[edge] = rt.range_m, rt.kick_deg
        shift[edge] = wrap180(rt.azimuth_deg - bearing[edge])
    return reach, kick, shift


def _check_reach(
    name: str,
    vehicle: Vehicle,
    lat0: float,
    lon0: float,
    bearing: NDArray,
    dist: NDArray,
    force: ForceModel,
) -> tuple[NDArray, NDArray]:
    """Kick and azimuth shift of the range-optimal full burn toward each target; raises
    :class:`UnreachableTarget` for a target beyond the reach (:func:`_reach_of`)."""
    reach, kick, shift = _reach_of(vehicle, lat0, lon0, bearing, dist, force)
    far = ~(dist <= reach)
    if np.any(far):
        i = int(np.argmax(np.where(far, dist - np.nan_to_num(reach, nan=-np.inf), -np.inf)))
        n = dist.size
        more = f" ({int(far.sum())} of {n} targets)" if n > 1 else ""
        raise UnreachableTarget(
            f"{dist[i] / 1e3:,.0f} km needed, {name} reaches {reach[i] / 1e3:,.0f} km "
            f"toward bearing {bearing[i]:.0f} deg{more}"
        )
    return kick, shift


def _targets(
    lat0: float,
    lon0: float,
    target_lat_deg: ArrayLike,
    target_lon_deg: ArrayLike,
    refuse_near: bool = True,
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Checked target latitudes and longitudes [deg] (flat), their bearings [deg, 0-360)
    and distances [m] from the launch point; a target within 1 km of it is refused
    (``refuse_near``) or left to the caller."""
    tlat, tlon = (
        a.ravel().astype(float)
        for a in np.broadcast_arrays(np.asarray(target_lat_deg), np.asarray(target_lon_deg))
    )
    if np.any(~np.isfinite(tlat)) or np.any(np.abs(tlat) > 90):
        raise InputError("target latitudes must lie in [-90, 90] deg")
    if np.any(~np.isfinite(tlon)):
        raise InputError("target longitudes must be finite numbers")
    n = tlat.size
    bearing, _, dist = WGS84_GEOD.inv(np.full(n, lon0), np.full(n, lat0), tlon, tlat)
    bearing, dist = np.asarray(bearing, float) % 360.0, np.asarray(dist, float)
    if refuse_near and np.any(dist < 1e3):
        raise InputError("a target lies within 1 km of the launch point")
    return tlat, tlon, bearing, dist


def prime(
    missile: str | MissileClass | Vehicle,
    launch_lat_deg: float,
    launch_lon_deg: float,
    target_lat_deg: ArrayLike,
    target_lon_deg: ArrayLike,
    force: ForceModel = FULL,
    tol_m: float = 50.0,
    max_iter: int = 40,
) -> int:
    """Build the tables that minimum-energy aiming at these targets from this launch point
    will use (the reach around them, the solver's envelope rows and polar nodes; kept per
    process, see :mod:`bmdsim.threats.aim_tables`) without aiming at them: a later
    :func:`aim` at any of them, in any batch, reuses them. Targets beyond the reach are
    left out; returns the flights flown (0 if the batch is too small to use the nodes or
    some target lies nearer than the shortest minimum-energy flight)."""
    name, vehicle = as_missile(missile)
    lat0, lon0 = float(launch_lat_deg), float(launch_lon_deg)
    _, _, bearing, dist = _targets(lat0, lon0, target_lat_deg, target_lon_deg)
    reach, _, shift = _reach_of(vehicle, lat0, lon0, bearing, dist, force)
    ok = dist <= reach
    if ok.sum() < MIN_NODE_TARGETS:  # such batches are solved without the nodes
        return 0
    b, d, az0 = bearing[ok], dist[ok], bearing[ok] + shift[ok]
    try:
        return prime_min_energy(name, vehicle, lat0, lon0, d, b, az0, force, tol_m, max_iter)
    except UnreachableTarget:
        return 0


def aim(
    missile: str | MissileClass | Vehicle,
    launch_lat_deg: float,
    launch_lon_deg: float,
    target_lat_deg: ArrayLike,
    target_lon_deg: ArrayLike,
    profile: str = "min-energy",
    apogee_km: float | None = None,
    force: ForceModel = FULL,
    tol_m: float = 50.0,
    max_iter: int = 40,
    flight_time_s: float | None = None,
    strict: bool = True,
) -> AimResult:
    """Solve launch azimuth and profile parameters so that each impact lands on its target.

    ``lofted`` and ``depressed`` take exactly one of ``apogee_km`` and ``flight_time_s``.
    Returns an :class:`AimResult` whose misses are below ``tol_m`` (default 50 m; a target
    at the very edge of the reach: below 100 m), or raises :class:`UnreachableTarget` (a
    target beyond the missile's reach toward it, or a shape the missile cannot fly at that
    range), :class:`InputError` (a lofted flight below, or a depressed one above, the
    minimum-energy apogee or flight time) or :class:`ConvergenceError`. With
    ``strict=False`` a lofted or depressed target the missile cannot fly with that shape is
    returned with an infinite miss instead (:func:`aim_each` leaves such targets out).
    """
    if profile not in PROFILES:
        raise InputError(f"profile must be one of {', '.join(PROFILES)}, got '{profile}'")
    shape, value = _shape_request(profile, apogee_km, flight_time_s)
    name, vehicle = as_missile(missile)
    lat0, lon0 = float(launch_lat_deg), float(launch_lon_deg)
    tlat, tlon, bearing, dist = _targets(lat0, lon0, target_lat_deg, target_lon_deg)
    kick_opt, az_shift = _check_reach(name, vehicle, lat0, lon0, bearing, dist, force)
    az0 = bearing + az_shift
    if profile == "standard":
        az, kick, cut, miss, it, fb = solve_standard(
            name, vehicle, lat0, lon0, tlat, tlon, dist, az0, kick_opt, force, tol_m, max_iter
        )
        return AimResult(
            name, vehicle, profile, lat0, lon0, tlat, tlon, az % 360.0, kick, cut, miss, it, fb
        )
    me = solve_min_energy(
        name, vehicle, lat0, lon0, tlat, tlon, dist, bearing, az0, force, tol_m, max_iter
    )
    if profile == "min-energy":
        return AimResult(
            name,
            vehicle,
            profile,
            lat0,
            lon0,
            tlat,
            tlon,
            me.azimuth_deg % 360.0,
            me.kick_deg,
            me.cutoff_time_s,
            me.miss_m,
            me.iterations,
            me.flights,
        )
    assert shape is not None
    check_shape(profile, shape, value, me, dist)
    az, kick, cut, miss, it, fb, failed = solve_shaped(
        name,
        vehicle,
        lat0,
        lon0,
        tlat,
        tlon,
        dist,
        bearing,
        me,
        profile,
        shape,
        value,
        force,
        tol_m,
        max_iter,
        strict,
    )
    miss = miss.copy()
    miss[failed] = np.inf  # not strict: the shape could not be flown there
    return AimResult(
        name,
        vehicle,
        profile,
        lat0,
        lon0,
        tlat,
        tlon,
        az % 360.0,
        kick,
        cut,
        miss,
        me.iterations + it,
        fb,
    )


@dataclass(frozen=True)
class AimedTargets:
    """The targets of :func:`aim_each` that were aimed (``index`` into its inputs) and their
    launch parameters and misses (arrays over those targets)."""

    index: NDArray[np.int64]
    azimuth_deg: NDArray[np.float64]
    kick_deg: NDArray[np.float64]
    cutoff_time_s: NDArray[np.float64]
    miss_m: NDArray[np.float64]

    @staticmethod
    def none() -> AimedTargets:
        """No target aimed at."""
        return AimedTargets(np.zeros(0, np.int64), *(np.zeros(0) for _ in range(4)))


def aim_each(
    missile: str | MissileClass | Vehicle,
    launch_lat_deg: float,
    launch_lon_deg: float,
    target_lat_deg: ArrayLike,
    target_lon_deg: ArrayLike,
    profile: str = "min-energy",
    apogee_km: float | None = None,
    force: ForceModel = FULL,
    tol_m: float = 50.0,
    max_iter: int = 40,
    flight_time_s: float | None = None,
) -> AimedTargets:
    """:func:`aim` at every target it can aim at with the profile, leaving out the others
    where :func:`aim` refuses the whole batch: targets beyond the reach, nearer than the
    shortest minimum-energy flight, where the minimum-energy flight leaves no room for the
    shape (a lofted flight must fly above its apogee or flight time, a depressed one below),
    or where the missile cannot fly the shape at that range. A bad request (profile, shape
    value, coordinates) still raises :class:`InputError`. The targets kept get exactly
    :func:`aim`'s flights."""
    if profile not in PROFILES:
        raise InputError(f"profile must be one of {', '.join(PROFILES)}, got '{profile}'")
    shape, value = _shape_request(profile, apogee_km, flight_time_s)
    name, vehicle = as_missile(missile)
    lat0, lon0 = float(launch_lat_deg), float(launch_lon_deg)
    tlat, tlon, bearing, dist = _targets(
        lat0, lon0, target_lat_deg, target_lon_deg, refuse_near=False
    )
    idx = np.flatnonzero(dist >= 1e3)  # the aimer's floor: 1 km from the launcher
    if idx.size == 0:
        return AimedTargets.none()
    bearing, dist = bearing[idx], dist[idx]
    reach, _, shift = _reach_of(vehicle, lat0, lon0, bearing, dist, force)
    ok = dist <= reach
    if profile != "standard" and ok.any():
        ok[ok] = ~too_near(name, vehicle, lat0, lon0, dist[ok], (bearing + shift)[ok], force)
    idx = idx[ok]
    if idx.size and shape is not None:
        me = aim(missile, lat0, lon0, tlat[idx], tlon[idx], "min-energy", None, force, tol_m)
        room = shape_ok(profile, shape, value, me.flights)
        idx = idx[room]
    if idx.size == 0:
        return AimedTargets.none()
    return _aim_kept(
        missile,
        lat0,
        lon0,
        tlat,
        tlon,
        idx,
        profile,
        apogee_km,
        flight_time_s,
        force,
        tol_m,
        max_iter,
    )


def _aim_kept(
    missile: str | MissileClass | Vehicle,
    lat0: float,
    lon0: float,
    tlat: NDArray,
    tlon: NDArray,
    idx: NDArray,
    profile: str,
    apogee_km: float | None,
    flight_time_s: float | None,
    force: ForceModel,
    tol_m: float,
    max_iter: int,
) -> AimedTargets:
    """:func:`aim` at the targets ``idx``; where it refuses the batch, halves of it (a
    target refused alone is left out)."""
    try:
        res = aim(
            missile,
            lat0,
            lon0,
            tlat[idx],
            tlon[idx],
            profile,
            apogee_km,
            force,
            tol_m,
            max_iter,
            flight_time_s,
            strict=False,
        )
    except (UnreachableTarget, ConvergenceError, InputError):
        if idx.size == 1:
            return AimedTargets.none()
        half = idx.size // 2
        parts = [
            _aim_kept(
                missile,
                lat0,
                lon0,
                tlat,
                tlon,
                part,
                profile,
                apogee_km,
                flight_time_s,
                force,
                tol_m,
                max_iter,
            )
            for part in (idx[:half], idx[half:])
        ]
        return AimedTargets(
            *(
                np.concatenate([getattr(p, f) for p in parts])
                for f in ("index", "azimuth_deg", "kick_deg", "cutoff_time_s", "miss_m")
            )
        )
    hit = np.isfinite(res.miss_m)
    return AimedTargets(
        idx[hit],
        res.azimuth_deg[hit],
        res.kick_deg[hit],
        res.cutoff_time_s[hit],
        res.miss_m[hit],
    )


def aim_apogee(
    missile: str | MissileClass | Vehicle,
    launch_lat_deg: float,
    launch_lon_deg: float,
    target_lat_deg: float,
    target_lon_deg: float,
    apogee_km: float,
    force: ForceModel = FULL,
) -> AimResult:
    """The flight to one target with a given apogee: lofted if the apogee lies above the
    minimum-energy apogee, depressed if below (a reported flight states its apogee, not its
    branch)."""
    me = aim(missile, launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg, force=force)
    profile = "lofted" if apogee_km * 1e3 > me.flights.apogee_m[0] else "depressed"
    return aim(
        missile,
        launch_lat_deg,
        launch_lon_deg,
        target_lat_deg,
        target_lon_deg,
        profile,
        apogee_km,
        force,
    )


def _shape_request(
    profile: str, apogee_km: float | None, flight_time_s: float | None
) -> tuple[str | None, float]:
    """(shape, value in SI) of a lofted/depressed request; checks the combination."""
    if profile in ("min-energy", "standard"):
        if apogee_km is not None or flight_time_s is not None:
            raise InputError(
                f"profile '{profile}' takes no apogee or flight time (they shape lofted and "
                "depressed flights)"
            )
        return None, math.nan
    if (apogee_km is None) == (flight_time_s is None):
        raise InputError(f"profile '{profile}' needs an apogee (km) or a flight time (s)")
    if apogee_km is not None:
        if not (math.isfinite(apogee_km) and 0.0 < apogee_km <= 100_000.0):
            raise InputError(f"the apogee must lie in (0, 100,000] km, got {apogee_km}")
        return "apogee", apogee_km * 1e3
    assert flight_time_s is not None
    if not (math.isfinite(flight_time_s) and 0.0 < flight_time_s <= 86_400.0):
        raise InputError(f"the flight time must lie in (0, 86,400] s, got {flight_time_s}")
    return "flight_time", flight_time_s
