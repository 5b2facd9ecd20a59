"""Property tests of the ballistic EKF: convergence without noise, NEES consistency."""

from __future__ import annotations

import numpy as np
from scipy.stats import chi2

from bmdsim.earth.frames import enu_basis
from bmdsim.earth.geodetic import geodetic_to_ecef
from bmdsim.sensors.tracking import BallisticEKF, measure_rae, propagate_ballistic

SITE_LAT, SITE_LON = np.radians(39.7), np.radians(140.06)
SITE = geodetic_to_ecef(SITE_LAT, SITE_LON, 0.0)
BASIS = enu_basis(SITE_LAT, SITE_LON)
SIG_R, SIG_A = 20.0, 2e-4


def _truth(
    n: int, steps: int, dt: float, q: float = 0.0, rng: np.random.Generator | None = None
) -> np.ndarray:
    """Ballistic truth states (n, steps+1, 6): 300 km up over the Sea of Japan, 4 km/s NE-E,
    optionally driven by white acceleration noise of intensity q (the filter's model)."""
    lat, lon = np.radians(40.0), np.radians(133.0)
    r0 = geodetic_to_ecef(lat, lon, 300e3)
    e, nn, u = enu_basis(lat, lon)
    v0 = 3800.0 * e + 1200.0 * nn + 500.0 * u
    x = np.tile(np.concatenate([r0, v0]), (n, 1))
    out = [x]
    for _ in range(steps):
        x, _ = propagate_ballistic(x, dt)
        if rng is not None and q > 0:
            qd = q * np.array([[dt**3 / 3, dt**2 / 2], [dt**2 / 2, dt]])
            w = rng.multivariate_normal(np.zeros(2), qd, size=(n, 3))  # (n, 3, 2)
            x = x + np.concatenate([w[:, :, 0], w[:, :, 1]], axis=1)
        out.append(x)
    return np.stack(out, axis=1)


def _run(truth: np.ndarray, dt: float, rng: np.random.Generator | None, q: float = 0.0):
    n, m, _ = truth.shape
    ekf = BallisticEKF(n, init_sigma_v_m_s=3000.0)
    ekf.q[:] = q
    rm = np.tile(np.diag([SIG_R**2, SIG_A**2, SIG_A**2]), (n, 1, 1))
    nees = np.zeros((n, m))
    for k in range(m):
        z = measure_rae(truth[:, k, :3], SITE, BASIS)
        if rng is not None:
            z = z + rng.standard_normal((n, 3)) * np.array([SIG_R, SIG_A, SIG_A])
        idx = np.arange(n)
        if k == 0:
            # start with a consistent velocity prior around the truth
            ekf.initialize(idx, k * dt, z, rm, SITE, BASIS)
            if rng is not None:
                ekf.x[:, 3:] = truth[:, 0, 3:] + rng.standard_normal((n, 3)) * 3000.0
        else:
            ekf.predict(idx, k * dt)
            ekf.update(idx, z, rm, SITE, BASIS)
        err = ekf.x - truth[:, k]
        nees[:, k] = np.einsum("ni,nij,nj->n", err, np.linalg.inv(ekf.p), err)
    return ekf, nees


def test_noiseless_converges_to_truth() -> None:
    truth = _truth(1, 60, 2.0)
    ekf, _ = _run(truth, 2.0, None)
    err = ekf.x[0] - truth[0, -1]
    assert np.linalg.norm(err[:3]) < 50.0
    assert np.linalg.norm(err[3:]) < 2.0


def test_nees_within_chi_square_band_over_100_runs() -> None:
    n_mc, dt, q = 100, 2.0, 1.0
    rng = np.random.default_rng(20170829)
    truth = _truth(n_mc, 60, dt, q, rng)
    _, nees = _run(truth, dt, rng, q)
    anees = nees.mean(axis=0)[10:]  # skip the first 20 s (initial linearisation transient)
    lo, hi = chi2.ppf([0.025, 0.975], 6 * n_mc) / n_mc
    inside = (anees >= lo) & (anees <= hi)
    assert inside.mean() >= 0.9, (lo, hi, anees)
    assert lo <= anees.mean() <= hi
