"""Cost follows the work (threats, sensors, shots), not the scenario clock; one recorded
flight per threat; longitudes wrap (the same geometry across the antimeridian)."""

from __future__ import annotations

import tracemalloc
from dataclasses import replace

import numpy as np
import pytest

import bmdsim.engagement.run as engagement_run
from bmdsim.earth.places import get_place
from bmdsim.engagement.run import expand_threats, fly_threats, run_engagement
from bmdsim.engagement.setup import Battery, Doctrine, SensorSite, Setup, ThreatSpec
from bmdsim.sensors.c2 import C2Config, observe
from bmdsim.sensors.catalog import get_sensor


def _p(name: str) -> tuple[float, float]:
    p = get_place(name)
    return p.lat_deg, p.lon_deg


TARGETS = ["tokyo", "osaka", "niigata", "fukuoka", "hiroshima", "nagoya", "sendai", "kanazawa"]


def _raid(n: int, span_s: float) -> list[ThreatSpec]:
    launch = ["musudan-ri", "wonsan", "sinpo"]
    return [
        ThreatSpec(
            f"t{i}",
            "nodong-class",
            launch[i % 3],
            *_p(launch[i % 3]),
            TARGETS[i % len(TARGETS)],
            *_p(TARGETS[i % len(TARGETS)]),
            launch_time_s=span_s * i / (n - 1),
        )
        for i in range(n)
    ]


def _observe_cost(span_s: float) -> tuple[dict[str, int], int]:
    trajs = [f.trajectory for f in fly_threats(_raid(24, span_s))]
    sensors = [
        get_sensor("spy7-class").at(*_p("araya")),  # type: ignore[attr-defined]
        get_sensor("spy7-class").at(*_p("mutsumi")),  # type: ignore[attr-defined]
        get_sensor("sbirs-class"),
    ]
    tracemalloc.start()
    ob = observe(trajs, sensors, 0.1, C2Config(track_until="end", record_tracks=True))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return ob.cost, peak


@pytest.mark.slow
def test_observation_cost_follows_the_flights_not_the_clock() -> None:
    """24 threats within ten minutes or over two days: the same samples and measurements,
    filter iterations and peak memory within 50 %."""
    near, mem_near = _observe_cost(600.0)
    far, mem_far = _observe_cost(2 * 86400.0)
    assert far["samples"] == pytest.approx(near["samples"], rel=0.02)
    assert far["measurements"] == pytest.approx(near["measurements"], rel=0.1)
    assert far["filter_iterations"] == pytest.approx(near["filter_iterations"], rel=0.5)
    assert mem_far == pytest.approx(mem_near, rel=0.5)


def test_each_threat_is_flown_once_with_recording(monkeypatch) -> None:
    """Aiming flies many trial flights; the recorded trajectory of each threat is one flight,
    shared by threats that differ only in their launch times."""
    recorded: list[int] = []
    real = engagement_run.Propagator

    class Counting(real):  # type: ignore[misc, valid-type]
        def propagate(self, batch, record=False):  # noqa: ANN001, ANN202
            if record:
                recorded.append(batch.y0.shape[0])
            return super().propagate(batch, record=record)

    monkeypatch.setattr(engagement_run, "Propagator", Counting)
    threats = expand_threats(_raid(6, 300.0))
    fly_threats(threats)
    assert sum(recorded) == len(threats)
    recorded.clear()
    twice = _raid(12, 3000.0)  # the same six routes, each launched twice
    twice = [
        replace(
            t,
            target_lat_deg=t6.target_lat_deg,
            target_lon_deg=t6.target_lon_deg,
            launch_lat_deg=t6.launch_lat_deg,
            launch_lon_deg=t6.launch_lon_deg,
            launch_place=t6.launch_place,
            target_place=t6.target_place,
        )
        for t, t6 in zip(twice, threats + threats, strict=True)
    ]
    flown = fly_threats(twice)
    assert sum(recorded) == 6
    for a, b in zip(flown[:6], flown[6:], strict=True):
        dt = b.spec.launch_time_s - a.spec.launch_time_s
        t = a.trajectory.t_s[0] + np.linspace(10.0, 400.0, 5)
        assert np.allclose(a.trajectory.ecef(t), b.trajectory.ecef(t + dt), atol=1e-6)


