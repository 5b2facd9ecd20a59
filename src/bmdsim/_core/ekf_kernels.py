"""Extended Kalman filter kernels: ballistic propagation with covariance, Joseph update.

State x = (r, v) in ECEF [m, m/s], one row per track. Dynamics: J2 gravity plus the
Coriolis and centrifugal terms of the rotating frame (Vallado, *Fundamentals of
Astrodynamics and Applications*, 4th ed., 2013, sec. 3.7), integrated by RK4 sub-steps of at
most ``MAX_SUBSTEP_S``; covariance by the third-order Taylor transition of the point-mass +
frame Jacobian with white-acceleration noise (Bar-Shalom, Li & Kirubarajan, *Estimation with
Applications to Tracking and Navigation*, 2001, sec. 6.2). The filter itself is
:class:`bmdsim.sensors.tracking.BallisticEKF`.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from bmdsim._core.constants import GM_M3_S2, OMEGA_RAD_S
from bmdsim._core.gravity_kernels import gravity_s
from bmdsim._core.jit import jit
from bmdsim._core.layouts import GRAVITY_J2

__all__ = [
    "MAX_SUBSTEP_S",
    "ballistic_deriv_s",
    "ekf_propagate",
    "ekf_update",
    "mm",
    "mm_bt",
    "propagate_row",
    "update_row",
]

#: Longest RK4 sub-step of the ballistic propagation [s]
MAX_SUBSTEP_S = 10.0


@jit()
def mm(a: NDArray, b: NDArray, out: NDArray) -> None:
    """out = a @ b for small matrices (explicit loops: no BLAS call, no allocation)."""
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            acc = 0.0
            for k in range(a.shape[1]):
                acc += a[i, k] * b[k, j]
            out[i, j] = acc


@jit()
def mm_bt(a: NDArray, b: NDArray, out: NDArray) -> None:
    """out = a @ b.T."""
    for i in range(a.shape[0]):
        for j in range(b.shape[0]):
            acc = 0.0
            for k in range(a.shape[1]):
                acc += a[i, k] * b[j, k]
            out[i, j] = acc


@jit()
def ballistic_deriv_s(y: NDArray, out: NDArray) -> None:
    """dy/dt in ECEF of an unpowered, drag-free body: J2 gravity, centrifugal, Coriolis."""
    ax, ay, az = gravity_s(y[0], y[1], y[2], GRAVITY_J2, GM_M3_S2)
    w = OMEGA_RAD_S
    out[0], out[1], out[2] = y[3], y[4], y[5]
    out[3] = ax + w * w * y[0] + 2.0 * w * y[4]
    out[4] = ay + w * w * y[1] - 2.0 * w * y[3]
    out[5] = az


@jit()
def propagate_row(
    y: NDArray,
    p: NDArray,
    dt: float,
    q: float,
    with_p: bool,
    k1: NDArray,
    k2: NDArray,
    k3: NDArray,
    k4: NDArray,
    yt: NDArray,
    f: NDArray,
    phi: NDArray,
    tmp: NDArray,
    f2: NDArray,
    f3: NDArray,
) -> None:
    """One track in place (state ``y`` (6,), covariance ``p`` (6, 6)) by ``dt``: RK4
    sub-steps of at most ``MAX_SUBSTEP_S``; covariance with the third-order Taylor
    transition of the point-mass + frame Jacobian and white-acceleration noise ``q``. The
    other arrays are workspace (k1-k4, yt: (6,); f, phi, tmp, f2, f3: (6, 6))."""
    w2 = OMEGA_RAD_S * OMEGA_RAD_S
    n_sub = max(1, int(math.ceil(abs(dt) / MAX_SUBSTEP_S)))
    h = dt / n_sub
    for _ in range(n_sub):
        if with_p:
            rn = math.sqrt(y[0] ** 2 + y[1] ** 2 + y[2] ** 2)
            g = GM_M3_S2 / rn**3
            f[:] = 0.0
            for a in range(3):
                f[a, 3 + a] = h
                for b in range(3):
                    delta = 1.0 if a == b else 0.0
                    f[3 + a, b] = h * g * (3.0 * y[a] * y[b] / (rn * rn) - delta)
            f[3, 0] += h * w2
            f[4, 1] += h * w2
            f[3, 4] = h * 2.0 * OMEGA_RAD_S
            f[4, 3] = -h * 2.0 * OMEGA_RAD_S
            mm(f, f, f2)
            mm(f2, f, f3)
            for a in range(6):
                for b in range(6):
                    phi[a, b] = f[a, b] + 0.5 * f2[a, b] + f3[a, b] / 6.0
                phi[a, a] += 1.0
            mm(phi, p, tmp)
            mm_bt(tmp, phi, p)
            ah = abs(h)
            for a in range(3):
                p[a, a] += q * ah**3 / 3.0
                p[a, 3 + a] += q * ah**2 / 2.0
                p[3 + a, a] += q * ah**2 / 2.0
                p[3 + a, 3 + a] += q * ah
        ballistic_deriv_s(y, k1)
        for j in range(6):
            yt[j] = y[j] + 0.5 * h * k1[j]
        ballistic_deriv_s(yt, k2)
        for j in range(6):
            yt[j] = y[j] + 0.5 * h * k2[j]
        ballistic_deriv_s(yt, k3)
        for j in range(6):
            yt[j] = y[j] + h * k3[j]
        ballistic_deriv_s(yt, k4)
        for j in range(6):
            y[j] += h / 6.0 * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j])


@jit()
def ekf_propagate(x: NDArray, p: NDArray, dt: NDArray, q: NDArray, with_p: bool) -> None:
    """In place, per track: :func:`propagate_row`."""
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
    for i in range(x.shape[0]):
        propagate_row(x[i], p[i], dt[i], q[i], with_p, k1, k2, k3, k4, yt, f, phi, tmp, f2, f3)


@jit()
def update_row(
    x: NDArray,
    p: NDArray,
    h: NDArray,
    nu: NDArray,
    r: NDArray,
    hp: NDArray,
    s: NDArray,
    si: NDArray,
    gain: NDArray,
    ikh: NDArray,
    t1: NDArray,
    t2: NDArray,
    gr: NDArray,
    t3: NDArray,
) -> float:
    """One track in place: Kalman gain, Joseph-form covariance update; returns the NIS.
    ``h`` (3, 6), ``nu`` (3,), ``r`` (3, 3); the rest is workspace (hp (3, 6), s, si
    (3, 3), gain, gr (6, 3), ikh, t1, t2, t3 (6, 6))."""
    mm(h, p, hp)
    mm_bt(hp, h, s)
    for a_ in range(3):
        for b_ in range(3):
            s[a_, b_] += r[a_, b_]
    a, b, c = s[0, 0], s[0, 1], s[0, 2]
    d, e, f = s[1, 0], s[1, 1], s[1, 2]
    g, hh, k = s[2, 0], s[2, 1], s[2, 2]
    det = a * (e * k - f * hh) - b * (d * k - f * g) + c * (d * hh - e * g)
    si[0, 0] = (e * k - f * hh) / det
    si[0, 1] = (c * hh - b * k) / det
    si[0, 2] = (b * f - c * e) / det
    si[1, 0] = (f * g - d * k) / det
    si[1, 1] = (a * k - c * g) / det
    si[1, 2] = (c * d - a * f) / det
    si[2, 0] = (d * hh - e * g) / det
    si[2, 1] = (b * g - a * hh) / det
    si[2, 2] = (a * e - b * d) / det
    # gain = P H^T S^-1 = (H P)^T S^-1 (P symmetric)
    for m in range(6):
        for n in range(3):
            acc = 0.0
            for q in range(3):
                acc += hp[q, m] * si[q, n]
            gain[m, n] = acc
    for m in range(6):
        acc = 0.0
        for n in range(3):
            acc += gain[m, n] * nu[n]
        x[m] += acc
    mm(gain, h, ikh)
    for m in range(6):
        for n in range(6):
            ikh[m, n] = (1.0 if m == n else 0.0) - ikh[m, n]
    mm(ikh, p, t1)
    mm_bt(t1, ikh, t2)
    mm(gain, r, gr)
    mm_bt(gr, gain, t3)
    for m in range(6):
        for n in range(6):
            p[m, n] = 0.5 * (t2[m, n] + t3[m, n] + t2[n, m] + t3[n, m])
    v = 0.0
    for m in range(3):
        for n in range(3):
            v += nu[m] * si[m, n] * nu[n]
    return v


@jit()
def ekf_update(x: NDArray, p: NDArray, h: NDArray, nu: NDArray, r: NDArray, nis: NDArray) -> None:
    """In place, per track: :func:`update_row`."""
    hp = np.empty((3, 6))
    s = np.empty((3, 3))
    si = np.empty((3, 3))
    gain = np.empty((6, 3))
    ikh = np.empty((6, 6))
    t1 = np.empty((6, 6))
    t2 = np.empty((6, 6))
    gr = np.empty((6, 3))
    t3 = np.empty((6, 6))
    for i in range(x.shape[0]):
        nis[i] = update_row(x[i], p[i], h[i], nu[i], r[i], hp, s, si, gain, ikh, t1, t2, gr, t3)
