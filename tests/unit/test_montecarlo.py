"""Raid Monte Carlo: per-trial seeds, executor independence, stored chunks and resume,
varied inputs, confidence intervals and their convergence."""

from __future__ import annotations

import math
import operator
import os
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from bmdsim._core.runtime import kernel_threads
from bmdsim.analysis.executor import DaskExecutor, LocalExecutor
from bmdsim.analysis.montecarlo import (
    Vary,
    montecarlo,
    summarize,
    trial_sequence,
    wilson_interval,
)
from bmdsim.analysis.results_store import TRIAL_COLUMNS, ResultsStore
from bmdsim.earth.places import get_place
from bmdsim.engagement.setup import Battery, Doctrine, SensorSite, Setup, ThreatSpec
from bmdsim.errors import InputError
from bmdsim.interceptors.catalog import get_interceptor


def _p(name: str) -> tuple[float, float]:
    p = get_place(name)
    return p.lat_deg, p.lon_deg


def cheap_setup(pk: float = 0.5) -> Setup:
    """One threat, one radar, one battery with one round: ~50 ms a trial, and a kill that
    is a coin toss."""
    sensors = (
        SensorSite("araya-spy7", "spy7-class", *_p("araya")),
        SensorSite("sbirs", "sbirs-class", owner="allied", link_latency_s=5.0),
    )
    battery = Battery("araya", "sm3-iia-class", *_p("araya"), inventory=1, radar="araya-spy7")
    threat = ThreatSpec("t0", "nodong-class", "sunan", *_p("sunan"), "tokyo", *_p("tokyo"))
    doctrine = Doctrine(kind="salvo", salvo_size=1, max_waves=1, pk=pk)
    return Setup("cheap", sensors, (battery,), (threat,), doctrine, seed=1)


