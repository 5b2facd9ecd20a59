"""Aiming, reach and reconstruction: solver behaviour (bmdsim.threats)."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from bmdsim.earth.places import get_place
from bmdsim.errors import InputError, UnreachableTarget
from bmdsim.threats.aiming import aim
from bmdsim.threats.reach import max_range_km, range_by_azimuth
from bmdsim.threats.reconstruct import coast_time_s, energy_equivalent_range_km, reconstruct

GEOD = Geod(ellps="WGS84")
SUNAN = get_place("sunan")


def _targets(n: int, d_lo: float, d_hi: float, seed: int = 0):
    rng = np.random.default_rng(seed)
    az = rng.uniform(0, 360, n)
    d = rng.uniform(d_lo, d_hi, n)
    lon, lat, _ = GEOD.fwd(np.full(n, SUNAN.lon_deg), np.full(n, SUNAN.lat_deg), az, d)
    return lat, lon


def test_min_energy_batch_hits_every_target() -> None:
    lat, lon = _targets(40, 600e3, 3500e3)
    res = aim("hwasong-12-class", SUNAN.lat_deg, SUNAN.lon_deg, lat, lon)
    assert np.all(res.miss_m < 100.0)
    # the stored flights are the solved ones
    ilat, ilon = res.flights.impact_lat_lon_deg()
    _, _, miss = GEOD.inv(ilon, ilat, lon, lat)
    assert np.max(miss) < 100.0


@pytest.mark.parametrize(
    ("profile", "apogee_km", "d_lo", "d_hi"),
    [("lofted", 1500.0, 500e3, 1000e3), ("depressed", 300.0, 2000e3, 3000e3)],
)
def test_shaped_profiles_hit_target_and_apogee(profile, apogee_km, d_lo, d_hi) -> None:
    lat, lon = _targets(10, d_lo, d_hi, seed=1)
    res = aim("hwasong-12-class", SUNAN.lat_deg, SUNAN.lon_deg, lat, lon, profile, apogee_km)
    assert np.all(res.miss_m < 100.0)
    assert np.allclose(res.flights.apogee_m / 1e3, apogee_km, rtol=2e-3)


def test_unreachable_target_says_the_reach() -> None:
    wash = get_place("washington")
    with pytest.raises(UnreachableTarget, match=r"km needed, hwasong-12-class reaches [\d,]+ km"):
        aim("hwasong-12-class", SUNAN.lat_deg, SUNAN.lon_deg, wash.lat_deg, wash.lon_deg)


def test_bad_profile_and_missing_apogee() -> None:
    with pytest.raises(InputError):
        aim("nodong-class", 40.0, 128.0, 41.0, 135.0, profile="loopy")
    with pytest.raises(InputError):
        aim("nodong-class", 40.0, 128.0, 41.0, 135.0, profile="lofted")


def test_reach_east_beats_west_and_max_range_positive() -> None:
    rows = range_by_azimuth("nodong-class", 40.85, 129.67, step_deg=90)
    by = {r["azimuth_deg"]: r["range_km"] for r in rows}
    assert by[90.0] > by[270.0]
    assert 1000 < max_range_km("nodong-class") < 1600


def test_coast_time_matches_min_energy_table() -> None:
    # BMW min-energy 1000 km: apogee 240 km, free-flight time 474 s (public cases)
    assert coast_time_s(240.0, 1000.0) == pytest.approx(474.0, rel=0.01)


def test_energy_equivalent_inverts_min_energy_speed() -> None:
    from bmdsim.flight.textbook import min_energy_speed_m_s

    v = min_energy_speed_m_s(5500e3)
    assert energy_equivalent_range_km(v, 6371e3) == pytest.approx(5500.0, rel=1e-6)


def test_reconstruct_flags_impossible_time() -> None:
    res = reconstruct(2111.5, 787.0, 1000.0, missile="hwasong-12-class")
    assert not res.consistent
    assert "coast arc" in res.why
    assert res.apogee_km == pytest.approx(2111.5, rel=0.01)
    assert res.ground_range_km == pytest.approx(787.0, rel=0.01)


def test_aim_each_leaves_out_what_it_cannot_fly() -> None:
    """Targets beyond the reach, nearer than the shortest flight, or where the shape cannot
    be flown are left out; the others get exactly aim()'s flights."""
    from pyproj import Geod

    from bmdsim.threats.aiming import aim, aim_each

    geod = Geod(ellps="WGS84")
    lat0, lon0 = 40.03, 128.185
    d = np.array([3e3, 300e3, 600e3, 900e3, 1200e3, 1600e3, 3000e3, 0.0])
    b = np.linspace(80.0, 160.0, d.size)
    lon, lat, _ = geod.fwd(np.full(d.size, lon0), np.full(d.size, lat0), b, d)
    got = aim_each("nodong-class", lat0, lon0, lat, lon)
    assert got.index.tolist() == [1, 2, 3, 4]
    ref = aim("nodong-class", lat0, lon0, lat[1:5], lon[1:5])
    np.testing.assert_array_equal(got.cutoff_time_s, ref.cutoff_time_s)
    np.testing.assert_array_equal(got.azimuth_deg, ref.azimuth_deg)
    low = aim_each("nodong-class", lat0, lon0, lat, lon, "depressed", apogee_km=200.0)
    assert set(low.index.tolist()) < {1, 2, 3, 4} and low.index.size > 0
    assert np.all(low.miss_m < 50.0)
    assert (
        aim_each("nodong-class", lat0, lon0, lat, lon, "lofted", apogee_km=5000.0).index.size == 0
    )
    with pytest.raises(InputError):
        aim_each("nodong-class", lat0, lon0, lat, lon, "lofted")
