"""``bmdsim bench``: the batched flight engine against the SciPy reference.

N flights of the documented generic two-stage ICBM-class vehicle
(:data:`bmdsim.flight.generic.GENERIC_ICBM`) from launch points spread over North Korea, in
random azimuths, with pitch-over angles between 16 and 24 deg (lofted to near
minimum-energy flights of 9,000-12,500 km), with the full model: staged boost with
back-pressure, J2 gravity, drag in the US76 atmosphere, rotating WGS84 Earth, impact event.
A random sample of them is flown again with SciPy's DOP853 at rtol 1e-13, atol 1e-8 (timed for real,
every run) to give the reference speed and the impact-point differences.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import numpy as np

from bmdsim._core.runtime import kernel_threads
from bmdsim.flight.generic import GENERIC_ICBM, GENERIC_ICBM_PROGRAM
from bmdsim.flight.launch import LaunchBatch, powered_launch
from bmdsim.flight.propagator import Propagator
from bmdsim.flight.reference import reference_flight

__all__ = ["BenchResult", "bench_batch", "run_bench"]


@dataclass(frozen=True)
class BenchResult:
    n: int
    seconds: float
    trajectories_per_s: float  # median over the repeats
    trajectories_per_s_best: float
    repeats: int
    reference_n: int
    reference_seconds: float
    reference_trajectories_per_s: float
    speedup: float
    median_impact_error_m: float
    max_impact_error_m: float
    cores: int
    threads: int
    mean_steps: float
    mean_function_evaluations: float
    mean_ground_range_km: float

    def as_dict(self) -> dict[str, float | int]:
        return dict(self.__dict__)


def bench_batch(n: int, seed: int = 0) -> LaunchBatch:
    """The benchmark's flights (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    return powered_launch(
        GENERIC_ICBM,
        lat_deg=rng.uniform(38.0, 42.0, n),
        lon_deg=rng.uniform(124.5, 129.5, n),
        azimuth_deg=rng.uniform(0.0, 360.0, n),
        program=GENERIC_ICBM_PROGRAM,
        kick_deg=rng.uniform(16.0, 24.0, n),
    )


def run_bench(
    n: int = 10_000, reference_n: int = 20, seed: int = 0, repeats: int = 5
) -> BenchResult:
    """Time the batched engine on ``n`` flights (median of ``repeats`` passes) and the
    reference on ``reference_n`` of them (one pass: each reference flight takes ~30 ms)."""
    batch = bench_batch(n, seed)
    prop = Propagator()
    prop.propagate(batch.take(np.arange(min(n, 2))))  # compile / load the cached kernels
    # the machine's speed wanders (shared cores): time `repeats` passes, report the median
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        result = prop.propagate(batch)
        times.append(time.perf_counter() - t)
    seconds = float(np.median(times))

    rng = np.random.default_rng(seed + 1)
    sample = rng.choice(n, size=min(reference_n, n), replace=False)
    reference_flight(batch, int(sample[0]))  # compile the reference's helpers first
    t = time.perf_counter()
    refs = [reference_flight(batch, int(i)) for i in sample]
    ref_seconds = time.perf_counter() - t
    ref_r = np.array([r.impact_eci_m for r in refs])
    err = np.linalg.norm(result.impact_eci_m[sample] - ref_r, axis=1)

    rate = n / seconds
    ref_rate = len(sample) / ref_seconds
    return BenchResult(
        n=n,
        seconds=seconds,
        trajectories_per_s=rate,
        trajectories_per_s_best=n / min(times),
        repeats=repeats,
        reference_n=len(sample),
        reference_seconds=ref_seconds,
        reference_trajectories_per_s=ref_rate,
        speedup=rate / ref_rate,
        median_impact_error_m=float(np.median(err)),
        max_impact_error_m=float(np.max(err)),
        cores=os.cpu_count() or 1,
        threads=kernel_threads(),
        mean_steps=float(result.n_steps.mean()),
        mean_function_evaluations=float(result.n_fev.mean()),
        mean_ground_range_km=float(np.nanmean(result.ground_range_m()) / 1000.0),
    )
