"""Fire control from the track estimate: handover error, divert, cueing doctrines, reasons."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

import bmdsim.engagement.run as engagement_run
from bmdsim.earth.places import get_place
from bmdsim.engagement.handover import divert_pk_factor
from bmdsim.engagement.results import REASONS
from bmdsim.engagement.run import run_engagement
from bmdsim.engagement.setup import Battery, Doctrine, SensorSite, Setup, ThreatSpec
from bmdsim.scenario.loader import load_scenario
from bmdsim.sensors.catalog import get_sensor
from bmdsim.sensors.radar import Radar


def _p(name: str) -> tuple[float, float]:
    p = get_place(name)
    return p.lat_deg, p.lon_deg


def _radar_noise(monkeypatch: pytest.MonkeyPatch, factor: float) -> None:
    """Every radar of the run measures with its sigmas times ``factor``."""

    def noisy(name: str):  # noqa: ANN202
        s = get_sensor(name)
        return replace(s, noise_factor=factor) if isinstance(s, Radar) else s

    monkeypatch.setattr(engagement_run, "get_sensor", noisy)


def _median_handover_km(res) -> float:  # noqa: ANN001
    """The typical handover error (a track that misjudged the end of boost can be off by
    kilometres at any noise: the median is not moved by one such threat)."""
    errs = [s.handover_error_m for t in res.threats for s in t.shots]
    return float(np.nanmedian(errs)) / 1e3


def test_divert_pk_factor_shape() -> None:
    assert divert_pk_factor(0.0, 500.0) == 1.0
    assert divert_pk_factor(400.0, 500.0) == 1.0  # within 80 % of the budget
    mid = divert_pk_factor(450.0, 500.0)
    assert 0.0 < mid < 1.0 and mid == pytest.approx(0.5, abs=1e-12)  # cos^2 half-way
    assert divert_pk_factor(500.0, 500.0) == 0.0
    assert divert_pk_factor(900.0, 500.0) == 0.0
    xs = np.linspace(0.0, 600.0, 61)
    ys = [divert_pk_factor(x, 500.0) for x in xs]
    assert all(b <= a for a, b in zip(ys, ys[1:], strict=False))  # never rises


@pytest.mark.slow
def test_noisier_radars_raise_handover_error_and_lower_kills(monkeypatch) -> None:
    """The own-sensors raid (two SPY-7-class radars, no allied cue), same seed."""
    setup = load_scenario("aegis-ashore-japan-own-sensors")
    _radar_noise(monkeypatch, 1.0)
    base = run_engagement(setup)
    _radar_noise(monkeypatch, 100.0)
    noisy = run_engagement(setup)
    assert _median_handover_km(noisy) > 2.0 * _median_handover_km(base)
    assert noisy.summary["killed"] < base.summary["killed"]
    assert {t.reason for t in noisy.threats if t.outcome != "killed"} <= set(REASONS)


@pytest.mark.slow
def test_perfect_measurements_match_the_truth_based_planner(monkeypatch) -> None:
    """With (nearly) exact measurements the estimate is the truth: the same shots and kills
    as aiming at the true trajectory, and handover errors within a few metres."""
    setup = load_scenario("aegis-ashore-japan")
    _radar_noise(monkeypatch, 1e-4)
    track = run_engagement(setup)
    truth = run_engagement(setup, fire_control="truth")
    assert track.summary == truth.summary
    for a, b in zip(track.threats, truth.threats, strict=True):
        assert a.outcome == b.outcome
        assert [s.t_intercept_s for s in a.shots] == [s.t_intercept_s for s in b.shots]
        assert [s.kill for s in a.shots] == [s.kill for s in b.shots]
        for s in a.shots:
            assert s.handover_error_m < 20.0
            assert s.pk_factor == 1.0


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_own_sensors_never_kill_more_than_allied_cueing(seed: int) -> None:
    setup = replace(load_scenario("aegis-ashore-japan"), seed=seed)
    allied = run_engagement(setup)
    own = run_engagement(setup.without_allied_sensors())
    assert own.summary["killed"] <= allied.summary["killed"]


def _cue_case(fire_on: str) -> Setup:
    """A small-RCS Nodong-class flight to Tokyo against Araya: the own SPY-7-class radar's
    uncued search finds it late; the infrared cue and the forward radar find it early."""
    sensors = (
        SensorSite("araya-spy7", "spy7-class", *_p("araya")),
        SensorSite("sbirs", "sbirs-class", owner="allied", link_latency_s=5.0),
        SensorSite(
            "shariki-tpy2", "tpy2-class", *_p("shariki"), owner="allied", link_latency_s=5.0
        ),
    )
    battery = Battery("araya", "sm3-iia-class", *_p("araya"), radar="araya-spy7", fire_on=fire_on)
    threat = ThreatSpec(
        "t", "nodong-class", "sunan", *_p("sunan"), "tokyo", *_p("tokyo"), rcs_m2=0.01
    )
    return Setup("cue", sensors, (battery,), (threat,), Doctrine(pk=1.0), seed=1)


@pytest.mark.slow
def test_only_the_allied_cue_makes_the_threat_engageable() -> None:
    setup = _cue_case("launch-on-remote")
    allied = run_engagement(setup)
    own = run_engagement(setup.without_allied_sensors())
    assert allied.threats[0].outcome == "killed"
    assert own.threats[0].outcome == "no_opportunity"
    assert own.threats[0].reason == "too_late"
    (shot,) = [s for s in allied.threats[0].shots if s.kill]
    assert shot.guided_by == "araya-spy7"  # launched on the remote track, own radar guides


@pytest.mark.slow
def test_cueing_doctrines_choose_launch_and_guiding_tracks() -> None:
    for fire_on, guides in (
        ("own", {"araya-spy7"}),
        ("launch-on-remote", {"araya-spy7"}),
        ("engage-on-remote", {"araya-spy7", "shariki-tpy2"}),
    ):
        res = run_engagement(replace(_cue_case(fire_on), threats=_cue_case(fire_on).threats))
        for s in res.threats[0].shots:
            assert s.guided_by in guides
            assert math.isfinite(s.handover_error_m) and s.divert_needed_m_s >= 0.0


def test_reason_not_detected_without_sensors() -> None:
    case = _cue_case("engage-on-remote")
    setup = replace(case, sensors=(), batteries=(replace(case.batteries[0], radar=None),))
    res = run_engagement(setup)
    assert res.threats[0].outcome == "no_opportunity"
    assert res.threats[0].reason == "not_detected"


@pytest.mark.slow
def test_reason_out_of_reach_for_a_russian_icbm_to_washington() -> None:
    """A topol-m-class flight from Kozelsk to Washington passes far from Araya."""
    sensors = (
        SensorSite("araya-spy7", "spy7-class", *_p("araya")),
        SensorSite("sbirs", "sbirs-class", owner="allied", link_latency_s=5.0),
    )
    battery = Battery("araya", "sm3-iia-class", *_p("araya"), radar="araya-spy7")
    threat = ThreatSpec(
        "icbm", "topol-m-class", "kozelsk", *_p("kozelsk"), "washington", *_p("washington")
    )
    res = run_engagement(Setup("russia-us", sensors, (battery,), (threat,), seed=1))
    assert res.threats[0].reason == "out_of_reach"
    assert res.to_dict()["threats"][0]["reason"] == "out_of_reach"


def test_space_sensor_link_latency_moves_the_ir_reports() -> None:
    """The scenario's latency of the infrared constellation is the one used."""

    def ir_times(latency: float) -> list[float]:
        setup = _cue_case("engage-on-remote")
        sensors = tuple(
            replace(s, link_latency_s=latency) if s.sensor == "sbirs-class" else s
            for s in setup.sensors
        )
        res = run_engagement(replace(setup, sensors=sensors))
        return [e.t_s for e in res.threats[0].events if e.kind == "ir_detection"]

    (a,), (b,) = ir_times(5.0), ir_times(105.0)
    assert b - a == pytest.approx(100.0, abs=1e-9)


def test_json_engagements_contract() -> None:
    doc = run_engagement(_cue_case("launch-on-remote")).to_dict()
    t = doc["threats"][0]
    assert "reason" in t and isinstance(t["shots"], int)
    assert t["shots"] == len(t["engagements"])
    for e in t["engagements"]:
        assert set(e) >= {
            "battery",
            "launch_t_s",
            "intercept_t_s",
            "intercept_alt_km",
            "guided_by",
            "handover_error_km",
            "divert_needed_m_s",
            "hit",
        }
    for b in doc["batteries"]:
        for x in b["booster_impacts"]:
            assert isinstance(x["stage"], int) and x["stage"] >= 1
            assert isinstance(x["country"], str) and x["country"]
