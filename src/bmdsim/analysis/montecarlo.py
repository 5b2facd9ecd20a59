"""Raid Monte Carlo: many engagements of one scenario, each trial with its own random inputs.

Trial ``i`` draws everything from one child seed sequence,
``SeedSequence(seed).spawn(trials)[i]`` (built directly as
``SeedSequence(seed, spawn_key=(i,))``), split into one stream per input, so a trial's
result depends only on ``(seed, i)`` and the inputs: never on the number of workers, the
chunking, the executor, or an interruption and resume. The streams (children of the trial's
sequence, in this order):

0. the engagement seed: sensor draws, track noise and kill draws
   (:func:`bmdsim.engagement.run.engage`);
1. launch times (``Vary.launch_jitter_s``): each threat's launch moves by a uniform draw in
   ``[-X, +X]`` s (a launch may move before the epoch);
2. single-shot Pk (``Vary.pk_band``): uniform in ``[pk - b, pk + b]`` around the doctrine's,
   clipped to ``[0, 1]``;
3. interceptor burnout speed (``Vary.burnout_speed``): one uniform draw per interceptor
   class within the catalogue's ``burnout_speed_range_m_s`` (all rounds of a class alike:
   the uncertainty is about the class), replacing any battery override. This changes the
   fly-out fans, so such a trial rebuilds the fans (and the battery view of each flight)
   for its speeds; the flights of the threats are reused. Each worker keeps the last few
   such geometries;
4. latencies (``Vary.latency_jitter_s``): each non-zero sensor link latency and each
   battery reaction time moves by a uniform draw in ``[-X, +X]`` s, clipped at 0.

With nothing varied but the draws (the default) a worker prepares the geometry (aimed,
flown threats, placed sensors, fans) once and keeps it for every later chunk of the same
engagement input (keyed by a digest of it).

A chunk sent to a worker is a :class:`ChunkJob`: the engagement input (a few kB), the seed,
a trial range and the options; it comes back as a few small arrays (:func:`run_chunk`).
"""

from __future__ import annotations

import hashlib
import json
import math
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from bmdsim.caches import remember
from bmdsim.errors import InputError, quote

if TYPE_CHECKING:
    from bmdsim.analysis.executor import Executor
    from bmdsim.analysis.results_store import ResultsStore
    from bmdsim.engagement.run import Geometry, Sensed
    from bmdsim.engagement.setup import Setup

__all__ = [
    "MAX_TRIALS",
    "ChunkJob",
    "MonteCarloResult",
    "Vary",
    "montecarlo",
    "run_chunk",
    "setup_digest",
    "summarize",
    "trial_sequence",
    "wilson_interval",
]

#: the most trials one run may hold
MAX_TRIALS = 1_000_000
#: the most trials in one chunk when the size is chosen automatically (ten times more when
#: the trials only decide on sensing done once: each is ~1 ms)
MAX_AUTO_CHUNK = 100
#: two-sided 95 % point of the standard normal distribution
Z95 = 1.959963984540054
_STREAMS = 5  # engage seed, launch times, Pk, burnout speed, latencies


@dataclass(frozen=True)
class Vary:
    """Which uncertain inputs a trial draws besides the engagement's own random draws."""

    launch_jitter_s: float = 0.0  # +- this many seconds on each launch time (0: off)
    pk_band: float = 0.0  # Pk drawn in doctrine pk +- this (0: off)
    burnout_speed: bool = False  # per interceptor class, within its catalogue range
    latency_jitter_s: float = 0.0  # +- on link latencies and reaction times (0: off)
    # False: the sensor draws and track noise are drawn once (from the run's seed) and every
    # trial varies only its kill draws (and what else is varied): the spread of the outcome
    # given one realisation of the tracks
    sensor_draws: bool = True

    def check(self) -> None:
        for name in ("launch_jitter_s", "pk_band", "latency_jitter_s"):
            v = getattr(self, name)
            if not (isinstance(v, int | float) and math.isfinite(v) and v >= 0.0):
                raise InputError(f"{name} must be a finite number >= 0, got {v!r}")
        if self.pk_band > 1.0:
            raise InputError(f"pk_band must lie in [0, 1], got {self.pk_band!r}")

    @property
    def draws_only(self) -> bool:
        return self == Vary()


