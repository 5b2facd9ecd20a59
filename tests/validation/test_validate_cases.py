"""The built-in validation cases can fail: their checks, and broken models, seen failing.

``bmdsim validate`` is only worth running if a wrong model turns a case red. These tests feed
the case helpers wrong values and break the models behind some cases on purpose.
"""

from __future__ import annotations

import math
from dataclasses import replace

from bmdsim.analysis import validation as V


def test_relative_case_passes_inside_and_fails_outside_its_tolerance():
    assert V._rel("c", "s", 100.0, 100.09, 1e-3).passed
    assert not V._rel("c", "s", 100.0, 100.11, 1e-3).passed
    assert not V._rel("c", "s", 100.0, 99.89, 1e-3).passed
    assert not V._rel("c", "s", 100.0, math.nan, 1e-3).passed
    assert not V._rel("c", "s", 100.0, math.inf, 1e-3).passed


def test_absolute_case_passes_inside_and_fails_outside_its_tolerance():
    assert V._abs("c", "s", 4.26, 4.35, 0.1, "deg").passed
    assert not V._abs("c", "s", 4.26, 4.37, 0.1, "deg").passed
    assert not V._abs("c", "s", 4.26, math.nan, 0.1, "deg").passed


def test_one_sided_case_fails_below_its_floor():
    assert V._at_least("c", "s", 150.0, 150.0).passed
    assert not V._at_least("c", "s", 150.0, 149.9).passed
    assert not V._at_least("c", "s", 150.0, math.nan).passed


def _case(results: list[V.CaseResult], start: str) -> V.CaseResult:
    (row,) = [r for r in results if r.case.startswith(start)]
    return row


def test_r4_case_recomputes_the_radar_equation():
    assert _case(V.run_validation(["sensors"]), "R^4 scaling").passed


def test_r4_case_fails_with_a_wrong_range_law(monkeypatch):
    """SNR falling as R^3 instead of R^4: the ranges no longer meet the design Pd."""
    from bmdsim.sensors.radar import Radar

    snr = Radar.snr

    def r3(self, range_m, rcs_m2, cued=True):  # type: ignore[no-untyped-def]
        return snr(self, range_m, rcs_m2, cued) * range_m

    monkeypatch.setattr(Radar, "snr", r3)
    row = _case(V.run_validation(["sensors"]), "R^4 scaling")
    assert not row.passed


def test_r4_case_fails_when_the_catalog_classes_differ_otherwise(monkeypatch):
    """A spy6-class with 15x (not 30x) the power-aperture of the spy1d-class."""
    import bmdsim.sensors.catalog as C
    from bmdsim.sensors.radar import Radar

    spy6 = C.SENSORS["spy6-class"]
    assert isinstance(spy6, Radar)
    monkeypatch.setitem(C.SENSORS, "spy6-class", replace(spy6, avg_power_w=spy6.avg_power_w / 2))
    assert not _case(V.run_validation(["sensors"]), "R^4 scaling").passed


def test_interceptor_cases_fail_with_a_weak_interceptor(monkeypatch):
    """An envelope short of the public figures turns the kinematic cases red."""
    import bmdsim.interceptors.flyout as F

    real = F.kinematic_envelope

    def weak(name, **kw):  # type: ignore[no-untyped-def]
        env = real(name, **kw)
        return replace(env, max_altitude_m=0.5 * env.min_altitude_m, max_ground_range_m=0.0)

    good = V.run_validation(["interceptors"])
    assert all(r.passed for r in good), [r for r in good if not r.passed]
    monkeypatch.setattr(F, "kinematic_envelope", weak)
    bad = V.run_validation(["interceptors"])
    kinematic = [r for r in bad if "kinematic" in r.case]
    assert len(kinematic) == 4
    assert not any(r.passed for r in kinematic)
