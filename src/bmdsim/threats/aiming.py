"""Aiming a missile at targets on the rotating Earth: launch azimuth and trajectory shape.

Every solve is batched over targets: one propagation per iteration flies every target that
has not converged yet. The launch azimuth is corrected each iteration by the bearing error of
the impact point (bearing of the target minus bearing of the impact, seen from the launch
point); the range is closed by the profile's knob:

* ``min-energy``: the kick is the range-optimal kick of the full burn toward the target's
  bearing (:func:`bmdsim.threats.reach.range_toward`), and the boost is cut off early
  (``cutoff_time_s``) to shorten the range: energy management, the least burnout energy with
  which this pitch program reaches the target. Range is monotonic in the cut-off time, so the
  solve is a safeguarded regula falsi (Illinois) inside a bracket.
* ``lofted`` / ``depressed``: two unknowns (log kick, cut-off time) for two conditions
  (apogee, range), Newton with a finite-difference Jacobian from a start chosen on a
  (kick, cut-off) grid on the lofted (kick below the optimum) or depressed (above) branch.

Iterations are bounded; a target beyond the reach raises :class:`UnreachableTarget` with the
numbers, a solve that does not converge raises :class:`ConvergenceError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

from bmdsim.errors import ConvergenceError, InputError, UnreachableTarget
from bmdsim.flight.forces import FULL, ForceModel
from bmdsim.flight.launch import LaunchBatch, powered_launch
from bmdsim.flight.propagator import FlightBatch, Propagator
from bmdsim.flight.steering import PitchProgram
from bmdsim.flight.vehicle import N_PHASE_FIELDS, Vehicle, phase_table
from bmdsim.threats.catalog import MissileClass
from bmdsim.threats.reach import KICK_MAX_DEG, KICK_MIN_DEG, as_missile, range_toward

__all__ = ["PROFILES", "AimResult", "aim", "fly"]

PROFILES = ("min-energy", "lofted", "depressed")
_GEOD = Geod(ellps="WGS84")
_PROP = Propagator()
_PROGRAM = PitchProgram()
#: earliest cut-off: just after the pitch-over ends
CUTOFF_MIN_S = _PROGRAM.vertical_time_s + _PROGRAM.kick_duration_s + 2.0


def _wrap180(x: ArrayLike) -> NDArray[np.float64]:
    return (np.asarray(x, float) + 180.0) % 360.0 - 180.0


def launch_batch(
    vehicle: Vehicle,
    lat_deg: float,
    lon_deg: float,
    azimuth_deg: ArrayLike,
    kick_deg: ArrayLike,
    cutoff_time_s: ArrayLike,
    force: ForceModel = FULL,
) -> LaunchBatch:
    """:func:`powered_launch` with per-flight cut-off times, built without its O(N^2) table
    matching (one phase table per distinct cut-off, gathered by index)."""
    az, kick, cut = (
        a.ravel()
        for a in np.broadcast_arrays(
            np.asarray(azimuth_deg, float),
            np.asarray(kick_deg, float),
            np.asarray(cutoff_time_s, float),
        )
    )
    base = powered_launch(vehicle, lat_deg, lon_deg, az, kick_deg=kick, force=force)
    uniq, inv = np.unique(cut, return_inverse=True)
    tabs = [phase_table(vehicle.phases(0.0, float(c))) for c in uniq]
    n_rows = max(t.shape[0] for t in tabs)
    stack = np.empty((len(tabs), n_rows, N_PHASE_FIELDS))
    for k, t in enumerate(tabs):
        stack[k, : t.shape[0]] = t
        stack[k, t.shape[0] :] = t[-1]
    n_ph = np.array([t.shape[0] for t in tabs], dtype=np.int64)
    return replace(base, phases=stack[inv], n_phases=n_ph[inv])


def fly(
    vehicle: Vehicle,
    lat_deg: float,
    lon_deg: float,
    azimuth_deg: ArrayLike,
    kick_deg: ArrayLike,
    cutoff_time_s: ArrayLike,
    force: ForceModel = FULL,
    record: bool = False,
) -> FlightBatch:
    """Fly a batch of flights (see :func:`launch_batch`)."""
    batch = launch_batch(vehicle, lat_deg, lon_deg, azimuth_deg, kick_deg, cutoff_time_s, force)
    return _PROP.propagate(batch, record=record)


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


def _impact_geometry(
    fb: FlightBatch, lat0: float, lon0: float, tlat: NDArray, tlon: NDArray
) -> tuple[NDArray, NDArray, NDArray]:
    """Range [m] and bearing [deg] of the impacts from the launch point, miss distance [m]."""
    ilat, ilon = fb.impact_lat_lon_deg()
    n = ilat.size
    b, _, r = _GEOD.inv(np.full(n, lon0), np.full(n, lat0), ilon, ilat)
    _, _, miss = _GEOD.inv(ilon, ilat, tlon, tlat)
    r, miss = np.asarray(r, float), np.asarray(miss, float)
    bad = ~fb.impacted
    r[bad] = np.inf
    miss[bad] = np.inf
    return r, np.asarray(b, float), miss


def _periodic_interp(x: NDArray, xp: NDArray, fp: NDArray) -> NDArray:
    return np.interp(x % 360.0, np.append(xp, 360.0), np.append(fp, fp[0]))


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
) -> AimResult:
    """Solve launch azimuth and profile parameters so that each impact lands on its target.

    Returns an :class:`AimResult` whose misses are below ``tol_m`` (default 50 m), or raises
    :class:`UnreachableTarget` (a target beyond the missile's reach toward it, or an apogee
    the missile cannot give at that range) or :class:`ConvergenceError`.
    """
    if profile not in PROFILES:
        raise InputError(f"profile must be one of {', '.join(PROFILES)}, got '{profile}'")
    if profile != "min-energy":
        if apogee_km is None or not (math.isfinite(apogee_km) and apogee_km > 0):
            raise InputError(f"profile '{profile}' needs a positive apogee (km)")
    name, vehicle = as_missile(missile)
    tlat, tlon = (
        a.ravel().astype(float)
        for a in np.broadcast_arrays(np.asarray(target_lat_deg), np.asarray(target_lon_deg))
    )
    if np.any(~np.isfinite(tlat)) or np.any(np.abs(tlat) > 90):
        raise InputError("target latitudes must lie in [-90, 90] deg")
    n = tlat.size
    lat0, lon0 = float(launch_lat_deg), float(launch_lon_deg)
    bearing, _, dist = _GEOD.inv(np.full(n, lon0), np.full(n, lat0), tlon, tlat)
    bearing, dist = np.asarray(bearing, float) % 360.0, np.asarray(dist, float)
    if np.any(dist < 1e3):
        raise InputError("a target lies within 1 km of the launch point")

    # reach and range-optimal kick toward each target's bearing (grid for big batches)
    if n > 24:
        grid = np.arange(0.0, 360.0, 15.0)
        rt = range_toward(vehicle, lat0, lon0, grid, force)
        reach = _periodic_interp(bearing, grid, rt.range_m)
        kick_opt = np.exp(_periodic_interp(bearing, grid, np.log(rt.kick_deg)))
        az_shift = _periodic_interp(bearing, grid, _wrap180(rt.azimuth_deg - grid))
    else:
        rt = range_toward(vehicle, lat0, lon0, bearing, force)
        reach, kick_opt = rt.range_m, rt.kick_deg
        az_shift = _wrap180(rt.azimuth_deg - bearing)
    far = dist > reach * 0.999
    if np.any(far):
        i = int(np.argmax(np.where(far, dist - reach, -np.inf)))
        more = f" ({int(far.sum())} of {n} targets)" if n > 1 else ""
        raise UnreachableTarget(
            f"{dist[i] / 1e3:,.0f} km needed, {name} reaches {reach[i] / 1e3:,.0f} km "
            f"toward bearing {bearing[i]:.0f} deg{more}"
        )
    az0 = bearing + az_shift
    if profile == "min-energy":
        az, kick, cut, miss, it, fb = _solve_min_energy(
            name, vehicle, lat0, lon0, tlat, tlon, dist, az0, kick_opt, force, tol_m, max_iter
        )
    else:
        assert apogee_km is not None
        az, kick, cut, miss, it, fb = _solve_shaped(
            name,
            vehicle,
            lat0,
            lon0,
            tlat,
            tlon,
            dist,
            az0,
            kick_opt,
            profile,
            apogee_km * 1e3,
            force,
            tol_m,
            max_iter,
        )
    return AimResult(
        name, vehicle, profile, lat0, lon0, tlat, tlon, az % 360.0, kick, cut, miss, it, fb
    )


def _solve_min_energy(
    name: str,
    vehicle: Vehicle,
    lat0: float,
    lon0: float,
    tlat: NDArray,
    tlon: NDArray,
    dist: NDArray,
    az0: NDArray,
    kick: NDArray,
    force: ForceModel,
    tol_m: float,
    max_iter: int,
) -> tuple[NDArray, NDArray, NDArray, NDArray, int, FlightBatch]:
    n = dist.size
    t_burn = vehicle.burn_time_s
    # table of range vs cut-off at the range-optimal kick, per 15-deg azimuth node: gives
    # each target a narrow starting bracket (the Earth's rotation changes it a little)
    nodes = np.arange(0.0, 360.0, 15.0)
    cg = np.linspace(CUTOFF_MIN_S, t_burn, 25)
    kn = np.exp(
        _periodic_interp(
            nodes,
            az0 % 360.0 if n == 1 else np.sort(az0 % 360.0),
            np.log(kick[np.argsort(az0 % 360.0)]) if n > 1 else np.log(kick),
        )
    )
    tab = fly(
        vehicle,
        lat0,
        lon0,
        np.repeat(nodes, cg.size),
        np.repeat(kn, cg.size),
        np.tile(cg, nodes.size),
        force,
    )
    rt = np.where(tab.impacted, tab.ground_range_m(), np.nan).reshape(nodes.size, cg.size)
    rt = np.fmax.accumulate(np.nan_to_num(rt, nan=0.0), axis=1)  # monotone envelope
    pos = (az0 % 360.0) / 15.0
    i0 = np.floor(pos).astype(int) % nodes.size
    w = pos - np.floor(pos)
    r_est = (1 - w)[:, None] * rt[i0] + w[:, None] * rt[(i0 + 1) % nodes.size]
    near = dist < r_est[:, 0] * 0.98
    if np.any(near):
        i = int(np.argmax(near))
        raise UnreachableTarget(
            f"{dist[i] / 1e3:,.0f} km needed, the shortest min-energy flight of {name} "
            f"(cut-off at {CUTOFF_MIN_S:.0f} s) reaches {r_est[i, 0] / 1e3:,.0f} km; "
            "use a lofted profile"
        )
    j = np.clip((r_est < dist[:, None]).sum(axis=1) - 1, 0, cg.size - 2)
    ja, jb = np.maximum(j - 1, 0), np.minimum(j + 2, cg.size - 1)
    rows = np.arange(n)
    a, b = cg[ja], cg[jb]
    fa = r_est[rows, ja] - dist
    fbv = r_est[rows, jb] - dist
    fa = np.where(fa < 0, fa, -1.0)
    fbv = np.where(fbv > 0, fbv, 1.0)
    # first guess: linear interpolation inside the crossing interval of the table
    rj, rj1 = r_est[rows, j], r_est[rows, j + 1]
    wj = np.clip((dist - rj) / np.where(rj1 > rj, rj1 - rj, 1.0), 0.0, 1.0)
    first = cg[j] + wj * (cg[j + 1] - cg[j])
    side = np.zeros(n, dtype=np.int64)
    az = az0.copy()
    cut = np.full(n, t_burn)
    miss = np.full(n, np.inf)
    summary = np.empty((n, tab.summary.shape[1]))
    active = np.arange(n)
    bearing_t = np.asarray(_GEOD.inv(np.full(n, lon0), np.full(n, lat0), tlon, tlat)[0], float)
    it = 0
    for it in range(1, max_iter + 1):
        k = active
        den = fbv[k] - fa[k]
        if it == 1:
            c = first
        else:
            ok = den > 0
            c = np.where(
                ok, b[k] - fbv[k] * (b[k] - a[k]) / np.where(ok, den, 1.0), 0.5 * (a[k] + b[k])
            )
            c = np.clip(c, a[k] + 1e-6 * (b[k] - a[k]), b[k])
        cut[k] = c
        fbt = fly(vehicle, lat0, lon0, az[k], kick[k], c, force)
        r, brg, m = _impact_geometry(fbt, lat0, lon0, tlat[k], tlon[k])
        summary[k] = fbt.summary
        miss[k] = m
        f = r - dist[k]
        # Illinois update of the bracket
        up = f > 0
        kb, ka = k[up], k[~up]
        halve_a = side[kb] == 1
        fa[kb[halve_a]] *= 0.5
        b[kb], fbv[kb], side[kb] = c[up], f[up], 1
        halve_b = side[ka] == -1
        fbv[ka[halve_b]] *= 0.5
        a[ka], fa[ka], side[ka] = c[~up], f[~up], -1
        done = m < tol_m
        az[k[~done]] += _wrap180(bearing_t[k] - brg)[~done]
        active = k[~done]
        if active.size == 0:
            break
        # a collapsed bracket whose miss stays: azimuth still settling; reopen a little
        tight = (b[active] - a[active]) < 1e-7
        if np.any(tight):
            ia = active[tight]
            a[ia] = np.maximum(CUTOFF_MIN_S, cut[ia] - 0.5)
            b[ia] = np.minimum(t_burn, cut[ia] + 0.5)
            fa[ia], fbv[ia] = -1.0, 1.0
    if active.size:
        i = int(active[np.argmax(miss[active])])
        raise ConvergenceError(
            f"aiming {name} ({active.size} of {n} targets) did not converge in {max_iter} "
            f"iterations: worst miss {miss[i]:.0f} m at {dist[i] / 1e3:,.0f} km"
        )
    out = FlightBatch(launch_batch(vehicle, lat0, lon0, az, kick, cut, force), summary)
    return az, kick, cut, miss, it, out


def _solve_shaped(
    name: str,
    vehicle: Vehicle,
    lat0: float,
    lon0: float,
    tlat: NDArray,
    tlon: NDArray,
    dist: NDArray,
    az0: NDArray,
    kick_opt: NDArray,
    profile: str,
    apogee_m: float,
    force: ForceModel,
    tol_m: float,
    max_iter: int,
) -> tuple[NDArray, NDArray, NDArray, NDArray, int, FlightBatch]:
    n = dist.size
    t_burn = vehicle.burn_time_s
    u_lo, u_hi = math.log(KICK_MIN_DEG), math.log(KICK_MAX_DEG)
    # start: the closest node of a (kick, cut-off) grid on the profile's branch
    k_ref = float(np.exp(np.mean(np.log(kick_opt))))
    az_ref = float(
        np.degrees(np.arctan2(np.mean(np.sin(np.radians(az0))), np.mean(np.cos(np.radians(az0)))))
    )
    if profile == "lofted":
        ug = np.linspace(u_lo, math.log(k_ref), 20)
    else:
        ug = np.linspace(math.log(k_ref), u_hi, 20)
    cg = np.linspace(CUTOFF_MIN_S + 5.0, t_burn, 16)
    uu, cc = np.meshgrid(ug, cg, indexing="ij")
    g = fly(vehicle, lat0, lon0, az_ref, np.exp(uu.ravel()), cc.ravel(), force)
    g_apo = np.where(g.impacted, g.apogee_m, np.nan)
    g_rng = np.where(g.impacted, g.ground_range_m(), np.nan)
    cost = (g_apo[None, :] / apogee_m - 1) ** 2 + (g_rng[None, :] / dist[:, None] - 1) ** 2
    cost = np.where(np.isfinite(cost), cost, np.inf)
    best = np.argmin(cost, axis=1)
    u = uu.ravel()[best].copy()
    c = cc.ravel()[best].copy()
    az = az0.copy()
    bearing_t = np.asarray(_GEOD.inv(np.full(n, lon0), np.full(n, lat0), tlon, tlat)[0], float)
    miss = np.full(n, np.inf)
    apo_err = np.full(n, np.inf)
    summary = np.empty((n, g.summary.shape[1]))
    active = np.arange(n)
    du, dc = 2e-3, 0.05
    apo_tol = max(500.0, 1e-3 * apogee_m)
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 (returned)
        k = active
        m_ = k.size
        sgn = np.where(c[k] + dc > t_burn, -1.0, 1.0)
        azs = np.tile(az[k], 3)
        us = np.concatenate([u[k], u[k] + du, u[k]])
        cs = np.concatenate([c[k], c[k], c[k] + sgn * dc])
        fbt = fly(vehicle, lat0, lon0, azs, np.exp(us), cs, force)
        tl3, tn3 = np.tile(tlat[k], 3), np.tile(tlon[k], 3)
        r, brg, mm = _impact_geometry(fbt, lat0, lon0, tl3, tn3)
        apo = fbt.apogee_m
        r0, r1, r2 = r[:m_], r[m_ : 2 * m_], r[2 * m_ :]
        a0, a1, a2 = apo[:m_], apo[m_ : 2 * m_], apo[2 * m_ :]
        summary[k] = fbt.summary[:m_]
        miss[k] = mm[:m_]
        apo_err[k] = np.abs(a0 - apogee_m)
        done = (miss[k] < tol_m) & (apo_err[k] < apo_tol)
        az[k[~done]] += _wrap180(bearing_t[k] - brg[:m_])[~done]
        # Newton step on (apogee, range) in (log kick, cut-off)
        j11, j12 = (a1 - a0) / du, (a2 - a0) / (sgn * dc)
        j21, j22 = (r1 - r0) / du, (r2 - r0) / (sgn * dc)
        f1, f2 = a0 - apogee_m, r0 - dist[k]
        det = j11 * j22 - j12 * j21
        okd = np.isfinite(det) & (np.abs(det) > 0)
        det = np.where(okd, det, 1.0)
        step_u = np.where(okd, -(j22 * f1 - j12 * f2) / det, 0.0)
        step_c = np.where(okd, -(-j21 * f1 + j11 * f2) / det, 0.0)
        step_u = np.clip(np.nan_to_num(step_u), -0.5, 0.5)
        step_c = np.clip(np.nan_to_num(step_c), -20.0, 20.0)
        nd = ~done
        u[k[nd]] = np.clip(u[k[nd]] + step_u[nd], u_lo, u_hi)
        c[k[nd]] = np.clip(c[k[nd]] + step_c[nd], CUTOFF_MIN_S, t_burn)
        active = k[nd]
        if active.size == 0:
            break
    if active.size:
        i = int(active[np.argmax(miss[active])])
        if c[i] >= t_burn - 1e-6:
            raise UnreachableTarget(
                f"a {profile} flight of {name} to {dist[i] / 1e3:,.0f} km with apogee "
                f"{apogee_m / 1e3:,.0f} km needs more energy than the full burn gives"
            )
        raise ConvergenceError(
            f"{profile} aiming of {name} ({active.size} of {n} targets) did not converge in "
            f"{max_iter} iterations: miss {miss[i]:.0f} m, apogee off by "
            f"{apo_err[i] / 1e3:.1f} km at {dist[i] / 1e3:,.0f} km"
        )
    kick = np.exp(u)
    out = FlightBatch(launch_batch(vehicle, lat0, lon0, az, kick, c, force), summary)
    return az, kick, c, miss, it, out