def trial_sequence(seed: int, trial: int) -> np.random.SeedSequence:
    """The seed sequence of trial ``trial``: equal to ``SeedSequence(seed).spawn(n)[trial]``
    for any ``n > trial``."""
    return np.random.SeedSequence(seed, spawn_key=(trial,))


def setup_digest(setup: Setup) -> str:
    """A digest of the engagement input (frozen dataclasses: their repr is their value)."""
    return hashlib.sha256(repr(setup).encode("utf-8")).hexdigest()


# ---- the worker side ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChunkJob:
    """What a worker is sent for one chunk: trials ``start`` to ``stop - 1``."""

    setup: Setup
    key: str  # setup_digest(setup): the worker's geometry cache key
    seed: int
    start: int
    stop: int
    vary: Vary = Vary()
    fire_control: str = "track"


_BASE: OrderedDict[str, Geometry] = OrderedDict()  # per process: prepared geometries
_SENSED: OrderedDict[tuple[str, int], Sensed] = OrderedDict()  # fixed sensor draws
_FANNED: OrderedDict[tuple[str, tuple[float, ...]], Geometry] = OrderedDict()
_KEEP_BASE, _KEEP_FANNED = 4, 8


def _base_geometry(job: ChunkJob) -> Geometry:
    from bmdsim.engagement.run import prepare

    return remember(_BASE, job.key, _KEEP_BASE, lambda: prepare(job.setup))


def _with_burnout(job: ChunkJob, base: Geometry, speeds: tuple[float, ...]) -> Geometry:
    """The geometry with each battery's class re-sized to its drawn burnout speed (new fans,
    an empty cache of battery views; the flights and sensors are the base's)."""
    from bmdsim.engagement.run import Geometry
    from bmdsim.interceptors.flyout import flyout_fan, with_burnout_speed

    def make() -> Geometry:
        batteries = tuple(
            replace(b, burnout_speed_m_s=v)
            for b, v in zip(base.setup.batteries, speeds, strict=True)
        )
        classes = [
            with_burnout_speed(b.interceptor, v) for b, v in zip(batteries, speeds, strict=True)
        ]
        return Geometry(
            replace(base.setup, batteries=batteries),
            base.flown,
            base.placed,
            classes,
            [flyout_fan(ic) for ic in classes],
        )

    return remember(_FANNED, (job.key, speeds), _KEEP_FANNED, make)


def _with_latencies(geo: Geometry, rng: np.random.Generator, x: float) -> Geometry:
    """Link latencies (those not zero) and reaction times moved by +-x s, clipped at 0; the
    battery views of the flights (timing-free) stay shared."""
    setup = geo.setup
    d_link = rng.uniform(-x, x, len(setup.sensors))
    d_react = rng.uniform(-x, x, len(setup.batteries))
    sensors, placed = [], dict(geo.placed)
    for s, d in zip(setup.sensors, d_link, strict=True):
        if s.link_latency_s > 0.0:
            lat = max(0.0, s.link_latency_s + float(d))
            s = replace(s, link_latency_s=lat)
            placed[s.name] = replace(placed[s.name], link_latency_s=lat)
        sensors.append(s)
    batteries = tuple(
        replace(b, reaction_time_s=max(0.0, b.reaction_time_s + float(d)))
        for b, d in zip(setup.batteries, d_react, strict=True)
    )
    return replace(
        geo, setup=replace(setup, sensors=tuple(sensors), batteries=batteries), placed=placed
    )


