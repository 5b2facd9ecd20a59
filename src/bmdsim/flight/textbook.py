"""Textbook ballistics: the kepler mode of the propagator and closed-form references.

:func:`kepler_flight` flies an impulsive launch with the *same* batched propagator in its
kepler physics mode (point-mass gravity, spherical non-rotating Earth of radius 6371 km, no
drag). The closed-form minimum-energy relations of Bate, Mueller & White, *Fundamentals of
Astrodynamics* (1971), ch. 6 (eqs. 6.2-16, -18, -20) serve as independent references and as
the starting guesses of aiming.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bmdsim.earth.wgs84 import R_MEAN_M
from bmdsim.flight.forces import KEPLER, ForceModel
from bmdsim.flight.launch import impulsive_launch
from bmdsim.flight.propagator import Propagator

__all__ = [
    "KeplerResult",
    "kepler_flight",
    "min_energy_flight_path_angle_rad",
    "min_energy_speed_m_s",
]

MU_TEXTBOOK_M3_S2 = 3.986004418e14


@dataclass(frozen=True)
class KeplerResult:
    ground_range_km: float
    apogee_km: float
    flight_time_s: float
    impacts: bool
    burnout_speed_m_s: float
    burnout_angle_deg: float
    burnout_altitude_km: float

    def as_dict(self) -> dict[str, float | bool]:
        return dict(self.__dict__)


def kepler_flight(
    burnout_speed_m_s: float,
    burnout_angle_deg: float,
    burnout_altitude_m: float = 0.0,
    force: ForceModel = KEPLER,
) -> KeplerResult:
    """Free flight from burnout to impact on the textbook Earth (numerically integrated)."""
    batch = impulsive_launch(burnout_speed_m_s, burnout_angle_deg, burnout_altitude_m, force=force)
    res = Propagator().propagate(batch)
    impacts = bool(res.impacted[0])
    return KeplerResult(
        ground_range_km=float(res.ground_range_m()[0]) / 1e3 if impacts else math.nan,
        apogee_km=float(res.apogee_m[0]) / 1e3,
        flight_time_s=float(res.flight_time_s[0]) if impacts else math.nan,
        impacts=impacts,
        burnout_speed_m_s=burnout_speed_m_s,
        burnout_angle_deg=burnout_angle_deg,
        burnout_altitude_km=burnout_altitude_m / 1e3,
    )


def min_energy_flight_path_angle_rad(range_angle_rad: float) -> float:
    """Optimum flight-path angle for burnout and reentry at the same radius: (pi - psi)/4."""
    return 0.25 * (math.pi - range_angle_rad)


def min_energy_speed_m_s(
    ground_range_m: float,
    burnout_altitude_m: float = 0.0,
    radius_m: float = R_MEAN_M,
    mu_m3_s2: float = MU_TEXTBOOK_M3_S2,
) -> float:
    """Minimum burnout speed for a free-flight range (Bate, Mueller & White eq. 6.2-20).

    With burnout at radius r and the range measured on the surface between the burnout
    and reentry points' ground tracks (range angle psi = range / R), the minimum
    Q = v^2 r / mu is Q = 2 sin(psi/2) / (1 + sin(psi/2)) for symmetric trajectories.
    """
    r = radius_m + burnout_altitude_m
    s = math.sin(0.5 * ground_range_m / radius_m)
    q = 2.0 * s / (1.0 + s)
    return math.sqrt(q * mu_m3_s2 / r)
