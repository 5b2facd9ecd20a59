"""The batched flight integrator: adaptive Dormand-Prince 5(4) over N trajectories (numba).

Step strategy
-------------
Each trajectory integrates with its own adaptive step: the error per step is held below
``atol + rtol*|y|`` on position and velocity separately, by a PI controller (safety 0.9,
growth within [0.2, 5], no growth right after a rejection). While the engine burns, the
tolerance is multiplied by ``boost_factor`` (default 2e-2): a gravity turn amplifies
velocity-direction errors made early in the boost (for an ICBM-class flight about 26 m of
impact shift per microradian), so the boost is integrated far more tightly than the coast.
Steps are clipped to land exactly on every discontinuity known in advance (stage burnouts,
the start and end of the pitch-over), where the derivative is
re-evaluated; so the integrator never steps across a jump in thrust or mass. The boost takes
steps of a few seconds, the exo-atmospheric coast steps of tens of seconds, the reentry
short steps through the drag pulse: work goes where the dynamics is.

Events are located on the quintic Hermite interpolant of each step (position, velocity and
acceleration at both ends) and then polished with real integrator steps:

* impact: height above the Earth crossing zero downward (after the vehicle has risen
  ``arm_height`` above it); Illinois regula falsi on the interpolant, then Newton
  corrections of the step length on true DP5 steps from the step's start (at most three;
  in practice one or two, until a correction is below 1 ns, then one more step to the
  corrected time) put the impact point on the surface to well below a millimetre of the
  integrator's own solution;
* apogee: d(height)/dt crossing zero downward, by bisection on the interpolant.

Trajectories run in parallel (``numba.prange``); each is independent, so results do not
depend on the number of threads.
"""

from __future__ import annotations

import numpy as np
from numba import prange
from numpy.typing import NDArray

from bmdsim._core.dopri5 import (
    A21,
    A31,
    A32,
    A41,
    A42,
    A43,
    A51,
    A52,
    A53,
    A54,
    A61,
    A62,
    A63,
    A64,
    A65,
    B1,
    B3,
    B4,
    B5,
    B6,
    C2,
    C3,
    C4,
    C5,
    E1,
    E3,
    E4,
    E5,
    E6,
    E7,
)
from bmdsim._core.force_kernels import (
    deriv,
    deriv_call,
    height_fast_s,
    height_rate_s,
    true_height,
)
from bmdsim._core.hermite import quintic
from bmdsim._core.jit import jit, pjit
from bmdsim._core.layouts import (
    O_RADIUS,
    O_SHAPE,
    O_THRUST,
    PF_T_END,
    PF_THRUST,
    S_T_KICK,
    S_T_VERT,
    SM_H_APOGEE,
    SM_NFEV,
    SM_NSTEPS,
    SM_R_IMPACT,
    SM_STATUS,
    SM_T_APOGEE,
    SM_T_BURNOUT,
    SM_T_IMPACT,
    SM_V_IMPACT,
    SM_Y_BURNOUT,
    STATUS_IMPACT,
    STATUS_MAX_STEPS,
    STATUS_RECORD_FULL,
    STATUS_TIME_LIMIT,
    T_ARM,
    T_ATOL_POS,
    T_ATOL_VEL,
    T_BOOST,
    T_DURATION,
    T_H_INIT,
    T_H_MAX,
    T_MAX_STEPS,
    T_RTOL,
)
from bmdsim._core.steering_kernels import steer_mode

__all__ = [
    "dp5_step",
    "interp_state",
    "locate_apogee",
    "locate_impact",
    "propagate_batch",
    "propagate_one",
]


