"""The batched propagator: fly a :class:`LaunchBatch` with the numba kernel.

``Propagator(tolerances).propagate(batch)`` returns a :class:`FlightBatch` of per-flight
summaries (impact, apogee, burnout); with ``record=True`` it also keeps every accepted step
so that :meth:`FlightBatch.trajectory` gives full :class:`Trajectory` objects. Summaries of
any number of flights are computed in chunks, so memory stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from bmdsim._core import layouts as L
from bmdsim._core.integrator import propagate_batch
from bmdsim.earth.frames import rotate_z
from bmdsim.earth.geodesics import central_angle_rad, distance_m
from bmdsim.earth.geodetic import ecef_to_geodetic
from bmdsim.errors import ConvergenceError
from bmdsim.flight.forces import ForceModel
from bmdsim.flight.launch import LaunchBatch
from bmdsim.flight.trajectory import Trajectory

__all__ = ["FlightBatch", "Propagator", "Tolerances"]


@dataclass(frozen=True)
class Tolerances:
    """Integrator settings (local error per step: atol + rtol * |y| for each component)."""

    rtol: float = 1e-9
    atol_pos_m: float = 1.0
    atol_vel_m_s: float = 1e-3
    h_init_s: float = 0.5
    h_max_s: float = 200.0
    max_duration_s: float = 20_000.0
    max_steps: int = 20_000
    arm_height_m: float = 10.0
    # tolerance factor while the engine burns; 2e-2 keeps the impact point within a few
    # metres of the DOP853 reference (median 2.5 m); 1e-2 halves the worst case for 8 %
    # more work (docs/design.md)
    boost_factor: float = 2e-2

    def array(self) -> NDArray[np.float64]:
        a = np.empty(L.N_TOL)
        a[L.T_RTOL] = self.rtol
        a[L.T_ATOL_POS] = self.atol_pos_m
        a[L.T_ATOL_VEL] = self.atol_vel_m_s
        a[L.T_H_INIT] = self.h_init_s
        a[L.T_H_MAX] = self.h_max_s
        a[L.T_DURATION] = self.max_duration_s
        a[L.T_MAX_STEPS] = self.max_steps
        a[L.T_ARM] = self.arm_height_m
        a[L.T_BOOST] = self.boost_factor
        return a


@dataclass(frozen=True)
class FlightBatch:
    """Per-flight results of a batch (arrays of length N)."""

    batch: LaunchBatch
    summary: NDArray[np.float64]  # (N, N_SUM)
    rec_t: NDArray[np.float64] | None = None
    rec_y: NDArray[np.float64] | None = None
    rec_n: NDArray[np.int64] | None = None

    def __len__(self) -> int:
        return int(self.summary.shape[0])

    @property
    def force(self) -> ForceModel:
        return self.batch.force

    @property
    def status(self) -> NDArray[np.int64]:
        return self.summary[:, L.SM_STATUS].astype(np.int64)

    @property
    def impacted(self) -> NDArray[np.bool_]:
        return self.status == L.STATUS_IMPACT

    @property
    def impact_time_s(self) -> NDArray[np.float64]:
        return self.summary[:, L.SM_T_IMPACT]

    @property
    def flight_time_s(self) -> NDArray[np.float64]:
        return self.impact_time_s - self.batch.t0_s

    @property
    def impact_eci_m(self) -> NDArray[np.float64]:
        return self.summary[:, L.SM_R_IMPACT : L.SM_R_IMPACT + 3]

    @property
    def impact_velocity_eci_m_s(self) -> NDArray[np.float64]:
        return self.summary[:, L.SM_V_IMPACT : L.SM_V_IMPACT + 3]

    @property
    def impact_ecef_m(self) -> NDArray[np.float64]:
        """Impact points in ECEF (the Earth turned by omega * t_impact since the epoch)."""
        return rotate_z(self.impact_eci_m, -self.force.omega_rad_s * self.impact_time_s)

    def impact_lat_lon_deg(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Impact latitude and longitude [deg] (geocentric on the textbook sphere)."""
        r = self.impact_ecef_m
        if self.force.earth.ellipsoid:
            lat, lon, _ = ecef_to_geodetic(r)
        else:
            lat = np.arcsin(r[:, 2] / np.linalg.norm(r, axis=-1))
            lon = np.arctan2(r[:, 1], r[:, 0])
        return np.degrees(lat), np.degrees(lon)

    @property
    def apogee_m(self) -> NDArray[np.float64]:
        return self.summary[:, L.SM_H_APOGEE]

    @property
    def apogee_time_s(self) -> NDArray[np.float64]:
        return self.summary[:, L.SM_T_APOGEE]

    @property
    def burnout_time_s(self) -> NDArray[np.float64]:
        return self.summary[:, L.SM_T_BURNOUT]

    @property
    def burnout_state_eci(self) -> NDArray[np.float64]:
        return self.summary[:, L.SM_Y_BURNOUT : L.SM_Y_BURNOUT + 6]

    @property
    def n_steps(self) -> NDArray[np.int64]:
        return self.summary[:, L.SM_NSTEPS].astype(np.int64)

    @property
    def n_fev(self) -> NDArray[np.int64]:
        return self.summary[:, L.SM_NFEV].astype(np.int64)

    def burnout_velocity_relative_m_s(self) -> NDArray[np.float64]:
        """Velocity at burnout relative to the rotating Earth, in ECI axes (N, 3) [m/s]."""
        y = self.burnout_state_eci
        om = self.force.omega_rad_s
        return np.stack([y[:, 3] + om * y[:, 1], y[:, 4] - om * y[:, 0], y[:, 5]], axis=-1)

    def burnout_flight_path_angle_deg(self) -> NDArray[np.float64]:
        """Flight-path angle at burnout [deg]: the angle of the Earth-relative velocity above
        the local horizontal (the plane normal to the ellipsoid's normal)."""
        y = self.burnout_state_eci
        x, yy = y[:, 0], y[:, 1]
        if self.force.earth.ellipsoid:
            lat = ecef_to_geodetic(y[:, :3])[0]  # [rad]
            lon = np.arctan2(yy, x)  # ECI longitude: the normal turns with the point
            up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)
        else:
            up = y[:, :3] / np.linalg.norm(y[:, :3], axis=-1, keepdims=True)
        v = self.burnout_velocity_relative_m_s()
        sin_g = np.einsum("ij,ij->i", up, v) / np.linalg.norm(v, axis=-1)
        return np.degrees(np.arcsin(np.clip(sin_g, -1.0, 1.0)))

    def ground_range_m(self) -> NDArray[np.float64]:
        """Distance on the Earth from launch point to impact point [m]."""
        lat_i, lon_i = self.impact_lat_lon_deg()
        lat_0 = np.degrees(self.batch.launch_lat_rad)
        lon_0 = np.degrees(self.batch.launch_lon_rad)
        if self.force.earth.ellipsoid:
            return distance_m(lat_0, lon_0, lat_i, lon_i)
        # non-rotating sphere: ECI = ECEF
        return self.force.earth.radius_m * central_angle_rad(
            self.batch.y0[:, 0:3], self.impact_eci_m
        )

    def trajectory(self, i: int = 0) -> Trajectory:
        """The full trajectory of flight ``i`` (needs ``record=True``)."""
        if self.rec_t is None or self.rec_y is None or self.rec_n is None:
            raise ValueError("trajectories were not recorded: propagate(..., record=True)")
        n = int(self.rec_n[i])
        return Trajectory(
            t_s=self.rec_t[i, :n].copy(),
            y=self.rec_y[i, :n, 0:6].copy(),
            accel_before=self.rec_y[i, :n, 6:9].copy(),
            accel_after=self.rec_y[i, :n, 9:12].copy(),
            force=self.force,
            launch_lat_rad=float(self.batch.launch_lat_rad[i]),
            launch_lon_rad=float(self.batch.launch_lon_rad[i]),
            burnout_time_s=float(self.burnout_time_s[i]),
            apogee_time_s=float(self.apogee_time_s[i]),
            apogee_m=float(self.apogee_m[i]),
            impact_time_s=float(self.impact_time_s[i]),
        )


