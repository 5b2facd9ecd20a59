"""Command and control: sensors, links and tracks -> a per-threat timeline of events.

For every threat the chain is: an infrared constellation sees the plume above the clouds
(``ir_detection``, after its processing and link latencies), the C2 node passes a ``cue`` to
the radars, a cued radar looks at a small volume with full dwell (an uncued radar searches
its whole fence every ``search_revisit_s`` with ``search_loss_db`` less energy per beam),
``radar_detection`` is the first radar hit, ``track_initiated`` the first M-of-N
confirmation, and ``fire_control_track`` the first time the EKF's predicted position error
``fc_ahead_s`` ahead falls below ``fc_sigma_m``. Times of allied sensors include their link
latency to the (own) C2 node. Everything is vectorised over threats.

Process noise of the tracks: high (``q_boost``) while the threat may still be under thrust,
low (``q_ballistic``) once the node judges it ballistic: when its own track has gone
``maneuver_hold_s`` since the track started or since the last update whose normalised
innovation exceeded ``nis_gate`` (chi-square, 3 dof, 99.9 %), or when the IR constellation
has reported the plume gone, whichever comes first. Either source suffices, so more sensors
can only shorten the boost hold (a modelling choice: it is optimistic when an IR report
lags a thrusting threat whose track shows no innovation jumps).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim._core.counter_rng import detection_uniforms, noise_normals, split_key
from bmdsim._core.radar_kernels import radar_look_sequence, radar_measurements
from bmdsim._core.track_kernels import (
    TK_FC_AHEAD_S,
    TK_FC_SIGMA_M,
    TK_GATE,
    TK_HOLD_S,
    TK_INIT_SIGMA_V,
    TK_Q_BALLISTIC,
    TK_Q_BOOST,
    TK_RECORD_EVERY_S,
    TK_SIZE,
    track_sequence,
)
from bmdsim.earth.frames import rotate_z
from bmdsim.flight.trajectory import Trajectory, sample_many
from bmdsim.sensors.base import Tracker
from bmdsim.sensors.infrared import InfraredConstellation
from bmdsim.sensors.radar import Radar, geocentric_surface_radius_m
from bmdsim.sensors.tracking import BallisticEKF, measure_rae, propagate_ballistic

__all__ = [
    "EVENT_KINDS",
    "FIRE_CONTROL_SPANS_S",
    "C2Config",
    "Event",
    "FireControlTimes",
    "Observation",
    "TrackHistory",
    "fire_control_times",
    "observe",
]

EVENT_KINDS = ("ir_detection", "cue", "radar_detection", "track_initiated", "fire_control_track")


@dataclass(frozen=True)
class C2Config:
    """Timing and tracking settings of the C2 node (all notional, SI units)."""

    dt_s: float = 2.0  # simulation grid; radar revisits are rounded to multiples
    cue_latency_s: float = 5.0  # C2 processing + link from the IR report to the radars
    m_detections: int = 3
    n_looks: int = 5
    fc_ahead_s: float = 60.0
    fc_sigma_m: float = 1000.0
    q_boost_m2_s3: float = 1.0e4  # ~30 m/s^2 unmodelled thrust, 10 s correlation
    q_ballistic_m2_s3: float = 1.0
    nis_gate: float = 16.27
    maneuver_hold_s: float = 20.0
    # "fire_control": stop updating a track once it is of fire-control quality (every
    # timeline event lies at or before that time, so the outputs are the same and it is
    # ~3x faster); "end": keep tracking to impact (for studies of the track itself)
    track_until: str = "fire_control"
    # keep track states (for fire control from the estimate): after an update, at most
    # one per ``record_every_s`` of track time per threat (the newest state a shot uses is
    # then at most that much older, and is propagated forward)
    record_tracks: bool = False
    record_every_s: float = 10.0


def _rounded(x: float, digits: int) -> float | None:
    return round(float(x), digits) if math.isfinite(x) else None


@dataclass(frozen=True)
class Event:
    """One entry of a threat's timeline: what happened, when, by whom, and where the threat
    was then (engagement events use the same record)."""

    t_s: float
    kind: str
    by: str
    alt_km: float
    lat_deg: float
    lon_deg: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "t_s": _rounded(self.t_s, 3),
            "kind": self.kind,
            "by": self.by,
            "alt_km": _rounded(self.alt_km, 3),
            "lat_deg": _rounded(self.lat_deg, 5),
            "lon_deg": _rounded(self.lon_deg, 5),
        }


@dataclass
class Observation:
    """The result of :func:`observe` (arrays over threats; times since the epoch [s])."""

    events: list[list[Event]]
    first_detection_s: NDArray[np.float64]
    track_initiated_s: NDArray[np.float64]
    fire_control_track_s: NDArray[np.float64]
    ekf: Tracker
    t_grid_s: NDArray[np.float64] = field(repr=False)
    tracks: TrackHistory | None = field(default=None, repr=False)  # with record_tracks
    fire_control_by: list[str] = field(default_factory=list)  # radar of the FC-quality update
    #: work done: samples of the threats' flights, radar measurements, filter iterations
    cost: dict[str, int] = field(default_factory=dict)

    def threat_doc(self, i: int) -> dict[str, Any]:
        def nn(x: float) -> float | None:
            return None if not math.isfinite(x) else round(float(x), 3)

        return {
            "events": [e.to_dict() for e in self.events[i]],
            "first_detection_s": nn(self.first_detection_s[i]),
            "fire_control_track_s": nn(self.fire_control_track_s[i]),
        }


@dataclass
class TrackHistory:
    """States of every threat's track after measurement updates (see ``record_every_s``).

    Per threat ``i``: ``t_known_s[i]`` the time the state is known at the C2 node (the
    measurement time plus the largest link latency of any measurement fused so far, so a
    state is never used before all it contains has arrived), ``t_state_s[i]`` the state's
    epoch, ``x[i]`` (m, 6) ECEF states, ``p[i]`` (m, 6, 6) covariances, ``q[i]`` the process
    noise in force, ``by[i]`` the radar of each update.
    """

    t_known_s: list[NDArray[np.float64]]
    t_state_s: list[NDArray[np.float64]]
    x: list[NDArray[np.float64]]
    p: list[NDArray[np.float64]]
    q: list[NDArray[np.float64]]
    by: list[list[str]]

    def latest(self, i: int, t_s: float) -> int | None:
        """Index of the newest state of track ``i`` known at ``t_s`` (None: no track yet)."""
        k = int(np.searchsorted(self.t_known_s[i], t_s, side="right")) - 1
        return k if k >= 0 else None

    def predict(self, i: int, k: int, t_s: float) -> tuple[NDArray, NDArray]:
        """State and covariance of track ``i``'s state ``k`` propagated to ``t_s``."""
        x, p = propagate_ballistic(
            self.x[i][k][None], t_s - self.t_state_s[i][k], self.p[i][k][None], self.q[i][k]
        )
        assert p is not None
        return x[0], p[0]