@jit()
def dp5_step(
    t: float,
    y: NDArray,
    h: float,
    k: NDArray,
    yt: NDArray,
    yout: NDArray,
    ph: NDArray,
    st: NDArray,
    mode: int,
    opts: NDArray,
    cd_tab: NDArray,
    tol: NDArray,
    tscale: float = 1.0,
) -> float:
    """One Dormand-Prince step from (t, y) with k[0] = f(t, y); returns the error norm.

    Writes the fifth-order solution into ``yout`` and stages into k[1..5]; k[6] (the
    derivative at the end) is left to the caller. Stages 2-6 run in a loop, so the force
    model is compiled into the step twice, not seven times.
    """
    for s in range(1, 6):
        if s == 1:
            c = C2
            for j in range(6):
                yt[j] = y[j] + h * A21 * k[0, j]
        elif s == 2:
            c = C3
            for j in range(6):
                yt[j] = y[j] + h * (A31 * k[0, j] + A32 * k[1, j])
        elif s == 3:
            c = C4
            for j in range(6):
                yt[j] = y[j] + h * (A41 * k[0, j] + A42 * k[1, j] + A43 * k[2, j])
        elif s == 4:
            c = C5
            for j in range(6):
                yt[j] = y[j] + h * (A51 * k[0, j] + A52 * k[1, j] + A53 * k[2, j] + A54 * k[3, j])
        else:
            c = 1.0
            for j in range(6):
                yt[j] = y[j] + h * (
                    A61 * k[0, j] + A62 * k[1, j] + A63 * k[2, j] + A64 * k[3, j] + A65 * k[4, j]
                )
        deriv(t + c * h, yt, k[s], ph, st, mode, opts, cd_tab)
    for j in range(6):
        yout[j] = y[j] + h * (
            B1 * k[0, j] + B3 * k[2, j] + B4 * k[3, j] + B5 * k[4, j] + B6 * k[5, j]
        )
    deriv(t + h, yout, k[6], ph, st, mode, opts, cd_tab)
    err = 0.0
    for j in range(6):
        e = h * (
            E1 * k[0, j] + E3 * k[2, j] + E4 * k[3, j] + E5 * k[4, j] + E6 * k[5, j] + E7 * k[6, j]
        )
        if j < 3:
            sc = tscale * (tol[T_ATOL_POS] + tol[T_RTOL] * abs(yout[j]))
        else:
            sc = tscale * (tol[T_ATOL_VEL] + tol[T_RTOL] * abs(yout[j]))
        r = abs(e) / sc
        if r > err:
            err = r
    return err


@jit()
def interp_state(
    s: float, h: float, ya: NDArray, aa: NDArray, yb: NDArray, ab: NDArray, out: NDArray
) -> None:
    """State at fraction s of a step from (ya, aa) to (yb, ab) by quintic Hermite."""
    for j in range(3):
        p, v = quintic(s, h, ya[j], ya[3 + j], aa[j], yb[j], yb[3 + j], ab[j])
        out[j] = p
        out[3 + j] = v


@jit()
def locate_impact(
    t: float,
    y: NDArray,
    h: float,
    yn: NDArray,
    k: NDArray,
    yt: NDArray,
    ys: NDArray,
    ph: NDArray,
    st: NDArray,
    mode: int,
    opts: NDArray,
    cd_tab: NDArray,
    tol: NDArray,
) -> float:
    """Time of the surface crossing inside the step (t, y) -> (t + h, yn); leaves the state
    there in ``ys``. k[0] holds f(t, y) and k[6] f(t + h, yn) on entry.

    Illinois regula falsi on the quintic interpolant (at most 60 iterations, to 1 um of
    height), then at most three Newton corrections of the step length, each on a true DP5
    step from (t, y), stopping when a correction is below 1 ns (the state is then stepped to
    the corrected time once more)."""
    shape = int(opts[O_SHAPE])
    rad = opts[O_RADIUS]
    aa = k[0, 3:6].copy()
    ab = k[6, 3:6].copy()
    # regula falsi (Illinois) on the interpolant
    s0, s1 = 0.0, 1.0
    f0 = height_fast_s(y[0], y[1], y[2], shape, rad)
    f1 = height_fast_s(yn[0], yn[1], yn[2], shape, rad)
    side = 0
    s = 1.0
    for _ in range(60):
        s = (s0 * f1 - s1 * f0) / (f1 - f0)
        interp_state(s, h, y, aa, yn, ab, ys)
        fs = height_fast_s(ys[0], ys[1], ys[2], shape, rad)
        if abs(fs) < 1e-6 or s1 - s0 < 1e-12:
            break
        if fs * f1 > 0.0:
            s1, f1 = s, fs
            if side == -1:
                f0 *= 0.5
            side = -1
        else:
            s0, f0 = s, fs
            if side == 1:
                f1 *= 0.5
            side = 1
    # polish on true integrator steps (Newton on the step length)
    dt = s * h
    for _ in range(3):
        dp5_step(t, y, dt, k, yt, ys, ph, st, mode, opts, cd_tab, tol, 1.0)
        hs = height_fast_s(ys[0], ys[1], ys[2], shape, rad)
        rate = height_rate_s(ys, shape)
        if rate >= 0.0:
            break
        corr = -hs / rate
        dt += corr
        if abs(corr) < 1e-9:
            dp5_step(t, y, dt, k, yt, ys, ph, st, mode, opts, cd_tab, tol, 1.0)
            break
    return t + dt