def assert_same_trials(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    assert set(a) == set(b)
    for k in a:
        assert a[k].dtype == b[k].dtype, k
        assert a[k].shape == b[k].shape, k
        assert np.array_equal(a[k], b[k], equal_nan=a[k].dtype.kind == "f"), k


def test_trial_sequence_is_the_spawned_child():
    children = np.random.SeedSequence(2017).spawn(50)
    for i in (0, 1, 17, 49):
        mine = trial_sequence(2017, i)
        assert mine.spawn_key == children[i].spawn_key == (i,)
        assert np.array_equal(mine.generate_state(8), children[i].generate_state(8))


def test_same_bits_whatever_the_executor():
    """In this process, two spawned processes, and a Dask LocalCluster of two workers, each
    with its own chunking: every per-trial output equal, bit for bit."""
    setup = cheap_setup()
    ref = montecarlo(setup, 12, 7, chunk_size=5)
    # each worker's kernels: its share of the cores, at most the threads numba may use
    cap = int(os.environ.get("NUMBA_NUM_THREADS", os.cpu_count() or 1))
    share = max(1, min((os.cpu_count() or 1) // 2, cap))
    pool = LocalExecutor(2)
    try:
        two = montecarlo(setup, 12, 7, pool, chunk_size=3)
        threads = [r for _, r in pool.imap(operator.call, [kernel_threads] * 4)]
        assert threads == [share] * 4
    finally:
        pool.close()
    dask = DaskExecutor(workers=2)
    try:
        assert dask.workers == 2
        on_dask = montecarlo(setup, 12, 7, dask, chunk_size=4)
        threads = [r for _, r in dask.imap(operator.call, [kernel_threads] * 4)]
        assert threads == [share] * 4
    finally:
        dask.close()
    assert_same_trials(ref.trials, two.trials)
    assert_same_trials(ref.trials, on_dask.trials)
    assert ref.summary == two.summary == on_dask.summary
    assert len(np.unique(ref.trials["engage_seed"])) == 12
    assert 0 < ref.summary["p_zero_leakers"] < 1  # the draws do differ between trials


class _StopAfter:
    """An in-process executor that dies after ``n`` chunks (a killed run)."""

    workers = 1

    def __init__(self, n: int) -> None:
        self.n = n

    def imap(self, fn: Any, items: Any) -> Iterator[tuple[int, Any]]:
        for i, item in enumerate(items):
            if i == self.n:
                raise KeyboardInterrupt
            yield i, fn(item)

    def close(self) -> None:
        pass


def test_store_resume_loses_nothing_and_repeats_nothing(tmp_path):
    setup = cheap_setup()
    plain = montecarlo(setup, 10, 3, chunk_size=4)  # in memory only
    store = ResultsStore(tmp_path / "r.duckdb")
    with pytest.raises(KeyboardInterrupt):
        montecarlo(setup, 10, 3, _StopAfter(2), store, chunk_size=3, scenario_text="x")
    (run,) = store.runs()
    assert run.status == "running"
    assert list(store.stored_trials(run.run_id)) == list(range(6))  # two chunks committed
    done = montecarlo(setup, 10, 3, None, store, resume=True, chunk_size=2, scenario_text="x")
    assert done.run_id == run.run_id and done.computed == 4
    assert_same_trials(plain.trials, done.trials)
    assert plain.summary == done.summary == store.summary(run.run_id)
    assert [r.status for r in store.runs()] == ["complete"]
    # resuming a complete run computes nothing; a new run without --resume is a new id
    again = montecarlo(setup, 10, 3, None, store, resume=True, scenario_text="x")
    assert again.computed == 0 and again.summary == plain.summary
    # another seed, trial count or text is another run
    other = montecarlo(setup, 10, 4, None, store, resume=True, chunk_size=5, scenario_text="x")
    assert other.run_id != run.run_id and other.computed == 10
    with pytest.raises(InputError, match="already exists"):
        montecarlo(setup, 10, 3, None, store, run_id=run.run_id, scenario_text="x")
    with pytest.raises(InputError, match="another scenario"):
        montecarlo(setup, 10, 9, None, store, run_id=run.run_id, resume=True, scenario_text="x")


def test_parquet_export(tmp_path):
    import pyarrow.parquet as pq

    store = ResultsStore(tmp_path / "r.duckdb")
    res = montecarlo(cheap_setup(), 4, 5, None, store, chunk_size=2)
    assert res.run_id is not None
    store.export_parquet(res.run_id, tmp_path / "t.parquet")
    table = pq.read_table(tmp_path / "t.parquet")
    assert table.column_names == ["run_id", *TRIAL_COLUMNS]
    assert table.column("trial").to_pylist() == [0, 1, 2, 3]
    assert table.column("spawn_key").to_pylist() == [[0], [1], [2], [3]]
    assert table.column("leakers").to_pylist() == res.trials["leakers"].tolist()


def test_varied_inputs_are_drawn_in_their_ranges_and_keep_the_engage_seeds():
    setup = cheap_setup(pk=0.5)
    base = montecarlo(setup, 6, 11)
    vary = Vary(launch_jitter_s=30.0, pk_band=0.2, burnout_speed=True, latency_jitter_s=3.0)
    varied = montecarlo(setup, 6, 11, vary=vary, chunk_size=4)
    again = montecarlo(setup, 6, 11, vary=vary, chunk_size=1)
    assert_same_trials(varied.trials, again.trials)
    assert np.array_equal(base.trials["engage_seed"], varied.trials["engage_seed"])
    pk = varied.trials["pk"]
    assert np.all((0.3 <= pk) & (pk <= 0.7)) and len(np.unique(pk)) == 6
    assert np.all(base.trials["pk"] == 0.5)
    lo, hi = get_interceptor("sm3-iia-class").burnout_speed_range_m_s
    speeds = varied.trials["burnout_speed_m_s"]
    assert speeds.shape == (6, 1) and np.all((lo <= speeds) & (speeds <= hi))
    assert base.trials["burnout_speed_m_s"].shape == (6, 0)
    assert varied.params["vary"]["burnout_speed"] is True


def test_launch_times_and_latencies_reach_the_engagement(monkeypatch):
    import bmdsim.engagement.run as run_mod

    seen: list[tuple[Any, Any]] = []
    real = run_mod.sense

    def spy(geometry, seed, launch_times_s=None):
        seen.append((geometry, launch_times_s))
        return real(geometry, seed, launch_times_s)

    monkeypatch.setattr(run_mod, "sense", spy)
    setup = cheap_setup()
    montecarlo(setup, 3, 4, vary=Vary(launch_jitter_s=30.0, latency_jitter_s=2.0))
    assert len(seen) == 3
    for geometry, launch_times in seen:
        (t,) = launch_times
        assert -30.0 <= t <= 30.0 and t != 0.0
        sbirs = geometry.placed["sbirs"]
        assert 3.0 <= sbirs.link_latency_s <= 7.0 and sbirs.link_latency_s != 5.0
        assert geometry.placed["araya-spy7"].link_latency_s == 0.0  # none stays none
        (battery,) = geometry.setup.batteries
        assert 8.0 <= battery.reaction_time_s <= 12.0 and battery.reaction_time_s != 10.0
    assert len({lt[0] for _, lt in seen}) == 3


def test_bad_inputs():
    setup = cheap_setup()
    for kw in ({"trials": 0}, {"trials": 1_000_001}, {"seed": -1}, {"chunk_size": 0}):
        args = {"trials": 2, "seed": 1, **kw}
        with pytest.raises(InputError):
            montecarlo(setup, args["trials"], args["seed"], chunk_size=args.get("chunk_size"))
    with pytest.raises(InputError):
        montecarlo(setup, 2, 1, vary=Vary(pk_band=-0.1))
    with pytest.raises(InputError):
        montecarlo(setup, 2, 1, vary=Vary(launch_jitter_s=math.inf))
    with pytest.raises(InputError):
        montecarlo(setup, 2, 1, fire_control="psychic")


def test_wilson_interval_reference_values():
    # Wilson score interval, z = 1.96 (Newcombe 1998, Table I method 3)
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson_interval(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson_interval(10, 10) == pytest.approx((0.7225, 1.0), abs=1e-4)
    lo, hi = wilson_interval(81, 263)
    assert (lo, hi) == pytest.approx((0.2553, 0.3662), abs=1e-4)


def test_summary_of_known_outcomes():
    cols = {
        "trial": np.arange(4),
        "leakers": np.array([0, 1, 2, 1]),
        "killed": np.array([3, 2, 1, 2]),
        "interceptors_used": np.array([4, 4, 6, 4]),
        "zero_leakers": np.array([True, False, False, False]),
        "inventory_exhausted": np.array([False, False, True, False]),
    }
    s = summarize(cols, threats=3)
    assert s["leakers_mean"] == 1.0 and s["p_zero_leakers"] == 0.25
    half = 3.182446305284263 * math.sqrt(2 / 3) / 2  # t(0.975, 3) * sd / sqrt(4)
    assert s["leakers_ci95"] == pytest.approx([1 - half, 1 + half])
    assert s["p_zero_leakers_ci95"] == pytest.approx(list(wilson_interval(1, 4)))
    assert s["interceptors_used_mean"] == 4.5 and s["p_inventory_exhausted"] == 0.25


def test_interval_half_width_shrinks_as_one_over_root_n():
    """Trials 0..N-1 of a 4N-trial run are the N-trial run (same child sequences): the 95 %
    half-widths of N and 4N trials differ by a factor of about 2."""
    n = 30
    res = montecarlo(cheap_setup(), 4 * n, 2026, chunk_size=40)
    small = summarize({k: v[:n] for k, v in res.trials.items()})
    large = res.summary

    def half(ci: list[float]) -> float:
        return (ci[1] - ci[0]) / 2

    for key in ("leakers_ci95", "p_zero_leakers_ci95"):
        ratio = half(large[key]) / half(small[key])
        assert 0.35 <= ratio <= 0.65, (key, ratio)


def test_fixed_sensors_vary_only_the_kill_draws():
    """With the sensors drawn once, each trial is the run seed's tracks decided with the
    trial's own kill draws; the chunking does not matter."""
    from bmdsim.engagement.run import decide, prepare, sense

    setup = cheap_setup()
    vary = Vary(sensor_draws=False)
    a = montecarlo(setup, 24, 9, vary=vary, chunk_size=5)
    b = montecarlo(setup, 24, 9, vary=vary, chunk_size=24)
    assert_same_trials(a.trials, b.trials)
    g = prepare(setup)
    sensed = sense(g, 9)
    for trial in (0, 7, 23):
        seed = int(trial_sequence(9, trial).spawn(5)[0].generate_state(1, np.uint64)[0])
        res = decide(g, sensed, seed, detail=False)
        assert a.trials["killed"][trial] == res.summary["killed"]
    # a coin toss per trial: both outcomes occur
    assert 0 < a.trials["killed"].sum() < 24
