"""Validation of threat flights against public cases (../shared/validation/public-cases.yaml).

Each test names its source and tolerance; tolerances are those of the public cases.
"""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from bmdsim.earth.places import get_place
from bmdsim.threats.aiming import aim, aim_apogee
from bmdsim.threats.catalog import get_missile
from bmdsim.threats.reach import best_kick, range_toward
from bmdsim.threats.reconstruct import reconstruct

GEOD = Geod(ellps="WGS84")

# flight_tests.lofted (KCNA figures cross-checked with Japan MoD); tolerance: apogee and
# range fitted within 1 %, flight time within 5 % of the reported one.
LOFTED = [
    ("2017-05-14", "hwasong-12-class", 2111.5, 787.0, 1800.0),
    ("2017-07-04", "hwasong-14-class", 2802.0, 933.0, 2340.0),
    ("2017-07-28", "hwasong-14-class", 3724.9, 998.0, 2832.0),
    ("2017-11-29", "hwasong-15-class", 4475.0, 950.0, 3180.0),
    ("2023-02-18", "hwasong-15-class", 5768.5, 989.0, 4015.0),
]


@pytest.mark.slow
@pytest.mark.parametrize(("date", "missile", "apogee", "rng", "t_rep"), LOFTED)
def test_lofted_flight_time(date, missile, apogee, rng, t_rep) -> None:
    res = reconstruct(apogee, rng, t_rep, missile=missile)
    assert res.apogee_km == pytest.approx(apogee, rel=0.01)
    assert res.ground_range_km == pytest.approx(rng, rel=0.01)
    assert res.flight_time_s == pytest.approx(t_rep, rel=0.05), date
    assert res.coast_time_s < t_rep
    assert res.consistent


def test_equivalent_range_2017_07_28() -> None:
    """UCS (D. Wright, 28 Jul 2017) 10,400 km non-rotating; energy method ~8,000 km.
    Bracket [7600, 11000] km (grade B; the energy figure is quoted as '~8,000 km', so the
    floor allows 5 % below it). bmdsim's bracket figure: the 'energy' method."""
    res = reconstruct(3724.9, 998.0, 2832.0, missile="hwasong-14-class")
    assert "minimum-energy arc" in res.method
    assert 7600.0 <= res.equivalent_range_km["energy"] <= 11000.0


@pytest.mark.slow
def test_overflight_2017_08_29() -> None:
    """Japan MoD / Cabinet Secretariat, 29 Aug 2017: launch 05:58 JST Sunan, over Oshima
    Peninsula-Cape Erimo about 06:05-06:07, impact about 06:12 ~1,180 km east of Cape Erimo;
    range 2,700 km, apogee 550 km. Tolerance 1 min on over-flight and impact times."""
    s, e = get_place("sunan"), get_place("cape-erimo")
    brg, _, _ = GEOD.inv(s.lon_deg, s.lat_deg, e.lon_deg, e.lat_deg)
    tlon, tlat, _ = GEOD.fwd(s.lon_deg, s.lat_deg, brg, 2700e3)
    res = aim_apogee("hwasong-12-class", s.lat_deg, s.lon_deg, tlat, tlon, 550.0)
    fb = res.fly(0)
    tr = fb.trajectory(0)
    t = np.arange(tr.t_s[0], tr.t_s[-1], 2.0)
    lat, lon, _ = tr.geodetic(t)
    _, _, d = GEOD.inv(np.full(t.size, e.lon_deg), np.full(t.size, e.lat_deg), lon, lat)
    t_over = float(t[np.argmin(d)] - tr.t_s[0])
    assert np.min(d) < 50e3  # the track passes over Cape Erimo
    assert 6 * 60 <= t_over <= 10 * 60  # 06:05-06:07 +- 1 min after 05:58
    assert float(fb.flight_time_s[0]) == pytest.approx(14 * 60, abs=60)


def test_nodong_to_tokyo_about_ten_minutes() -> None:
    """Cabinet Secretariat: North Korea to Japan by Nodong-class about 10 min (tol 10 %)."""
    s, t = get_place("musudan-ri"), get_place("tokyo")
    res = aim("nodong-class", s.lat_deg, s.lon_deg, t.lat_deg, t.lon_deg)
    assert float(res.flights.flight_time_s[0]) == pytest.approx(600.0, rel=0.10)


def test_range_asymmetry_panghyon() -> None:
    """Earth rotation: eastward range > westward; gain (rotating minus non-rotating) toward
    Los Angeles larger than toward Washington from Panghyon (geodesy of public cases)."""
    from bmdsim.threats.reach import NON_ROTATING

    v = get_missile("hwasong-14-class").vehicle
    p = get_place("panghyon")
    brgs = []
    for city in ("los-angeles", "washington"):
        c = get_place(city)
        brgs.append(GEOD.inv(p.lon_deg, p.lat_deg, c.lon_deg, c.lat_deg)[0] % 360.0)
    rot = range_toward(v, p.lat_deg, p.lon_deg, [90.0, 270.0, *brgs]).range_m
    still = best_kick(v, p.lat_deg, p.lon_deg, brgs, NON_ROTATING).range_m
    assert rot[0] > rot[1]
    gain_la, gain_wash = rot[2] - still[0], rot[3] - still[1]
    assert gain_la > gain_wash > -np.inf
