"""Counter-based draws (Philox4x32-10) and what they allow: a threat's sensor draws do not
depend on the other threats, and observing up to the fire-control track gives the full
observation's times."""

from __future__ import annotations

import numpy as np
import pytest

from bmdsim._core.counter_rng import detection_uniforms, noise_normals, philox4x32, split_key
from bmdsim.engagement.run import prepare
from bmdsim.scenario.loader import load_scenario
from bmdsim.sensors.c2 import C2Config, fire_control_times, observe

# Random123's known-answer vectors for Philox4x32-10 (counter, key, output)
KAT = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    (
        (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344),
        (0xA4093822, 0x299F31D0),
        (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1),
    ),
]


@pytest.mark.parametrize(("counter", "key", "expected"), KAT)
def test_philox_known_answers(counter, key, expected) -> None:
    got = philox4x32(*(np.uint64(c) for c in counter), *(np.uint64(k) for k in key))
    assert tuple(int(g) for g in got) == expected


def test_uniforms_and_normals_have_their_moments() -> None:
    n = 200_000
    ordinal = np.arange(n, dtype=np.int64) % 1000
    who = np.arange(n, dtype=np.int64) // 1000
    u = np.empty(n)
    detection_uniforms(*split_key(2017), ordinal, who, 12345, u)
    assert u.min() >= 0.0 and u.max() < 1.0
    # mean 1/2 and variance 1/12 within 5 standard errors
    assert abs(u.mean() - 0.5) < 5 * np.sqrt(1 / 12 / n)
    assert abs(u.var() - 1 / 12) < 5 * np.sqrt(1 / 180 / n)
    z = np.empty((n, 3))
    noise_normals(*split_key(2017), ordinal, who, 12345, z)
    assert np.all(np.abs(z.mean(axis=0)) < 5 / np.sqrt(n))
    assert np.all(np.abs(z.var(axis=0) - 1.0) < 5 * np.sqrt(2 / n))
    c = np.corrcoef(np.column_stack([z, u]).T)
    assert np.all(np.abs(c[np.triu_indices(4, 1)]) < 5 / np.sqrt(n))
    # another key, radar word or threat key gives other numbers
    v = np.empty(n)
    detection_uniforms(*split_key(2018), ordinal, who, 12345, v)
    assert abs(np.corrcoef(u, v)[0, 1]) < 5 / np.sqrt(n)
    detection_uniforms(*split_key(2017), ordinal, who + 1, 12345, v)
    assert abs(np.corrcoef(u, v)[0, 1]) < 5 / np.sqrt(n)


@pytest.fixture(scope="module")
def flown():
    setup = load_scenario("aegis-ashore-japan")
    g = prepare(setup)
    sensors = [g.placed[s.name] for s in setup.sensors]
    return [f.trajectory for f in g.flown], sensors


def test_a_threats_draws_do_not_depend_on_the_others(flown) -> None:
    trajs, sensors = flown
    n = len(trajs)
    keys = 1000 + np.arange(n)
    whole = observe(trajs, sensors, 0.1, C2Config(), np.random.default_rng(4), threat_keys=keys)
    assert np.isfinite(whole.fire_control_track_s).sum() >= n // 2
    some = np.arange(0, n, 3)
    part = observe(
        [trajs[i] for i in some],
        sensors,
        0.1,
        C2Config(),
        np.random.default_rng(4),
        threat_keys=keys[some],
    )
    np.testing.assert_array_equal(part.fire_control_track_s, whole.fire_control_track_s[some])
    np.testing.assert_array_equal(part.first_detection_s, whole.first_detection_s[some])
    # other keys draw otherwise: some fire-control time moves
    other = observe(trajs, sensors, 0.1, C2Config(), np.random.default_rng(4))
    assert not np.array_equal(
        np.nan_to_num(other.fire_control_track_s), np.nan_to_num(whole.fire_control_track_s)
    )


# every 2 s: some span ends between an update that reaches the quality and a later one
# of a radar with a shorter link latency, whose earlier time at the C2 node is the answer
EVERY_2_S = tuple(float(x) for x in np.arange(60.0, 200.0, 2.0))


@pytest.mark.parametrize("draws", [True, False])
@pytest.mark.parametrize("spans", [(150.0, 400.0), (20.0,), (60.0, 90.0, 150.0), EVERY_2_S])
def test_fire_control_times_equal_the_full_observation(flown, draws, spans) -> None:
    trajs, sensors = flown
    cfg = C2Config()
    full = observe(trajs, sensors, 0.1, cfg, np.random.default_rng(9) if draws else None)
    fast = fire_control_times(
        trajs, sensors, 0.1, cfg, np.random.default_rng(9) if draws else None, spans_s=spans
    )
    assert np.isfinite(full.fire_control_track_s).any()
    np.testing.assert_array_equal(fast.fire_control_track_s, full.fire_control_track_s)
    np.testing.assert_array_equal(fast.first_detection_s, full.first_detection_s)
    np.testing.assert_array_equal(fast.track_initiated_s, full.track_initiated_s)
    assert fast.fire_control_by == full.fire_control_by
    if spans == (150.0, 400.0):  # the default: most threats observed over a fraction
        assert fast.samples < 0.7 * full.cost["samples"]
    if spans == (20.0,):  # most spans end at burnout: the whole flight is observed again
        assert fast.samples > full.cost["samples"]
