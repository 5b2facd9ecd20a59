"""The C2 node's tracking kernel equals its numpy reference through the Tracker interface."""

from __future__ import annotations

import numpy as np
import pytest

from bmdsim.engagement.run import _sensor_sets, prepare
from bmdsim.scenario.loader import load_scenario
from bmdsim.sensors.c2 import C2Config, observe


@pytest.fixture(scope="module")
def demo():
    setup = load_scenario("aegis-ashore-japan")
    return setup, prepare(setup)


@pytest.mark.parametrize("until", ["fire_control", "end"])
@pytest.mark.parametrize("noisy", [False, True])
def test_kernel_equals_reference(demo, until: str, noisy: bool) -> None:
    setup, g = demo
    trajs = [f.trajectory for f in g.flown]
    rcs = np.array([f.spec.rcs_m2 for f in g.flown])
    shared = [(f.base, f.spec.launch_time_s) for f in g.flown]
    cfg = C2Config(track_until=until, record_tracks=True)
    for names in _sensor_sets(setup).values():
        sensors = [g.placed[n] for n in names]
        got = {}
        for tracker in ("kernel", "reference"):
            rng = np.random.default_rng(11) if noisy else None
            got[tracker] = observe(trajs, sensors, rcs, cfg, rng, shared, tracker=tracker)
        a, b = got["kernel"], got["reference"]
        assert np.isfinite(a.fire_control_track_s).sum() >= 5
        np.testing.assert_array_equal(a.fire_control_track_s, b.fire_control_track_s)
        assert a.fire_control_by == b.fire_control_by
        assert a.cost == b.cost
        np.testing.assert_allclose(a.ekf.x, b.ekf.x, rtol=0, atol=1e-6)
        np.testing.assert_array_equal(a.ekf.active, b.ekf.active)
        assert a.tracks is not None and b.tracks is not None
        assert a.tracks.by == b.tracks.by
        for i in range(len(trajs)):
            np.testing.assert_array_equal(a.tracks.t_known_s[i], b.tracks.t_known_s[i])
            np.testing.assert_allclose(a.tracks.x[i], b.tracks.x[i], rtol=0, atol=1e-6)
            np.testing.assert_allclose(a.tracks.p[i], b.tracks.p[i], rtol=1e-9, atol=1e-9)


def test_unknown_tracker_refused(demo) -> None:
    _, g = demo
    with pytest.raises(ValueError, match="tracker"):
        observe([g.flown[0].trajectory], [], tracker="fast")


def test_parts_draw_the_same_noise(demo, monkeypatch) -> None:
    """Taking the threats in many small parts gives the same tracks as one part."""
    import bmdsim.sensors.c2 as c2

    setup, g = demo
    trajs = [f.trajectory for f in g.flown]
    sensors = [g.placed[s.name] for s in setup.sensors]
    cfg = C2Config(track_until="end", record_tracks=True)
    one = observe(trajs, sensors, 0.1, cfg, np.random.default_rng(3))
    monkeypatch.setattr(c2, "_PART_SAMPLES", 50)
    many = observe(trajs, sensors, 0.1, cfg, np.random.default_rng(3))
    np.testing.assert_array_equal(one.fire_control_track_s, many.fire_control_track_s)
    np.testing.assert_array_equal(one.ekf.x, many.ekf.x)
    assert one.tracks is not None and many.tracks is not None
    for a, b in zip(one.tracks.x, many.tracks.x, strict=True):
        np.testing.assert_array_equal(a, b)


def test_tracks_stop_when_no_longer_needed(demo) -> None:
    setup, g = demo
    trajs = [f.trajectory for f in g.flown]
    sensors = [g.placed[s.name] for s in setup.sensors]
    cfg = C2Config(track_until="end", record_tracks=True)
    full = observe(trajs, sensors, 0.1, cfg)
    stop = np.array([t.t_s[0] + 0.5 * (t.t_s[-1] - t.t_s[0]) for t in trajs])
    half = observe(trajs, sensors, 0.1, cfg, stop_s=stop)
    assert half.cost["measurements_used"] < full.cost["measurements_used"]
    assert half.tracks is not None
    for i, t in enumerate(half.tracks.t_state_s):  # past the stop only to fire control
        fc = half.fire_control_track_s[i]
        assert t.size == 0 or t[-1] <= max(stop[i], fc)
    np.testing.assert_array_equal(half.fire_control_track_s, full.fire_control_track_s)


def test_observation_without_the_timeline(demo) -> None:
    """Leaving out the timeline changes no time, only the lists of events."""
    setup, g = demo
    trajs = [f.trajectory for f in g.flown]
    sensors = [g.placed[s.name] for s in setup.sensors]
    full = observe(trajs, sensors, 0.1, C2Config(), np.random.default_rng(4))
    bare = observe(trajs, sensors, 0.1, C2Config(), np.random.default_rng(4), timeline=False)
    for name in ("first_detection_s", "track_initiated_s", "fire_control_track_s"):
        np.testing.assert_array_equal(getattr(full, name), getattr(bare, name))
    assert any(full.events) and not any(bare.events)
