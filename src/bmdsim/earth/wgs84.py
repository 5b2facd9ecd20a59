"""WGS84 defining constants and the derived figures bmdsim uses.

Source: NGA.STND.0036 / NIMA TR8350.2, *Department of Defense World Geodetic System 1984*
(3rd ed., 2000): a = 6378137 m, 1/f = 298.257223563, GM = 3.986004418e14 m^3/s^2,
omega = 7.292115e-5 rad/s. J2 is the unnormalised zonal harmonic of EGM96/EGM2008
(J2 = -sqrt(5) * C20_bar, C20_bar = -4.84165371736e-4).
"""

from __future__ import annotations

import math

#: Semi-major axis (equatorial radius) [m]
A_M = 6378137.0
#: Flattening [-]
F = 1.0 / 298.257223563
#: Semi-minor axis (polar radius) [m]
B_M = A_M * (1.0 - F)
#: First eccentricity squared [-]
E2 = F * (2.0 - F)
#: Second eccentricity squared [-]
EP2 = E2 / (1.0 - E2)
#: Earth's gravitational parameter, atmosphere included [m^3/s^2]
GM_M3_S2 = 3.986004418e14
#: Earth's rotation rate about the z axis [rad/s]
OMEGA_RAD_S = 7.292115e-5
#: Second zonal harmonic (unnormalised) [-]
J2 = 1.0826298213e-3
#: Third and fourth zonal harmonics (unnormalised, EGM2008) [-]
J3 = -2.5324105e-6
J4 = -1.6198976e-6

#: Mean radius used by the textbook (spherical, non-rotating) "kepler" mode [m];
#: Bate, Mueller & White's tables in the public cases use R = 6371 km, mu = 398600.4418 km^3/s^2.
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
