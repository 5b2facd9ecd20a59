"""Unit tests of the booster-drop Monte Carlo (bmdsim.interceptors.booster_mc)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from bmdsim.earth.geodesics import destination, distance_m, inverse
from bmdsim.earth.places import get_place
from bmdsim.errors import InputError
from bmdsim.interceptors.booster import booster_drop
from bmdsim.interceptors.booster_mc import (
    CHI2_2DOF_95,
    BoosterDispersion,
    DispersionBounds,
    _summary,
    booster_dispersion,
)

TRIALS = 200
IC = "sm3-iia-class"


def _toward(site: str, target: str = "sunan") -> tuple[float, float, float]:
    s, t = get_place(site), get_place(target)
    az = float(inverse(s.lat_deg, s.lon_deg, t.lat_deg, t.lon_deg)[0])
    return s.lat_deg, s.lon_deg, az


@pytest.fixture(scope="module", params=["araya", "mutsumi"])
def aegis_ashore(request) -> tuple[str, BoosterDispersion]:
    lat, lon, az = _toward(request.param)
    return request.param, booster_dispersion(
        IC, lat, lon, az, trials=TRIALS, seed=1, site_radius_m=1500.0
    )


def test_stage_distances_increase_stage_by_stage(aegis_ashore):
    """Toward Sunan, each spent stage of an sm3-iia-class falls farther out than the one
    before it: the first near the launcher, the upper stages over the Sea of Japan."""
    site, res = aegis_ashore
    assert [s.stage for s in res.stages] == [1, 2, 3]
    d = [s.mean_distance_m for s in res.stages]
    assert d[0] < d[1] < d[2], (site, d)
    assert d[0] < 5e3  # the first stage comes down within a few km of the launcher
    assert res.stages[0].country == "Japan"
    assert res.stages[1].country == "sea"  # ~200 km out over the Sea of Japan
    for s in res.stages:
        assert s.impacted == TRIALS
        assert s.lat_deg.shape == s.lon_deg.shape == s.distance_m.shape == (TRIALS,)
        assert np.all(np.isfinite(s.lat_deg))


def test_first_stage_ellipse_and_inside_site(aegis_ashore):
    """The first stage's 95 % ellipse is reported (km-sized: wind and drag dominate), and
    ``inside_site`` is the share of trials within the given radius of the launcher."""
    _, res = aegis_ashore
    s1 = res.stages[0]
    assert res.site_radius_m == 1500.0
    assert 0.1e3 < s1.ellipse_minor_m <= s1.ellipse_major_m < 10e3
    assert 0.0 <= s1.ellipse_orientation_deg < 180.0
    assert 0.0 < s1.inside_site < 1.0
    assert s1.inside_site == pytest.approx(np.mean(s1.distance_m <= 1500.0))
    # the upper stages fall hundreds of km away: none inside a 1.5 km site
    assert all(s.inside_site == 0.0 for s in res.stages[1:])
    # every point within the stated bounds: the mean point is near the nominal one
    lat, lon, az = res.lat_deg, res.lon_deg, res.azimuth_deg
    nominal = booster_drop(IC, lat, lon, az)
    for s, x in zip(res.stages, nominal, strict=True):
        gap = float(distance_m(s.mean_lat_deg, s.mean_lon_deg, x.lat_deg, x.lon_deg))
        assert gap < 0.5 * s.ellipse_major_m + 2e3, (s.stage, gap)


def test_upper_stage_ellipses_lie_along_the_flight():
    """The kick and burn-time spread moves the upper stages along the fly-out azimuth: the
    major axis of their ellipses points along it, and is far longer than the minor axis."""
    lat, lon, az = _toward("araya")
    res = booster_dispersion(IC, lat, lon, az, trials=100, seed=3)
    for s in res.stages[1:]:
        assert s.ellipse_major_m > 5.0 * s.ellipse_minor_m
        along = abs(((s.ellipse_orientation_deg - az) + 90.0) % 180.0 - 90.0)
        assert along < 15.0, (s.stage, s.ellipse_orientation_deg, az)


def test_zero_bounds_give_the_nominal_point_and_no_ellipse():
    """With every bound zero the trials are identical, equal to booster_drop, and the
    ellipse is empty; the stated bounds give a real ellipse for every stage."""
    lat, lon, az = _toward("mutsumi")
    zero = booster_dispersion(IC, lat, lon, az, trials=20, bounds=DispersionBounds.none())
    nominal = booster_drop(IC, lat, lon, az)
    wide = booster_dispersion(IC, lat, lon, az, trials=50, seed=2)
    for s, x, w in zip(zero.stages, nominal, wide.stages, strict=True):
        assert np.all(s.lat_deg == s.lat_deg[0]) and np.all(s.lon_deg == s.lon_deg[0])
        assert s.lat_deg[0] == pytest.approx(x.lat_deg, abs=1e-9)
        assert s.lon_deg[0] == pytest.approx(x.lon_deg, abs=1e-9)
        assert s.ellipse_major_m < 1e-3 and s.ellipse_minor_m < 1e-3
        assert w.ellipse_major_m > 100.0 > s.ellipse_major_m
        assert s.mean_distance_m / 1e3 == pytest.approx(x.distance_km, rel=1e-9)


def test_wind_drift_is_bounded_by_wind_times_fall_time():
    """Wind alone moves the first stage by at most (wind speed) x (time below 15 km), and
    the first stage of a Mk 72-like booster spends its whole fall there."""
    lat, lon, az = _toward("araya")
    wind_only = replace(DispersionBounds.none(), wind_max_m_s=30.0)
    res = booster_dispersion(IC, lat, lon, az, trials=100, seed=4, bounds=wind_only)
    x = booster_drop(IC, lat, lon, az)[0]
    s = res.stages[0]
    drift = distance_m(x.lat_deg, x.lon_deg, s.lat_deg, s.lon_deg)
    fall_s = x.impact_time_s - x.separation_time_s
    assert np.max(drift) <= 30.0 * fall_s + 1.0
    assert np.max(drift) > 0.8 * 30.0 * fall_s  # some trials draw a near-30 m/s wind
    # a uniform wind direction leaves the mean point near the still-air point
    gap = float(distance_m(x.lat_deg, x.lon_deg, s.mean_lat_deg, s.mean_lon_deg))
    assert gap < 0.3 * 30.0 * fall_s


def test_same_seed_same_result_and_trials_are_independent_of_their_number():
    lat, lon, az = _toward("araya")
    a = booster_dispersion(IC, lat, lon, az, trials=60, seed=7)
    b = booster_dispersion(IC, lat, lon, az, trials=60, seed=7)
    c = booster_dispersion(IC, lat, lon, az, trials=30, seed=7)
    d = booster_dispersion(IC, lat, lon, az, trials=60, seed=8)
    for sa, sb, sc, sd in zip(a.stages, b.stages, c.stages, d.stages, strict=True):
        assert np.array_equal(sa.lat_deg, sb.lat_deg) and np.array_equal(sa.lon_deg, sb.lon_deg)
        assert sa.ellipse_major_m == sb.ellipse_major_m
        # trial i is seeded by child i of SeedSequence(seed): a prefix of a longer run
        assert np.array_equal(sa.lat_deg[:30], sc.lat_deg)
        assert not np.array_equal(sa.lat_deg, sd.lat_deg)


def test_ellipse_of_known_gaussian_scatter():
    """The 95 % ellipse of synthetic points with a known covariance: semi-axes
    sqrt(5.991) sigma along the principal axes, orientation clockwise from north."""
    rng = np.random.default_rng(11)
    n, sig_major, sig_minor, orient = 20_000, 3000.0, 1000.0, 30.0
    a, b = rng.normal(0.0, sig_major, n), rng.normal(0.0, sig_minor, n)
    th = math.radians(orient)
    east = a * math.sin(th) + b * math.cos(th)
    north = a * math.cos(th) - b * math.sin(th)
    lat0, lon0 = 39.0, 134.0
    lat, lon = destination(lat0, lon0, np.degrees(np.arctan2(east, north)), np.hypot(east, north))
    s = _summary(2, lat0 - 1.0, lon0, lat, lon, site_radius_m=1.0)
    k = math.sqrt(CHI2_2DOF_95)
    assert k == pytest.approx(2.4477, abs=1e-4)
    assert s.ellipse_major_m == pytest.approx(k * sig_major, rel=0.03)
    assert s.ellipse_minor_m == pytest.approx(k * sig_minor, rel=0.03)
    assert s.ellipse_orientation_deg == pytest.approx(orient, abs=1.5)
    assert float(distance_m(lat0, lon0, s.mean_lat_deg, s.mean_lon_deg)) < 60.0
    assert s.inside_site == 0.0
    # about 95 % of the points lie inside the ellipse
    m2 = (a / (k * sig_major)) ** 2 + (b / (k * sig_minor)) ** 2
    assert np.mean(m2 <= 1.0) == pytest.approx(0.95, abs=0.01)


def test_single_trial_has_no_ellipse():
    lat, lon, az = _toward("araya")
    res = booster_dispersion(IC, lat, lon, az, trials=1)
    assert all(math.isnan(s.ellipse_major_m) for s in res.stages)
    assert all(math.isfinite(s.mean_lat_deg) for s in res.stages)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"trials": 0},
        {"trials": 100_001},
        {"trials": 2.5},
        {"site_radius_m": -1.0},
        {"site_radius_m": math.nan},
        {"azimuth_deg": math.inf},
        {"lat_deg": 91.0},
        {"seed": -1},
    ],
)
def test_bad_input_is_an_input_error(kwargs):
    args = {"lat_deg": 39.7, "lon_deg": 140.06, "azimuth_deg": 270.0, **kwargs}
    with pytest.raises(InputError):
        booster_dispersion(IC, **args)


def test_bounds_are_checked():
    with pytest.raises(InputError, match="ballistic_factor"):
        DispersionBounds(ballistic_factor=0.5)
    with pytest.raises(InputError, match="wind_max_m_s"):
        DispersionBounds(wind_max_m_s=math.nan)


def test_booster_drops_in_blocks_equal_one_batch(monkeypatch) -> None:
    """Flying the fly-outs in blocks changes nothing."""
    import bmdsim.interceptors.booster_mc as mc

    az = [10.0, 200.0, 300.0, 45.0, 90.0]
    kicks = [20.0, 35.0, 50.0, 65.0, 80.0]
    one = mc.booster_drops("sm3-iia-class", 34.45, 131.62, az, kicks)
    monkeypatch.setattr(mc, "_DROP_BLOCK", 2)
    blocks = mc.booster_drops("sm3-iia-class", 34.45, 131.62, az, kicks)
    assert blocks == one
