"""The ``standard`` profile: the class's range-optimal pitch program, range set by cut-off.

The kick is the one that gives the longest range on the full burn toward the target's bearing
(:func:`bmdsim.threats.reach.range_toward`), and the engine is cut off early to shorten the
range to the target: what a fixed guidance programme with energy management does. It is not
the minimum-energy flight (the best kick depends on the cut-off; see
:mod:`bmdsim.threats.min_energy`). Range is monotonic in the cut-off time, so the solve is a
safeguarded regula falsi (Illinois) inside a bracket from a table of range against cut-off.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from bmdsim.earth.geodesics import WGS84_GEOD
from bmdsim.errors import ConvergenceError, UnreachableTarget
from bmdsim.flight.forces import ForceModel
from bmdsim.flight.propagator import FlightBatch
from bmdsim.flight.vehicle import Vehicle
from bmdsim.threats.aim_flights import (
    CUTOFF_MIN_S,
    fly,
    impact_geometry,
    launch_batch,
    periodic_interp,
    plane_solve,
    wrap180,
)

__all__ = ["solve_standard"]


def solve_standard(
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
        periodic_interp(
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
    bearing_t = np.asarray(WGS84_GEOD.inv(np.full(n, lon0), np.full(n, lat0), tlon, tlat)[0], float)
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
        r, brg, m = impact_geometry(fbt, lat0, lon0, tlat[k], tlon[k])
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
        az[k[~done]] += wrap180(bearing_t[k] - brg)[~done]
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
        # near orbital speed the bracket and the bearing corrections can chase each other:
        # solve those targets on their own tangent planes from the best point so far
        fb_p, miss_p, az_p, cut_p, _ = plane_solve(
            vehicle,
            lat0,
            lon0,
            tlat[active],
            tlon[active],
            az[active],
            kick[active],
            cut[active],
            force,
        )
        hit = miss_p < tol_m
        ia = active[hit]
        az[ia], cut[ia], miss[ia] = az_p[hit], cut_p[hit], miss_p[hit]
        summary[ia] = fb_p.summary[hit]
        active = active[~hit]
    if active.size:
        i = int(active[np.argmax(miss[active])])
        raise ConvergenceError(
            f"aiming {name} ({active.size} of {n} targets) did not converge in {max_iter} "
            f"iterations: worst miss {miss[i]:.0f} m at {dist[i] / 1e3:,.0f} km"
        )
    out = FlightBatch(launch_batch(vehicle, lat0, lon0, az, kick, cut, force), summary)
    return az, kick, cut, miss, it, out
