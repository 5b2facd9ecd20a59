"""Engagement consistency: timing, envelopes, inventory, Pk = 1, seeds, own vs allied sensors."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from bmdsim.earth.places import get_place
from bmdsim.engagement.run import run_engagement
from bmdsim.engagement.setup import Battery, Doctrine, SensorSite, Setup, ThreatSpec
from bmdsim.interceptors.catalog import get_interceptor


def _p(name: str) -> tuple[float, float]:
    p = get_place(name)
    return p.lat_deg, p.lon_deg


def _setup(pk: float = 0.7, inventory: int = 24, seed: int = 3) -> Setup:
    sensors = (
        SensorSite("araya-spy7", "spy7-class", *_p("araya")),
        SensorSite("mutsumi-spy7", "spy7-class", *_p("mutsumi")),
        SensorSite("sbirs", "sbirs-class", owner="allied", link_latency_s=5.0),
        SensorSite(
            "shariki-tpy2", "tpy2-class", *_p("shariki"), owner="allied", link_latency_s=5.0
        ),
    )
    batteries = (
        Battery("araya", "sm3-iia-class", *_p("araya"), radar="araya-spy7", inventory=inventory),
        Battery(
            "mutsumi", "sm3-iia-class", *_p("mutsumi"), radar="mutsumi-spy7", inventory=inventory
        ),
    )
    raid = [
        ("sunan", "tokyo", "nodong-class", 0.0),
        ("sunan", "osaka", "nodong-class", 20.0),
        ("wonsan", "niigata", "scud-er-class", 40.0),
        ("sunan", "fukuoka", "scud-er-class", 60.0),
        ("wonsan", "sapporo", "nodong-class", 80.0),
    ]
    threats = tuple(
        ThreatSpec(f"t{i}", m, a, *_p(a), b, *_p(b), launch_time_s=t)
        for i, (a, b, m, t) in enumerate(raid)
    )
    return Setup("test-raid", sensors, batteries, threats, Doctrine(pk=pk), seed=seed)


@pytest.fixture(scope="module")
def run():
    return run_engagement(_setup())


def test_outcomes_and_tallies(run):
    s = run.summary
    assert s["threats"] == 5
    assert s["killed"] + s["leaked"] + s["no_opportunity"] == 5
    assert s["interceptors_fired"] == sum(b.fired for b in run.batteries)
    for b in run.batteries:
        assert 0 <= b.remaining <= b.inventory
        stages = [x["stage"] for x in b.booster_impacts]
        assert len(stages) == 3 * b.fired  # every spent stage of the three-stage class
        assert stages.count(1) == stages.count(2) == stages.count(3) == b.fired


def test_no_intercept_before_fire_control_track_plus_reaction(run):
    for t in run.threats:
        fc = [e.t_s for e in t.events if e.kind == "fire_control_track"]
        for s in t.shots:
            assert fc and s.t_launch_s >= min(fc) + 10.0 - 1e-6
            assert s.t_launch_s < s.t_intercept_s <= t.impact_time_s


def test_intercepts_inside_the_envelope(run):
    ic = get_interceptor("sm3-iia-class")
    for t in run.threats:
        for s in t.shots:
            assert ic.min_intercept_altitude_m - 1.0 <= s.intercept_alt_m
            assert s.intercept_alt_m <= ic.max_intercept_altitude_m + 1.0
            assert s.t_intercept_s - s.t_launch_s <= ic.max_time_of_flight_s + 1e-6


def test_same_seed_same_run(run):
    again = run_engagement(_setup())
    assert again.to_dict() == run.to_dict()


def test_pk_one_kills_every_threat_with_an_opportunity():
    res = run_engagement(_setup(pk=1.0))
    for t in res.threats:
        assert t.outcome in ("killed", "no_opportunity")
        assert (t.outcome == "killed") == math.isfinite(t.earliest_intercept_s)


def test_inventory_never_negative():
    res = run_engagement(_setup(inventory=1))
    for b in res.batteries:
        assert b.fired <= 1 and b.remaining >= 0


def test_booster_impacts_near_mutsumi(run):
    """The 2020 cancellation question: where the spent first stages fall from Mutsumi."""
    mutsumi = next(b for b in run.batteries if b.name == "mutsumi")
    assert mutsumi.fired > 0
    d = np.array([b["distance_km"] for b in mutsumi.booster_impacts if b["stage"] == 1])
    assert np.all((d > 0.1) & (d < 20.0))
    assert all(isinstance(b["country"], str) and b["country"] for b in mutsumi.booster_impacts)
    means = [
        np.mean([b["distance_km"] for b in mutsumi.booster_impacts if b["stage"] == k])
        for k in (1, 2, 3)
    ]
    assert means[0] < means[1] < means[2]  # each later stage falls farther out


def test_removing_allied_sensors_never_adds_opportunities(run):
    own = run_engagement(_setup().without_allied_sensors())
    for a, o in zip(run.threats, own.threats, strict=True):
        if math.isfinite(o.earliest_intercept_s):
            assert math.isfinite(a.earliest_intercept_s)
            assert o.earliest_intercept_s >= a.earliest_intercept_s - 1e-9


def test_doctrine_validation():
    with pytest.raises(ValueError):
        Doctrine(kind="spray")
    with pytest.raises(ValueError):
        replace(Doctrine(), pk=1.5)


def test_burnout_speed_override_resizes_the_interceptor():
    from bmdsim.errors import InputError
    from bmdsim.interceptors.flyout import burnout_speed_m_s, flyout_fan, with_burnout_speed

    slow = with_burnout_speed("sm3-iia-class", 4000.0)
    assert burnout_speed_m_s(slow) == pytest.approx(4000.0, rel=5e-3)
    assert flyout_fan(slow).max_altitude_m < flyout_fan("sm3-iia-class").max_altitude_m
    with pytest.raises(InputError):
        with_burnout_speed("sm3-iia-class", 20_000.0)
    res = run_engagement(
        replace(
            _setup(),
            batteries=tuple(replace(b, burnout_speed_m_s=4000.0) for b in _setup().batteries),
        )
    )
    assert res.summary["threats"] == 5


def test_runtime_failure_names_the_threat_and_its_origin():
    from bmdsim.engagement.run import fly_threats
    from bmdsim.errors import UnreachableTarget

    a, b = _p("sunan"), _p("washington")
    far = ThreatSpec("far", "nodong-class", "sunan", *a, "washington", *b, origin="raid.yaml:12")
    with pytest.raises(UnreachableTarget, match=r"^threat 'far' \(raid\.yaml:12\): [\d,]+ km"):
        fly_threats([far])


def test_decide_without_detail_tallies_the_same() -> None:
    """The light tally of a trial equals the full run's outcomes and shot counts, and the
    sensed part can be decided again with the same result."""
    from bmdsim.engagement.run import decide, engage, prepare, sense
    from bmdsim.scenario.loader import load_scenario

    g = prepare(load_scenario("aegis-ashore-japan"))
    for seed in (0, 1, 2):
        full = engage(g, seed)
        sensed = sense(g, seed)
        light = decide(g, sensed, seed, detail=False)
        again = decide(g, sensed, seed)
        assert light.summary == full.summary
        assert [t.outcome for t in light.threats] == [t.outcome for t in full.threats]
        assert [len(t.shots) for t in light.threats] == [len(t.shots) for t in full.threats]
        assert [b.remaining for b in light.batteries] == [b.remaining for b in full.batteries]
        assert again.to_dict() == full.to_dict()


@pytest.mark.parametrize("name", ["sm3-iia-class", "thaad-class", "pac3-class"])
def test_kick_found_passes_through_points_on_the_fan(name: str) -> None:
    """The fan member chosen for a point on some member's path passes through that point."""
    from bmdsim.engagement.run import _kicks_for
    from bmdsim.interceptors.catalog import get_interceptor
    from bmdsim.interceptors.flyout import flyout_fan

    fan = flyout_fan(get_interceptor(name))
    rng = np.random.default_rng(1)
    pts = np.concatenate([p[rng.integers(0, len(p), 10), :2] for p in fan.paths])
    got = _kicks_for(fan, pts[:, 0], pts[:, 1])
    paths = dict(zip(fan.kicks_deg.tolist(), fan.paths, strict=True))
    for (g, a), k in zip(pts, got, strict=True):
        p = paths[float(k)]
        assert np.min(np.hypot(p[:, 0] - g, p[:, 1] - a)) < 1e-6


