"""WGS84 defining constants and the derived figures bmdsim uses.

Source: NGA.STND.0036 / NIMA TR8350.2, *Department of Defense World Geodetic System 1984*
(3rd ed., 2000): a = 6378137 m, 1/f = 298.257223563, GM = 3.986004418e14 m^3/s^2,
omega = 7.292115e-5 rad/s. J2 is the unnormalised zonal harmonic of EGM96/EGM2008
(J2 = -sqrt(5) * C20_bar, C20_bar = -4.84165371736e-4).

The ellipsoid, GM, omega and the zonal harmonics are defined in
:mod:`bmdsim._core.constants` (the kernels compile them in) and re-exported here: this is
where the rest of bmdsim reads them.
"""

from __future__ import annotations

import math

from bmdsim._core.constants import A_M, B_M, E2, EP2, GM_M3_S2, J2, J3, J4, OMEGA_RAD_S, F

__all__ = [
    "A_M",
    "B_M",
    "E2",
    "EP2",
    "F",
    "G0_M_S2",
    "GM_M3_S2",
    "J2",
    "J3",
    "J4",
    "OMEGA_RAD_S",
    "R_MEAN_M",
    "radius_of_curvature_prime_vertical_m",
    "surface_speed_m_s",
]

#: Mean Earth radius [m]: the one radius of every spherical-Earth model in bmdsim (the
#: textbook "kepler" mode, the interceptors' fly-out fans, the 4/3-Earth radar horizon).
#: Bate, Mueller & White's tables in the public cases use R = 6371 km, mu = 398600.4418
#: km^3/s^2; IUGG's mean radius R1 = 6371008.8 m (Moritz 2000) is 1.4 ppm larger.
R_MEAN_M = 6371000.0
#: Standard gravity (defines Isp in seconds) [m/s^2]
G0_M_S2 = 9.80665


def radius_of_curvature_prime_vertical_m(lat_rad: float) -> float:
    """N(phi): the ellipsoid's radius of curvature in the prime vertical [m]."""
    s = math.sin(lat_rad)
    return A_M / math.sqrt(1.0 - E2 * s * s)


def surface_speed_m_s(lat_deg: float) -> float:
    """Eastward speed of a point on the ellipsoid due to Earth rotation: omega * N * cos(lat)."""
    lat = math.radians(lat_deg)
    return OMEGA_RAD_S * radius_of_curvature_prime_vertical_m(lat) * math.cos(lat)
