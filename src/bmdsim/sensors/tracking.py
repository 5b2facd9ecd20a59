"""Extended Kalman filter for ballistic targets in ECEF, vectorised over tracks.

State x = (r, v) in ECEF [m, m/s]. Dynamics: J2 gravity plus the Coriolis and centrifugal
terms of the rotating frame (Vallado, *Fundamentals of Astrodynamics and Applications*,
4th ed., 2013, sec. 3.7); thrust and drag are unmodelled and covered by white process noise
of intensity ``q`` [m^2/s^3] per track (Bar-Shalom, Li & Kirubarajan, *Estimation with
Applications to Tracking and Navigation*, 2001, sec. 6.2). Measurements: range, azimuth,
elevation from a site (geometric, ENU). All arrays have the track index first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim._core.jit import jit
from bmdsim.earth.gravity import GRAVITY_J2, gravity, gravity_s
from bmdsim.earth.wgs84 import GM_M3_S2, OMEGA_RAD_S

__all__ = [
    "BallisticEKF",
    "ballistic_acceleration",
    "measure_rae",
    "propagate_ballistic",
    "rae_jacobian",
]

_MAX_SUBSTEP_S = 10.0


def ballistic_acceleration(r: NDArray, v: NDArray) -> NDArray:
    """ECEF acceleration of an unpowered, drag-free body: J2 gravity, Coriolis, centrifugal."""
    a = gravity(r, GRAVITY_J2)
    w2 = OMEGA_RAD_S * OMEGA_RAD_S
    a[..., 0] += w2 * r[..., 0] + 2 * OMEGA_RAD_S * v[..., 1]
    a[..., 1] += w2 * r[..., 1] - 2 * OMEGA_RAD_S * v[..., 0]
    return a


@jit()
def _mm(a: NDArray, b: NDArray, out: NDArray) -> None:
    """out = a @ b for small matrices (explicit loops: no BLAS call, no allocation)."""
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            acc = 0.0
            for k in range(a.shape[1]):
                acc += a[i, k] * b[k, j]
            out[i, j] = acc


@jit()
def _mm_bt(a: NDArray, b: NDArray, out: NDArray) -> None:
    """out = a @ b.T."""
    for i in range(a.shape[0]):
        for j in range(b.shape[0]):
            acc = 0.0
            for k in range(a.shape[1]):
                acc += a[i, k] * b[j, k]
            out[i, j] = acc


@jit()
def _deriv_s(y: NDArray, out: NDArray) -> None:
    ax, ay, az = gravity_s(y[0], y[1], y[2], GRAVITY_J2, GM_M3_S2)
    w = OMEGA_RAD_S
    out[0], out[1], out[2] = y[3], y[4], y[5]
    out[3] = ax + w * w * y[0] + 2.0 * w * y[4]
    out[4] = ay + w * w * y[1] - 2.0 * w * y[3]
    out[5] = az


@jit()
def _propagate_kernel(x: NDArray, p: NDArray, dt: NDArray, q: NDArray, with_p: bool) -> None:
    """In place: RK4 sub-steps of at most 10 s per track; covariance with the third-order
    Taylor transition of the point-mass + frame Jacobian and white-acceleration noise."""
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
    w2 = OMEGA_RAD_S * OMEGA_RAD_S
    for i in range(x.shape[0]):
        n_sub = max(1, int(math.ceil(abs(dt[i]) / _MAX_SUBSTEP_S)))
        h = dt[i] / n_sub
        y = x[i]
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
                _mm(f, f, f2)
                _mm(f2, f, f3)
                for a in range(6):
                    for b in range(6):
                        phi[a, b] = f[a, b] + 0.5 * f2[a, b] + f3[a, b] / 6.0
                    phi[a, a] += 1.0
                _mm(phi, p[i], tmp)
                _mm_bt(tmp, phi, p[i])
                ah = abs(h)
                qq = q[i]
                for a in range(3):
                    p[i, a, a] += qq * ah**3 / 3.0
                    p[i, a, 3 + a] += qq * ah**2 / 2.0
                    p[i, 3 + a, a] += qq * ah**2 / 2.0
                    p[i, 3 + a, 3 + a] += qq * ah
            _deriv_s(y, k1)
            for j in range(6):
                yt[j] = y[j] + 0.5 * h * k1[j]
            _deriv_s(yt, k2)
            for j in range(6):
                yt[j] = y[j] + 0.5 * h * k2[j]
            _deriv_s(yt, k3)
            for j in range(6):
                yt[j] = y[j] + h * k3[j]
            _deriv_s(yt, k4)
            for j in range(6):
                y[j] += h / 6.0 * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j])


def propagate_ballistic(
    x: NDArray, dt_s: ArrayLike, p: NDArray | None = None, q: ArrayLike = 0.0
) -> tuple[NDArray, NDArray | None]:
    """Propagate states ``(n, 6)`` by ``dt_s`` (per track, may be 0 or negative) with RK4
    sub-steps of at most 10 s; with ``p`` also the covariance (linearised, plus noise q)."""
    x = np.array(x, float, copy=True)
    n = x.shape[0]
    dt = np.ascontiguousarray(np.broadcast_to(np.asarray(dt_s, float), (n,)))
    qv = np.ascontiguousarray(np.broadcast_to(np.asarray(q, float), (n,)))
    pp = np.zeros((n, 6, 6)) if p is None else np.array(p, float, copy=True)
    _propagate_kernel(x, pp, dt, qv, p is not None)
    return x, (pp if p is not None else None)


@jit()
def _update_kernel(
    x: NDArray, p: NDArray, h: NDArray, nu: NDArray, r: NDArray, nis: NDArray
) -> None:
    """In place, per track: Kalman gain, Joseph-form covariance update, NIS."""
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
        _mm(h[i], p[i], hp)
        _mm_bt(hp, h[i], s)
        for a_ in range(3):
            for b_ in range(3):
                s[a_, b_] += r[i, a_, b_]
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
                acc += gain[m, n] * nu[i, n]
            x[i, m] += acc
        _mm(gain, h[i], ikh)
        for m in range(6):
            for n in range(6):
                ikh[m, n] = (1.0 if m == n else 0.0) - ikh[m, n]
        _mm(ikh, p[i], t1)
        _mm_bt(t1, ikh, t2)
        _mm(gain, r[i], gr)
        _mm_bt(gr, gain, t3)
        for m in range(6):
            for n in range(6):
                p[i, m, n] = 0.5 * (t2[m, n] + t3[m, n] + t2[n, m] + t3[n, m])
        v = 0.0
        for m in range(3):
            for n in range(3):
                v += nu[i, m] * si[m, n] * nu[i, n]
        nis[i] = v


def measure_rae(r_ecef_m: NDArray, site_ecef_m: NDArray, basis: NDArray) -> NDArray:
    """Range [m], azimuth [rad, 0..2pi], elevation [rad] of points ``(n, 3)`` (geometric)."""
    d = (r_ecef_m - site_ecef_m) @ basis.T
    e, nn, u = d[:, 0], d[:, 1], d[:, 2]
    rho = np.linalg.norm(d, axis=-1)
    return np.stack(
        [rho, np.mod(np.arctan2(e, nn), 2 * np.pi), np.arcsin(np.clip(u / rho, -1, 1))], -1
    )


def rae_jacobian(r_ecef_m: NDArray, site_ecef_m: NDArray, basis: NDArray) -> NDArray:
    """d(range, az, el)/d(state) ``(n, 3, 6)``."""
    d = (r_ecef_m - site_ecef_m) @ basis.T
    e, nn, u = d[:, 0], d[:, 1], d[:, 2]
    rho2 = np.sum(d * d, axis=-1)
    rho = np.sqrt(rho2)
    hz2 = e * e + nn * nn
    hz = np.sqrt(hz2)
    jd = np.zeros((d.shape[0], 3, 3))
    jd[:, 0] = d / rho[:, None]
    jd[:, 1, 0] = nn / hz2
    jd[:, 1, 1] = -e / hz2
    jd[:, 2, 0] = -e * u / (rho2 * hz)
    jd[:, 2, 1] = -nn * u / (rho2 * hz)
    jd[:, 2, 2] = hz / rho2
    h = np.zeros((d.shape[0], 3, 6))
    h[:, :, 0:3] = jd @ basis
    return h


def _rae_to_ecef(z: NDArray, site: NDArray, basis: NDArray) -> tuple[NDArray, NDArray]:
    rho, az, el = z[:, 0], z[:, 1], z[:, 2]
    enu = np.stack(
        [rho * np.cos(el) * np.sin(az), rho * np.cos(el) * np.cos(az), rho * np.sin(el)], -1
    )
    j = np.zeros((z.shape[0], 3, 3))  # d(enu)/d(rho, az, el)
    j[:, :, 0] = enu / rho[:, None]
    j[:, 0, 1] = rho * np.cos(el) * np.cos(az)
    j[:, 1, 1] = -rho * np.cos(el) * np.sin(az)
    j[:, 0, 2] = -rho * np.sin(el) * np.sin(az)
    j[:, 1, 2] = -rho * np.sin(el) * np.cos(az)
    j[:, 2, 2] = rho * np.cos(el)
    return site + enu @ basis, basis.T @ j


@dataclass
class BallisticEKF:
    """A bank of ``n`` independent EKF tracks (ECEF position/velocity, covariance carried).

    Tracks start un-initialised; :meth:`initialize` sets the position from a measurement and
    the velocity to zero with ``init_sigma_v_m_s`` per axis.
    """

    n: int
    init_sigma_v_m_s: float = 3000.0
    x: NDArray[np.float64] = field(init=False)
    p: NDArray[np.float64] = field(init=False)
    t_s: NDArray[np.float64] = field(init=False)
    q: NDArray[np.float64] = field(init=False)
    active: NDArray[np.bool_] = field(init=False)
    nis: NDArray[np.float64] = field(init=False)

    def __post_init__(self) -> None:
        self.x = np.zeros((self.n, 6))
        self.p = np.tile(np.eye(6) * 1e12, (self.n, 1, 1))
        self.t_s = np.full(self.n, np.nan)
        self.q = np.zeros(self.n)
        self.active = np.zeros(self.n, bool)
        self.nis = np.full(self.n, np.nan)

    def initialize(
        self,
        idx: NDArray,
        t_s: ArrayLike,
        z: NDArray,
        r_meas: NDArray,
        site: NDArray,
        basis: NDArray,
    ) -> None:
        """Start tracks ``idx`` from measurements ``z`` (range, az, el) with covariances."""
        pos, j = _rae_to_ecef(z, site, basis)
        pp = np.zeros((len(idx), 6, 6))
        pp[:, 0:3, 0:3] = j @ r_meas @ np.swapaxes(j, 1, 2)
        pp[:, 3:6, 3:6] = np.eye(3) * self.init_sigma_v_m_s**2
        self.x[idx] = np.concatenate([pos, np.zeros_like(pos)], axis=1)
        self.p[idx] = pp
        self.t_s[idx] = t_s
        self.active[idx] = True

    def predict(self, idx: NDArray, t_s: ArrayLike) -> None:
        """Propagate tracks ``idx`` to time(s) ``t_s``."""
        t = np.broadcast_to(np.asarray(t_s, float), (len(idx),))
        x, p = propagate_ballistic(self.x[idx], t - self.t_s[idx], self.p[idx], self.q[idx])
        self.x[idx], self.p[idx], self.t_s[idx] = x, p, t

    def update(
        self, idx: NDArray, z: NDArray, r_meas: NDArray, site: NDArray, basis: NDArray
    ) -> NDArray[np.float64]:
        """Measurement update (Joseph form) of tracks ``idx``; returns each NIS."""
        x, p = self.x[idx], self.p[idx]
        h = rae_jacobian(x[:, :3], site, basis)
        nu = z - measure_rae(x[:, :3], site, basis)
        nu[:, 1] = (nu[:, 1] + np.pi) % (2 * np.pi) - np.pi
        nis = np.empty(len(idx))
        _update_kernel(x, p, np.ascontiguousarray(h), nu, np.ascontiguousarray(r_meas), nis)
        self.x[idx] = x
        self.p[idx] = p
        self.nis[idx] = nis
        return nis

    def position_sigma_ahead_m(
        self, idx: NDArray, ahead_s: float, q: ArrayLike | None = None
    ) -> NDArray[np.float64]:
        """RSS position standard deviation [m] predicted ``ahead_s`` from the tracks' times."""
        x, p = propagate_ballistic(
            self.x[idx], np.full(len(idx), ahead_s), self.p[idx], self.q[idx] if q is None else q
        )
        assert p is not None
        return np.sqrt(np.trace(p[:, 0:3, 0:3], axis1=1, axis2=2))

    def predicted(self, idx: NDArray, t_s: ArrayLike) -> tuple[NDArray, NDArray]:
        """Predicted states and covariances of tracks ``idx`` at ``t_s`` (tracks unchanged)."""
        t = np.broadcast_to(np.asarray(t_s, float), (len(idx),))
        x, p = propagate_ballistic(self.x[idx], t - self.t_s[idx], self.p[idx], self.q[idx])
        assert p is not None
        return x, p