def _antimeridian(shift_deg: float) -> Setup:
    def at(lat: float, lon: float) -> tuple[float, float]:
        return lat, (lon + shift_deg + 180.0) % 360.0 - 180.0

    site = at(37.0, -174.0)
    sensors = (SensorSite("tpy2", "tpy2-class", *site, boresight_az_deg=300.0),)
    battery = Battery("sm3", "sm3-iia-class", *site, radar="tpy2", fire_on="own")
    threats = (
        ThreatSpec("w", "nodong-class", "w0", *at(40.0, 178.0), "w1", *at(36.0, -172.0)),
        ThreatSpec("e", "nodong-class", "e0", *at(40.0, -179.0), "e1", *at(35.0, -171.0)),
    )
    return Setup("dateline", sensors, (battery,), threats, Doctrine(pk=1.0), seed=4)


@pytest.mark.slow
def test_same_outcome_across_the_antimeridian() -> None:
    """A radar and battery at 37 N 174 W against flights crossing 180 deg: the same outcome
    as the same geometry 50 deg further west, with the radar pointed automatically."""
    auto = [replace(s, boresight_az_deg=None) for s in _antimeridian(0.0).sensors]
    across = run_engagement(replace(_antimeridian(0.0), sensors=tuple(auto)))
    west = run_engagement(
        replace(
            _antimeridian(-50.0),
            sensors=tuple(replace(s, boresight_az_deg=None) for s in _antimeridian(-50.0).sensors),
        )
    )
    assert [t.outcome for t in across.threats] == [t.outcome for t in west.threats]
    assert all(t.outcome == "killed" for t in across.threats)
    for a, b in zip(across.threats, west.threats, strict=True):
        assert a.earliest_intercept_s == pytest.approx(b.earliest_intercept_s, abs=5.0)


def test_launch_centre_is_wrap_safe() -> None:
    lat, lon = engagement_run._launch_centre(_antimeridian(0.0).threats)
    assert abs((lon - 179.5 + 180.0) % 360.0 - 180.0) < 0.5  # not -0.5
    assert np.isfinite(lat)


def test_trials_reuse_the_prepared_geometry(monkeypatch) -> None:
    """A trial that changes only draws, launch times or doctrine flies no threat again."""
    sensors = (
        SensorSite("araya-spy7", "spy7-class", *_p("araya")),
        SensorSite("sbirs", "sbirs-class", owner="allied", link_latency_s=5.0),
    )
    battery = Battery("araya", "sm3-iia-class", *_p("araya"), radar="araya-spy7")
    setup = Setup("trials", sensors, (battery,), tuple(_raid(4, 120.0)), Doctrine(), seed=3)
    geometry = engagement_run.prepare(setup)
    assert engagement_run.engage(geometry).to_dict() == run_engagement(setup).to_dict()
    flights: list[int] = []
    real = engagement_run.Propagator

    class Counting(real):  # type: ignore[misc, valid-type]
        def propagate(self, batch, record=False):  # noqa: ANN001, ANN202
            flights.append(batch.y0.shape[0])
            return super().propagate(batch, record=record)

    monkeypatch.setattr(engagement_run, "Propagator", Counting)
    a = engagement_run.engage(geometry, seed=11)
    b = engagement_run.engage(geometry, seed=11, launch_times_s=[0.0, 50.0, 400.0, 900.0])
    c = engagement_run.engage(geometry, seed=12, doctrine=Doctrine(pk=1.0))
    assert not flights
    assert [t.launch_time_s for t in b.threats] == [0.0, 50.0, 400.0, 900.0]
    assert a.to_dict() == engagement_run.engage(geometry, seed=11).to_dict()
    assert c.summary["killed"] >= 0