def test_flight_geometries_match_the_numpy_geometry() -> None:
    """The compiled view of many flights from many batteries (heights from the ECI samples,
    ground ranges from the turned sites) equals the plain numpy geometry of each flight (ECEF
    samples, geodetic heights, central angles), in blocks smaller than the batch too."""
    from bmdsim.earth.geodesics import central_angle_rad
    from bmdsim.earth.geodetic import ecef_to_geodetic, geodetic_to_ecef
    from bmdsim.earth.wgs84 import R_MEAN_M
    from bmdsim.engagement import opportunity
    from bmdsim.engagement.opportunity import DT_S, flight_geometries
    from bmdsim.engagement.run import fly_threats
    from bmdsim.interceptors.flyout import flyout_fan

    lat0, lon0 = _p("sinpo")
    specs = [
        ThreatSpec(f"t{i}", "nodong-class", "sinpo", lat0, lon0, "x", 34.0 + i, 131.0 + 0.5 * i)
        for i in range(5)
    ]
    trajs = [f.trajectory for f in fly_threats(specs)]
    sites = [
        (flyout_fan(get_interceptor("sm3-iia-class")), *_p("mutsumi")),
        (flyout_fan(get_interceptor("thaad-class")), 35.0, 133.0),
    ]
    for block in (1000, 2):
        old = opportunity.GEOMETRY_BLOCK
        opportunity.GEOMETRY_BLOCK = block
        try:
            got = flight_geometries(trajs, sites)
        finally:
            opportunity.GEOMETRY_BLOCK = old
        for traj, row in zip(trajs, got, strict=True):
            t = np.arange(float(traj.t_s[0]), float(traj.impact_time_s), DT_S)
            r = traj.ecef(t)
            alt = ecef_to_geodetic(r)[2]
            for (fan, lat, lon), fg in zip(sites, row, strict=True):
                site = geodetic_to_ecef(math.radians(lat), math.radians(lon), 0.0)
                ground = R_MEAN_M * central_angle_rad(r, site)
                np.testing.assert_array_equal(fg.t_s, t)
                np.testing.assert_allclose(fg.altitude_m, alt, rtol=0, atol=1e-6)
                np.testing.assert_allclose(fg.ground_range_m, ground, rtol=1e-12, atol=0.1)
                np.testing.assert_array_equal(
                    fg.time_of_flight_s, fan.time_to(fg.ground_range_m, fg.altitude_m)
                )
        assert any(np.isfinite(row[0].time_of_flight_s).any() for row in got)


