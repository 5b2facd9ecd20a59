"""Batches of aimed flights: build them, fly them, and measure where they land.

Shared by the aiming solvers (:mod:`bmdsim.threats.aiming` and the profile solvers beside
it): a flight is set by its launch azimuth, pitch-over kick and engine cut-off time.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim.earth.geodesics import WGS84_GEOD
from bmdsim.flight.forces import FULL, ForceModel
from bmdsim.flight.launch import LaunchBatch, powered_launch
from bmdsim.flight.propagator import FlightBatch, Propagator
from bmdsim.flight.steering import PitchProgram
from bmdsim.flight.vehicle import Vehicle

__all__ = [
    "CUTOFF_MIN_S",
    "PROGRAM",
    "Q_MAX",
    "ballistic",
    "burnout_q",
    "fly",
    "impact_geometry",
    "launch_batch",
    "periodic_interp",
    "plane_solve",
    "wrap180",
]

PROPAGATOR = Propagator()
#: the threats' pitch program (vertical rise, kick, gravity turn)
PROGRAM = PitchProgram()
#: earliest cut-off: just after the pitch-over ends
CUTOFF_MIN_S = PROGRAM.vertical_time_s + PROGRAM.kick_duration_s + 2.0
#: Ballistic flights only: a flight whose burnout energy ratio Q = v^2 r / mu (inertial
#: speed; Q = 1 is a circular orbit) reaches this value is a fractional-orbit flight, whose
#: range grows without bound as Q -> 1 and whose impact moves by hundreds of km per 0.01 deg
#: of kick. Such flights are neither aimed nor counted in a missile's reach. At Q = 0.97 the
#: textbook maximum free-flight range is ~15,600 km (BMW eq. 6.2-21: sin(psi/2) =
#: Q / (2 - Q)), above every catalogue class's non-rotating range; the cap binds only for
#: ICBM classes flying east, where the Earth's rotation brings them near orbital speed.
Q_MAX = 0.97


def wrap180(x: ArrayLike) -> NDArray[np.float64]:
    """Angles [deg] wrapped into [-180, 180)."""
    return (np.asarray(x, float) + 180.0) % 360.0 - 180.0


def periodic_interp(x: ArrayLike, xp: NDArray, fp: NDArray) -> NDArray[np.float64]:
    """Linear interpolation over increasing azimuth nodes ``xp`` in [0, 360), wrapping
    around the circle."""
    xw = np.concatenate([[xp[-1] - 360.0], xp, [xp[0] + 360.0]])
    fw = np.concatenate([[fp[-1]], fp, [fp[0]]])
    return np.interp(np.asarray(x, float) % 360.0, xw, fw)


def launch_batch(
    vehicle: Vehicle,
    lat_deg: float,
    lon_deg: float,
    azimuth_deg: ArrayLike,
    kick_deg: ArrayLike,
    cutoff_time_s: ArrayLike,
    force: ForceModel = FULL,
) -> LaunchBatch:
    """:func:`powered_launch` with per-flight cut-off times, their phase tables built
    together (:meth:`~bmdsim.flight.vehicle.Vehicle.phase_tables`, linear in the number of
    flights)."""
    az, kick, cut = (
        a.ravel()
        for a in np.broadcast_arrays(
            np.asarray(azimuth_deg, float),
            np.asarray(kick_deg, float),
            np.asarray(cutoff_time_s, float),
        )
    )
    base = powered_launch(vehicle, lat_deg, lon_deg, az, PROGRAM, kick_deg=kick, force=force)
    tables, n_phases = vehicle.phase_tables(cut)
    return replace(base, phases=tables, n_phases=n_phases)


def fly(
    vehicle: Vehicle,
    lat_deg: float,
    lon_deg: float,
    azimuth_deg: ArrayLike,
    kick_deg: ArrayLike,
    cutoff_time_s: ArrayLike,
    force: ForceModel = FULL,
    record: bool = False,
) -> FlightBatch:
    """Fly a batch of flights (see :func:`launch_batch`)."""
    batch = launch_batch(vehicle, lat_deg, lon_deg, azimuth_deg, kick_deg, cutoff_time_s, force)
    return PROPAGATOR.propagate(batch, record=record)


def burnout_q(fb: FlightBatch) -> NDArray[np.float64]:
    """Burnout energy ratio Q = v^2 r / mu (inertial speed) of each flight."""
    y = fb.burnout_state_eci
    with np.errstate(all="ignore"):
        r = np.sqrt(np.einsum("ij,ij->i", y[:, :3], y[:, :3]))
        v2 = np.einsum("ij,ij->i", y[:, 3:], y[:, 3:])
        q = v2 * r / fb.force.mu_m3_s2
    return np.where(np.isfinite(q), q, np.inf)


def ballistic(fb: FlightBatch) -> NDArray[np.bool_]:
    """Flights that came down from a ballistic (not fractional-orbit) burnout."""
    return fb.impacted & (burnout_q(fb) < Q_MAX)


def impact_geometry(
    fb: FlightBatch, lat0: float, lon0: float, tlat: NDArray, tlon: NDArray
) -> tuple[NDArray, NDArray, NDArray]:
    """Range [m] and bearing [deg] of the impacts from the launch point, and the miss
    distance [m] from each target; infinite for a flight that does not come down or is not
    ballistic (see :data:`Q_MAX`)."""
    ilat, ilon = fb.impact_lat_lon_deg()
    n = ilat.size
    b, _, r = WGS84_GEOD.inv(np.full(n, lon0), np.full(n, lat0), ilon, ilat)
    _, _, miss = WGS84_GEOD.inv(ilon, ilat, tlon, tlat)
    r, miss, b = np.asarray(r, float), np.asarray(miss, float), np.asarray(b, float)
    bad = ~ballistic(fb) | ~np.isfinite(r)
    r[bad] = np.inf
    miss[bad] = np.inf
    return r, b, miss


def plane_solve(
    vehicle: Vehicle,
    lat0: float,
    lon0: float,
    tlat: NDArray,
    tlon: NDArray,
    azimuth_deg: NDArray,
    kick_deg: NDArray,
    cutoff_time_s: NDArray,
    force: ForceModel,
    max_iter: int = 30,
) -> tuple[FlightBatch, NDArray, NDArray, NDArray, int]:
    """Aim at a fixed kick by (azimuth, cut-off), with the miss measured east and north on
    each target's tangent plane: damped Newton from the given start (finite-difference
    Jacobian, four flights per target and iteration, one-sided in azimuth where the other
    side crosses the ballistic cap; a step that does not shorten the miss is halved).

    The solve of last resort where the impact's bearing from the launch point is a poor
    coordinate: near the antipode it turns several times faster than the launch azimuth and
    bearing-correction iterations do not settle, and near orbital speed a fraction of a
    second of burn moves the impact by hundreds of km. Returns the flights, misses [m],
    azimuths, cut-offs and the number of flights flown."""
    flown = 0
    t_burn = vehicle.burn_time_s
    a = np.array(azimuth_deg, float, copy=True)
    m = a.size
    u = np.log(np.asarray(kick_deg, float))
    c = np.clip(np.array(cutoff_time_s, float, copy=True), CUTOFF_MIN_S, t_burn)
    cos_t = np.cos(np.radians(tlat))

    def plane(fb: FlightBatch, k: NDArray, reps: int) -> NDArray:
        ilat, ilon = fb.impact_lat_lon_deg()
        ok = ballistic(fb)
        e = (
            np.stack(
                [
                    np.radians(wrap180(ilon - np.tile(tlon[k], reps))) * np.tile(cos_t[k], reps),
                    np.radians(ilat - np.tile(tlat[k], reps)),
                ],
                axis=-1,
            )
            * 6.371e6
        )
        return np.where(ok[:, None], e, np.nan)

    da, dc = 0.01, 0.05
    step = np.zeros((m, 2))
    scale = np.ones(m)
    best_e = np.full(m, np.inf)
    base = (a.copy(), c.copy())
    summary: NDArray | None = None
    active = np.arange(m)
    for _ in range(max_iter):
        k = active
        n = k.size
        fb = fly(
            vehicle,
            lat0,
            lon0,
            np.concatenate([a[k], a[k] + da, a[k] - da, a[k]]),
            np.exp(np.tile(u[k], 4)),
            np.concatenate([c[k], c[k], c[k], c[k] - dc]),
            force,
        )
        flown += 4 * n
        if summary is None:
            summary = np.empty((m, fb.summary.shape[1]))
        e = plane(fb, k, 4)
        e0, ep, em, ec = e[:n], e[n : 2 * n], e[2 * n : 3 * n], e[3 * n :]
        # one-sided where the other side crosses the ballistic cap
        ea = np.where(np.isfinite(ep), ep, 2.0 * e0 - em)
        err = np.linalg.norm(e0, axis=-1)
        better = np.isfinite(err) & (err < best_e[k])
        kb = k[better]
        best_e[kb] = err[better]
        summary[kb] = fb.summary[:n][better]
        base[0][kb], base[1][kb] = a[kb], c[kb]
        scale[kb] = 1.0
        jac = np.stack([(ea - e0) / da, (e0 - ec) / dc], axis=-1)  # d(east, north)/d(az, c)
        with np.errstate(all="ignore"):
            new = -np.linalg.solve(jac[better], e0[better][..., None])[..., 0]
        new = np.nan_to_num(new)
        new[:, 0] = np.clip(new[:, 0], -2.0, 2.0)
        new[:, 1] = np.clip(new[:, 1], -5.0, 5.0)
        step[kb] = new
        # a worse flight: halve the last step from the best point
        scale[k[~better]] *= 0.5
        a[k] = base[0][k] + scale[k] * step[k, 0]
        c[k] = np.clip(base[1][k] + scale[k] * step[k, 1], CUTOFF_MIN_S, t_burn)
        active = k[(best_e[k] >= 1.0) & (scale[k] > 1e-4)]
        if active.size == 0:
            break
    assert summary is not None
    a, c = base
    fb = FlightBatch(launch_batch(vehicle, lat0, lon0, a, np.exp(u), c, force), summary)
    return fb, best_e, a, c, flown
