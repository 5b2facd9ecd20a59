"""Batched engine against the reference integrator on ICBM-class flights.

Reference: SciPy ``solve_ivp`` DOP853 at rtol 1e-13 on the same force model (staged boost
with back-pressure, J2, drag in US76, rotating WGS84, impact event). Tolerance: median
impact-point difference below 10 m (the engine's accuracy target).
"""

from __future__ import annotations

import numpy as np
import pytest

from bmdsim.analysis.bench import bench_batch
from bmdsim.flight.propagator import Propagator
from bmdsim.flight.reference import reference_flight


@pytest.mark.slow
def test_icbm_class_impacts_agree_with_reference():
    batch = bench_batch(12, seed=7)
    res = Propagator().propagate(batch)
    assert res.impacted.all()
    ranges_km = res.ground_range_m() / 1e3
    assert ranges_km.min() > 5_000  # these are ICBM-class flights
    refs = [reference_flight(batch, i) for i in range(len(batch))]
    err = np.linalg.norm(res.impact_eci_m - np.array([r.impact_eci_m for r in refs]), axis=1)
    assert np.median(err) < 10.0
    apo = np.abs(res.apogee_m - np.array([r.apogee_m for r in refs]))
    assert np.median(apo) < 10.0