def test_geometry_from_a_time_gives_the_same_windows() -> None:
    """The geometry of a flight from some time on gives the window of the whole flight's
    geometry for a battery ready then or later."""
    from bmdsim.engagement.opportunity import flight_geometries, window_from
    from bmdsim.engagement.run import fly_threats
    from bmdsim.interceptors.flyout import flyout_fan

    lat0, lon0 = _p("sinpo")
    specs = [ThreatSpec("t", "nodong-class", "sinpo", lat0, lon0, "x", 35.0, 133.0)]
    traj = fly_threats(specs)[0].trajectory
    site = [(flyout_fan(get_interceptor("sm3-iia-class")), *_p("mutsumi"))]
    whole = flight_geometries([traj], site)[0][0]
    some = 0
    for start in (0.0, 100.0, 150.5, 200.0):
        part = flight_geometries([traj], site, from_s=[start])[0][0]
        assert part.t_s[0] >= start and part.t_s.size < whole.t_s.size + (start == 0.0)
        for ready in (start, start + 0.5, start + 30.0):
            a, b = window_from(whole, 0.0, ready), window_from(part, 0.0, ready)
            for name in ("t_intercept_s", "t_launch_s", "ground_range_m", "altitude_m"):
                np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
            some += a.any
    assert some > 0


def test_earliest_intercepts_are_the_windows_earliest() -> None:
    """The earliest feasible intercept and the altitude then, of many flights (some shifted
    in launch time) and batteries with their own ready times (some never ready), equal what
    the windows give."""
    from bmdsim.engagement.opportunity import (
        earliest_intercepts,
        flight_geometries,
        window_from,
    )
    from bmdsim.engagement.run import fly_threats
    from bmdsim.interceptors.flyout import flyout_fan

    lat0, lon0 = _p("sinpo")
    specs = [
        ThreatSpec(f"t{i}", "nodong-class", "sinpo", lat0, lon0, "x", 33.5 + 0.7 * i, 131.0 + i)
        for i in range(6)
    ]
    trajs = [f.trajectory for f in fly_threats(specs)]
    sites = [
        (flyout_fan(get_interceptor("sm3-iia-class")), *_p("mutsumi")),
        (flyout_fan(get_interceptor("sm3-iia-class")), *_p("araya")),
    ]
    shift = np.array([0.0, 30.0, 0.0, 12.5, 0.0, 100.0])
    rng = np.random.default_rng(3)
    ready = shift[:, None] + rng.uniform(80.0, 400.0, (6, 2))
    ready[2, 0] = np.nan
    ready[4, :] = np.nan
    t, alt = earliest_intercepts(trajs, sites, shift, ready)
    found = 0
    for i, traj in enumerate(trajs):
        row = flight_geometries([traj], sites)[0]
        for b in range(2):
            w = window_from(row[b], shift[i], ready[i, b])
            if not w.any:
                assert math.isnan(t[i, b]) and math.isnan(alt[i, b])
                continue
            found += 1
            assert t[i, b] == w.earliest_s
            assert alt[i, b] == w.altitude_m[w.feasible_index[0]]
    assert 3 <= found < 9  # of the 9 pairs ever ready: windows open and empty both
