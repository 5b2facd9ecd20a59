"""A flown trajectory: the integrator's accepted steps plus dense output between them.

States are stored in ECI; coordinates are methods (``geodetic()``, ``ecef()``, ``aer(site)``)
in the manner of Skyfield. Between nodes the motion is the quintic Hermite interpolant of
position, velocity and acceleration (accelerations are kept on both sides of each node so
that staging jumps are honoured).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim._core.hermite_kernels import hermite_sample, hermite_sample_many
from bmdsim.earth.frames import ecef_to_aer, eci_to_ecef, rotate_z, velocity_eci_to_ecef
from bmdsim.earth.geodesics import distance_m, great_circle_distance_m
from bmdsim.earth.geodetic import ecef_to_geodetic
from bmdsim.earth.wgs84 import OMEGA_RAD_S
from bmdsim.flight.forces import ForceModel

__all__ = ["Trajectory", "sample_many"]


@dataclass(frozen=True)
class Trajectory:
    """One flight from launch (or burnout) to impact (or the time limit)."""

    t_s: NDArray[np.float64]  # (n,) node times since the epoch
    y: NDArray[np.float64]  # (n, 6) ECI position [m], velocity [m/s]
    accel_before: NDArray[np.float64]  # (n, 3) acceleration just before each node
    accel_after: NDArray[np.float64]  # (n, 3) acceleration just after each node
    force: ForceModel
    launch_lat_rad: float
    launch_lon_rad: float
    burnout_time_s: float = math.nan
    apogee_time_s: float = math.nan
    apogee_m: float = math.nan
    impact_time_s: float = math.nan

    def shifted(self, dt_s: float) -> Trajectory:
        """The same flight over the Earth launched ``dt_s`` later: the forces are fixed to
        the Earth, so the Earth-fixed path is unchanged; times move by ``dt_s`` and the
        inertial states turn with the Earth by omega * dt_s about the polar axis."""
        if dt_s == 0.0:
            return self
        ang = self.force.omega_rad_s * dt_s
        y = np.empty_like(self.y)
        y[:, 0:3] = rotate_z(self.y[:, 0:3], ang)
        y[:, 3:6] = rotate_z(self.y[:, 3:6], ang)
        return Trajectory(
            self.t_s + dt_s,
            y,
            rotate_z(self.accel_before, ang),
            rotate_z(self.accel_after, ang),
            self.force,
            self.launch_lat_rad,
            self.launch_lon_rad,
            self.burnout_time_s + dt_s,
            self.apogee_time_s + dt_s,
            self.apogee_m,
            self.impact_time_s + dt_s,
        )

    # ----- basic views -------------------------------------------------------------------
    @property
    def r_eci_m(self) -> NDArray[np.float64]:
        return self.y[:, 0:3]

    @property
    def v_eci_m_s(self) -> NDArray[np.float64]:
        return self.y[:, 3:6]

    @property
    def t0_s(self) -> float:
        return float(self.t_s[0])

    @property
    def flight_time_s(self) -> float:
        end = self.impact_time_s if math.isfinite(self.impact_time_s) else self.t_s[-1]
        return float(end - self.t_s[0])

    def sample(self, t_s: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """ECI position and velocity at arbitrary times inside the flight (dense output)."""
        t = np.atleast_1d(np.asarray(t_s, float))
        if np.any(t < self.t_s[0] - 1e-9) or np.any(t > self.t_s[-1] + 1e-9):
            raise ValueError(f"times outside the flight [{self.t_s[0]:.3f}, {self.t_s[-1]:.3f}] s")
        pos = np.empty((t.size, 3))
        vel = np.empty((t.size, 3))
        hermite_sample(
            self.t_s,
            self.y,
            self.accel_before,
            self.accel_after,
            np.ascontiguousarray(t.ravel()),
            pos,
            vel,
        )
        shape = np.shape(t_s) + (3,)
        return pos.reshape(shape), vel.reshape(shape)

    def times(self, max_step_s: float = 10.0) -> NDArray[np.float64]:
        """A time grid over the flight no coarser than ``max_step_s`` (nodes included)."""
        t0, t1 = float(self.t_s[0]), float(self.t_s[-1])
        n = max(2, int(math.ceil((t1 - t0) / max_step_s)) + 1)
        return np.unique(np.concatenate([np.linspace(t0, t1, n), self.t_s]))

    # ----- coordinates -------------------------------------------------------------------
    def ecef(self, t_s: ArrayLike | None = None) -> NDArray[np.float64]:
        """ECEF positions [m] at the nodes (or at ``t_s``)."""
        if t_s is None:
            return eci_to_ecef(self.r_eci_m, self.t_s * self._omega_ratio)
        r, _ = self.sample(t_s)
        return eci_to_ecef(r, np.asarray(t_s, float) * self._omega_ratio)

    def ecef_velocity(self, t_s: ArrayLike | None = None) -> NDArray[np.float64]:
        """Earth-relative velocity in ECEF [m/s] at the nodes (or at ``t_s``)."""
        if t_s is None:
            r, v, t = self.r_eci_m, self.v_eci_m_s, self.t_s
        else:
            r, v = self.sample(t_s)
            t = np.asarray(t_s, float)
        if self.force.omega_rad_s == 0.0:
            return v
        return velocity_eci_to_ecef(r, v, t)

    @property
    def _omega_ratio(self) -> float:
        # the non-rotating textbook Earth keeps ECEF = ECI
        return 1.0 if self.force.omega_rad_s != 0.0 else 0.0

    @property
    def earth_rotation_rad_s(self) -> float:
        """The rate [rad/s] at which the ECEF frame of :meth:`ecef` turns from the ECI one
        (0 on the non-rotating textbook Earth)."""
        return OMEGA_RAD_S * self._omega_ratio

    def geodetic(
        self, t_s: ArrayLike | None = None
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Latitude [deg], longitude [deg], height [m] (geocentric on the textbook sphere)."""
        r = self.ecef(t_s)
        if self.force.earth.ellipsoid:
            lat, lon, h = ecef_to_geodetic(r)
            return np.degrees(lat), np.degrees(lon), h
        rn = np.linalg.norm(r, axis=-1)
        return (
            np.degrees(np.arcsin(r[..., 2] / rn)),
            np.degrees(np.arctan2(r[..., 1], r[..., 0])),
            rn - self.force.earth.radius_m,
        )

    def height_m(self, t_s: ArrayLike | None = None) -> NDArray[np.float64]:
        return self.geodetic(t_s)[2]

    def aer(
        self,
        site_lat_deg: float,
        site_lon_deg: float,
        site_height_m: float = 0.0,
        t_s: ArrayLike | None = None,
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Azimuth [deg], elevation [deg], slant range [m] seen from a site on the Earth."""
        az, el, rng = ecef_to_aer(
            self.ecef(t_s), math.radians(site_lat_deg), math.radians(site_lon_deg), site_height_m
        )
        return np.degrees(az), np.degrees(el), rng

    def ground_range_km(self, t_s: ArrayLike | None = None) -> NDArray[np.float64]:
        """Distance on the Earth from the launch point to the sub-vehicle point [km]."""
        lat, lon, _ = self.geodetic(t_s)
        lat0, lon0 = math.degrees(self.launch_lat_rad), math.degrees(self.launch_lon_rad)
        if self.force.earth.ellipsoid:
            return distance_m(lat0, lon0, lat, lon) / 1000.0
        d = great_circle_distance_m(
            self.launch_lat_rad,
            self.launch_lon_rad,
            np.radians(lat),
            np.radians(lon),
            self.force.earth.radius_m,
        )
        return d / 1000.0

    # ----- events ------------------------------------------------------------------------
    def crossings(self, height_m: float, direction: int = 0) -> NDArray[np.float64]:
        """Times [s] at which the height crosses ``height_m`` (direction +1 up, -1 down, 0 any),
        located on the dense output to a microsecond."""
        t = self.times(5.0)
        f = self.height_m(t) - height_m
        out = []
        for i in np.nonzero(np.sign(f[:-1]) != np.sign(f[1:]))[0]:
            up = f[i + 1] > f[i]
            if direction and (1 if up else -1) != direction:
                continue
            a, b, fa = t[i], t[i + 1], f[i]
            for _ in range(60):
                m = 0.5 * (a + b)
                fm = float(self.height_m(np.array([m]))[0]) - height_m
                if (fm > 0) == (fa > 0):
                    a, fa = m, fm
                else:
                    b = m
                if b - a < 1e-6:
                    break
            out.append(0.5 * (a + b))
        return np.asarray(out)


def sample_many(
    trajectories: Sequence[Trajectory], times: Sequence[NDArray[np.float64]]
) -> NDArray[np.float64]:
    """ECI positions [m] of many flights at their own times (each inside its flight),
    stacked flight after flight: :meth:`Trajectory.sample` of each, in one compiled pass."""
    counts = [t.size for t in times]
    t_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    pos = np.empty((int(t_start[-1]), 3))
    if not trajectories:
        return pos
    node_start = np.concatenate([[0], np.cumsum([tr.t_s.size for tr in trajectories])]).astype(
        np.int64
    )
    hermite_sample_many(
        np.concatenate([tr.t_s for tr in trajectories]),
        np.concatenate([tr.y for tr in trajectories]),
        np.concatenate([tr.accel_before for tr in trajectories]),
        np.concatenate([tr.accel_after for tr in trajectories]),
        node_start,
        np.concatenate([np.asarray(t, np.float64) for t in times]) if counts else np.empty(0),
        t_start,
        pos,
        np.empty_like(pos),
    )
    return pos
