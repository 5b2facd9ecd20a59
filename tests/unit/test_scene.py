"""The scene of a run: tracks, fly-outs, sites, intercept and booster points."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bmdsim.earth.geodesics import distance_m
from bmdsim.engagement.run import engage, prepare
from bmdsim.engagement.scene import scene_of
from bmdsim.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def demo():
    g = prepare(load_scenario("aegis-ashore-japan"))
    r = engage(g)
    return g, r, scene_of(g, r)


def test_one_track_per_threat_and_per_shot(demo) -> None:
    _, r, sc = demo
    assert [t.name for t in sc.threat_tracks()] == [t.name for t in r.threats]
    assert len(sc.interceptor_tracks()) == sum(len(t.shots) for t in r.threats)
    assert len(sc.intercepts) == len(sc.interceptor_tracks())


def test_threat_track_starts_at_launch_and_stops_at_kill(demo) -> None:
    _, r, sc = demo
    for res, tr in zip(r.threats, sc.threat_tracks(), strict=True):
        assert tr.t_s[0] == pytest.approx(res.launch_time_s, abs=1e-6)
        assert np.all(np.diff(tr.t_s) > 0)
        kills = [s.t_intercept_s for s in res.shots if s.kill]
        end = kills[0] if kills else res.impact_time_s
        assert tr.t_s[-1] == pytest.approx(end, abs=1e-6)
        if not kills:  # it came down at its target
            assert tr.alt_m[-1] == pytest.approx(0.0, abs=50.0)


def test_flyout_ends_at_its_intercept_point(demo) -> None:
    _, _, sc = demo
    for tr, x in zip(sc.interceptor_tracks(), sc.intercepts, strict=True):
        assert tr.t_s[-1] == pytest.approx(x["intercept_t_s"])
        assert tr.t_s[0] == pytest.approx(x["launch_t_s"])
        assert float(distance_m(tr.lat_deg[-1], tr.lon_deg[-1], x["lat_deg"], x["lon_deg"])) < 1.0
        assert tr.alt_m[-1] == pytest.approx(x["alt_m"])
        # it rises from the launcher: low first, far later
        assert tr.alt_m[0] < 1e3 < tr.alt_m[-1]


def test_intercept_lies_on_the_threat_track(demo) -> None:
    g, r, sc = demo
    for x in sc.intercepts:
        i = [t.name for t in r.threats].index(x["threat"])
        f = g.flown[i]
        lat, lon, h = f.trajectory.geodetic(np.array([x["intercept_t_s"]]))
        assert float(distance_m(lat[0], lon[0], x["lat_deg"], x["lon_deg"])) < 1.0
        assert h[0] == pytest.approx(x["alt_m"], abs=1.0)


def test_sites_and_coverage_rings(demo) -> None:
    g, _, sc = demo
    radars = [s for s in sc.sites if s.kind == "radar"]
    batteries = [s for s in sc.sites if s.kind == "battery"]
    assert {b.name for b in batteries} == {b.name for b in g.setup.batteries}
    assert radars
    for s in radars:
        assert s.coverage_lat_deg[0] == s.coverage_lat_deg[-1]
        # the ring lies within the detection range of the site
        d = distance_m(s.lat_deg, s.lon_deg, s.coverage_lat_deg, s.coverage_lon_deg)
        assert np.nanmax(d) <= s.detection_range_km * 1e3 + 10e3
        assert np.nanmax(d) > 100e3
    assert all(math.isfinite(b["lat_deg"]) for b in sc.booster_impacts)
