"""Batches of aimed flights: build them, fly them, and measure where they land.

Shared by the aiming solvers (:mod:`bmdsim.threats.aiming` and the profile solvers beside
it): a flight is set by its launch azimuth, pitch-over kick and engine cut-off time.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

from bmdsim.flight.forces import FULL, ForceModel
from bmdsim.flight.launch import LaunchBatch, powered_launch
from bmdsim.flight.propagator import FlightBatch, Propagator
from bmdsim.flight.steering import PitchProgram
from bmdsim.flight.vehicle import N_PHASE_FIELDS, Vehicle, phase_table

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
    "wrap180",
]

GEOD = Geod(ellps="WGS84")
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
    """:func:`powered_launch` with per-flight cut-off times, built with one phase table per
    distinct cut-off, gathered by index (linear in the number of flights)."""
    az, kick, cut = (
        a.ravel()
        for a in np.broadcast_arrays(
            np.asarray(azimuth_deg, float),
            np.asarray(kick_deg, float),
            np.asarray(cutoff_time_s, float),
        )
    )
    base = powered_launch(vehicle, lat_deg, lon_deg, az, PROGRAM, kick_deg=kick, force=force)
    uniq, inv = np.unique(cut, return_inverse=True)
    tabs = [phase_table(vehicle.phases(0.0, float(c))) for c in uniq]
    n_rows = max(t.shape[0] for t in tabs)
    stack = np.empty((len(tabs), n_rows, N_PHASE_FIELDS))
    for k, t in enumerate(tabs):
        stack[k, : t.shape[0]] = t
        stack[k, t.shape[0] :] = t[-1]
    n_ph = np.array([t.shape[0] for t in tabs], dtype=np.int64)
    return replace(base, phases=stack[inv], n_phases=n_ph[inv])


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
    b, _, r = GEOD.inv(np.full(n, lon0), np.full(n, lat0), ilon, ilat)
    _, _, miss = GEOD.inv(ilon, ilat, tlon, tlat)
    r, miss, b = np.asarray(r, float), np.asarray(miss, float), np.asarray(b, float)
    bad = ~ballistic(fb) | ~np.isfinite(r)
    r[bad] = np.inf
    miss[bad] = np.inf
    return r, b, miss