@jit()
def locate_apogee(
    h: float, y: NDArray, aa: NDArray, yn: NDArray, ab: NDArray, ys: NDArray, shape: int
) -> float:
    """Fraction of the step where d(height)/dt vanishes (bisection on the interpolant)."""
    lo, hi = 0.0, 1.0
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        interp_state(mid, h, y, aa, yn, ab, ys)
        if height_rate_s(ys, shape) > 0.0:
            lo = mid
        else:
            hi = mid
    s = 0.5 * (lo + hi)
    interp_state(s, h, y, aa, yn, ab, ys)
    return s


@jit()
def propagate_one(
    t0: float,
    y0: NDArray,
    phases: NDArray,
    nph: int,
    st: NDArray,
    opts: NDArray,
    cd_tab: NDArray,
    tol: NDArray,
    summary: NDArray,
    rec_t: NDArray,
    rec_y: NDArray,
    record: bool,
) -> int:
    """Fly one trajectory; fills ``summary`` (and the records); returns the nodes recorded."""
    k = np.empty((7, 6))
    y = y0.copy()
    yn = np.empty(6)
    yt = np.empty(6)
    ys = np.empty(6)
    shape = int(opts[O_SHAPE])
    rad = opts[O_RADIUS]
    thrust_on = opts[O_THRUST] != 0.0
    max_rec = rec_t.shape[0]
    t = t0
    p = 0
    while p < nph - 1 and phases[p, PF_T_END] <= t:
        p += 1
    mode = steer_mode(t, st)
    deriv_call(t, y, k[0], phases[p], st, mode, opts, cd_tab)
    nfev = 1
    h = tol[T_H_INIT]
    t_stop = t0 + tol[T_DURATION]
    max_steps = int(tol[T_MAX_STEPS])
    arm = tol[T_ARM]
    armed = False
    h_prev = height_fast_s(y[0], y[1], y[2], shape, rad)
    summary[SM_STATUS] = STATUS_MAX_STEPS
    summary[SM_T_IMPACT] = np.nan
    summary[SM_H_APOGEE] = true_height(y, opts)
    summary[SM_T_APOGEE] = t
    summary[SM_T_BURNOUT] = np.nan
    if not thrust_on or phases[p, PF_THRUST] == 0.0:
        summary[SM_T_BURNOUT] = t
        summary[SM_Y_BURNOUT : SM_Y_BURNOUT + 6] = y
    n_rec = 0
    if record:
        rec_t[0] = t
        rec_y[0, 0:6] = y
        rec_y[0, 6:9] = k[0, 3:6]
        rec_y[0, 9:12] = k[0, 3:6]
        n_rec = 1
    g_prev = height_rate_s(y, shape)
    nsteps = 0
    rejected = False
    err_old = 1e-4
    h_free = h
    while nsteps < max_steps:
        # next known discontinuity
        tb = phases[p, PF_T_END]
        if thrust_on and phases[p, PF_THRUST] != 0.0:
            if t < st[S_T_VERT]:
                tb = min(tb, st[S_T_VERT])
            elif t < st[S_T_KICK]:
                tb = min(tb, st[S_T_KICK])
        tb = min(tb, t_stop)
        hit = False
        if t + h >= tb - 1e-9 * max(1.0, abs(tb)):
            h_free = h  # the controller's own proposal, kept for after the breakpoint
            h = tb - t
            hit = True
        tscale = 1.0
        if thrust_on and phases[p, PF_THRUST] != 0.0:
            tscale = tol[T_BOOST]
        err = dp5_step(t, y, h, k, yt, yn, phases[p], st, mode, opts, cd_tab, tol, tscale)
        nfev += 6
        nsteps += 1
        if not err <= 1.0:  # also catches NaN
            fac = 0.2 if not err == err else max(0.2, 0.9 * err**-0.2)
            h *= fac
            rejected = True
            continue
        t_new = tb if hit else t + h
        hn = height_fast_s(yn[0], yn[1], yn[2], shape, rad)
        if not armed and hn > arm:
            armed = True
        if armed and hn <= 0.0 and h_prev > 0.0:
            t_imp = locate_impact(t, y, h, yn, k, yt, ys, phases[p], st, mode, opts, cd_tab, tol)
            nfev += 18
            summary[SM_STATUS] = STATUS_IMPACT
            summary[SM_T_IMPACT] = t_imp
            summary[SM_R_IMPACT : SM_R_IMPACT + 3] = ys[0:3]
            summary[SM_V_IMPACT : SM_V_IMPACT + 3] = ys[3:6]
            if record and n_rec < max_rec:
                deriv_call(t_imp, ys, k[6], phases[p], st, mode, opts, cd_tab)
                rec_t[n_rec] = t_imp
                rec_y[n_rec, 0:6] = ys
                rec_y[n_rec, 6:9] = k[6, 3:6]
                rec_y[n_rec, 9:12] = k[6, 3:6]
                n_rec += 1
            break
        g_new = height_rate_s(yn, shape)
        if g_prev > 0.0 and g_new <= 0.0:
            s = locate_apogee(h, y, k[0, 3:6], yn, k[6, 3:6], ys, shape)
            ha = true_height(ys, opts)
            if ha > summary[SM_H_APOGEE]:
                summary[SM_H_APOGEE] = ha
                summary[SM_T_APOGEE] = t + s * h
        elif g_new > 0.0 and hn > summary[SM_H_APOGEE]:
            summary[SM_H_APOGEE] = true_height(yn, opts)
            summary[SM_T_APOGEE] = t_new
        g_prev = g_new
        h_prev = hn
        t = t_new
        y[:] = yn
        if record:
            if n_rec < max_rec:
                rec_t[n_rec] = t
                rec_y[n_rec, 0:6] = y
                rec_y[n_rec, 6:9] = k[6, 3:6]
                rec_y[n_rec, 9:12] = k[6, 3:6]
                n_rec += 1
            else:
                summary[SM_STATUS] = STATUS_RECORD_FULL
                break
        if hit:
            if t >= t_stop:
                summary[SM_STATUS] = STATUS_TIME_LIMIT
                break
            p_old = p
            while p < nph - 1 and phases[p, PF_T_END] <= t:
                p += 1
            if thrust_on and phases[p_old, PF_THRUST] != 0.0 and phases[p, PF_THRUST] == 0.0:
                summary[SM_T_BURNOUT] = t
                summary[SM_Y_BURNOUT : SM_Y_BURNOUT + 6] = y
            mode = steer_mode(t, st)
            deriv_call(t, y, k[0], phases[p], st, mode, opts, cd_tab)
            nfev += 1
            if record:
                rec_y[n_rec - 1, 9:12] = k[0, 3:6]
        else:
            k[0, :] = k[6, :]
        # PI step-size control (Gustafsson 1991; Hairer & Wanner's DOPRI5 uses beta = 0.04)
        err = max(err, 1e-10)
        fac = min(5.0, max(0.2, 0.9 * err**-0.17 * err_old**0.04))
        if rejected:
            fac = min(fac, 1.0)
        rejected = False
        err_old = max(err, 1e-4)
        if hit:
            # a step cut short to land on a breakpoint says nothing about the step size
            # beyond it: resume from the controller's last proposal
            h = min(max(h * fac, h_free), tol[T_H_MAX])
        else:
            h = min(h * fac, tol[T_H_MAX])
    summary[SM_NSTEPS] = nsteps
    summary[SM_NFEV] = nfev
    return n_rec