def _class_speeds(setup: Setup, rng: np.random.Generator) -> tuple[float, ...]:
    """One burnout speed per interceptor class (classes in order of first appearance)."""
    from bmdsim.interceptors.catalog import get_interceptor

    drawn: dict[str, float] = {}
    for b in setup.batteries:
        if b.interceptor not in drawn:
            lo, hi = get_interceptor(b.interceptor).burnout_speed_range_m_s
            drawn[b.interceptor] = float(rng.uniform(lo, hi))
    return tuple(drawn[b.interceptor] for b in setup.batteries)


def run_chunk(job: ChunkJob) -> dict[str, np.ndarray]:
    """Run trials ``job.start`` to ``job.stop - 1``; per-trial outputs as arrays."""
    from bmdsim.engagement.run import decide, sense

    base = _base_geometry(job)
    setup, vary = base.setup, job.vary
    n = job.stop - job.start
    nb = len(setup.batteries)
    out: dict[str, np.ndarray] = {
        "trial": np.arange(job.start, job.stop, dtype=np.int64),
        "seed_entropy": np.full(n, job.seed, dtype=np.uint64),
        "engage_seed": np.zeros(n, dtype=np.uint64),
        "leakers": np.zeros(n, dtype=np.int32),
        "killed": np.zeros(n, dtype=np.int32),
        "no_opportunity": np.zeros(n, dtype=np.int32),
        "interceptors_used": np.zeros(n, dtype=np.int32),
        "inventory_exhausted": np.zeros(n, dtype=bool),
        "zero_leakers": np.zeros(n, dtype=bool),
        "pk": np.full(n, setup.doctrine.pk),
        "burnout_speed_m_s": np.full((n, nb if vary.burnout_speed else 0), np.nan),
    }
    for row, trial in enumerate(range(job.start, job.stop)):
        s_engage, s_launch, s_pk, s_burnout, s_latency = trial_sequence(job.seed, trial).spawn(
            _STREAMS
        )
        engage_seed = int(s_engage.generate_state(1, np.uint64)[0])
        geo = base
        if vary.burnout_speed:
            speeds = _class_speeds(setup, np.random.default_rng(s_burnout))
            geo = _with_burnout(job, base, speeds)
            out["burnout_speed_m_s"][row] = speeds
        if vary.latency_jitter_s > 0.0:
            geo = _with_latencies(geo, np.random.default_rng(s_latency), vary.latency_jitter_s)
        launch_times = None
        if vary.launch_jitter_s > 0.0:
            x = vary.launch_jitter_s
            d = np.random.default_rng(s_launch).uniform(-x, x, len(base.flown))
            launch_times = [
                f.spec.launch_time_s + float(di) for f, di in zip(base.flown, d, strict=True)
            ]
        doctrine = None
        if vary.pk_band > 0.0:
            pk0, b = setup.doctrine.pk, vary.pk_band
            pk = min(1.0, max(0.0, float(np.random.default_rng(s_pk).uniform(pk0 - b, pk0 + b))))
            doctrine = replace(setup.doctrine, pk=pk)
            out["pk"][row] = pk
        if vary.sensor_draws:
            sensed = sense(geo, engage_seed, launch_times)
        elif geo is base and launch_times is None:  # one realisation of the sensors
            sensed = remember(
                _SENSED, (job.key, job.seed), _KEEP_BASE, lambda: sense(base, job.seed)
            )
        else:
            sensed = sense(geo, job.seed, launch_times)
        res = decide(geo, sensed, engage_seed, job.fire_control, doctrine, detail=False)
        s = res.summary
        leakers = s["threats"] - s["killed"]
        out["engage_seed"][row] = engage_seed
        out["leakers"][row] = leakers
        out["killed"][row] = s["killed"]
        out["no_opportunity"][row] = s["no_opportunity"]
        out["interceptors_used"][row] = s["interceptors_fired"]
        out["inventory_exhausted"][row] = any(
            b.inventory > 0 and b.remaining <= 0 for b in res.batteries
        )
        out["zero_leakers"][row] = leakers == 0
    return out


