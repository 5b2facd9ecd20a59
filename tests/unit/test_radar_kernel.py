"""The compiled radar geometry, looks and measurements equal their numpy references."""

from __future__ import annotations

import zlib
from dataclasses import replace

import numpy as np
import pytest

import bmdsim.sensors.c2 as c2
from bmdsim._core import radar_kernels
from bmdsim._core.counter_rng import split_key
from bmdsim._core.radar_kernels import interp_periodic_s
from bmdsim.earth.geodetic import geodetic_to_ecef
from bmdsim.engagement.run import _sensor_sets, prepare
from bmdsim.scenario.loader import load_scenario
from bmdsim.sensors.c2 import C2Config, observe
from bmdsim.sensors.catalog import get_sensor
from bmdsim.sensors.radar import Face, Radar
from bmdsim.sensors.tracking import measure_rae


def _rae_numpy(r: np.ndarray, site: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """measure_rae in numpy (the formulas of its compiled pass)."""
    d = (r - site) @ basis.T
    e, nn, u = d[:, 0], d[:, 1], d[:, 2]
    rho = np.linalg.norm(d, axis=-1)
    return np.stack(
        [rho, np.mod(np.arctan2(e, nn), 2 * np.pi), np.arcsin(np.clip(u / rho, -1, 1))], -1
    )


def _class(name: str) -> Radar:
    r = get_sensor(name)
    assert isinstance(r, Radar)
    return r


def _radars() -> dict[str, Radar]:
    spy7 = _class("spy7-class")
    tpy2 = _class("tpy2-class")
    fps3 = _class("fps3-upgrade-class")
    fps5 = _class("fps5-class")
    return {
        "four faces": spy7.at(34.23, 131.97, 12.0),
        "one face, terrain mask": tpy2.at(
            40.9,
            140.3,
            80.0,
            boresight_az_deg=270.0,
            terrain_mask=((350.0, 10.0, 90.0, 90.0, 200.0, -60.0), (1.5, 3.0, 0.5, 4.0, 2.0, 6.0)),
        ),
        "no faces": fps3.at(26.5, 127.9, 200.0),
        "no faces, terrain mask": fps3.at(
            35.0, 135.0, 0.0, terrain_mask=((0.0, 120.0, 240.0), (2.0, 8.0, 0.0))
        ),
        "antimeridian": fps5.at(52.7, 179.6, 30.0, boresight_az_deg=250.0),
        "antimeridian, no faces, low floor": replace(
            fps3.at(-17.0, -179.8, 5.0), min_elevation_deg=-1.5, max_range_m=4000e3
        ),
        "tilted faces, high floor": replace(
            spy7.at(64.3, -149.2, 300.0),
            faces=(Face(10.0, 35.0, 45.0), Face(130.0, 5.0, 70.0)),
            min_elevation_deg=3.0,
        ),
    }


def _points(radar: Radar, n: int, seed: int) -> np.ndarray:
    """Points around the site: far beyond the horizon and the instrumented range, low and
    high, across the antimeridian, plus one overhead and some on the surface."""
    rng = np.random.default_rng(seed)
    lat = np.clip(radar.site_lat_deg + rng.uniform(-35.0, 35.0, n), -89.0, 89.0)
    lon = (radar.site_lon_deg + rng.uniform(-45.0, 45.0, n) + 180.0) % 360.0 - 180.0
    h = np.where(rng.random(n) < 0.3, rng.uniform(-2e3, 30e3, n), rng.uniform(30e3, 2500e3, n))
    pts = geodetic_to_ecef(np.radians(lat), np.radians(lon), h)
    site, basis = radar.site_ecef_enu()
    overhead = site + 300e3 * basis[2]
    return np.concatenate([pts, overhead[None]])


@pytest.mark.parametrize("name", list(_radars()))
def test_kernel_equals_numpy_reference(name: str) -> None:
    radar = _radars()[name]
    pts = _points(radar, 20_000, zlib.crc32(name.encode()))
    ok, g = radar.visible(pts)
    ok_ref, g_ref = radar.visible_reference(pts)
    np.testing.assert_array_equal(ok, ok_ref)
    assert 0 < ok.sum() < ok.size - 1000  # both outcomes, plenty of each
    assert (g_ref["range_m"] > radar.max_range_m).sum() > 100
    assert (g_ref["el_rad"] < 0).sum() > 100
    np.testing.assert_allclose(g["range_m"], g_ref["range_m"], rtol=1e-12, atol=0)
    # arccos near 1 (the overhead point) loses digits in both: ~1e-5 m at 1 km
    np.testing.assert_allclose(g["ground_m"], g_ref["ground_m"], rtol=1e-9, atol=1e-4)
    np.testing.assert_allclose(g["h_m"], g_ref["h_m"], rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(g["el_rad"], g_ref["el_rad"], rtol=0, atol=1e-10)
    assert np.all((g["az_rad"] >= 0) & (g["az_rad"] < 2 * np.pi))
    daz = (g["az_rad"] - g_ref["az_rad"] + np.pi) % (2 * np.pi) - np.pi
    assert np.abs(daz[:-1]).max() < 1e-9  # the last point is overhead: azimuth undefined
    # the lean pass: same booleans and ranges
    ok_lean, rng = radar.visible_range(pts)
    np.testing.assert_array_equal(ok_lean, ok_ref)
    np.testing.assert_array_equal(rng, g_ref["range_m"])
    # geometry alone, and shapes (..., 3)
    geo = radar.geometry(pts[:12].reshape(3, 4, 3))
    assert geo["el_rad"].shape == (3, 4)
    np.testing.assert_array_equal(geo["range_m"].ravel(), g["range_m"][:12])
    one, g1 = radar.visible(pts[0])
    assert one.shape == () and bool(one) == bool(ok_ref[0])
    assert float(g1["range_m"]) == float(g["range_m"][0])


@pytest.mark.parametrize("name", ["four faces", "one face, terrain mask"])
def test_parallel_passes_equal_serial(monkeypatch, name: str) -> None:
    radar = _radars()[name]
    pts = _points(radar, 30_000, 2)
    serial = radar.visible(pts), radar.visible_range(pts)
    monkeypatch.setattr(radar_kernels, "PARALLEL_MIN_POINTS", 0)
    parallel = radar.visible(pts), radar.visible_range(pts)
    np.testing.assert_array_equal(serial[0][0], parallel[0][0])
    for key, v in serial[0][1].items():
        np.testing.assert_array_equal(v, parallel[0][1][key])
    np.testing.assert_array_equal(serial[1][0], parallel[1][0])
    np.testing.assert_array_equal(serial[1][1], parallel[1][1])


def test_terrain_mask_table_equals_numpy_interp() -> None:
    rng = np.random.default_rng(4)
    radar = _radars()["one face, terrain mask"]
    xp, fp = radar._mask_table()
    x = np.concatenate([rng.uniform(-720.0, 720.0, 5000), xp, [0.0, 360.0, -0.0, np.nan]])
    ref = np.interp(x, radar.terrain_mask_az_deg, radar.terrain_mask_el_deg, period=360.0)
    got = np.array([interp_periodic_s(v, xp, fp, 360.0) for v in x])
    np.testing.assert_array_equal(got, ref)


def test_unplaced_radar_and_bad_shapes_refused() -> None:
    with pytest.raises(ValueError, match="no site"):
        _class("spy7-class").visible(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="shape"):
        _radars()["four faces"].visible(np.zeros((2, 2)))


def test_measure_rae_equals_numpy() -> None:
    radar = _radars()["four faces"]
    site, basis = radar.site_ecef_enu()
    pts = _points(radar, 5000, 9)
    got = measure_rae(pts, site, basis)
    ref = _rae_numpy(pts, site, basis)
    np.testing.assert_allclose(got[:, 0], ref[:, 0], rtol=1e-12)
    np.testing.assert_allclose(got[:, 2], ref[:, 2], rtol=0, atol=1e-12)
    daz = (got[:, 1] - ref[:, 1] + np.pi) % (2 * np.pi) - np.pi
    assert np.abs(daz[ref[:, 2] < 1.5]).max() < 1e-12
    assert np.all((got[:, 1] >= 0) & (got[:, 1] < 2 * np.pi))


@pytest.fixture(scope="module")
def demo():
    setup = load_scenario("aegis-ashore-japan")
    return setup, prepare(setup)


def _numpy_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(c2, "_radar_looks_part", c2._radar_looks_part_reference)
    monkeypatch.setattr(c2, "_measurements", c2._measurements_reference)
    monkeypatch.setattr(c2, "measure_rae", _rae_numpy)


CONFIGS = {
    "default": C2Config(),
    "one look": C2Config(m_detections=1, n_looks=1, record_tracks=True),
    "coarse": C2Config(dt_s=5.0, m_detections=2, n_looks=3, track_until="end"),
    "fine": C2Config(dt_s=1.0, m_detections=4, n_looks=6, cue_latency_s=40.0),
}


@pytest.mark.parametrize("noisy", [False, True])
@pytest.mark.parametrize("config", list(CONFIGS))
def test_observe_equals_numpy_path(demo, monkeypatch, config: str, noisy: bool) -> None:
    setup, g = demo
    trajs = [f.trajectory for f in g.flown]
    rcs = np.array([f.spec.rcs_m2 for f in g.flown])
    shared = [(f.base, f.spec.launch_time_s) for f in g.flown]
    cfg = CONFIGS[config]
    for names in _sensor_sets(setup).values():
        sensors = [g.placed[n] for n in names]
        rng = np.random.default_rng(21) if noisy else None
        fast = observe(trajs, sensors, rcs, cfg, rng, shared)
        with monkeypatch.context() as mp:
            _numpy_path(mp)
            rng = np.random.default_rng(21) if noisy else None
            ref = observe(trajs, sensors, rcs, cfg, rng, shared)
        assert np.isfinite(ref.first_detection_s).sum() >= 5
        assert np.isfinite(ref.track_initiated_s).sum() >= 5
        np.testing.assert_array_equal(fast.first_detection_s, ref.first_detection_s)
        np.testing.assert_array_equal(fast.track_initiated_s, ref.track_initiated_s)
        np.testing.assert_array_equal(fast.fire_control_track_s, ref.fire_control_track_s)
        assert fast.fire_control_by == ref.fire_control_by
        assert fast.cost == ref.cost
        assert [[e.to_dict() for e in ev] for ev in fast.events] == [
            [e.to_dict() for e in ev] for ev in ref.events
        ]
        np.testing.assert_allclose(fast.ekf.x, ref.ekf.x, rtol=0, atol=1e-3)


@pytest.mark.parametrize("noisy", [False, True])
def test_looks_and_measurements_equal_numpy(demo, noisy: bool) -> None:
    setup, g = demo
    trajs = [f.trajectory for f in g.flown]
    n = len(trajs)
    sensors = [g.placed[s.name] for s in setup.sensors]
    radars = [s for s in sensors if isinstance(s, Radar)]
    cfg = C2Config()
    sm = c2._sample(trajs, min(float(t.t_s[0]) for t in trajs), cfg.dt_s)
    rcs = np.full(n, 0.1)
    cue = np.where(np.arange(n) % 3 == 0, np.inf, 100.0 + 20.0 * np.arange(n))

    def streams() -> c2._Draws | None:
        words = np.arange(len(radars), dtype=np.int64) + 11
        return c2._Draws(split_key(5), words, 7 * np.arange(n) + 3) if noisy else None

    a = c2._radar_looks_part(sm, radars, streams(), rcs, cue, cfg, n)
    b = c2._radar_looks_part_reference(sm, radars, streams(), rcs, cue, cfg, n)
    for j in range(len(radars)):
        np.testing.assert_array_equal(a.det[j], b.det[j])
        np.testing.assert_allclose(a.snr[j], b.snr[j], rtol=1e-12)
    assert sum(int(d.sum()) for d in a.det) > 100
    np.testing.assert_array_equal(a.det_t, b.det_t)
    np.testing.assert_array_equal(a.init_t, b.init_t)

    lo, hi = int(sm.start[1]), int(sm.start[n - 1])  # a part of whole threats
    for part in ((0, None), (lo, hi)):
        ma = c2._measurements(sm, radars, streams(), a, 3.0, cfg.dt_s, *part)
        with pytest.MonkeyPatch.context() as mp:  # in blocks of threats on every thread
            mp.setattr(radar_kernels, "PARALLEL_MIN_POINTS", 0)
            mp_ = c2._measurements(sm, radars, streams(), a, 3.0, cfg.dt_s, *part)
        for f in ("radar", "thr", "t", "z", "rdiag", "rank"):
            np.testing.assert_array_equal(getattr(ma, f), getattr(mp_, f))
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(c2, "measure_rae", _rae_numpy)
            mb = c2._measurements_reference(sm, radars, streams(), a, 3.0, cfg.dt_s, *part)
        for f in ("radar", "thr", "t", "rank"):
            np.testing.assert_array_equal(getattr(ma, f), getattr(mb, f))
        np.testing.assert_allclose(ma.rdiag, mb.rdiag, rtol=1e-9)
        np.testing.assert_allclose(ma.z[:, 0], mb.z[:, 0], rtol=1e-12)
        np.testing.assert_allclose(ma.z[:, 1:], mb.z[:, 1:], rtol=0, atol=1e-9)
