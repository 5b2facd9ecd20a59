"""Initial conditions for batches of flights: powered launches from a pad, impulsive launches.

A :class:`LaunchBatch` is the packed input of the flight kernel: start times, ECI states,
phase tables, steering rows. Builders broadcast their arguments, so one call makes one
flight or a million.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim._core.layouts import (
    N_PHASE_FIELDS,
    N_STEER_FIELDS,
    PF_T_END,
    PF_T_START,
    S_AZ,
    S_EAST,
    S_HOLD,
    S_KICK,
    S_NORTH,
    S_T_KICK,
    S_T_VERT,
    S_UP,
)
from bmdsim.earth.frames import enu_basis, rotate_z
from bmdsim.earth.geodetic import geodetic_to_ecef
from bmdsim.flight.forces import ForceModel
from bmdsim.flight.steering import PitchProgram
from bmdsim.flight.vehicle import (
    DEFAULT_CD_MACH,
    DragCurve,
    Phase,
    Vehicle,
    phase_table,
)

__all__ = ["LaunchBatch", "impulsive_launch", "powered_launch"]


@dataclass(frozen=True)
class LaunchBatch:
    """Packed kernel inputs for N flights."""

    t0_s: NDArray[np.float64]  # (N,)
    y0: NDArray[np.float64]  # (N, 6) ECI position [m] and velocity [m/s]
    phases: NDArray[np.float64]  # (N, P, N_PHASE_FIELDS)
    n_phases: NDArray[np.int64]  # (N,)
    steering: NDArray[np.float64]  # (N, N_STEER_FIELDS)
    launch_lat_rad: NDArray[np.float64]  # (N,)
    launch_lon_rad: NDArray[np.float64]  # (N,)
    force: ForceModel
    # Cd(Mach) tables of the vehicles' drag curves (DragCurve.table, padded to one length by
    # repeating the last node) and the table each flight flies with
    drag_tables: NDArray[np.float64]  # (D, 3, K)
    drag_index: NDArray[np.int64]  # (N,)

    def __len__(self) -> int:
        return int(self.t0_s.shape[0])

    def take(self, index: ArrayLike) -> LaunchBatch:
        """A sub-batch (index array or slice)."""
        idx = np.asarray(index) if not isinstance(index, slice) else index
        return LaunchBatch(
            self.t0_s[idx],
            self.y0[idx],
            self.phases[idx],
            self.n_phases[idx],
            self.steering[idx],
            self.launch_lat_rad[idx],
            self.launch_lon_rad[idx],
            self.force,
            self.drag_tables,
            self.drag_index[idx],
        )


@functools.lru_cache(maxsize=64)
def _drag_table(curve: DragCurve) -> NDArray[np.float64]:
    return curve.table()


def drag_tables(curves: list[DragCurve]) -> NDArray[np.float64]:
    """The Cd(Mach) tables of ``curves`` stacked as ``(D, 3, K)``; shorter tables repeat their
    last node (which changes no value: beyond the last Mach node the Cd is held)."""
    tabs = [_drag_table(c) for c in curves]
    k = max(t.shape[1] for t in tabs)
    out = np.empty((len(tabs), 3, k))
    for d, t in enumerate(tabs):
        out[d, :, : t.shape[1]] = t
        out[d, :, t.shape[1] :] = t[:, -1:]
    return out


def _site_state(
    lat: NDArray, lon: NDArray, h: NDArray, t: NDArray, force: ForceModel
) -> tuple[NDArray, NDArray]:
    """ECI position and velocity of points at rest on the Earth of ``force`` at times t."""
    if force.earth.ellipsoid:
        r = geodetic_to_ecef(lat, lon, h)
    else:
        rr = (force.earth.radius_m + h)[..., None]
        r = rr * np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)
    om = force.omega_rad_s
    r_eci = rotate_z(r, om * t)
    v_eci = np.stack([-om * r_eci[:, 1], om * r_eci[:, 0], np.zeros_like(t)], -1)
    return r_eci, v_eci


def powered_launch(
    vehicle: Vehicle | list[Vehicle],
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    azimuth_deg: ArrayLike,
    program: PitchProgram | None = None,
    kick_deg: ArrayLike | None = None,
    t_launch_s: ArrayLike = 0.0,
    cutoff_time_s: ArrayLike = math.inf,
    force: ForceModel | None = None,
) -> LaunchBatch:
    """Flights that lift off from pads on the ground.

    ``kick_deg`` (if given) overrides the program's pitch-over angle per flight;
    ``cutoff_time_s`` (since launch) ends the boost early. Arguments broadcast to N flights.
    """
    from bmdsim.flight.forces import FULL

    force = force or FULL
    program = program or PitchProgram()
    vehicles = vehicle if isinstance(vehicle, list) else None
    kick = program.kick_deg if kick_deg is None else kick_deg
    lat, lon, az, kk, tl, tc, vi = np.broadcast_arrays(
        np.asarray(lat_deg, float),
        np.asarray(lon_deg, float),
        np.asarray(azimuth_deg, float),
        np.asarray(kick, float),
        np.asarray(t_launch_s, float),
        np.asarray(cutoff_time_s, float),
        np.arange(len(vehicles)) if vehicles else np.asarray(0),
    )
    lat, lon, az, kk, tl, tc, vi = (a.ravel() for a in (lat, lon, az, kk, tl, tc, vi))
    n = lat.size
    lat_r, lon_r = np.radians(lat), np.radians(lon)
    r, v = _site_state(lat_r, lon_r, np.zeros(n), tl, force)
    # each distinct vehicle packs the phases of all its flights' cut-offs at once (from
    # t = 0, shifted to each launch time below)
    if vehicles is None:
        assert isinstance(vehicle, Vehicle)
        distinct: list[Vehicle] = [vehicle]
        which = np.zeros(n, dtype=np.int64)
    else:
        ids: dict[int, int] = {}
        distinct = []
        for each in vehicles:
            if id(each) not in ids:
                ids[id(each)] = len(distinct)
                distinct.append(each)
        which = np.array([ids[id(each)] for each in vehicles], dtype=np.int64)[vi]
    order = np.argsort(which, kind="stable")
    bounds = np.searchsorted(which[order], np.arange(len(distinct) + 1))
    packed = []
    for u, veh in enumerate(distinct):
        sel = order[bounds[u] : bounds[u + 1]]
        packed.append((sel, *veh.phase_tables(tc[sel])))
    n_phases = np.empty(n, dtype=np.int64)
    for sel, _, count in packed:
        n_phases[sel] = count
    n_rows = int(n_phases.max()) if n else 1
    phases = np.empty((n, n_rows, N_PHASE_FIELDS))
    for sel, tab, _ in packed:
        k = min(n_rows, tab.shape[1])
        phases[sel, :k] = tab[:, :k]
        phases[sel, k:] = tab[:, -1:]
    curves: dict[DragCurve, int] = {}
    curve_of = np.array([curves.setdefault(each.drag, len(curves)) for each in distinct])
    phases[:, :, PF_T_START] += tl[:, None]
    phases[:, :, PF_T_END] += tl[:, None]
    steer = np.zeros((n, N_STEER_FIELDS))
    steer[:, S_AZ] = np.radians(az)
    steer[:, S_T_VERT] = tl + program.vertical_time_s
    steer[:, S_T_KICK] = tl + program.vertical_time_s + program.kick_duration_s
    steer[:, S_KICK] = np.radians(kk)
    steer[:, S_HOLD] = 1.0 if program.hold_attitude else 0.0
    basis = enu_basis(lat_r, lon_r)
    steer[:, S_EAST : S_EAST + 3] = basis[:, 0]
    steer[:, S_NORTH : S_NORTH + 3] = basis[:, 1]
    steer[:, S_UP : S_UP + 3] = basis[:, 2]
    return LaunchBatch(
        tl.copy(),
        np.concatenate([r, v], axis=1),
        phases,
        n_phases,
        steer,
        lat_r,
        lon_r,
        force,
        drag_tables(list(curves)),
        curve_of[which],
    )


def impulsive_launch(
    speed_m_s: ArrayLike,
    flight_path_angle_deg: ArrayLike,
    altitude_m: ArrayLike = 0.0,
    lat_deg: ArrayLike = 0.0,
    lon_deg: ArrayLike = 0.0,
    azimuth_deg: ArrayLike = 90.0,
    t0_s: ArrayLike = 0.0,
    force: ForceModel | None = None,
    earth_relative: bool = False,
    ballistic_coefficient_kg_m2: float = math.inf,
) -> LaunchBatch:
    """Ballistic flights starting at burnout: speed and flight-path angle above the local
    horizontal at a given altitude, heading ``azimuth_deg``.

    By default the speed is inertial (the textbook convention); with ``earth_relative`` it is
    relative to the rotating Earth. Used by the "kepler" textbook mode. With a drag model
    the body flies with ``ballistic_coefficient_kg_m2`` (infinite: no drag).
    """
    from bmdsim.flight.forces import KEPLER

    force = force or KEPLER
    sp, gam, alt, lat, lon, az, t0 = (
        a.ravel()
        for a in np.broadcast_arrays(
            *(
                np.asarray(a, float)
                for a in (speed_m_s, flight_path_angle_deg, altitude_m, lat_deg, lon_deg)
            ),
            np.asarray(azimuth_deg, float),
            np.asarray(t0_s, float),
        )
    )
    n = sp.size
    lat_r, lon_r = np.radians(lat), np.radians(lon)
    r, v_rot = _site_state(lat_r, lon_r, alt, t0, force)
    basis = enu_basis(lat_r, lon_r)  # (n, 3, 3) rows e, n, u (geocentric on the sphere)
    g, a = np.radians(gam), np.radians(az)
    d_ecef = (
        (np.cos(g) * np.sin(a))[:, None] * basis[:, 0]
        + (np.cos(g) * np.cos(a))[:, None] * basis[:, 1]
        + np.sin(g)[:, None] * basis[:, 2]
    )
    d = rotate_z(d_ecef, force.omega_rad_s * t0)
    v = sp[:, None] * d + (v_rot if earth_relative else 0.0)
    coast = Phase(0.0, math.inf, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, ballistic_coefficient_kg_m2)
    phases = np.broadcast_to(phase_table([coast]), (n, 1, N_PHASE_FIELDS)).copy()
    steer = np.zeros((n, N_STEER_FIELDS))
    steer[:, 1:3] = -math.inf
    return LaunchBatch(
        t0.copy(),
        np.concatenate([r, v], axis=1),
        phases,
        np.ones(n, dtype=np.int64),
        steer,
        lat_r,
        lon_r,
        force,
        drag_tables([DEFAULT_CD_MACH]),
        np.zeros(n, dtype=np.int64),
    )