@pjit()
def propagate_batch(
    t0: NDArray,
    y0: NDArray,
    phases: NDArray,
    nph: NDArray,
    steer: NDArray,
    opts: NDArray,
    cd_tabs: NDArray,
    cd_index: NDArray,
    tol: NDArray,
    summary: NDArray,
    rec_t: NDArray,
    rec_y: NDArray,
    rec_n: NDArray,
    record: bool,
) -> None:
    """Fly N trajectories in parallel: t0 (N,), y0 (N, 6), phases (N, P, F), nph (N,),
    steer (N, S), drag tables cd_tabs (D, 3, K) and each flight's table cd_index (N,);
    outputs summary (N, N_SUM) and, if ``record``, rec_t (N, M), rec_y (N, M, N_REC),
    rec_n (N,)."""
    n = t0.shape[0]
    for i in prange(n):
        # ``record`` passed on, not a literal True or False: one compiled propagate_one
        if record:
            rec_n[i] = propagate_one(
                t0[i],
                y0[i],
                phases[i],
                nph[i],
                steer[i],
                opts,
                cd_tabs[cd_index[i]],
                tol,
                summary[i],
                rec_t[i],
                rec_y[i],
                record,
            )
        else:
            propagate_one(
                t0[i],
                y0[i],
                phases[i],
                nph[i],
                steer[i],
                opts,
                cd_tabs[cd_index[i]],
                tol,
                summary[i],
                rec_t[0],
                rec_y[0],
                record,
            )
