"""Minimum-energy aiming: the flight that reaches each target with the least propellant.

A threat's pitch program has two free parameters, the pitch-over kick and the engine cut-off
time (liquid engines can be shut down; a solid motor's thrust termination plays the same
part). Of all flights that land on the target, the minimum-energy flight is the one with the
earliest cut-off, i.e. the least propellant burnt. At that flight the kick is range-optimal
*for its cut-off*: with u = ln(kick) and R(u, c) the ground range,

    dR/du (u, c) = 0   and   R(u, c) = d.

(If the kick were not range-optimal, a better kick would reach further with the same burn, and
a shorter burn would reach the target.) This differs from fixing the full burn's best kick and
only shortening the burn (the ``standard`` profile): the best kick depends on the cut-off.

The solve, batched over targets:

1. **Envelope table.** For a few launch azimuths, flights on a (kick, cut-off) grid give, for
   each cut-off, the best kick and its range; interpolated to each target's azimuth they give
   the cut-off whose best range is the target distance, and its kick: the starting point.
2. **Newton iterations.** Per target, four flights per iteration - (u - h, c), (u, c),
   (u + h, c), (u, c + dc) - give dR/du, d2R/du2 and dR/dc. The kick moves by the Newton
   step of dR/du = 0; the cut-off moves to close the range at the new kick (using the local
   quadratic in u); the azimuth moves by the impact's bearing error (the Earth turns under
   the flight). A target has converged when its miss is below the tolerance and the kick's
   Newton step is below 1e-3 (0.1 %).

A large batch first takes what it can from exact solutions at polar nodes around the launch
point (:mod:`bmdsim.threats.min_energy_nodes`): interpolated, then corrected in cut-off and
azimuth with one flight per target and step; the targets those leave go through the steps
above. The envelope table's rows (every 15 deg of azimuth) are computed as batches need them
and kept per process.

Costs are reported with the solution (:class:`MinEnergySolution`: flights flown for the
envelope table, and in the iterations and the nodes).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bmdsim.caches import remember
from bmdsim.earth.geodesics import WGS84_GEOD
from bmdsim.errors import UnreachableTarget
from bmdsim.flight.forces import ForceModel
from bmdsim.flight.propagator import FlightBatch
from bmdsim.flight.vehicle import Vehicle
from bmdsim.threats.aim_flights import (
    CUTOFF_MIN_S,
    ballistic,
    fly,
    impact_geometry,
    launch_batch,
    plane_solve,
    wrap180,
)
from bmdsim.threats.min_energy_nodes import MIN_TARGETS as MIN_NODE_TARGETS
from bmdsim.threats.min_energy_nodes import node_solve, prime_nodes
from bmdsim.threats.reach import KICK_MAX_DEG, KICK_MIN_DEG, best_kick, range_toward

__all__ = [
    "EDGE_TOL_M",
    "MinEnergySolution",
    "every_batch_from_tables",
    "prime_min_energy",
    "solve_min_energy",
    "tables_for_every_batch",
    "too_near",
]

#: a target at the very edge of the reach is accepted when the full burn at its best kick
#: lands within this distance of it (the reach is the best flight of a kick scan; a target
#: within ~0.01 % of it can lie inside the scan's own precision)
EDGE_TOL_M = 100.0
_U_STEP = 0.02  # finite-difference step in ln(kick)
_C_STEP_S = 0.05  # finite-difference step in cut-off time
_U_TOL = 1e-3  # converged when the kick's Newton step is below this (in ln kick)
_TABLE_U = np.linspace(math.log(0.2), math.log(80.0), 18)
_TABLE_NC = 13


@dataclass(frozen=True)
class MinEnergySolution:
    """Solved minimum-energy flights (arrays over targets) with the local derivatives that
    shaped profiles start from: d(apogee)/du, d(flight time)/du, d2R/du2 and dR/dc at the
    solution (u = ln kick, c = cut-off time)."""

    azimuth_deg: NDArray[np.float64]
    kick_deg: NDArray[np.float64]
    cutoff_time_s: NDArray[np.float64]
    miss_m: NDArray[np.float64]
    iterations: int
    flights: FlightBatch
    d_apogee_du_m: NDArray[np.float64]
    d_time_du_s: NDArray[np.float64]
    d2r_du2_m: NDArray[np.float64]
    dr_dc_m_s: NDArray[np.float64]
    table_flights: int
    newton_flights: int


def _envelope(
    vehicle: Vehicle, lat0: float, lon0: float, az_nodes: NDArray, force: ForceModel
) -> tuple[NDArray, NDArray, NDArray]:
    """Cut-off grid (C,), best range (A, C) and its ln kick (A, C) per azimuth node."""
    t_burn = vehicle.burn_time_s
    cg = np.linspace(CUTOFF_MIN_S, t_burn, _TABLE_NC)
    na, nu, nc = az_nodes.size, _TABLE_U.size, cg.size
    fb = fly(
        vehicle,
        lat0,
        lon0,
        np.repeat(az_nodes, nu * nc),
        np.tile(np.repeat(np.exp(_TABLE_U), nc), na),
        np.tile(cg, na * nu),
        force,
    )
    r = np.where(ballistic(fb), fb.ground_range_m(), -np.inf).reshape(na, nu, nc)
    r = np.where(np.isfinite(r), r, -np.inf)
    i = np.clip(np.argmax(r, axis=1), 1, nu - 2)  # (A, C)
    a_idx, c_idx = np.meshgrid(np.arange(na), np.arange(nc), indexing="ij")
    y0, y1, y2 = r[a_idx, i - 1, c_idx], r[a_idx, i, c_idx], r[a_idx, i + 1, c_idx]
    with np.errstate(invalid="ignore"):
        den = y0 - 2 * y1 + y2
        ok = np.isfinite(den) & (den < 0)
        dy = np.where(ok, y0 - y2, 0.0)
    shift = np.clip(np.where(ok, 0.5 * dy / np.where(ok, den, 1.0), 0.0), -1.0, 1.0)
    h = _TABLE_U[1] - _TABLE_U[0]
    u_best = _TABLE_U[i] + shift * h
    r_best = np.where(ok, y1 - 0.25 * dy * shift, y1)
    r_best = np.fmax.accumulate(np.where(np.isfinite(r_best), r_best, 0.0), axis=1)
    return cg, r_best, u_best


#: inside :func:`tables_for_every_batch`
_EVERY_BATCH = [False]


def every_batch_from_tables() -> bool:
    """Whether this runs inside :func:`tables_for_every_batch`."""
    return _EVERY_BATCH[0]


@contextmanager
def tables_for_every_batch() -> Iterator[None]:
    """Within it, batches of any size start from the kept envelope rows and polar nodes
    (otherwise only batches of :data:`~bmdsim.threats.min_energy_nodes.MIN_TARGETS` or
    more do) and the reach interpolated between its nodes (otherwise exact for up to 24
    targets): for work cut into small chunks whose tables were built ahead
    (:func:`bmdsim.threats.aiming.prime`), so that a target's flight does not depend on
    the size of the chunk it falls in."""
    before = _EVERY_BATCH[0]
    _EVERY_BATCH[0] = True
    try:
        yield
    finally:
        _EVERY_BATCH[0] = before


#: per process: envelope tables over the circle of azimuths (rows every 15 deg, NaN until a
#: batch needs them), by launch point
_ENVELOPES: OrderedDict[tuple[Any, ...], tuple[NDArray, NDArray, NDArray]] = OrderedDict()
_ENVELOPE_AZ = np.arange(0.0, 360.0, 15.0)


def _circle_envelope(
    vehicle: Vehicle, name: str, lat0: float, lon0: float, force: ForceModel, az_deg: NDArray
) -> tuple[NDArray, NDArray, NDArray]:
    """The envelope table over the circle of azimuths (every 15 deg; kept per process, the
    same for every batch from this launch point), with the rows around ``az_deg`` filled."""

    def empty() -> tuple[NDArray, NDArray, NDArray]:
        cg = np.linspace(CUTOFF_MIN_S, vehicle.burn_time_s, _TABLE_NC)
        shape = (_ENVELOPE_AZ.size, cg.size)
        return cg, np.full(shape, np.nan), np.full(shape, np.nan)

    key = (name, lat0, lon0, repr(vehicle), repr(force))
    hit = remember(_ENVELOPES, key, 32, empty)
    cg, rb, ub = hit
    i0 = np.floor((np.asarray(az_deg, float) % 360.0) / 15.0).astype(int) % _ENVELOPE_AZ.size
    rows = np.union1d(i0, (i0 + 1) % _ENVELOPE_AZ.size)
    missing = rows[np.isnan(rb[rows, 0])]
    if missing.size:
        _, rb[missing], ub[missing] = _envelope(vehicle, lat0, lon0, _ENVELOPE_AZ[missing], force)
    return hit


def _rows_at(table: NDArray, az_deg: NDArray) -> NDArray:
    """Rows of a table over :data:`_ENVELOPE_AZ` at each azimuth, linear between rows."""
    pos = (np.asarray(az_deg, float) % 360.0) / 15.0
    i0 = np.floor(pos).astype(int) % _ENVELOPE_AZ.size
    w = (pos - np.floor(pos))[:, None]
    return (1 - w) * table[i0] + w * table[(i0 + 1) % _ENVELOPE_AZ.size]


def _start(
    vehicle: Vehicle,
    name: str,
    lat0: float,
    lon0: float,
    dist: NDArray,
    az0: NDArray,
    force: ForceModel,
    circle: bool = False,
) -> tuple[NDArray, NDArray, int]:
    """Starting (ln kick, cut-off) per target from the envelope table: for a few targets
    its rows at their own azimuths, for more (or with ``circle``) the rows every 15 deg kept
    per process, interpolated."""
    n = dist.size
    if n <= 24 and not (circle or _EVERY_BATCH[0]):
        nodes, inv = np.unique(np.round(az0 % 360.0, 6), return_inverse=True)
        cg, rb, ub = _envelope(vehicle, lat0, lon0, nodes, force)
        r_t, u_t = rb[inv], ub[inv]
    else:
        nodes = _ENVELOPE_AZ
        cg, rb, ub = _circle_envelope(vehicle, name, lat0, lon0, force, az0)
        r_t, u_t = _rows_at(rb, az0), _rows_at(ub, az0)
    table_flights = nodes.size * _TABLE_U.size * cg.size
    near = dist < 0.98 * r_t[:, 0]
    if np.any(near):
        i = int(np.argmax(near))
        raise UnreachableTarget(
            f"{dist[i] / 1e3:,.0f} km needed, the shortest min-energy flight of {name} "
            f"(cut-off at {CUTOFF_MIN_S:.0f} s) reaches {r_t[i, 0] / 1e3:,.0f} km; "
            "use a lofted profile"
        )
    rows = np.arange(n)
    j = np.clip((r_t < dist[:, None]).sum(axis=1) - 1, 0, cg.size - 2)
    rj, rj1 = r_t[rows, j], r_t[rows, j + 1]
    w = np.clip((dist - rj) / np.where(rj1 > rj, rj1 - rj, 1.0), 0.0, 1.0)
    c0 = cg[j] + w * (cg[j + 1] - cg[j])
    u0 = u_t[rows, j] + w * (u_t[rows, j + 1] - u_t[rows, j])
    return u0, c0, table_flights


def solve_min_energy(
    name: str,
    vehicle: Vehicle,
    lat0: float,
    lon0: float,
    tlat: NDArray,
    tlon: NDArray,
    dist: NDArray,
    bearing: NDArray,
    az0: NDArray,
    force: ForceModel,
    tol_m: float,
    max_iter: int,
    nodes: bool = True,
    circle: bool = False,
) -> MinEnergySolution:
    """Minimum-energy flights to every target (see the module docstring). A batch of at
    least :data:`~bmdsim.threats.min_energy_nodes.MIN_TARGETS` targets (with ``nodes``)
    starts from exact solutions at polar nodes (:mod:`bmdsim.threats.min_energy_nodes`);
    the targets those leave go through the iterations below. ``circle``: start from the
    envelope rows kept per process even for a few targets (as the nodes do).

    Raises :class:`UnreachableTarget` for a target nearer than the shortest flight or beyond
    the full burn's best range, :class:`ConvergenceError` if iterations run out."""
    n = dist.size
    t_burn = vehicle.burn_time_s
    u_lo, u_hi = math.log(KICK_MIN_DEG), math.log(KICK_MAX_DEG)
    u, c, table_flights = _start(vehicle, name, lat0, lon0, dist, az0, force, circle)
    u = np.clip(u, u_lo + _U_STEP, u_hi - _U_STEP)
    az = az0.copy()
    miss = np.full(n, np.inf)
    d_apo = np.zeros(n)
    d_time = np.zeros(n)
    r_uu_out = np.zeros(n)
    r_c_out = np.zeros(n)
    summary: NDArray | None = None
    active = np.arange(n)
    newton_flights = 0
    node_steps = 0
    if nodes and (n >= MIN_NODE_TARGETS or _EVERY_BATCH[0]):
        envelope = partial(_circle_envelope, vehicle, name, lat0, lon0, force)
        got = node_solve(
            name,
            vehicle,
            lat0,
            lon0,
            tlat,
            tlon,
            dist,
            bearing,
            az0,
            force,
            tol_m,
            max_iter,
            envelope,
            partial(solve_min_energy, nodes=False, circle=True),
            # a small batch (with the kept tables) does not solve nodes itself: its flights
            # then do not depend on which batch asked first
            solve_missing=n >= MIN_NODE_TARGETS,
        )
        if got is not None:
            i = got.index
            az[i], u[i], c[i], miss[i] = got.azimuth_deg, got.u, got.cutoff_time_s, got.miss_m
            d_apo[i], d_time[i] = got.d_apogee_du_m, got.d_time_du_s
            r_uu_out[i], r_c_out[i] = got.d2r_du2_m, got.dr_dc_m_s
            summary = np.empty((n, got.summary.shape[1]))
            summary[i] = got.summary
            active = np.setdiff1d(active, i)
            newton_flights += got.flights
            node_steps = got.steps
    stuck = np.zeros(0, dtype=np.int64)  # targets for the scanning solve
    it = 0
    h = _U_STEP
    for it in range(1, (max_iter if active.size else 0) + 1):  # noqa: B007 (returned)
        k = active
        m = k.size
        cs = np.where(c[k] + _C_STEP_S > t_burn, c[k] - _C_STEP_S, c[k] + _C_STEP_S)
        fb = fly(
            vehicle,
            lat0,
            lon0,
            np.tile(az[k], 4),
            np.exp(np.concatenate([u[k], u[k] - h, u[k] + h, u[k]])),
            np.concatenate([c[k], c[k], c[k], cs]),
            force,
        )
        newton_flights += 4 * m
        if summary is None:
            summary = np.empty((n, fb.summary.shape[1]))
        r, brg, mm = impact_geometry(fb, lat0, lon0, np.tile(tlat[k], 4), np.tile(tlon[k], 4))
        r0, rm, rp, rc = r[:m], r[m : 2 * m], r[2 * m : 3 * m], r[3 * m :]
        summary[k] = fb.summary[:m]
        miss[k] = mm[:m]
        finite = np.isfinite(r0) & np.isfinite(rm) & np.isfinite(rp) & np.isfinite(rc)
        r0, rm, rp, rc = (np.where(finite, x, 0.0) for x in (r0, rm, rp, rc))
        r_u = (rp - rm) / (2 * h)
        r_uu = (rp - 2 * r0 + rm) / (h * h)
        r_c = (rc - r0) / (cs - c[k])
        concave = r_uu < 0
        du = np.where(concave, -r_u / np.where(concave, r_uu, -1.0), np.sign(r_u) * 0.3)
        du = np.clip(du, -0.3, 0.3)
        r_pred = r0 + r_u * du + np.where(concave, 0.5 * r_uu * du * du, 0.0)
        ok_c = finite & (r_c > 0)
        dc = np.where(ok_c, (dist[k] - r_pred) / np.where(ok_c, r_c, 1.0), 0.0)
        dc = np.clip(dc, -30.0, 30.0)
        # a flight that did not come down (or whose neighbours did not): shorter burn
        dc = np.where(finite, dc, -5.0)
        du = np.where(finite, du, 0.0)
        settled = finite & (np.abs(du) < _U_TOL)
        full = c[k] >= t_burn - 1e-9
        done = settled & (miss[k] < tol_m)
        edge = settled & full & (r0 < dist[k])
        done |= edge & (miss[k] < EDGE_TOL_M)
        am, ap = fb.apogee_m[m : 2 * m], fb.apogee_m[2 * m : 3 * m]
        t_m, t_p = fb.flight_time_s[m : 2 * m], fb.flight_time_s[2 * m : 3 * m]
        d_apo[k] = (ap - am) / (2 * h)
        d_time[k] = (t_p - t_m) / (2 * h)
        r_uu_out[k], r_c_out[k] = r_uu, r_c
        # at the full burn and the best kick Newton finds, still short: hand over to the
        # scanning solve (the best kick may lie beyond a cliff Newton cannot see)
        handed = edge & ~done
        nd = ~done & ~handed
        stuck = np.concatenate([stuck, k[handed]])
        kk = k[nd]
        u[kk] = np.clip(u[kk] + du[nd], u_lo + h, u_hi - h)
        c[kk] = np.clip(c[kk] + dc[nd], CUTOFF_MIN_S, t_burn)
        az[kk] += wrap180(bearing[kk] - brg[:m][nd])
        active = kk
        if active.size == 0:
            break
    stuck = np.concatenate([stuck, active])
    assert summary is not None
    if stuck.size:
        fb_s, it_s = _scan_solve(
            name,
            vehicle,
            lat0,
            lon0,
            tlat,
            tlon,
            dist,
            bearing,
            az0,
            az,
            u,
            c,
            stuck,
            force,
            tol_m,
        )
        summary[stuck] = fb_s.summary
        ilat, ilon = fb_s.impact_lat_lon_deg()
        miss[stuck] = np.asarray(WGS84_GEOD.inv(ilon, ilat, tlon[stuck], tlat[stuck])[2], float)
        newton_flights += it_s
    kick = np.exp(u)
    out = FlightBatch(launch_batch(vehicle, lat0, lon0, az, kick, c, force), summary)
    return MinEnergySolution(
        az,
        kick,
        c,
        miss,
        max(it, node_steps),
        out,
        d_apo,
        d_time,
        r_uu_out,
        r_c_out,
        table_flights,
        newton_flights,
    )


