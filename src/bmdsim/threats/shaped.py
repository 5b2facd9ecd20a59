"""Lofted and depressed flights: the same range as the minimum-energy flight, shaped by a
chosen apogee or flight time.

Flights that reach a target form a one-parameter family (kick, with the cut-off that closes
the range). The minimum-energy flight splits it: a smaller kick lofts the flight (higher
apogee, longer flight time), a larger one depresses it. So a lofted flight must fly above the
minimum-energy apogee (or longer than its flight time) and a depressed one below (or
shorter); other requests are refused with the minimum-energy figure.

The solve starts on the requested branch from the minimum-energy flight, using its local
derivatives (apogee or flight time against ln kick; the range's curvature in ln kick and its
slope in cut-off), then runs Newton on (shape, range) in (ln kick, cut-off) with
finite-difference Jacobians, kept on its branch.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from bmdsim.errors import ConvergenceError, InputError, UnreachableTarget
from bmdsim.flight.forces import ForceModel
from bmdsim.flight.propagator import FlightBatch
from bmdsim.flight.vehicle import Vehicle
from bmdsim.threats.aim_flights import CUTOFF_MIN_S, fly, impact_geometry, launch_batch, wrap180
from bmdsim.threats.min_energy import MinEnergySolution
from bmdsim.threats.reach import KICK_MAX_DEG, KICK_MIN_DEG

__all__ = ["SHAPES", "check_shape", "shape_ok", "solve_shaped"]

#: what shapes a lofted or depressed flight: (key, unit label, scale to SI)
SHAPES = {"apogee": ("apogee", "km", 1e3), "flight_time": ("flight time", "s", 1.0)}


def _shape_of(fb: FlightBatch, shape: str) -> NDArray[np.float64]:
    return fb.apogee_m if shape == "apogee" else fb.flight_time_s


def shape_ok(
    profile: str, shape: str, value_si: float, me_flights: FlightBatch
) -> NDArray[np.bool_]:
    """The targets whose minimum-energy flight (``me_flights``) leaves room for the shape
    (see :func:`check_shape`)."""
    v_me = _shape_of(me_flights, shape)
    return np.asarray(v_me < value_si if profile == "lofted" else v_me > value_si)


def check_shape(
    profile: str, shape: str, value_si: float, me: MinEnergySolution, dist: NDArray
) -> None:
    """Refuse a lofted flight at or below the minimum-energy figure, or a depressed one at or
    above it, naming that figure for the target."""
    label, unit, scale = SHAPES[shape]
    v_me = _shape_of(me.flights, shape)
    bad = v_me >= value_si if profile == "lofted" else v_me <= value_si
    if np.any(bad):
        i = int(np.argmax(bad))
        word = "above" if profile == "lofted" else "below"
        raise InputError(
            f"a {profile} flight must fly {word} the min-energy {label} of "
            f"{v_me[i] / scale:,.0f} {unit} for this target ({dist[i] / 1e3:,.0f} km); "
            f"got {value_si / scale:,.0f} {unit}"
        )


def solve_shaped(
    name: str,
    vehicle: Vehicle,
    lat0: float,
    lon0: float,
    tlat: NDArray,
    tlon: NDArray,
    dist: NDArray,
    bearing: NDArray,
    me: MinEnergySolution,
    profile: str,
    shape: str,
    value_si: float,
    force: ForceModel,
    tol_m: float,
    max_iter: int,
    strict: bool = True,
) -> tuple[NDArray, NDArray, NDArray, NDArray, int, FlightBatch, NDArray]:
    """Lofted or depressed flights to every target with the given apogee [m] or flight time
    [s] (``shape``); call :func:`check_shape` first. The last item: the targets not hit
    (with ``strict``, the default, any such target raises instead)."""
    n = dist.size
    t_burn = vehicle.burn_time_s
    u_lo, u_hi = math.log(KICK_MIN_DEG), math.log(KICK_MAX_DEG)
    u_me = np.log(me.kick_deg)
    side = -1.0 if profile == "lofted" else 1.0  # lofted: smaller kick
    # branch bounds: never cross the minimum-energy kick
    lo = np.where(side < 0, u_lo, u_me + 1e-4)
    hi = np.where(side < 0, u_me - 1e-4, u_hi)
    # start: linear in ln kick for the shape, quadratic for the range
    v_me = _shape_of(me.flights, shape)
    slope = np.where(shape == "apogee", me.d_apogee_du_m, me.d_time_du_s)
    du0 = (value_si - v_me) / np.where(np.abs(slope) > 0, slope, np.nan)
    du0 = np.where(np.isfinite(du0) & (np.sign(du0) == side), du0, side * 0.2)
    du0 = np.clip(du0, -1.5, 1.5)
    u = np.clip(u_me + du0, lo, hi)
    r_c = np.where(me.dr_dc_m_s > 0, me.dr_dc_m_s, np.inf)
    c = np.clip(
        me.cutoff_time_s - 0.5 * np.minimum(me.d2r_du2_m, 0.0) * du0**2 / r_c,
        CUTOFF_MIN_S,
        t_burn,
    )
    az = me.azimuth_deg.copy()
    miss = np.full(n, np.inf)
    err = np.full(n, np.inf)
    summary = np.empty_like(me.flights.summary)
    active = np.arange(n)
    du, dc = 2e-3, 0.05
    label, unit, scale = SHAPES[shape]
    shape_tol = max(500.0, 1e-3 * value_si) if shape == "apogee" else max(1.0, 1e-3 * value_si)
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 (returned)
        k = active
        m_ = k.size
        sgn = np.where(c[k] + dc > t_burn, -1.0, 1.0)
        usgn = np.where(u[k] + du > hi[k], -1.0, 1.0)
        fbt = fly(
            vehicle,
            lat0,
            lon0,
            np.tile(az[k], 3),
            np.exp(np.concatenate([u[k], u[k] + usgn * du, u[k]])),
            np.concatenate([c[k], c[k], c[k] + sgn * dc]),
            force,
        )
        r, brg, mm = impact_geometry(fbt, lat0, lon0, np.tile(tlat[k], 3), np.tile(tlon[k], 3))
        s = _shape_of(fbt, shape)
        r0, r1, r2 = r[:m_], r[m_ : 2 * m_], r[2 * m_ :]
        a0, a1, a2 = s[:m_], s[m_ : 2 * m_], s[2 * m_ :]
        summary[k] = fbt.summary[:m_]
        miss[k] = mm[:m_]
        err[k] = np.abs(a0 - value_si)
        done = (miss[k] < tol_m) & (err[k] < shape_tol)
        az[k[~done]] += wrap180(bearing[k] - brg[:m_])[~done]
        j11, j12 = (a1 - a0) / (usgn * du), (a2 - a0) / (sgn * dc)
        j21, j22 = (r1 - r0) / (usgn * du), (r2 - r0) / (sgn * dc)
        f1, f2 = a0 - value_si, r0 - dist[k]
        det = j11 * j22 - j12 * j21
        okd = np.isfinite(det) & (np.abs(det) > 0)
        det = np.where(okd, det, 1.0)
        step_u = np.where(okd, -(j22 * f1 - j12 * f2) / det, 0.0)
        step_c = np.where(okd, -(-j21 * f1 + j11 * f2) / det, 0.0)
        # a flight that did not come down: burn less
        step_c = np.where(np.isfinite(r0), step_c, -5.0)
        step_u = np.clip(np.nan_to_num(step_u), -0.5, 0.5)
        step_c = np.clip(np.nan_to_num(step_c), -20.0, 20.0)
        nd = ~done
        kk = k[nd]
        u[kk] = np.clip(u[kk] + step_u[nd], lo[kk], hi[kk])
        c[kk] = np.clip(c[kk] + step_c[nd], CUTOFF_MIN_S, t_burn)
        active = kk
        if active.size == 0:
            break
    if active.size and strict:
        i = int(active[np.argmax(miss[active])])
        if c[i] >= t_burn - 1e-6 or u[i] <= u_lo + 1e-6 or u[i] >= u_hi - 1e-6:
            raise UnreachableTarget(
                f"a {profile} flight of {name} to {dist[i] / 1e3:,.0f} km with {label} "
                f"{value_si / scale:,.0f} {unit} is beyond what the missile can fly"
            )
        raise ConvergenceError(
            f"{profile} aiming of {name} ({active.size} of {n} targets) did not converge in "
            f"{max_iter} iterations: miss {miss[i]:.0f} m, {label} off by "
            f"{err[i] / scale:,.1f} {unit} at {dist[i] / 1e3:,.0f} km"
        )
    kick = np.exp(u)
    out = FlightBatch(launch_batch(vehicle, lat0, lon0, az, kick, c, force), summary)
    return az, kick, c, miss, it, out, active
