"""Minimum-energy flights of a large batch, from exact solutions at polar nodes.

Seen from a launch point, the minimum-energy launch azimuth (less the target's bearing),
kick and cut-off are smooth functions of the target's bearing and distance. For a large
batch the exact solve (:func:`bmdsim.threats.min_energy.solve_min_energy`) runs only at
nodes every :data:`BEARING_STEP_DEG` of bearing and at the normalized distances
:data:`S_NODES` (s = 0 at the shortest minimum-energy flight toward that bearing, s = 1 at
the full burn's best range, both from the solver's envelope table). The nodes are kept per
process, so later batches from the same launch point solve only the nodes they add.

A target between nodes takes the bicubic interpolation (Lagrange, four nodes in bearing and
four in distance) of the nodes around it. Its kick is
kept: the interpolation error of ln(kick) is below the solver's own convergence tolerance
on the kick's Newton step (1e-3; Nodong-class targets from Sinpo solved exactly on a
1-deg, 25-km lattice and interpolated bilinearly from its 5-deg, 100-km sub-lattice: 99 %
below 7e-4, the largest 1.1e-3, about the scatter of the exact solutions themselves; the
bicubic rule does better: within 1e-4 of the exact kick for 99 % of the Wonsan-Japan
cells), and range is stationary in the kick there, so the cut-off a kick error costs
is second order. Its cut-off and azimuth are then corrected by Newton steps on the range
(with the interpolated dR/dc) and on the impact's bearing, one flight per target and step,
until the impact lies within the tolerance (the first flight already does for most: the
nodes are solved to :data:`NODE_TOL_M`). Targets outside the nodes' span, next to a node
the exact solve did not settle, or still off after :data:`MAX_STEPS` steps are left to the
full solve.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bmdsim.caches import remember
from bmdsim.earth.geodesics import WGS84_GEOD
from bmdsim.errors import ConvergenceError, UnreachableTarget
from bmdsim.flight.forces import ForceModel
from bmdsim.flight.vehicle import Vehicle
from bmdsim.threats.aim_flights import CUTOFF_MIN_S, fly, impact_geometry, periodic_interp, wrap180

__all__ = [
    "BEARING_STEP_DEG",
    "MAX_STEPS",
    "MIN_TARGETS",
    "NODE_TOL_M",
    "S_NODES",
    "NodeSolution",
    "clear_nodes",
    "node_solve",
    "prime_nodes",
]

#: batches of at least this many targets start from the nodes
MIN_TARGETS = 64
#: node spacing in bearing [deg] and the normalized distances of the nodes
BEARING_STEP_DEG = 5.0
S_NODES = np.linspace(0.04, 0.96, 13)
#: the nodes are solved to this miss [m] (tighter than the targets' 50 m: their scatter is
#: what the interpolation cannot remove)
NODE_TOL_M = 5.0
#: Newton steps on cut-off and azimuth before a target is left to the full solve
MAX_STEPS = 4
_N_BEARINGS = round(360.0 / BEARING_STEP_DEG)
#: per node: azimuth less bearing [deg], ln kick, cut-off [s], d(apogee)/du [m],
#: d(flight time)/du [s], d2R/du2 [m], dR/dc [m/s]; NaN where the exact solve failed
_FIELDS = 7
_NODES: OrderedDict[tuple[Any, ...], dict[tuple[int, int], NDArray[np.float64]]] = OrderedDict()


@dataclass(frozen=True)
class NodeSolution:
    """The targets solved from the nodes (``index`` into the batch) and their flights'
    parameters, misses, summaries and local derivatives; flights flown (nodes included)."""

    index: NDArray[np.int64]
    azimuth_deg: NDArray[np.float64]
    u: NDArray[np.float64]
    cutoff_time_s: NDArray[np.float64]
    miss_m: NDArray[np.float64]
    summary: NDArray[np.float64]
    d_apogee_du_m: NDArray[np.float64]
    d_time_du_s: NDArray[np.float64]
    d2r_du2_m: NDArray[np.float64]
    dr_dc_m_s: NDArray[np.float64]
    flights: int
    steps: int


#: the solver's envelope table with the rows around some azimuths filled (see
#: ``bmdsim.threats.min_energy``): cut-offs, best range (azimuths x cut-offs), its ln kick
Envelope = Callable[[NDArray], tuple[NDArray, NDArray, NDArray]]


def _span(envelope: Envelope, bearing_deg: NDArray) -> tuple[NDArray, NDArray]:
    """Shortest minimum-energy range and full-burn best range toward each bearing [m]."""
    _, r_best, _ = envelope(bearing_deg)
    az_nodes = np.arange(0.0, 360.0, 15.0)
    return (
        periodic_interp(bearing_deg, az_nodes, r_best[:, 0]),
        periodic_interp(bearing_deg, az_nodes, r_best[:, -1]),
    )


def _solve_nodes(
    keys: list[tuple[int, int]],
    table: dict[tuple[int, int], NDArray[np.float64]],
    solve: Callable[..., Any],
    name: str,
    vehicle: Vehicle,
    lat0: float,
    lon0: float,
    envelope: Envelope,
    shift_deg: float,
    force: ForceModel,
    tol_m: float,
    max_iter: int,
) -> int:
    """Solve the nodes ``keys`` exactly into ``table``; returns the flights flown."""
    b = np.array([k * BEARING_STEP_DEG for k, _ in keys]) % 360.0
    s = S_NODES[[j for _, j in keys]]
    lo, hi = _span(envelope, b)
    d = lo + s * (hi - lo)
    tlon, tlat, _ = WGS84_GEOD.fwd(np.full(b.size, lon0), np.full(b.size, lat0), b, d)
    tlat, tlon = np.asarray(tlat, float), np.asarray(tlon, float)
    try:
        sol = solve(
            name,
            vehicle,
            lat0,
            lon0,
            tlat,
            tlon,
            d,
            b,
            b + shift_deg,
            force,
            min(tol_m, NODE_TOL_M),
            max_iter,
        )
    except (UnreachableTarget, ConvergenceError):
        for key in keys:
            table[key] = np.full(_FIELDS, np.nan)
        return 0
    ok = sol.miss_m < min(tol_m, NODE_TOL_M)
    rows = np.stack(
        [
            wrap180(sol.azimuth_deg - b),
            np.log(sol.kick_deg),
            sol.cutoff_time_s,
            sol.d_apogee_du_m,
            sol.d_time_du_s,
            sol.d2r_du2_m,
            sol.dr_dc_m_s,
        ],
        axis=-1,
    )
    rows[~ok] = np.nan
    for key, row in zip(keys, rows, strict=True):
        table[key] = row
    return int(sol.table_flights + sol.newton_flights)


def _lagrange(x: NDArray, i: int) -> NDArray:
    """The cubic Lagrange weight of node ``i`` of the nodes 0, 1, 2, 3 at ``x``."""
    w = np.ones_like(x)
    for q in range(4):
        if q != i:
            w = w * (x - q) / (i - q)
    return w


def _node_values(
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
    envelope: Envelope,
    solve: Callable[..., Any],
    solve_missing: bool = True,
) -> tuple[NDArray[np.int64], NDArray[np.float64], int]:
    """The targets inside the nodes' span whose sixteen nodes were solved, their
    interpolated node values and the flights flown to solve the nodes still missing (with
    ``solve_missing``; else the targets next to a missing node are left out)."""
    b = np.asarray(bearing, float) % 360.0
    lo, hi = _span(envelope, b)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = (dist - lo) / (hi - lo)
    ds = S_NODES[1] - S_NODES[0]
    inside = np.isfinite(s) & (s >= S_NODES[0]) & (s <= S_NODES[-1]) & (hi > lo)
    idx = np.flatnonzero(inside)
    if idx.size == 0:
        return idx, np.zeros((0, _FIELDS)), 0
    pos_b = b[idx] / BEARING_STEP_DEG
    pos_s = (s[idx] - S_NODES[0]) / ds
    # bicubic (Lagrange, four nodes each way) around the target: the range moves ~57 km per
    # second of burn at a Nodong-class cut-off, so the cut-off wants more than a linear rule
    # (bilinear: ~1 km first misses; bicubic: tens of metres)
    kb0 = np.floor(pos_b).astype(np.int64) - 1  # bearings wrap: no edge
    m = np.clip(np.floor(pos_s).astype(np.int64) - 1, 0, S_NODES.size - 4)
    wb = [_lagrange(pos_b - kb0, i) for i in range(4)]
    ws = [_lagrange(pos_s - m, j) for j in range(4)]
    corners = [((kb0 + i) % _N_BEARINGS, m + j, wb[i] * ws[j]) for i in range(4) for j in range(4)]
    key = (name, lat0, lon0, repr(vehicle), repr(force), tol_m, max_iter)
    table = remember(_NODES, key, 32, dict)
    need = sorted(
        {(int(k), int(j)) for kk, jj, _ in corners for k, j in zip(kk, jj, strict=True)}
        - table.keys()
    )
    flights = 0
    if need and solve_missing:
        shift = float(np.median(wrap180(np.asarray(az0, float) - bearing)))
        flights += _solve_nodes(
            need, table, solve, name, vehicle, lat0, lon0, envelope, shift, force, tol_m, max_iter
        )
    missing = np.full(_FIELDS, np.nan)
    values = np.zeros((idx.size, _FIELDS))
    for kk, jj, w in corners:
        rows = np.array([table.get((int(k), int(j)), missing) for k, j in zip(kk, jj, strict=True)])
        values += w[:, None] * rows
    good = np.all(np.isfinite(values), axis=1)
    return idx[good], values[good], flights


def prime_nodes(
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
    envelope: Envelope,
    solve: Callable[..., Any],
) -> int:
    """Solve (and keep) the nodes these targets need, without solving the targets; returns
    the flights flown. Later batches from the launch point then reuse them."""
    return _node_values(
        name, vehicle, lat0, lon0, dist, bearing, az0, force, tol_m, max_iter, envelope, solve
    )[2]


def node_solve(
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
    envelope: Envelope,
    solve: Callable[..., Any],
    solve_missing: bool = True,
) -> NodeSolution | None:
    """The targets of a batch that the nodes solve (see the module text); None if none.
    ``solve``: the exact solver for the nodes (``solve_min_energy``'s arguments);
    ``solve_missing=False`` uses only the nodes already kept."""
    idx, values, flights = _node_values(
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
        envelope,
        solve,
        solve_missing,
    )
    if idx.size == 0:
        return None
    b = np.asarray(bearing, float) % 360.0
    az = b[idx] + values[:, 0]
    u = values[:, 1]
    c = np.clip(values[:, 2], CUTOFF_MIN_S, vehicle.burn_time_s)
    r_c = values[:, 6]
    miss = np.full(idx.size, np.inf)
    summary: NDArray | None = None
    active = np.arange(idx.size)
    steps = 0
    for steps in range(1, MAX_STEPS + 1):  # noqa: B007 (returned)
        k = active
        fb = fly(vehicle, lat0, lon0, az[k], np.exp(u[k]), c[k], force)
        flights += k.size
        if summary is None:
            summary = np.empty((idx.size, fb.summary.shape[1]))
        r, brg, mm = impact_geometry(fb, lat0, lon0, tlat[idx[k]], tlon[idx[k]])
        summary[k], miss[k] = fb.summary, mm
        go = (mm >= tol_m) & np.isfinite(r) & (r_c[k] > 0)
        kg = k[go]
        dc = np.clip((dist[idx[kg]] - r[go]) / r_c[kg], -5.0, 5.0)
        c[kg] = np.clip(c[kg] + dc, CUTOFF_MIN_S, vehicle.burn_time_s)
        az[kg] += wrap180(bearing[idx[kg]] - brg[go])
        active = kg
        if active.size == 0:
            break
    assert summary is not None
    done = miss < tol_m
    if not done.any():
        return None
    return NodeSolution(
        idx[done],
        az[done],
        u[done],
        c[done],
        miss[done],
        summary[done],
        values[done, 3],
        values[done, 4],
        values[done, 5],
        r_c[done],
        flights,
        steps,
    )


def clear_nodes() -> None:
    """Forget the nodes solved in this process."""
    _NODES.clear()