def too_near(
    name: str,
    vehicle: Vehicle,
    lat0: float,
    lon0: float,
    dist: NDArray,
    az0: NDArray,
    force: ForceModel,
) -> NDArray[np.bool_]:
    """The targets nearer than the shortest minimum-energy flight toward them (which the
    solve refuses), from the envelope rows kept per process."""
    if dist.size == 0:
        return np.zeros(0, dtype=bool)
    _, rb, _ = _circle_envelope(vehicle, name, lat0, lon0, force, az0)
    return np.asarray(dist < 0.98 * _rows_at(rb, az0)[:, 0])


def prime_min_energy(
    name: str,
    vehicle: Vehicle,
    lat0: float,
    lon0: float,
    dist: NDArray,
    bearing: NDArray,
    az0: NDArray,
    force: ForceModel,
    tol_m: float,
    max_iter: int,
) -> int:
    """Build (and keep per process) the envelope rows and polar nodes that batches to these
    targets will start from, without solving the targets; returns the flights flown."""
    _start(vehicle, name, lat0, lon0, dist, az0, force, circle=True)  # refuses too near
    return prime_nodes(
        name,
        vehicle,
        lat0,
        lon0,
        dist,
        bearing,
        az0,
        force,
        tol_m,
        max_iter,
        partial(_circle_envelope, vehicle, name, lat0, lon0, force),
        partial(solve_min_energy, nodes=False, circle=True),
    )


