"""Extended Kalman filter for ballistic targets in ECEF, vectorised over tracks.

State x = (r, v) in ECEF [m, m/s]. Dynamics: J2 gravity plus the Coriolis and centrifugal
terms of the rotating frame (Vallado, *Fundamentals of Astrodynamics and Applications*,
4th ed., 2013, sec. 3.7); thrust and drag are unmodelled and covered by white process noise
of intensity ``q`` [m^2/s^3] per track (Bar-Shalom, Li & Kirubarajan, *Estimation with
Applications to Tracking and Navigation*, 2001, sec. 6.2). Measurements: range, azimuth,
elevation from a site (geometric, ENU). All arrays have the track index first. The numba
kernels (propagation with covariance, Joseph-form update) are in
:mod:`bmdsim._core.ekf_kernels`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim._core.ekf_kernels import ekf_propagate, ekf_update
from bmdsim._core.radar_kernels import rae_many
from bmdsim.earth.gravity import GRAVITY_J2, gravity
from bmdsim.earth.wgs84 import OMEGA_RAD_S

__all__ = [
    "BallisticEKF",
    "ballistic_acceleration",
    "measure_rae",
    "propagate_ballistic",
    "rae_jacobian",
]


def ballistic_acceleration(r: NDArray, v: NDArray) -> NDArray:
    """ECEF acceleration of an unpowered, drag-free body: J2 gravity, Coriolis, centrifugal."""
    a = gravity(r, GRAVITY_J2)
    w2 = OMEGA_RAD_S * OMEGA_RAD_S
    a[..., 0] += w2 * r[..., 0] + 2 * OMEGA_RAD_S * v[..., 1]
    a[..., 1] += w2 * r[..., 1] - 2 * OMEGA_RAD_S * v[..., 0]
    return a


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
    ekf_propagate(x, pp, dt, qv, p is not None)
    return x, (pp if p is not None else None)


def measure_rae(r_ecef_m: NDArray, site_ecef_m: NDArray, basis: NDArray) -> NDArray:
    """Range [m], azimuth [rad, 0..2pi], elevation [rad] of points ``(n, 3)`` (geometric;
    one compiled pass, :func:`bmdsim._core.radar_kernels.rae_many`)."""
    r = np.ascontiguousarray(r_ecef_m, np.float64).reshape(-1, 3)
    out = np.empty((r.shape[0], 3))
    rae_many(
        r,
        np.ascontiguousarray(site_ecef_m, np.float64).reshape(3),
        np.ascontiguousarray(basis, np.float64),
        out,
    )
    return out


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
        ekf_update(x, p, np.ascontiguousarray(h), nu, np.ascontiguousarray(r_meas), nis)
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
