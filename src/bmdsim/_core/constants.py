"""The WGS84 figures the kernels compile in (numba freezes module-level floats as constants).

Source: NGA.STND.0036 / NIMA TR8350.2, *Department of Defense World Geodetic System 1984*
(3rd ed., 2000): a = 6378137 m, 1/f = 298.257223563, GM = 3.986004418e14 m^3/s^2,
omega = 7.292115e-5 rad/s. J2 is the unnormalised zonal harmonic of EGM96/EGM2008
(J2 = -sqrt(5) * C20_bar, C20_bar = -4.84165371736e-4).

They are defined once, here, below every layer that uses them; :mod:`bmdsim.earth.wgs84`
is their public home and re-exports them.
"""

from __future__ import annotations

__all__ = ["A_M", "B_M", "E2", "EP2", "F", "GM_M3_S2", "J2", "J3", "J4", "OMEGA_RAD_S"]

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