def _scan_solve(
    name: str,
    vehicle: Vehicle,
    lat0: float,
    lon0: float,
    tlat: NDArray,
    tlon: NDArray,
    dist: NDArray,
    bearing: NDArray,
    az0: NDArray,
    az: NDArray,
    u: NDArray,
    c: NDArray,
    idx: NDArray,
    force: ForceModel,
    tol_m: float,
    rounds: int = 3,
) -> tuple[FlightBatch, int]:
    """The robust, slower solve for targets where Newton's local model fails (near the cliff
    of orbital speed, or at the very edge of the reach): alternately the best kick at the
    current cut-off by the same scan as the reach (:func:`best_kick`), and the cut-off that
    closes the range at that kick (Illinois on the cut-off, with azimuth corrections). The
    first round scans the full burn at the reach's own azimuth, so every target inside the
    reach is hit; later rounds move toward the minimum and are kept where they land.
    Updates ``az``, ``u``, ``c`` at ``idx``; returns the flights and the number flown."""
    t_burn = vehicle.burn_time_s
    flown = 0
    m = idx.size
    az[idx] = az0[idx]
    c[idx] = t_burn
    best_summary: NDArray | None = None
    best = np.full(m, False)
    best_az, best_u, best_c = az[idx].copy(), u[idx].copy(), np.full(m, np.inf)
    best_miss = np.full(m, np.inf)
    for _ in range(rounds):
        bk = best_kick(vehicle, lat0, lon0, az[idx], force, cutoff_time_s=c[idx])
        flown += (33 + 2 * 17 + 2) * m
        u[idx] = np.log(bk.kick_deg)
        fb, miss, n_fl = _cutoff_for_range(
            vehicle,
            lat0,
            lon0,
            tlat[idx],
            tlon[idx],
            dist[idx],
            bearing[idx],
            az,
            u,
            c,
            idx,
            force,
            tol_m,
        )
        flown += n_fl
        if best_summary is None:
            best_summary = np.empty((m, fb.summary.shape[1]))
        ok = (miss < tol_m) | ((c[idx] >= t_burn - 1e-9) & (miss < EDGE_TOL_M))
        take = ok & (c[idx] < best_c) | (~best & (miss < best_miss))
        best_summary[take] = fb.summary[take]
        best_az[take], best_u[take], best_c[take] = az[idx][take], u[idx][take], c[idx][take]
        best_miss[take] = miss[take]
        best |= ok
    assert best_summary is not None
    if not np.all(best):
        # near the antipode the bearing of the impact from the launch point hardly
        # constrains the flight: solve the impact position on the target's own plane
        j = np.flatnonzero(~best)
        rt = range_toward(vehicle, lat0, lon0, bearing[idx[j]], force)
        fb_e, miss_e, a_e, c_e, n_e = plane_solve(
            vehicle,
            lat0,
            lon0,
            tlat[idx[j]],
            tlon[idx[j]],
            rt.azimuth_deg,
            rt.kick_deg,
            np.full(j.size, t_burn),
            force,
        )
        u_e = np.log(rt.kick_deg)
        flown += n_e + 4 * (33 + 2 * 17 + 2) * j.size
        hit = (miss_e < tol_m) | ((c_e >= t_burn - 1e-9) & (miss_e < EDGE_TOL_M))
        jj = j[hit]
        best_summary[jj] = fb_e.summary[hit]
        best_az[jj], best_u[jj], best_c[jj] = a_e[hit], u_e[hit], c_e[hit]
        best_miss[jj] = miss_e[hit]
        best[jj] = True
    az[idx], u[idx], c[idx] = best_az, best_u, best_c
    if not np.all(best):
        jw = int(np.argmax(np.where(best, -np.inf, best_miss)))
        i = int(idx[jw])
        raise UnreachableTarget(
            f"{dist[i] / 1e3:,.0f} km needed, {name} at its full burn lands "
            f"{best_miss[jw] / 1e3:,.1f} km from the target toward bearing "
            f"{bearing[i] % 360.0:.0f} deg"
        )
    fb = FlightBatch(
        launch_batch(vehicle, lat0, lon0, best_az, np.exp(best_u), best_c, force), best_summary
    )
    return fb, flown