@dataclass(frozen=True)
class Propagator:
    """Batched flight engine (adaptive Dormand-Prince 5(4), numba, all cores).

    Each flight's boost drag uses its own vehicle's Cd(Mach) curve (:attr:`Vehicle.drag`,
    carried by the :class:`LaunchBatch`); the separated RV flies with its beta.
    """

    tolerances: Tolerances = Tolerances()
    chunk_size: int = 200_000
    # first guess of recorded steps per flight, grown as needed (the catalogue's threats need
    # 61-109: Nodong-class to Tokyo 77, Hwasong-15-class to Washington 109)
    record_nodes: int = 128
    max_record_nodes: int = 16_384

    def propagate(self, batch: LaunchBatch, record: bool = False) -> FlightBatch:
        """Fly every flight of ``batch`` until impact or the duration limit.

        Summaries only (``record=False``) are computed in chunks of ``chunk_size`` flights:
        memory stays bounded for any N. Recording keeps each flight's accepted steps in a
        buffer of ``record_nodes``; flights that need more are flown again with a buffer
        four times larger (up to ``max_record_nodes``).
        """
        n = len(batch)
        if not record:
            summary = np.empty((n, L.N_SUM))
            dummy_t, dummy_y = np.empty((1, 1)), np.empty((1, 1, L.N_REC))
            dummy_n = np.zeros(1, dtype=np.int64)
            for a in range(0, n, self.chunk_size):
                b = min(n, a + self.chunk_size)
                self._run(batch, a, b, summary[a:b], dummy_t, dummy_y, dummy_n, False)
            return FlightBatch(batch, summary)
        m = self.record_nodes
        summary = np.empty((n, L.N_SUM))
        rec_t = np.empty((n, m))
        rec_y = np.empty((n, m, L.N_REC))
        rec_n = np.zeros(n, dtype=np.int64)
        self._run(batch, 0, n, summary, rec_t, rec_y, rec_n, True)
        full = np.flatnonzero(summary[:, L.SM_STATUS] == L.STATUS_RECORD_FULL)
        if full.size:
            if m >= self.max_record_nodes:
                raise ConvergenceError(
                    f"a trajectory needed more than {self.max_record_nodes} steps to record"
                )
            bigger = replace(self, record_nodes=min(4 * m, self.max_record_nodes))
            again = bigger.propagate(batch.take(full), record=True)
            assert again.rec_t is not None and again.rec_y is not None
            assert again.rec_n is not None
            m = again.rec_t.shape[1]
            grow_t = np.full((n, m), np.nan)
            grow_y = np.full((n, m, L.N_REC), np.nan)
            grow_t[:, : rec_t.shape[1]] = rec_t
            grow_y[:, : rec_y.shape[1]] = rec_y
            grow_t[full], grow_y[full] = again.rec_t, again.rec_y
            rec_t, rec_y = grow_t, grow_y
            rec_n[full] = again.rec_n
            summary[full] = again.summary
        return FlightBatch(batch, summary, rec_t, rec_y, rec_n)

    def _run(
        self,
        batch: LaunchBatch,
        a: int,
        b: int,
        summary: NDArray[np.float64],
        rec_t: NDArray[np.float64],
        rec_y: NDArray[np.float64],
        rec_n: NDArray[np.int64],
        record: bool,
    ) -> None:
        propagate_batch(
            batch.t0_s[a:b],
            np.ascontiguousarray(batch.y0[a:b]),
            np.ascontiguousarray(batch.phases[a:b]),
            batch.n_phases[a:b],
            np.ascontiguousarray(batch.steering[a:b]),
            batch.force.opts(),
            np.ascontiguousarray(batch.drag_tables),
            batch.drag_index[a:b],
            self.tolerances.array(),
            summary,
            rec_t,
            rec_y,
            rec_n,
            record,
        )