class _Recorder:
    """Collects track states update by update (arrays per update; split per threat once)."""

    def __init__(self, n: int, every_s: float = 0.0) -> None:
        self.n = n
        self.every_s = every_s
        self.known = np.full(n, -np.inf)
        self.kept = np.full(n, -np.inf)  # epoch of the last state kept
        self.parts: list[tuple[NDArray, ...]] = []
        self.names: list[str] = []

    def add(self, idx: NDArray, t_meas: ArrayLike, latency: float, ekf: Tracker, by: str) -> None:
        self.known[idx] = np.maximum(self.known[idx], np.asarray(t_meas) + latency)
        idx = idx[ekf.t_s[idx] - self.kept[idx] >= self.every_s - 1e-9]
        if idx.size == 0:
            return
        self.kept[idx] = ekf.t_s[idx]
        if by not in self.names:
            self.names.append(by)
        self.parts.append(
            (
                np.asarray(idx, np.int64),
                self.known[idx].copy(),
                ekf.t_s[idx].copy(),
                ekf.x[idx].copy(),
                ekf.p[idx].copy(),
                ekf.q[idx].copy(),
                np.full(len(idx), self.names.index(by), np.int64),
            )
        )

    def history(self) -> TrackHistory:
        n = self.n
        if not self.parts:
            empty = [np.empty(0) for _ in range(n)]
            return TrackHistory(
                empty,
                list(empty),
                [np.empty((0, 6)) for _ in range(n)],
                [np.empty((0, 6, 6)) for _ in range(n)],
                list(empty),
                [[] for _ in range(n)],
            )
        # updates are recorded in each threat's own time order: a stable sort by threat
        thr = np.concatenate([p[0] for p in self.parts])
        order = np.argsort(thr, kind="stable")
        cut = np.searchsorted(thr[order], np.arange(n + 1))
        cols: list[NDArray] = [thr[order]]
        for c in range(1, 7):  # one column at a time, releasing the parts as they go
            cols.append(np.concatenate([p[c] for p in self.parts])[order])
            self.parts = [(*p[:c], np.empty(0), *p[c + 1 :]) for p in self.parts]
        self.parts = []

        def split(c: NDArray) -> list[NDArray]:
            return [c[cut[i] : cut[i + 1]] for i in range(n)]

        by = split(cols[6])
        return TrackHistory(
            split(cols[1]),
            split(cols[2]),
            split(cols[3]),
            split(cols[4]),
            split(cols[5]),
            [[self.names[int(k)] for k in b] for b in by],
        )


#: the most samples taken in one part by the radar looks and the tracking kernel (memory)
_PART_SAMPLES = 200_000


def _threat_parts(sm: _Samples, n: int) -> Iterator[tuple[int, int]]:
    """Consecutive ranges of whole threats (``a`` to ``b - 1``) of at most
    ``_PART_SAMPLES`` samples each (one threat when it alone has more)."""
    a = 0
    while a < n:
        b = int(np.searchsorted(sm.start, sm.start[a] + _PART_SAMPLES, side="right")) - 1
        b = min(max(b, a + 1), n)
        yield a, b
        a = b


def _nanmin(a: NDArray, axis: int = 0) -> NDArray:
    with np.errstate(invalid="ignore"):
        return np.where(
            np.all(np.isnan(a), axis=axis),
            np.nan,
            np.nanmin(np.where(np.isnan(a), np.inf, a), axis=axis),
        )


@dataclass(frozen=True)
class _Samples:
    """Every threat sampled on the C2 grid t0 + k dt over its own flight only, flattened
    threat by threat (so the cost follows the flights, not the span of the scenario clock).
    """

    thr: NDArray[np.int64]  # threat of each sample
    k: NDArray[np.int64]  # grid index of each sample
    t: NDArray[np.float64]
    r: NDArray[np.float64]  # (S, 3) ECEF position
    h: NDArray[np.float64]  # height above the ellipsoid's geocentric surface
    start: NDArray[np.int64]  # (n + 1,) first sample of each threat; start[n] = S

    def first(self, mask: NDArray[np.bool_], n: int) -> NDArray[np.float64]:
        """Per threat: the earliest sample time where ``mask`` holds (NaN if none)."""
        out = np.full(n, np.inf)
        np.minimum.at(out, self.thr[mask], self.t[mask])
        return np.where(np.isinf(out), np.nan, out)

    def last(self, mask: NDArray[np.bool_], n: int) -> NDArray[np.float64]:
        out = np.full(n, -np.inf)
        np.maximum.at(out, self.thr[mask], self.t[mask])
        return np.where(np.isinf(out), np.nan, out)

    def first_k(self) -> NDArray[np.int64]:
        """Per threat: the grid index of its first sample (0 for a threat with none)."""
        has = self.start[1:] > self.start[:-1]
        at = np.minimum(self.start[:-1], max(self.k.size - 1, 0))
        return np.where(has, self.k[at] if self.k.size else 0, 0).astype(np.int64)


@dataclass(frozen=True)
class _Draws:
    """The counter-based draws of an observation (:mod:`bmdsim._core.counter_rng`): the
    key, each radar's word (the CRC-32 of its name) and each threat's key."""

    key: tuple[np.uint64, np.uint64]
    words: NDArray[np.int64]
    who: NDArray[np.int64]

    def part(self, a: int, b: int) -> _Draws:
        """The draws of threats ``a`` to ``b - 1``."""
        return _Draws(self.key, self.words, self.who[a:b])