# ---- statistics -----------------------------------------------------------------------------


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion ``k / n`` (95 % by default)."""
    if n <= 0:
        return (math.nan, math.nan)
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _mean_ci(x: np.ndarray) -> tuple[float, float, float]:
    """Mean and its 95 % interval (Student t; NaN bounds for fewer than two values)."""
    from scipy.special import stdtrit

    n = len(x)
    mean = float(np.mean(x)) if n else math.nan
    if n < 2:
        return mean, math.nan, math.nan
    half = float(stdtrit(n - 1, 0.975)) * float(np.std(x, ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half


def summarize(columns: dict[str, np.ndarray], threats: int | None = None) -> dict[str, Any]:
    """Means, probabilities and 95 % intervals of per-trial outputs."""
    n = len(columns["trial"])
    leak, lo, hi = _mean_ci(np.asarray(columns["leakers"], dtype=np.float64))
    used, ulo, uhi = _mean_ci(np.asarray(columns["interceptors_used"], dtype=np.float64))
    zero = int(np.count_nonzero(columns["zero_leakers"]))
    dry = int(np.count_nonzero(columns["inventory_exhausted"]))
    doc: dict[str, Any] = {
        "trials": n,
        "leakers_mean": leak,
        "leakers_ci95": [lo, hi],
        "leakers_sd": float(np.std(columns["leakers"], ddof=1)) if n > 1 else math.nan,
        "p_zero_leakers": zero / n if n else math.nan,
        "p_zero_leakers_ci95": list(wilson_interval(zero, n)),
        "interceptors_used_mean": used,
        "interceptors_used_ci95": [ulo, uhi],
        "p_inventory_exhausted": dry / n if n else math.nan,
        "p_inventory_exhausted_ci95": list(wilson_interval(dry, n)),
        "killed_mean": float(np.mean(columns["killed"])) if n else math.nan,
    }
    if threats is not None:
        doc["threats"] = threats
    return doc


# ---- the driver -----------------------------------------------------------------------------


@dataclass
class MonteCarloResult:
    """A finished run: its per-trial outputs (by trial index) and their summary."""

    run_id: str | None
    seed: int
    trials: dict[str, np.ndarray]
    summary: dict[str, Any]
    params: dict[str, Any]
    elapsed_s: float
    computed: int  # trials computed by this call (the rest were already stored)
    chunk_size: int


def _segments(todo: np.ndarray, size: int) -> Iterator[tuple[int, int]]:
    """Contiguous runs of the trial indices in ``todo`` (ascending), cut to ``size``."""
    if len(todo) == 0:
        return
    breaks = np.flatnonzero(np.diff(todo) != 1) + 1
    for seg in np.split(todo, breaks):
        a, b = int(seg[0]), int(seg[-1]) + 1
        for s in range(a, b, size):
            yield s, min(s + size, b)


def _check(setup: Setup, trials: int, seed: int, fire_control: str, chunk_size: int | None) -> None:
    if isinstance(trials, bool) or not isinstance(trials, int) or not 1 <= trials <= MAX_TRIALS:
        raise InputError(f"trials must be an integer in [1, {MAX_TRIALS:,}], got {trials!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise InputError(f"seed must be an integer in [0, 2**63), got {seed!r}")
    if fire_control not in ("track", "truth"):
        raise InputError(f"fire_control must be 'track' or 'truth', got {quote(fire_control)}")
    if chunk_size is not None and not 1 <= chunk_size <= MAX_TRIALS:
        raise InputError(f"chunk size must lie in [1, {MAX_TRIALS:,}], got {chunk_size!r}")
    if not setup.threats:
        raise InputError("the scenario has no threats")


def montecarlo(
    setup: Setup,
    trials: int,
    seed: int,
    executor: Executor | None = None,
    store: ResultsStore | None = None,
    run_id: str | None = None,
    resume: bool = False,
    vary: Vary | None = None,
    *,
    fire_control: str = "track",
    chunk_size: int | None = None,
    scenario_text: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> MonteCarloResult:
    """Run ``trials`` engagements of ``setup`` (see the module's docstring for the draws).

    ``executor``: where the chunks run (default: this process). ``store``: a
    :class:`~bmdsim.analysis.results_store.ResultsStore` that receives every chunk as it
    finishes (one transaction each); ``None`` keeps the results in memory only. ``resume``:
    continue the stored run with the same scenario text, seed, trial count and parameters
    (``run_id`` names it; default: the latest such run), computing only the trials it lacks;
    with none stored, start one. ``scenario_text``: the scenario file's text, kept with the
    run (default: the engagement input's repr). ``chunk_size``: trials per chunk (default:
    about 8 chunks per worker, at most 100). ``progress(done, total)`` is called after each
    chunk is stored."""
    from bmdsim.analysis.executor import LocalExecutor

    vary = vary or Vary()
    vary.check()
    _check(setup, trials, seed, fire_control, chunk_size)
    t0 = time.perf_counter()
    key = setup_digest(setup)
    params = {"vary": asdict(vary), "fire_control": fire_control, "setup_sha256": key}
    params_text = json.dumps(params, sort_keys=True, separators=(",", ":"))
    text = repr(setup) if scenario_text is None else scenario_text

    done = np.zeros(0, dtype=np.int64)
    if store is not None:
        record = None
        if run_id is not None:
            record = store.get_run(run_id)
            if record is not None and not resume:
                raise InputError(
                    f"run {quote(run_id)} already exists (resume it, or give a new id)"
                )
            if record is not None and (
                record.scenario_text,
                record.seed,
                record.trials,
                record.params,
            ) != (text, seed, trials, params_text):
                raise InputError(
                    f"run {quote(run_id)} was started with another scenario, seed, trial count "
                    "or parameters"
                )
        elif resume:
            record = store.find_run(text, seed, trials, params_text)
        if record is None:
            run_id = run_id or uuid.uuid4().hex[:12]
            store.create_run(run_id, setup.name, text, seed, trials, params_text)
        else:
            run_id = record.run_id
            done = store.stored_trials(run_id)
    todo = np.setdiff1d(np.arange(trials, dtype=np.int64), done, assume_unique=True)

    own = executor is None
    ex: Executor = LocalExecutor(1) if executor is None else executor
    decide_only = not vary.sensor_draws and vary == Vary(
        pk_band=vary.pk_band, sensor_draws=False
    )  # only the kill draws and the Pk vary
    cap = MAX_AUTO_CHUNK * (10 if decide_only else 1)
    size = chunk_size or max(1, min(cap, math.ceil(len(todo) / (8 * ex.workers))))
    jobs = [ChunkJob(setup, key, seed, a, b, vary, fire_control) for a, b in _segments(todo, size)]
    parts: list[dict[str, np.ndarray]] = []
    count = len(done)
    if progress is not None:
        progress(count, trials)
    try:
        for _, part in ex.imap(run_chunk, jobs):
            if store is not None:
                assert run_id is not None
                store.add_trials(run_id, part)
            else:
                parts.append(part)
            count += len(part["trial"])
            if progress is not None:
                progress(count, trials)
    finally:
        if own:
            ex.close()

    if store is not None:
        assert run_id is not None
        columns = store.load_trials(run_id)
    else:
        columns = _concat(parts)
    if len(columns["trial"]) != trials or not np.array_equal(columns["trial"], np.arange(trials)):
        raise RuntimeError(f"{len(columns['trial'])} trials gathered for {trials}")
    threats = sum(t.count for t in setup.threats)
    summary = summarize(columns, threats)
    if store is not None:
        assert run_id is not None
        store.complete(run_id, summary)
    return MonteCarloResult(
        run_id,
        seed,
        columns,
        summary,
        params,
        time.perf_counter() - t0,
        len(todo),
        size,
    )


def _concat(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Chunks (any order) joined and sorted by trial."""
    out = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.argsort(out["trial"], kind="stable")
    return {k: v[order] for k, v in out.items()}
