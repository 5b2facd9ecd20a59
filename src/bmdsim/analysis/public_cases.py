"""Public reference cases used by ``bmdsim validate`` and the validation tests.

Copied from the project's public reference file with their sources; the tolerances stay with
each check. One copy in the package, so the command and the tests compare against the same
numbers.
"""

from __future__ import annotations

#: Bate, Mueller & White (1971) ch. 6, eqs. 6.2-16/18/20: spherical non-rotating Earth
#: R = 6371 km, mu = 398600.4418 km^3/s^2, burnout and reentry at the surface.
#: (ground_range_km, burnout_speed_km_s, flight_path_angle_deg, apogee_km, free_flight_time_s)
MIN_ENERGY_ROWS: tuple[tuple[float, float, float, float, float], ...] = (
    (300, 1.696, 44.33, 74, 251),
    (1000, 3.016, 42.75, 240, 474),
    (2000, 4.113, 40.50, 459, 702),
    (3000, 4.865, 38.26, 655, 895),
    (5500, 6.075, 32.63, 1041, 1316),
    (10000, 7.198, 22.52, 1319, 1931),
    (13000, 7.588, 15.77, 1196, 2233),
)

#: Same formulae, burnout at 200 km altitude, range measured on the surface (calc):
#: ground range km -> minimum burnout speed km/s
BURNOUT_200KM_SPEED_KM_S: dict[int, float] = {1000: 2.970, 5500: 5.982, 10000: 7.088, 13000: 7.471}

#: WGS84 (NGA TR8350.2): omega * N(lat) * cos(lat) at geodetic latitude [deg] -> m/s
SURFACE_SPEEDS_M_S: dict[float, float] = {0.0: 465.10, 35.0: 381.41, 40.0: 356.78}

#: U.S. Standard Atmosphere 1976, geometric altitude: (km, density kg/m^3, temperature K)
US76_ROWS: tuple[tuple[float, float, float], ...] = (
    (0, 1.2250, 288.15),
    (10, 0.41351, 223.25),
    (20, 8.891e-2, 216.65),
    (30, 1.841e-2, 226.51),
    (50, 1.027e-3, 270.65),
    (70, 8.283e-5, 219.58),
    (80, 1.846e-5, 198.64),
    (100, 5.60e-7, 195.08),
    (150, 2.08e-9, 634.4),
    (200, 2.54e-10, 854.6),
    (500, 5.21e-13, 999.2),
    (1000, 3.56e-15, 1000.0),
)

#: WGS84 geodesics between approximate site coordinates (calc), tolerance 5 km
DISTANCES_KM: tuple[tuple[str, str, float], ...] = (
    ("sunan", "tokyo", 1306),
    ("sunan", "araya", 1238),
    ("sunan", "mutsumi", 750),
    ("sunan", "andersen-guam", 3413),
    ("panghyon", "los-angeles", 9548),
    ("panghyon", "washington", 10987),
    ("araya", "mutsumi", 949),
)

#: Closest approach of WGS84 geodesics to the sites (calc), tolerance 20 km:
#: (launch, target, site, km)
SITES_UNDER_PATHS: tuple[tuple[str, str, str, float], ...] = (
    ("sunan", "honolulu", "araya", 45.0),
    ("musudan-ri", "honolulu", "araya", 167.0),
)

#: 4/3-Earth refraction, sensor at sea level, 0 deg elevation (calc), tolerance 3 %:
#: (ground range km, lowest visible altitude km)
RADAR_HORIZON_ROWS: tuple[tuple[float, float], ...] = (
    (500, 15),
    (1000, 59),
    (1238, 91),
    (1500, 134),
    (2000, 241),
    (3000, 559),
)

#: North Korean lofted tests (KCNA figures cross-checked with Japan's MoD):
#: (date, catalog class, apogee km, range km, flight time s); tolerance: a flight matching
#: apogee and range within 1 % has a flight time within 5 % of the reported one
LOFTED_TESTS: tuple[tuple[str, str, float, float, float], ...] = (
    ("2017-05-14", "hwasong-12-class", 2111.5, 787.0, 1800.0),
    ("2017-07-04", "hwasong-14-class", 2802.0, 933.0, 2340.0),
    ("2017-07-28", "hwasong-14-class", 3724.9, 998.0, 2832.0),
    ("2017-11-29", "hwasong-15-class", 4475.0, 950.0, 3180.0),
    ("2023-02-18", "hwasong-15-class", 5768.5, 989.0, 4015.0),
)