def _sample(
    trajectories: list[Trajectory],
    t0: float,
    dt: float,
    shared: list[tuple[Trajectory, float]] | None = None,
    until_s: NDArray[np.float64] | None = None,
) -> _Samples:
    """Every threat on the grid ``t0 + k dt`` over its flight (up to ``until_s[i]``)."""
    ranges = []
    for i, tr in enumerate(trajectories):
        a = math.ceil((float(tr.t_s[0]) - t0) / dt - 1e-9)
        end = float(tr.t_s[-1]) if until_s is None else min(float(tr.t_s[-1]), until_s[i])
        b = math.floor((end - t0) / dt + 1e-9)
        ranges.append((a, max(b + 1 - a, 0)))
    counts = np.array([c for _, c in ranges], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    k = (
        np.concatenate([np.arange(a, a + c, dtype=np.int64) for a, c in ranges])
        if ranges
        else (np.empty(0, np.int64))
    )
    r = np.empty((int(start[-1]), 3))
    # Earth-fixed samples of a shared flight: where they were first written
    done: dict[tuple[int, int, int], int] = {}
    flights: list[Trajectory] = []  # sampled here: the flight, its times, the first row
    times: list[NDArray[Any]] = []
    rows: list[int] = []
    copies: list[tuple[int, int, int]] = []  # (row, row it repeats, count)
    for i, (tr, (a, c)) in enumerate(zip(trajectories, ranges, strict=True)):
        if c == 0:
            continue
        s0 = int(start[i])
        kk = k[s0 : s0 + c]
        if shared is None:
            flights.append(tr)
            times.append(t0 + dt * kk)
            rows.append(s0)
            continue
        base, shift = shared[i]
        key = (id(base), round(((t0 + dt * a - shift) % dt) * 1e6), c)
        if key in done:
            copies.append((s0, done[key], c))
        else:
            flights.append(base)
            times.append(t0 + dt * kk - shift)
            rows.append(s0)
            done[key] = s0
    if flights:  # ECEF = ECI turned back by the Earth's rotation since the epoch
        pairs = list(zip(flights, times, rows, strict=True))
        angle = np.concatenate([-f.earth_rotation_rad_s * t for f, t, _ in pairs])
        dest = np.concatenate([np.arange(s0, s0 + t.size) for _, t, s0 in pairs])
        r[dest] = rotate_z(sample_many(flights, times), angle)
    for s0, src, c in copies:
        r[s0 : s0 + c] = r[src : src + c]
    h = np.linalg.norm(r, axis=-1) - geocentric_surface_radius_m(r)
    thr = np.repeat(np.arange(len(trajectories)), counts)
    t = np.asarray(t0 + dt * k, dtype=np.float64)
    return _Samples(thr, k, t, r, h, start)


def _infrared(
    sm: _Samples, irs: list[InfraredConstellation], burnout: NDArray, t0: float, n: int
) -> tuple[NDArray, NDArray, NDArray]:
    """(report times (len(irs), n), first reporting constellation per threat, time the C2
    node knows the plume has ended)."""
    ir_t = np.full((len(irs), n), np.nan)
    plume_end_known = np.full(n, np.nan)
    for j, s in enumerate(irs):
        seen = s.sighted(sm.t, sm.h, burnout[sm.thr], phase_s=t0)
        first, last = sm.first(seen, n), sm.last(seen, n)
        ir_t[j] = first + s.latency_s + s.link_latency_s
        pe = last + s.revisit_s + s.latency_s + s.link_latency_s
        plume_end_known = np.fmin(plume_end_known, pe)
    by = np.argmin(np.where(np.isnan(ir_t), np.inf, ir_t), axis=0) if irs else np.zeros(n, int)
    return ir_t, by, plume_end_known


@dataclass
class _RadarLooks:
    det: list[NDArray[np.bool_]]  # per radar: detection at each sample
    snr: list[NDArray[np.float64]]  # per radar: cued SNR at each sample
    det_t: NDArray[np.float64]  # (radars, n) first detection, as known at the C2 node
    init_t: NDArray[np.float64]  # (radars, n) track initiation (M of N), as known


def _radar_looks(
    sm: _Samples,
    radars: list[Radar],
    draws: _Draws | None,
    rcs: NDArray,
    cue_or_inf: NDArray,
    cfg: C2Config,
    n: int,
) -> _RadarLooks:
    """Search and track looks of every radar (see the module docstring), in parts of whole
    threats so memory stays bounded (the draws are counter-based: the parts draw what one
    pass would)."""
    out = _RadarLooks(
        [np.zeros(sm.t.size, bool) for _ in radars],
        [np.zeros(sm.t.size) for _ in radars],
        np.full((len(radars), n), np.nan),
        np.full((len(radars), n), np.nan),
    )
    for a, b in _threat_parts(sm, n):
        lo, hi = int(sm.start[a]), int(sm.start[b])
        part = _Samples(
            sm.thr[lo:hi] - a,
            sm.k[lo:hi],
            sm.t[lo:hi],
            sm.r[lo:hi],
            sm.h[lo:hi],
            sm.start[a : b + 1] - lo,
        )
        sub = None if draws is None else draws.part(a, b)
        got = _radar_looks_part(part, radars, sub, rcs[a:b], cue_or_inf[a:b], cfg, b - a)
        for j in range(len(radars)):
            out.det[j][lo:hi] = got.det[j]
            out.snr[j][lo:hi] = got.snr[j]
        out.det_t[:, a:b] = got.det_t
        out.init_t[:, a:b] = got.init_t
    return out


def _radar_looks_part(
    sm: _Samples,
    radars: list[Radar],
    draws: _Draws | None,
    rcs: NDArray,
    cue_or_inf: NDArray,
    cfg: C2Config,
    n: int,
) -> _RadarLooks:
    """The looks of every radar at the threats of one part: each radar's line of sight
    and range in one compiled pass (:meth:`~bmdsim.sensors.radar.Radar.visible_range`),
    and the search / track sequence of each threat in one kernel
    (:func:`bmdsim._core.radar_kernels.radar_look_sequence`), which draws the Swerling 1
    uniform of a look only where the look is made (the draws of
    :func:`_radar_looks_part_reference`)."""
    dt = cfg.dt_s
    out = _RadarLooks([], [], np.full((len(radars), n), np.nan), np.full((len(radars), n), np.nan))
    size = sm.t.size
    rcs_s = rcs[sm.thr]
    start = np.ascontiguousarray(sm.start, np.int64)
    k = np.ascontiguousarray(sm.k, np.int64)
    t = np.ascontiguousarray(sm.t, np.float64)
    cue = np.ascontiguousarray(cue_or_inf, np.float64)
    key0, key1 = (np.uint64(0), np.uint64(0)) if draws is None else draws.key
    who = np.zeros(n, np.int64) if draws is None else draws.who
    for j, s in enumerate(radars):
        vis, rng = s.visible_range(sm.r)
        snr_c = s.snr(rng, rcs_s, True)
        snr_s = snr_c * 10 ** (-s.search_loss_db / 10)
        pd_c = np.power(s.pfa, 1.0 / (1.0 + snr_c))
        pd_s = np.power(s.pfa, 1.0 / (1.0 + snr_s))
        det = np.empty(size, np.bool_)
        det_t = np.empty(n)
        init_t = np.empty(n)
        radar_look_sequence(
            start,
            k,
            t,
            vis,
            pd_c,
            pd_s,
            draws is not None,
            key0,
            key1,
            who,
            0 if draws is None else int(draws.words[j]),
            float(s.pd_design),
            cue,
            float(dt),
            max(1, round(s.search_revisit_s / dt)),
            max(1, round(s.track_revisit_s / dt)),
            int(cfg.m_detections),
            int(cfg.n_looks),
            det,
            det_t,
            init_t,
        )
        out.det.append(det)
        out.snr.append(snr_c)
        out.det_t[j] = det_t + s.link_latency_s
        out.init_t[j] = init_t + s.link_latency_s
    return out


def _radar_looks_part_reference(
    sm: _Samples,
    radars: list[Radar],
    draws: _Draws | None,
    rcs: NDArray,
    cue_or_inf: NDArray,
    cfg: C2Config,
    n: int,
) -> _RadarLooks:
    """:func:`_radar_looks_part` in numpy (the tests hold the two to each other)."""
    dt = cfg.dt_s
    out = _RadarLooks([], [], np.full((len(radars), n), np.nan), np.full((len(radars), n), np.nan))
    rcs_s = rcs[sm.thr]
    cue_s = cue_or_inf[sm.thr]
    for j, s in enumerate(radars):
        with np.errstate(invalid="ignore", divide="ignore"):
            vis, g = s.visible_reference(sm.r)
        snr_c = s.snr(g["range_m"], rcs_s, True)
        snr_s = snr_c * 10 ** (-s.search_loss_db / 10)
        pd_c = np.power(s.pfa, 1.0 / (1.0 + snr_c))
        pd_s = np.power(s.pfa, 1.0 / (1.0 + snr_s))
        if draws is None:
            hit_c, hit_s = pd_c >= s.pd_design, pd_s >= s.pd_design
        else:
            u = np.empty(sm.t.size)
            ordinal = sm.k - sm.first_k()[sm.thr]
            detection_uniforms(*draws.key, ordinal, draws.who[sm.thr], int(draws.words[j]), u)
            hit_c, hit_s = u < pd_c, u < pd_s
        ks = max(1, round(s.search_revisit_s / dt))
        kt = max(1, round(s.track_revisit_s / dt))
        search_look = (sm.k % ks) == 0
        track_look = (sm.k % kt) == 0
        sd = vis & hit_s & search_look & (sm.t < cue_s)
        t_sd = sm.first(sd, n)
        t_sw = np.fmin(np.where(np.isnan(t_sd), np.inf, t_sd + dt), cue_or_inf)
        after = sm.t >= t_sw[sm.thr]
        det = (sd & ~after) | (after & track_look & vis & hit_c)
        out.det.append(det)
        out.snr.append(snr_c)
        out.det_t[j] = sm.first(det, n) + s.link_latency_s
        # M of N over the looks: the first search hit, then the track looks after the switch
        first_sd = sd & (sm.t == t_sd[sm.thr])
        looks = np.flatnonzero(first_sd | (after & track_look))
        hits = det[looks].astype(np.int64)
        cs = np.cumsum(hits)
        lt = sm.thr[looks]
        pos = np.arange(looks.size)
        seg0 = np.searchsorted(lt, lt, side="left")  # first look of the same threat
        base = np.where(seg0 > 0, cs[np.maximum(seg0 - 1, 0)], 0)
        back = pos - cfg.n_looks
        prev = np.where(back >= seg0, cs[np.maximum(back, 0)], base)
        ok = np.zeros(sm.t.size, bool)
        ok[looks] = (cs - prev) >= cfg.m_detections
        out.init_t[j] = sm.first(ok, n) + s.link_latency_s
    return out


@dataclass
class _Measurements:
    """Every radar measurement, sorted by (threat, time, radar): the radar, the threat, the
    time, the noisy (range, azimuth, elevation) and its variances."""

    radar: NDArray[np.int64]
    thr: NDArray[np.int64]
    t: NDArray[np.float64]
    z: NDArray[np.float64]  # (M, 3)
    rdiag: NDArray[np.float64]  # (M, 3)
    rank: NDArray[np.int64]  # the measurement's rank within its threat


def _measurements(
    sm: _Samples,
    radars: list[Radar],
    draws: _Draws | None,
    looks: _RadarLooks,
    t0: float,
    dt: float,
    lo: int = 0,
    hi: int | None = None,
) -> _Measurements:
    """Every detection of samples ``lo`` to ``hi - 1`` (whole threats) as a measurement,
    with counter-based noise (the same whatever the parts).

    The samples run threat by threat in time order, so the (threat, time, radar) order is
    the (sample, radar) order: one compiled pass
    (:func:`bmdsim._core.radar_kernels.radar_measurements`) writes the measurements in it."""
    hi = sm.t.size if hi is None else hi
    nr = len(radars)
    det = np.empty((nr, hi - lo), np.bool_)
    snr = np.empty((nr, hi - lo))
    for j in range(nr):
        det[j] = looks.det[j][lo:hi]
        snr[j] = looks.snr[j][lo:hi]
    m = int(np.count_nonzero(det))
    noisy = np.full(nr, draws is not None, np.bool_)
    site = np.zeros((nr, 3))
    basis = np.zeros((nr, 3, 3))
    sigmas = np.zeros((nr, 5))
    for j, s in enumerate(radars):
        site[j], basis[j] = s.site_ecef_enu()
        sigmas[j] = (
            s.range_resolution_m,
            s.min_sigma_range_m,
            s.beamwidth_rad,
            s.min_sigma_angle_rad,
            s.noise_factor,
        )
    out = _Measurements(
        np.empty(m, np.int64),
        np.empty(m, np.int64),
        np.empty(m),
        np.empty((m, 3)),
        np.empty((m, 3)),
        np.empty(m, np.int64),
    )
    radar_measurements(
        det,
        snr,
        np.ascontiguousarray(sm.r[lo:hi], np.float64),
        np.ascontiguousarray(sm.k[lo:hi], np.int64),
        np.ascontiguousarray(sm.thr[lo:hi], np.int64),
        site,
        basis,
        sigmas,
        noisy,
        *((np.uint64(0), np.uint64(0)) if draws is None else draws.key),
        np.zeros(nr, np.int64) if draws is None else draws.words,
        np.zeros(sm.start.size, np.int64) if draws is None else draws.who,
        sm.first_k(),
        float(t0),
        float(dt),
        out.radar,
        out.thr,
        out.t,
        out.z,
        out.rdiag,
        out.rank,
    )
    return out


def _measurements_reference(
    sm: _Samples,
    radars: list[Radar],
    draws: _Draws | None,
    looks: _RadarLooks,
    t0: float,
    dt: float,
    lo: int = 0,
    hi: int | None = None,
) -> _Measurements:
    """:func:`_measurements` with a sort (the tests hold the two to each other)."""
    hi = sm.t.size if hi is None else hi
    dets = [d[lo:hi] for d in looks.det]
    samples: NDArray[np.int64] = (
        np.concatenate([np.flatnonzero(d) + lo for d in dets]) if radars else np.empty(0)
    ).astype(np.int64)
    radar_of = (
        np.concatenate([np.full(int(d.sum()), j, np.int64) for j, d in enumerate(dets)])
        if radars
        else np.empty(0, np.int64)
    )
    order = np.lexsort((radar_of, sm.k[samples], sm.thr[samples]))
    samples, radar_of = samples[order], radar_of[order]
    z = np.empty((samples.size, 3))
    rdiag = np.empty((samples.size, 3))
    for j, s in enumerate(radars):
        sel = np.flatnonzero(radar_of == j)
        if sel.size == 0:
            continue
        smp = samples[sel]
        site, basis = s.site_ecef_enu()
        zj = measure_rae(sm.r[smp], site, basis)
        sr, sa = s.measurement_sigmas(looks.snr[j][smp])
        rd = np.stack([sr**2, (sa / np.cos(zj[:, 2])) ** 2, sa**2], -1)
        if draws is not None:
            e = np.empty((sel.size, 3))
            ordinal = sm.k[smp] - sm.first_k()[sm.thr[smp]]
            noise_normals(*draws.key, ordinal, draws.who[sm.thr[smp]], int(draws.words[j]), e)
            zj = zj + e * np.sqrt(rd)
        z[sel], rdiag[sel] = zj, rd
    thr_of = sm.thr[samples]
    first = np.searchsorted(thr_of, thr_of, side="left")
    return _Measurements(
        radar_of,
        thr_of,
        np.asarray(t0 + sm.k[samples] * dt, np.float64),
        z,
        rdiag,
        np.arange(samples.size) - first,
    )


def _track(
    sm: _Samples,
    radars: list[Radar],
    draws: _Draws | None,
    looks: _RadarLooks,
    plume_end_known: NDArray,
    track_init: NDArray,
    cfg: C2Config,
    n: int,
    t0: float,
    stop_s: NDArray,
) -> tuple[Tracker, NDArray, NDArray, TrackHistory | None, dict[str, int]]:
    """The EKF over every radar measurement, each threat's in its own time order, threats
    in parallel (one kernel, :func:`bmdsim._core.track_kernels.track_sequence`), in parts
    of whole threats so memory stays bounded: the filter, the fire-control time and radar of
    each threat, and (with ``record_tracks``) its states. The cost follows the measurements,
    not the span of the scenario clock."""
    ekf = BallisticEKF(n)
    fc = np.full(n, np.nan)
    fc_by = np.full(n, -1, np.int64)
    site = np.zeros((max(1, len(radars)), 3))
    basis = np.zeros((max(1, len(radars)), 3, 3))
    for j, s in enumerate(radars):
        site[j], basis[j] = s.site_ecef_enu()
    latency = np.array([s.link_latency_s for s in radars] or [0.0])
    settings = np.zeros(TK_SIZE)
    settings[TK_Q_BOOST] = cfg.q_boost_m2_s3
    settings[TK_Q_BALLISTIC] = cfg.q_ballistic_m2_s3
    settings[TK_HOLD_S] = cfg.maneuver_hold_s
    settings[TK_GATE] = cfg.nis_gate
    settings[TK_FC_AHEAD_S] = cfg.fc_ahead_s
    settings[TK_FC_SIGMA_M] = cfg.fc_sigma_m
    settings[TK_INIT_SIGMA_V] = ekf.init_sigma_v_m_s
    settings[TK_RECORD_EVERY_S] = cfg.record_every_s if cfg.record_tracks else -1.0
    until_fc = cfg.track_until == "fire_control"
    plume = np.asarray(plume_end_known, np.float64)
    init = np.asarray(track_init, np.float64)
    stop = np.array(stop_s, np.float64)  # writable: one compiled kernel for every caller
    records: list[tuple[NDArray, ...]] = []
    measured = used_total = iterations = 0
    for a, b in _threat_parts(sm, n):
        ms = _measurements(
            sm, radars, draws, looks, t0, cfg.dt_s, int(sm.start[a]), int(sm.start[b])
        )
        cut = np.searchsorted(ms.thr, np.arange(a, b + 1)).astype(np.int64)
        # room for the recorded states: at most one per record_every_s of a track's span
        count = np.diff(cut)
        if cfg.record_tracks and cfg.record_every_s > 0 and ms.t.size:
            first_t = ms.t[np.minimum(cut[:-1], ms.t.size - 1)]
            last_t = ms.t[np.maximum(cut[1:] - 1, 0)]
            room = np.where(
                count > 0, np.floor((last_t - first_t) / cfg.record_every_s + 1e-9) + 2, 0
            ).astype(np.int64)
            room = np.minimum(room, count)
        else:
            room = count if cfg.record_tracks else np.zeros_like(count)
        rcut = np.concatenate([[0], np.cumsum(room)]).astype(np.int64)
        cap = int(rcut[-1])
        rec = (
            np.empty(cap),
            np.empty(cap),
            np.empty((cap, 6)),
            np.empty((cap, 6, 6)),
            np.empty(cap),
            np.empty(cap, np.int64),
        )
        used = np.zeros(b - a, np.int64)
        n_rec = np.zeros(b - a, np.int64)
        sl = slice(a, b)
        x, p, t_tr, q_tr = ekf.x[sl], ekf.p[sl], ekf.t_s[sl], ekf.q[sl]
        act, nis_tr, fc_p, fcb_p = ekf.active[sl], ekf.nis[sl], fc[sl], fc_by[sl]
        track_sequence(
            cut - cut[0],
            ms.t,
            ms.radar,
            ms.z,
            ms.rdiag,
            site,
            basis,
            latency,
            plume[sl],
            init[sl],
            stop[sl],
            settings,
            until_fc,
            x,
            p,
            t_tr,
            q_tr,
            act,
            nis_tr,
            fc_p,
            fcb_p,
            rcut[:-1],
            *rec,
            used,
            n_rec,
        )
        if cfg.record_tracks:
            keep = np.concatenate([np.arange(rcut[k], rcut[k] + n_rec[k]) for k in range(b - a)])
            keep = keep.astype(np.int64)
            records.append((np.repeat(np.arange(a, b), n_rec), *(c[keep] for c in rec)))
        measured += int(ms.t.size)
        used_total += int(used.sum())
        iterations = max(iterations, int(count.max()) if count.size else 0)
    history = None
    if cfg.record_tracks:
        cols = [np.concatenate([r[c] for r in records]) for c in range(7)] if records else None
        thr = cols[0] if cols is not None else np.empty(0, np.int64)
        cut = np.searchsorted(thr, np.arange(n + 1))

        def split(c: int, shape: tuple[int, ...] = ()) -> list[NDArray]:
            if cols is None:
                return [np.empty((0, *shape)) for _ in range(n)]
            return [cols[c][cut[i] : cut[i + 1]] for i in range(n)]

        names = [s.name for s in radars]
        history = TrackHistory(
            split(1),
            split(2),
            split(3, (6,)),
            split(4, (6, 6)),
            split(5),
            [[names[int(k)] for k in b] for b in split(6)],
        )
    cost = {
        "measurements": measured,
        "measurements_used": used_total,
        "filter_iterations": iterations,
    }
    return ekf, fc, fc_by, history, cost


def _track_reference(
    sm: _Samples,
    radars: list[Radar],
    draws: _Draws | None,
    looks: _RadarLooks,
    plume_end_known: NDArray,
    track_init: NDArray,
    cfg: C2Config,
    n: int,
    t0: float,
    stop_s: NDArray,
) -> tuple[Tracker, NDArray, NDArray, TrackHistory | None, dict[str, int]]:
    """The same loop as :func:`_track` in numpy, through the :class:`Tracker` interface
    (any tracker that implements it), vectorised across threats: iteration ``m`` takes each
    threat's ``m``-th measurement, radars in catalogue order at the same instant."""
    ms = _measurements(sm, radars, draws, looks, t0, cfg.dt_s)
    ekf: Tracker = BallisticEKF(n)
    fc = np.full(n, np.nan)
    fc_by = np.full(n, -1)
    rec = _Recorder(n, cfg.record_every_s) if cfg.record_tracks else None
    maneuver_until = np.full(n, -np.inf)
    site_info = [s.site_ecef_enu() for s in radars]
    by_step = np.argsort(ms.rank, kind="stable")
    bounds = np.searchsorted(
        ms.rank[by_step], np.arange(int(ms.rank.max()) + 2 if ms.rank.size else 1)
    )
    used = 0
    for m in range(bounds.size - 1):
        these = by_step[bounds[m] : bounds[m + 1]]
        for j, s in enumerate(radars):
            mine = these[ms.radar[these] == j]
            if mine.size == 0:
                continue
            idx = ms.thr[mine]
            tk = ms.t[mine]
            z, rd = ms.z[mine], ms.rdiag[mine]
            keep = (tk <= stop_s[idx]) | np.isnan(fc[idx])  # tracks no longer needed
            if cfg.track_until == "fire_control":  # done once a fire-control time is known
                keep &= ~(fc[idx] <= tk)
            idx, tk, z, rd = idx[keep], tk[keep], z[keep], rd[keep]
            if idx.size == 0:
                continue
            used += idx.size
            rm = np.zeros((idx.size, 3, 3))
            rm[:, 0, 0], rm[:, 1, 1], rm[:, 2, 2] = rd[:, 0], rd[:, 1], rd[:, 2]
            site, basis = site_info[j]
            was = ekf.active[idx]
            new = idx[~was]
            if new.size:
                ekf.initialize(new, tk[~was], z[~was], rm[~was], site, basis)
                maneuver_until[new] = tk[~was] + cfg.maneuver_hold_s
            old, tko = idx[was], tk[was]
            if old.size == 0:
                continue
            # thrust possible: the own track's inference, narrowed by the IR plume report
            # when there is one (more information can only shorten the boost hold)
            pe = plume_end_known[old]
            ir_says_burning = np.where(np.isnan(pe), True, tko < pe)
            boost = (tko < maneuver_until[old]) & ir_says_burning
            ekf.q[old] = np.where(boost, cfg.q_boost_m2_s3, cfg.q_ballistic_m2_s3)
            ekf.predict(old, tko)
            nis = ekf.update(old, z[was], rm[was], site, basis)
            if rec is not None:
                rec.add(old, tko, s.link_latency_s, ekf, s.name)
            jump = (nis > cfg.nis_gate) & ir_says_burning
            maneuver_until[old[jump]] = tko[jump] + cfg.maneuver_hold_s
            boost = boost | jump
            # a track known sooner through a faster link counts (allied reports arrive late)
            t_known = tko + s.link_latency_s
            open_ = np.isnan(fc[old]) | (fc[old] > t_known)
            ok = ~boost & open_ & (t_known >= track_init[old])
            cand = old[ok]
            if cand.size:
                sig = ekf.position_sigma_ahead_m(
                    cand, cfg.fc_ahead_s, np.full(cand.size, cfg.q_ballistic_m2_s3)
                )
                good = sig < cfg.fc_sigma_m
                fc[cand[good]] = np.fmin(fc[cand[good]], t_known[ok][good])
                fc_by[cand[good]] = j
    cost = {
        "measurements": int(ms.t.size),
        "measurements_used": int(used),
        "filter_iterations": int(bounds.size - 1),
    }
    return ekf, fc, fc_by, (rec.history() if rec is not None else None), cost


_TRACKERS = {"kernel": _track, "reference": _track_reference}


def observe(
    trajectories: list[Trajectory],
    sensors: list[Radar | InfraredConstellation],
    rcs_m2: ArrayLike = 0.1,
    config: C2Config | None = None,
    rng: np.random.Generator | None = None,
    shared: list[tuple[Trajectory, float]] | None = None,
    tracker: str = "kernel",
    stop_s: ArrayLike | None = None,
    timeline: bool = True,
    threat_keys: ArrayLike | None = None,
) -> Observation:
    """Observe threats with placed sensors; see the module docstring.

    ``shared`` (optional): per threat, a flight launched at t = 0 and the launch time it is
    shifted by (:meth:`~bmdsim.flight.trajectory.Trajectory.shifted`); threats on the same
    flight are then sampled once.

    With ``rng`` detections are Swerling 1 draws and measurements are noisy. The draws are
    counter-based (:mod:`bmdsim._core.counter_rng`): one 64-bit key drawn from ``rng``, and
    per draw the sample's ordinal within its threat, the threat's key (``threat_keys``,
    default its index) and the radar's name. A threat's draws therefore do not depend on
    the other threats observed with it, adding or removing a sensor leaves the others'
    draws unchanged, and observing a threat only up to some time draws what a full run
    draws up to then (:func:`fire_control_times`). Without ``rng``,
    a look detects where Pd >= the radar's design Pd and measurements are exact. Each threat
    is sampled on the C2 grid over its own flight only.

    ``stop_s`` (optional): per threat, the time after which its track is not needed: past
    it the track is updated only until it first reaches fire-control quality.

    ``tracker``: ``kernel`` (default) runs the tracking loop as one compiled kernel;
    ``reference`` runs the same loop in numpy through the :class:`Tracker` interface.

    ``timeline=False`` leaves every threat's list of events empty (the times are all in the
    observation's arrays; the events add where the threat was then).
    """
    if tracker not in _TRACKERS:
        raise ValueError(f"tracker must be one of {sorted(_TRACKERS)}, got '{tracker}'")
    key = None if rng is None else int(rng.integers(2**62))
    return _observe(
        trajectories, sensors, rcs_m2, config, key, shared, tracker, stop_s, timeline, threat_keys
    )


def _observe(
    trajectories: list[Trajectory],
    sensors: list[Radar | InfraredConstellation],
    rcs_m2: ArrayLike,
    config: C2Config | None,
    key: int | None,
    shared: list[tuple[Trajectory, float]] | None,
    tracker: str,
    stop_s: ArrayLike | None,
    timeline: bool,
    threat_keys: ArrayLike | None,
    t0: float | None = None,
    until_s: NDArray[np.float64] | None = None,
) -> Observation:
    """:func:`observe` with the draws' key, and optionally the grid's origin ``t0`` and
    each threat's last sample time ``until_s``."""
    cfg = config or C2Config()
    n = len(trajectories)
    dt = cfg.dt_s
    if t0 is None:
        t0 = min(float(tr.t_s[0]) for tr in trajectories)
    sm = _sample(trajectories, t0, dt, shared, until_s)
    burnout = np.array(
        [tr.burnout_time_s if math.isfinite(tr.burnout_time_s) else np.inf for tr in trajectories]
    )
    rcs = np.broadcast_to(np.asarray(rcs_m2, float), (n,))

    radars = [s for s in sensors if isinstance(s, Radar)]
    irs = [s for s in sensors if isinstance(s, InfraredConstellation)]
    draws = None
    if key is not None:
        keys = np.arange(n, dtype=np.int64) if threat_keys is None else np.asarray(threat_keys)
        draws = _Draws(
            split_key(key),
            np.array([zlib.crc32(s.name.encode()) for s in radars], np.int64),
            keys.astype(np.int64),
        )

    ir_t, ir_by, plume_end_known = _infrared(sm, irs, burnout, t0, n)
    ir_best = _nanmin(ir_t) if irs else np.full(n, np.nan)
    t_cue = ir_best + cfg.cue_latency_s
    cue_or_inf = np.where(np.isnan(t_cue), np.inf, t_cue)

    looks = _radar_looks(sm, radars, draws, rcs, cue_or_inf, cfg, n)
    first_det = _nanmin(looks.det_t) if radars else np.full(n, np.nan)
    track_init = _nanmin(looks.init_t) if radars else np.full(n, np.nan)
    stop = (
        np.full(n, np.inf) if stop_s is None else np.broadcast_to(np.asarray(stop_s, float), (n,))
    )
    ekf, fc, fc_by, tracks, cost = _TRACKERS[tracker](
        sm, radars, draws, looks, plume_end_known, track_init, cfg, n, t0, stop
    )

    # ---- timelines ------------------------------------------------------------------------
    kinds: list[tuple[str, NDArray, list[str]]] = []
    if irs:
        names = [irs[int(b)].name for b in ir_by]
        kinds += [("ir_detection", ir_best, names), ("cue", t_cue, names)]
    by_fc = [radars[int(b)].name if b >= 0 else "" for b in fc_by]
    if radars:
        by_det = [radars[int(b)].name for b in np.argmin(np.nan_to_num(looks.det_t, nan=np.inf), 0)]
        by_init = [
            radars[int(b)].name for b in np.argmin(np.nan_to_num(looks.init_t, nan=np.inf), 0)
        ]
        kinds += [
            ("radar_detection", first_det, by_det),
            ("track_initiated", track_init, by_init),
            ("fire_control_track", fc, by_fc),
        ]
    events: list[list[Event]] = [[] for _ in range(n)]
    for i, tr in enumerate(trajectories if timeline else ()):
        got = [(kind, float(times[i]), by[i]) for kind, times, by in kinds]
        got = [g for g in got if math.isfinite(g[1])]
        if not got:
            continue
        tc = np.clip([g[1] for g in got], float(tr.t_s[0]), float(tr.t_s[-1]))
        lat, lon, hh = tr.geodetic(tc)
        row = [
            Event(te, kind, who, float(hh[c]) / 1e3, float(lat[c]), float(lon[c]))
            for c, (kind, te, who) in enumerate(got)
        ]
        row.sort(key=lambda e: (e.t_s, EVENT_KINDS.index(e.kind)))
        events[i] = row
    first_any = _nanmin(np.stack([first_det, ir_best]))
    grid = np.asarray(t0 + dt * np.arange(int(sm.k.max()) + 1 if sm.k.size else 1), np.float64)
    cost["samples"] = int(sm.t.size)
    return Observation(events, first_any, track_init, fc, ekf, grid, tracks, by_fc, cost)


#: look-ahead spans [s] after a threat's first sample over which :func:`fire_control_times`
#: observes it before observing the threats without a fire-control track further (the
#: catalogue's North Korean threats reach one some 100 s after launch, out of 400-900 s of
#: flight)
FIRE_CONTROL_SPANS_S = (150.0, 400.0)


@dataclass(frozen=True)
class FireControlTimes:
    """Per threat, as :func:`observe` gives them [s]: the first detection by any sensor,
    the first radar track initiation and the first fire-control-quality track (NaN:
    never), and the radar of that track's update ('' if none)."""

    first_detection_s: NDArray[np.float64]
    track_initiated_s: NDArray[np.float64]
    fire_control_track_s: NDArray[np.float64]
    fire_control_by: list[str]
    #: samples observed, over every pass
    samples: int


def fire_control_times(
    trajectories: list[Trajectory],
    sensors: list[Radar | InfraredConstellation],
    rcs_m2: ArrayLike = 0.1,
    config: C2Config | None = None,
    rng: np.random.Generator | None = None,
    shared: list[tuple[Trajectory, float]] | None = None,
    threat_keys: ArrayLike | None = None,
    spans_s: tuple[float, ...] = FIRE_CONTROL_SPANS_S,
) -> FireControlTimes:
    """The times :func:`observe` gives (same arguments, same draws), observing each threat
    only as far as needed: first over ``spans_s[0]`` after its first sample (and at least
    to its burnout, so the infrared plume's end is known as in a full run), then the
    threats without a fire-control track over the next span, and at last over their whole
    flights.

    The observation is causal and its draws are counter-based, so a threat observed up to
    some time has every look, draw and filter update a full observation has up to then. The
    fire-control time is the earliest time at the C2 node (measurement time plus link
    latency) of an update that reaches the quality, over the updates measured before it: a
    fire-control time within the span is therefore the full run's, and so are the first
    detection and track initiation (both come before it). A threat without one within the
    last span is observed over its whole flight. The cost follows
    the flight up to the fire-control track, a fraction of the whole flight for most
    threats."""
    cfg = config or C2Config()
    if cfg.track_until != "fire_control":
        raise ValueError("fire_control_times needs a C2 configuration tracking to fire control")
    n = len(trajectories)
    key = None if rng is None else int(rng.integers(2**62))
    keys = np.arange(n, dtype=np.int64) if threat_keys is None else np.asarray(threat_keys)
    rcs = np.broadcast_to(np.asarray(rcs_m2, float), (n,))
    first = np.full(n, np.nan)
    init = np.full(n, np.nan)
    fc = np.full(n, np.nan)
    by = [""] * n
    if n == 0:
        return FireControlTimes(first, init, fc, by, 0)
    t0 = min(float(tr.t_s[0]) for tr in trajectories)
    start = np.array([float(tr.t_s[0]) for tr in trajectories])
    burnout = np.array([float(tr.burnout_time_s) for tr in trajectories])
    burnout = np.where(np.isfinite(burnout), burnout, -np.inf)
    todo = np.arange(n)
    samples = 0
    for span in (*spans_s, math.inf):
        until = np.maximum(start[todo] + span, burnout[todo])
        ob = _observe(
            [trajectories[i] for i in todo],
            sensors,
            rcs[todo],
            cfg,
            key,
            None if shared is None else [shared[i] for i in todo],
            "kernel",
            None,
            False,
            keys[todo],
            t0,
            None if math.isinf(span) else until,
        )
        samples += ob.cost["samples"]
        # a fire-control time is the earliest (time + link latency) of the updates that
        # reach the quality, over the updates before it: final once they are all observed
        done = (ob.fire_control_track_s <= until) | math.isinf(span)
        idx = todo[done]
        first[idx] = ob.first_detection_s[done]
        init[idx] = ob.track_initiated_s[done]
        fc[idx] = ob.fire_control_track_s[done]
        for i, b in zip(idx, np.flatnonzero(done), strict=True):
            by[int(i)] = ob.fire_control_by[int(b)]
        todo = todo[~done]
        if todo.size == 0:
            break
    return FireControlTimes(first, init, fc, by, samples)
