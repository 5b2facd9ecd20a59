"""The C2 node's tracking loop as one kernel: every radar measurement of every threat, in
each threat's own time order, through the ballistic EKF, with the node's boost hold,
manoeuvre gate, fire-control test and track recording.

The Python reference of the same loop, vectorised across threats, is
:func:`bmdsim.sensors.c2._track_reference`; the tests hold the two to each other. The
filter's propagation and update are :mod:`bmdsim._core.ekf_kernels`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange
from numpy.typing import NDArray

from bmdsim._core.ekf_kernels import propagate_row, update_row
from bmdsim._core.jit import jit, pjit

__all__ = [
    "TK_FC_AHEAD_S",
    "TK_FC_SIGMA_M",
    "TK_GATE",
    "TK_HOLD_S",
    "TK_INIT_SIGMA_V",
    "TK_Q_BALLISTIC",
    "TK_Q_BOOST",
    "TK_RECORD_EVERY_S",
    "TK_SIZE",
    "track_sequence",
]

# settings row of :func:`track_sequence`
TK_Q_BOOST = 0
TK_Q_BALLISTIC = 1
TK_HOLD_S = 2
TK_GATE = 3
TK_FC_AHEAD_S = 4
TK_FC_SIGMA_M = 5
TK_INIT_SIGMA_V = 6
TK_RECORD_EVERY_S = 7  # < 0: record nothing
TK_SIZE = 8


@jit()
def _rae_jacobian_s(x: NDArray, site: NDArray, basis: NDArray, h: NDArray, z_pred: NDArray) -> None:
    """Predicted (range, azimuth, elevation) of a state and its Jacobian ``h`` (3, 6)."""
    d = np.empty(3)
    for a in range(3):
        d[a] = (
            basis[a, 0] * (x[0] - site[0])
            + basis[a, 1] * (x[1] - site[1])
            + basis[a, 2] * (x[2] - site[2])
        )
    e, nn, u = d[0], d[1], d[2]
    rho2 = e * e + nn * nn + u * u
    rho = math.sqrt(rho2)
    hz2 = e * e + nn * nn
    hz = math.sqrt(hz2)
    jd = np.empty((3, 3))
    for a in range(3):
        jd[0, a] = d[a] / rho
    jd[1, 0] = nn / hz2
    jd[1, 1] = -e / hz2
    jd[1, 2] = 0.0
    jd[2, 0] = -e * u / (rho2 * hz)
    jd[2, 1] = -nn * u / (rho2 * hz)
    jd[2, 2] = hz / rho2
    for a in range(3):
        for b in range(3):
            acc = 0.0
            for c in range(3):
                acc += jd[a, c] * basis[c, b]
            h[a, b] = acc
            h[a, 3 + b] = 0.0
    z_pred[0] = rho
    az = math.atan2(e, nn)
    if az < 0.0:
        az += 2.0 * math.pi
    z_pred[1] = az
    z_pred[2] = math.asin(min(1.0, max(-1.0, u / rho)))


@jit()
def _initialize_s(
    z: NDArray,
    rdiag: NDArray,
    site: NDArray,
    basis: NDArray,
    sigma_v: float,
    x: NDArray,
    p: NDArray,
) -> None:
    """State from one measurement (velocity zero) and its covariance."""
    rho, az, el = z[0], z[1], z[2]
    ce, se, ca, sa = math.cos(el), math.sin(el), math.cos(az), math.sin(az)
    enu = np.array([rho * ce * sa, rho * ce * ca, rho * se])
    j = np.empty((3, 3))  # d(enu)/d(rho, az, el)
    for a in range(3):
        j[a, 0] = enu[a] / rho
    j[0, 1] = rho * ce * ca
    j[1, 1] = -rho * ce * sa
    j[2, 1] = 0.0
    j[0, 2] = -rho * se * sa
    j[1, 2] = -rho * se * ca
    j[2, 2] = rho * ce
    jj = np.empty((3, 3))  # basis.T @ j
    for a in range(3):
        for b in range(3):
            acc = 0.0
            for c in range(3):
                acc += basis[c, a] * j[c, b]
            jj[a, b] = acc
    for a in range(3):
        acc = 0.0
        for c in range(3):
            acc += enu[c] * basis[c, a]
        x[a] = site[a] + acc
        x[3 + a] = 0.0
    p[:, :] = 0.0
    for a in range(3):
        for b in range(3):
            acc = 0.0
            for c in range(3):
                acc += jj[a, c] * rdiag[c] * jj[b, c]
            p[a, b] = acc
        p[3 + a, 3 + a] = sigma_v * sigma_v


@jit()
def _track_one(
    i: int,
    lo: int,
    hi: int,
    t_s: NDArray,
    radar: NDArray,
    z: NDArray,
    rdiag: NDArray,
    site: NDArray,
    basis: NDArray,
    latency_s: NDArray,
    plume_end_known_s: NDArray,
    track_init_s: NDArray,
    stop_s: NDArray,
    settings: NDArray,
    until_fire_control: bool,
    x: NDArray,
    p: NDArray,
    t_track: NDArray,
    q: NDArray,
    active: NDArray,
    nis: NDArray,
    fc_s: NDArray,
    fc_by: NDArray,
    r0: int,
    rec_known: NDArray,
    rec_t: NDArray,
    rec_x: NDArray,
    rec_p: NDArray,
    rec_q: NDArray,
    rec_by: NDArray,
) -> tuple[int, int]:
    """Measurements ``lo`` to ``hi - 1`` (all of threat ``i``, in time order); recorded
    states from slot ``r0``. Returns (measurements used, states recorded)."""
    q_boost = settings[TK_Q_BOOST]
    q_bal = settings[TK_Q_BALLISTIC]
    hold = settings[TK_HOLD_S]
    gate = settings[TK_GATE]
    ahead = settings[TK_FC_AHEAD_S]
    fc_sigma = settings[TK_FC_SIGMA_M]
    sigma_v = settings[TK_INIT_SIGMA_V]
    every = settings[TK_RECORD_EVERY_S]
    maneuver_until = -np.inf
    known = -np.inf
    kept = -np.inf
    h = np.zeros((3, 6))
    nu = np.empty(3)
    r1 = np.zeros((3, 3))
    z_pred = np.empty(3)
    xa = np.empty(6)
    pa = np.empty((6, 6))
    # workspace of the filter's row kernels
    k1 = np.empty(6)
    k2 = np.empty(6)
    k3 = np.empty(6)
    k4 = np.empty(6)
    yt = np.empty(6)
    f = np.zeros((6, 6))
    phi = np.empty((6, 6))
    tmp = np.empty((6, 6))
    f2 = np.empty((6, 6))
    f3 = np.empty((6, 6))
    hp = np.empty((3, 6))
    s_ = np.empty((3, 3))
    si = np.empty((3, 3))
    gain = np.empty((6, 3))
    ikh = np.empty((6, 6))
    t1 = np.empty((6, 6))
    t2 = np.empty((6, 6))
    gr = np.empty((6, 3))
    t3 = np.empty((6, 6))
    used = 0
    n_rec = 0
    for m in range(lo, hi):
        tk = t_s[m]
        j = radar[m]
        if tk > stop_s[i] and not math.isnan(fc_s[i]):
            break
        if until_fire_control and fc_s[i] <= tk:
            break
        used += 1
        if not active[i]:
            _initialize_s(z[m], rdiag[m], site[j], basis[j], sigma_v, x[i], p[i])
            t_track[i] = tk
            active[i] = True
            maneuver_until = tk + hold
            continue
        pe = plume_end_known_s[i]
        ir_burning = True if math.isnan(pe) else tk < pe
        boost = tk < maneuver_until and ir_burning
        q[i] = q_boost if boost else q_bal
        propagate_row(
            x[i], p[i], tk - t_track[i], q[i], True, k1, k2, k3, k4, yt, f, phi, tmp, f2, f3
        )
        t_track[i] = tk
        _rae_jacobian_s(x[i], site[j], basis[j], h, z_pred)
        for a in range(3):
            nu[a] = z[m, a] - z_pred[a]
            r1[a, a] = rdiag[m, a]
        nu[1] = (nu[1] + math.pi) % (2.0 * math.pi) - math.pi
        nis_m = update_row(x[i], p[i], h, nu, r1, hp, s_, si, gain, ikh, t1, t2, gr, t3)
        nis[i] = nis_m
        if every >= 0.0:
            known = max(known, tk + latency_s[j])
            if t_track[i] - kept >= every - 1e-9:
                kept = t_track[i]
                k = r0 + n_rec
                rec_known[k] = known
                rec_t[k] = t_track[i]
                rec_x[k] = x[i]
                rec_p[k] = p[i]
                rec_q[k] = q[i]
                rec_by[k] = j
                n_rec += 1
        if nis_m > gate and ir_burning:
            maneuver_until = tk + hold
            boost = True
        t_known = tk + latency_s[j]
        open_ = math.isnan(fc_s[i]) or fc_s[i] > t_known
        if (not boost) and open_ and t_known >= track_init_s[i]:
            xa[:] = x[i]
            pa[:, :] = p[i]
            propagate_row(xa, pa, ahead, q_bal, True, k1, k2, k3, k4, yt, f, phi, tmp, f2, f3)
            sig = math.sqrt(pa[0, 0] + pa[1, 1] + pa[2, 2])
            if sig < fc_sigma:
                if math.isnan(fc_s[i]) or t_known < fc_s[i]:
                    fc_s[i] = t_known
                fc_by[i] = j
    return used, n_rec


@pjit()
def track_sequence(
    thr_cut: NDArray,
    t_s: NDArray,
    radar: NDArray,
    z: NDArray,
    rdiag: NDArray,
    site: NDArray,
    basis: NDArray,
    latency_s: NDArray,
    plume_end_known_s: NDArray,
    track_init_s: NDArray,
    stop_s: NDArray,
    settings: NDArray,
    until_fire_control: bool,
    x: NDArray,
    p: NDArray,
    t_track: NDArray,
    q: NDArray,
    active: NDArray,
    nis: NDArray,
    fc_s: NDArray,
    fc_by: NDArray,
    rec_cut: NDArray,
    rec_known: NDArray,
    rec_t: NDArray,
    rec_x: NDArray,
    rec_p: NDArray,
    rec_q: NDArray,
    rec_by: NDArray,
    used: NDArray,
    n_rec: NDArray,
) -> None:
    """Run the C2 node's tracking over measurements sorted by (threat, time, radar), the
    threats in parallel (their tracks are independent).

    Threat ``i``'s measurements are ``thr_cut[i]`` to ``thr_cut[i + 1] - 1``: times
    ``t_s``, radar index ``radar``, noisy (range, azimuth, elevation) ``z`` and variances
    ``rdiag``. Per radar: site ECEF ``site`` (J, 3), ENU basis ``basis`` (J, 3, 3), link
    latency. Per threat: when the node knows the plume has ended (NaN: no infrared report),
    the track-initiation time, and the time after which its track is no longer needed
    (``stop_s``: the track goes on past it only until it first reaches fire-control quality). The filter bank (``x``, ``p``, ``t_track``, ``q``, ``active``, ``nis``)
    and the fire-control outputs (``fc_s`` NaN and ``fc_by`` -1 on entry) are updated in
    place; threat ``i`` records its states in slots ``rec_cut[i]`` on, and its counts of
    measurements used and states recorded in ``used[i]`` and ``n_rec[i]``.
    """
    n = thr_cut.shape[0] - 1
    for i in prange(n):
        lo, hi = thr_cut[i], thr_cut[i + 1]
        if hi <= lo:
            used[i] = 0
            n_rec[i] = 0
            continue
        u, r = _track_one(
            np.int64(i),
            lo,
            hi,
            t_s,
            radar,
            z,
            rdiag,
            site,
            basis,
            latency_s,
            plume_end_known_s,
            track_init_s,
            stop_s,
            settings,
            until_fire_control,
            x,
            p,
            t_track,
            q,
            active,
            nis,
            fc_s,
            fc_by,
            rec_cut[i],
            rec_known,
            rec_t,
            rec_x,
            rec_p,
            rec_q,
            rec_by,
        )
        used[i] = u
        n_rec[i] = r
