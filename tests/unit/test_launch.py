"""Packing of powered launches: phase tables per flight, for mixed batches."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from bmdsim._core.layouts import N_PHASE_FIELDS, PF_T_END, PF_T_START
from bmdsim.flight.generic import GENERIC_ICBM, GENERIC_ICBM_PROGRAM
from bmdsim.flight.launch import powered_launch
from bmdsim.flight.propagator import Propagator
from bmdsim.flight.vehicle import DragCurve, Stage, Vehicle, phase_table

THREE_STAGES = replace(
    GENERIC_ICBM,
    name="generic-3-stage",
    stages=(
        *GENERIC_ICBM.stages,
        Stage(
            propellant_mass_kg=500.0,
            dry_mass_kg=80.0,
            burn_time_s=40.0,
            isp_vac_s=300.0,
            exit_area_m2=0.1,
            diameter_m=0.8,
        ),
    ),
)


def _packed_one_by_one(
    vehicles: list[Vehicle], vi: np.ndarray, cut: np.ndarray, t_launch: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The packing, flight by flight: each vehicle's phase table for its cut-off, from t = 0,
    padded with its last row to the longest table, then shifted to the launch time."""
    tabs = [phase_table(vehicles[v].phases(0.0, c)) for v, c in zip(vi, cut, strict=True)]
    n_rows = max(t.shape[0] for t in tabs)
    phases = np.empty((len(tabs), n_rows, N_PHASE_FIELDS))
    for i, t in enumerate(tabs):
        phases[i, : t.shape[0]] = t
        phases[i, t.shape[0] :] = t[-1]
        phases[i, :, PF_T_START] += t_launch[i]
        phases[i, :, PF_T_END] += t_launch[i]
    return phases, np.array([t.shape[0] for t in tabs], dtype=np.int64)


def test_mixed_batch_packs_like_one_flight_at_a_time():
    """Two vehicles with different stage counts, full burns and cut-offs inside every stage
    (some repeated), launch times of their own: every flight gets its own table."""
    rng = np.random.default_rng(3)
    n = 600
    vehicles = [GENERIC_ICBM, THREE_STAGES] * (n // 2)
    vi = np.arange(n)
    cut = rng.choice([math.inf, 0.0, -5.0, 50.0, 110.0, 150.0, 239.0, 260.0, 1e4], n)
    free = rng.random(n) < 0.5
    cut[free] = rng.uniform(1.0, 300.0, int(free.sum()))
    t_launch = rng.uniform(0.0, 600.0, n)
    batch = powered_launch(
        vehicles,
        39.0,
        125.0,
        rng.uniform(0.0, 360.0, n),
        GENERIC_ICBM_PROGRAM,
        t_launch_s=t_launch,
        cutoff_time_s=cut,
    )
    phases, n_phases = _packed_one_by_one(vehicles, vi, cut, t_launch)
    assert np.array_equal(batch.n_phases, n_phases)
    assert np.array_equal(batch.phases, phases)


def test_one_vehicle_many_cutoffs_packs_like_one_flight_at_a_time():
    n = 2_000
    cut = np.linspace(0.0, 300.0, n)
    t_launch = np.linspace(0.0, 50.0, n)
    batch = powered_launch(GENERIC_ICBM, 39.0, 125.0, 45.0, t_launch_s=t_launch, cutoff_time_s=cut)
    phases, n_phases = _packed_one_by_one([GENERIC_ICBM], np.zeros(n, int), cut, t_launch)
    assert np.array_equal(batch.n_phases, n_phases)
    assert np.array_equal(batch.phases, phases)


def test_each_flight_carries_its_vehicles_drag_table():
    """Vehicles that share a drag curve share a table; take() keeps each flight's own."""
    draggy = replace(
        GENERIC_ICBM,
        drag=DragCurve((0.0, 1.0, 2.0), (0.3, 0.6, 0.4), "test: a short table"),
    )
    vehicles = [GENERIC_ICBM, THREE_STAGES, draggy, GENERIC_ICBM]
    batch = powered_launch(vehicles, 39.0, 125.0, 45.0)
    assert batch.drag_tables.shape[0] == 2  # GENERIC_ICBM and THREE_STAGES share one
    for i, veh in enumerate(vehicles):
        tab = batch.drag_tables[batch.drag_index[i]]
        own = veh.drag.table()
        k = own.shape[1]
        assert np.array_equal(tab[:, :k], own)
        assert np.all(tab[:, k:] == own[:, -1:])  # padding repeats the last node
    sub = batch.take([2, 0])
    assert np.array_equal(sub.drag_index, batch.drag_index[[2, 0]])
    assert sub.drag_tables is batch.drag_tables


def test_padded_drag_table_flies_like_its_own():
    """A short drag table padded to a longer one's length gives the same flight."""
    short = replace(
        GENERIC_ICBM,
        drag=DragCurve((0.0, 1.0, 2.0, 4.0), (0.25, 0.5, 0.4, 0.3), "test: a short table"),
    )
    mixed = powered_launch([GENERIC_ICBM, short], 39.0, 125.0, 45.0, kick_deg=20.0)
    alone = powered_launch(short, 39.0, 125.0, 45.0, kick_deg=20.0)
    assert alone.drag_tables.shape[2] == 4 < mixed.drag_tables.shape[2]
    a = Propagator().propagate(mixed).impact_eci_m[1]
    b = Propagator().propagate(alone).impact_eci_m[0]
    assert np.array_equal(a, b)
