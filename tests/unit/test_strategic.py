"""Strategic reach: built-in trajectory sets, closest approaches, engageability from Japan."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest

from bmdsim.analysis.public_cases import SITES_UNDER_PATHS
from bmdsim.analysis.strategic import (
    KINEMATIC_REASONS,
    build_setup,
    flown_closest_approach,
    geodesic_closest_approach_m,
    strategic_reach,
    threat_specs,
)
from bmdsim.analysis.threat_sets import (
    THREAT_SETS,
    StrategicFlight,
    get_threat_set,
    threat_set_names,
)
from bmdsim.earth.geodesics import distance_m
from bmdsim.earth.places import PLACES, get_place
from bmdsim.engagement.results import REASONS
from bmdsim.errors import InputError, UnknownName
from bmdsim.interceptors.catalog import get_interceptor
from bmdsim.threats.catalog import MISSILES

F = StrategicFlight
BUILT_IN = [(name, f) for name, flights in THREAT_SETS.items() if flights for f in flights]


# ---- the sets --------------------------------------------------------------------------------
def test_set_names_and_china():
    assert threat_set_names() == ["russia-us", "nk-us", "china-us"]
    assert len(get_threat_set("russia-us")) >= 20
    assert len(get_threat_set("NK_US")) >= 10
    with pytest.raises(InputError, match="no Chinese ICBM class in the catalogue"):
        get_threat_set("china-us")
    with pytest.raises(UnknownName, match="did you mean 'nk-us'"):
        get_threat_set("nk-usa")


@pytest.mark.parametrize(
    "name,f", BUILT_IN, ids=[f"{n}:{f.launch}-{f.target}" for n, f in BUILT_IN]
)
def test_entries_name_catalog_entries(name, f):
    assert f.launch in PLACES and f.target in PLACES
    assert f.missile in MISSILES
    if name == "russia-us":
        assert PLACES[f.launch].country == "Russia"
        assert f.missile in ("topol-m-class", "bulava-class")
    else:
        assert PLACES[f.launch].country == "North Korea"
        assert f.missile.startswith("hwasong-")
    assert PLACES[f.target].country == "United States"


def test_every_built_in_entry_is_aimable():
    """Every flight of every set can be aimed (none beyond its missile's reach): the aimer
    raises UnreachableTarget otherwise, and lands each impact within 100 m."""
    from bmdsim.threats.aiming import aim

    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for _, f in BUILT_IN:
        groups[(f.missile, f.launch)].append(f.target)
    for (missile, launch), targets in groups.items():
        a = get_place(launch)
        tl = [get_place(t) for t in targets]
        sol = aim(missile, a.lat_deg, a.lon_deg, [t.lat_deg for t in tl], [t.lon_deg for t in tl])
        assert np.all(np.asarray(sol.miss_m) < 100.0), (missile, launch, targets)


def test_added_places_are_cited():
    for name in ("minot", "malmstrom", "fe-warren"):
        p = PLACES[name]
        assert p.country == "United States" and "Kristensen" in p.source


# ---- closest approach -------------------------------------------------------------------------
@pytest.mark.parametrize("launch,target,site,km", SITES_UNDER_PATHS)
def test_geodesic_closest_approach_public_case(launch, target, site, km):
    """Closest approach of the WGS84 geodesic to the site (public-cases.yaml
    analyses.sites_under_paths; calc), tolerance 20 km."""
    assert geodesic_closest_approach_m(launch, target, site) / 1e3 == pytest.approx(km, abs=20.0)


@pytest.fixture(scope="module")
def hawaii_flights():
    from bmdsim.engagement.run import fly_threats

    flights = [
        F("sunan", "honolulu", "hwasong-15-class"),
        F("musudan-ri", "honolulu", "hwasong-15-class"),
    ]
    return fly_threats(threat_specs(flights))


def test_flown_closest_approach_matches_dense_sampling(hawaii_flights):
    araya = get_place("araya")
    for fl in hawaii_flights:
        tr = fl.trajectory
        d, t, h = flown_closest_approach(tr, araya.lat_deg, araya.lon_deg)
        tt = np.linspace(tr.t_s[0], tr.impact_time_s, 20001)
        lat, lon, hh = tr.geodetic(tt)
        dd = distance_m(lat, lon, araya.lat_deg, araya.lon_deg)
        assert d == pytest.approx(float(dd.min()), abs=50.0)
        assert t == pytest.approx(float(tt[np.argmin(dd)]), abs=2.0)
        assert 0.0 < h < fl.apogee_m


@pytest.mark.parametrize("k,case", [(0, SITES_UNDER_PATHS[0]), (1, SITES_UNDER_PATHS[1])])
def test_flown_track_differs_from_geodesic_by_the_earths_turn(hawaii_flights, k, case):
    """The flown ground track is not the geodesic: on the rotating Earth the aimer turns the
    launch azimuth so that the impact lands on Honolulu, and the track bows away from the
    geodesic mid-course (by ~0.1 of the 7,000 km range here). It still passes within a few
    hundred km of Araya, and ends on the target."""
    launch, target, site, km = case
    fl = hawaii_flights[k]
    s = get_place(site)
    d, _, _ = flown_closest_approach(fl.trajectory, s.lat_deg, s.lon_deg)
    g = geodesic_closest_approach_m(launch, target, site)
    assert abs(d - g) < 200e3
    assert d < 300e3
    tr = fl.trajectory
    lat, lon, _ = tr.geodetic(np.array([tr.impact_time_s]))
    b = get_place(target)
    assert float(distance_m(lat[0], lon[0], b.lat_deg, b.lon_deg)) < 1e3


# ---- engagements ------------------------------------------------------------------------------
def _check_row(t, ic):
    assert t.reason is None or t.reason in REASONS
    if t.engageable:
        assert t.reason is None and t.kinematically_reachable
        assert ic.min_intercept_altitude_m - 1e3 <= t.intercept_alt_m
        assert t.intercept_alt_m <= ic.max_intercept_altitude_m + 1e3
        assert 0.0 < t.intercept_t_s < t.flight_time_s
    else:
        assert t.reason is not None
        assert math.isnan(t.intercept_alt_m) and math.isnan(t.intercept_t_s)
        if t.reason in KINEMATIC_REASONS:
            assert not t.kinematically_reachable
    assert t.closest_approach_m >= 0.0


def test_russian_icbm_to_washington_out_of_reach_from_araya():
    res = strategic_reach("araya", "sm3-iia-class", [F("kozelsk", "washington", "topol-m-class")])
    (t,) = res.trajectories
    assert not t.engageable and not t.kinematically_reachable
    assert t.reason == "out_of_reach"
    assert t.closest_approach_m > 6000e3  # the polar route never comes near Japan
    assert res.engageable == 0 and res.engageable_fraction == 0.0
    _check_row(t, get_interceptor("sm3-iia-class"))


NK_GUAM_HAWAII = [
    F("sunan", "honolulu", "hwasong-15-class"),
    F("musudan-ri", "honolulu", "hwasong-15-class"),
    F("sunan", "andersen-guam", "hwasong-15-class"),
    F("sunan", "andersen-guam", "hwasong-12-class"),
]


@pytest.fixture(scope="module")
def nk_from_japan():
    return {
        site: strategic_reach(site, "sm3-iia-class", NK_GUAM_HAWAII)
        for site in ("araya", "mutsumi")
    }


def test_nk_flights_to_guam_and_hawaii_pass_over_japan(nk_from_japan):
    """The Hawaii flights pass near Araya (northern Honshu), the Guam flights near Mutsumi
    (western Honshu): the geometry behind Japan's two sites."""
    araya = {(t.launch, t.missile, t.target): t for t in nk_from_japan["araya"].trajectories}
    mutsumi = {(t.launch, t.missile, t.target): t for t in nk_from_japan["mutsumi"].trajectories}
    assert araya[("sunan", "hwasong-15-class", "honolulu")].closest_approach_m < 250e3
    assert araya[("musudan-ri", "hwasong-15-class", "honolulu")].closest_approach_m < 350e3
    for m in ("hwasong-15-class", "hwasong-12-class"):
        assert mutsumi[("sunan", m, "andersen-guam")].closest_approach_m < 150e3
        assert araya[("sunan", m, "andersen-guam")].closest_approach_m > 800e3


def test_nk_flights_engageability(nk_from_japan):
    """Which flights each site can engage (SM-3 IIA class, allied cues): the Hawaii flights
    over Araya are within the interceptor's kinematic reach but pass in ascent, before the
    battery has a fire-control track and has reacted (too late); from Mutsumi the slower
    Hwasong-12-class flight to Guam is engageable in mid-course."""
    ic = get_interceptor("sm3-iia-class")
    for res in nk_from_japan.values():
        assert res.trajectories and len(res.trajectories) == len(NK_GUAM_HAWAII)
        for t in res.trajectories:
            _check_row(t, ic)
        assert res.engageable == sum(t.engageable for t in res.trajectories)
    araya = {(t.launch, t.missile, t.target): t for t in nk_from_japan["araya"].trajectories}
    mutsumi = {(t.launch, t.missile, t.target): t for t in nk_from_japan["mutsumi"].trajectories}
    hawaii = araya[("sunan", "hwasong-15-class", "honolulu")]
    assert hawaii.kinematically_reachable and not hawaii.engageable
    assert hawaii.reason == "too_late"
    guam = mutsumi[("sunan", "hwasong-12-class", "andersen-guam")]
    assert guam.engageable
    assert 300e3 < guam.intercept_alt_m < 700e3


def test_setup_own_sensors_only_and_allied():
    site = get_place("araya")
    allied = build_setup(site, "sm3-iia-class", ())
    own = build_setup(site, "sm3-iia-class", (), own_sensors_only=True)
    assert [s.sensor for s in allied.sensors] == ["spy7-class", "sbirs-class", "tpy2-class"]
    assert {s.owner for s in allied.sensors[1:]} == {"allied"}
    assert all(s.link_latency_s == 5.0 for s in allied.sensors[1:])
    assert allied.sensors[2].lat_deg == PLACES["shariki"].lat_deg
    assert [s.sensor for s in own.sensors] == ["spy7-class"]
    (b,) = allied.batteries
    assert b.fire_on == "launch-on-remote" and b.radar == allied.sensors[0].name
    assert own.batteries[0].fire_on == "own"
    assert b.inventory >= 1000 and b.launch_interval_s <= 0.1
    assert allied.doctrine.pk == 1.0


def test_bad_inputs():
    with pytest.raises(UnknownName):
        strategic_reach("araya", "sm3-xx-class", [F("sunan", "honolulu", "hwasong-15-class")])
    with pytest.raises(InputError):
        strategic_reach("araya", "sm3-iia-class", [])
    with pytest.raises(InputError, match="no Chinese ICBM class"):
        strategic_reach("araya", "sm3-iia-class", "china-us")