def _cutoff_for_range(
    vehicle: Vehicle,
    lat0: float,
    lon0: float,
    tlat: NDArray,
    tlon: NDArray,
    dist: NDArray,
    bearing: NDArray,
    az: NDArray,
    u: NDArray,
    c: NDArray,
    idx: NDArray,
    force: ForceModel,
    tol_m: float,
    max_iter: int = 40,
) -> tuple[FlightBatch, NDArray, int]:
    """Cut-off at fixed kick so that each flight lands on its target: Illinois on the cut-off
    in [CUTOFF_MIN_S, full burn], azimuth corrected by the bearing error each iteration."""
    t_burn = vehicle.burn_time_s
    m = idx.size
    a = np.full(m, CUTOFF_MIN_S)
    b = np.full(m, t_burn)
    fa = np.full(m, -1.0)
    fbv = np.full(m, 1.0)
    side = np.zeros(m, dtype=np.int64)
    miss = np.full(m, np.inf)
    summary: NDArray | None = None
    flown = 0
    active = np.arange(m)
    cc = np.clip(c[idx], CUTOFF_MIN_S, t_burn)
    for it in range(max_iter):
        k = active
        if it > 0:
            den = fbv[k] - fa[k]
            okd = den > 0
            cc[k] = np.where(
                okd, b[k] - fbv[k] * (b[k] - a[k]) / np.where(okd, den, 1.0), 0.5 * (a[k] + b[k])
            )
            cc[k] = np.clip(cc[k], a[k], b[k])
        fb = fly(vehicle, lat0, lon0, az[idx[k]], np.exp(u[idx[k]]), cc[k], force)
        flown += k.size
        r, brg, mm = impact_geometry(fb, lat0, lon0, tlat[k], tlon[k])
        if summary is None:
            summary = np.empty((m, fb.summary.shape[1]))
        summary[k] = fb.summary
        miss[k] = mm
        f = np.where(np.isfinite(r), r - dist[k], 1e12)
        up = f > 0
        kb, ka = k[up], k[~up]
        fa[kb[side[kb] == 1]] *= 0.5
        b[kb], fbv[kb], side[kb] = cc[kb], f[up], 1
        fbv[ka[side[ka] == -1]] *= 0.5
        a[ka], fa[ka], side[ka] = cc[ka], f[~up], -1
        at_full = (cc[k] >= t_burn - 1e-9) & ~up
        done = (mm < tol_m) | (at_full & (np.abs(wrap180(bearing[k] - brg)) < 1e-4))
        # correct the azimuth only from flights that land near the target's range
        near = ~done & (np.abs(f) < 0.02 * dist[k])
        az[idx[k[near]]] += wrap180(bearing[k] - brg)[near]
        tight = (b[k] - a[k]) < 1e-7
        reopen = k[tight & ~done]
        a[reopen] = np.maximum(CUTOFF_MIN_S, cc[reopen] - 0.5)
        b[reopen] = np.minimum(t_burn, cc[reopen] + 0.5)
        fa[reopen], fbv[reopen] = -1.0, 1.0
        active = k[~done]
        if active.size == 0:
            break
    c[idx] = cc
    assert summary is not None
    out = FlightBatch(
        launch_batch(vehicle, lat0, lon0, az[idx], np.exp(u[idx]), cc, force), summary
    )
    return out, miss, flown
