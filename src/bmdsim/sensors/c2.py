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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim.earth.geodetic import ecef_to_geodetic
from bmdsim.flight.trajectory import Trajectory
from bmdsim.sensors.infrared import InfraredConstellation
from bmdsim.sensors.radar import Radar, geocentric_surface_radius_m
from bmdsim.sensors.tracking import BallisticEKF, measure_rae, propagate_ballistic

__all__ = ["EVENT_KINDS", "C2Config", "Event", "Observation", "TrackHistory", "observe"]

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
    # keep every track state after each update (for fire control from the estimate)
    record_tracks: bool = False


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
    ekf: BallisticEKF
    t_grid_s: NDArray[np.float64] = field(repr=False)
    tracks: TrackHistory | None = field(default=None, repr=False)  # with record_tracks
    fire_control_by: list[str] = field(default_factory=list)  # radar of the FC-quality update

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
    """Every state of every threat's track after each measurement update.

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
    def __init__(self, n: int) -> None:
        self.rows: list[list[tuple[float, float, NDArray, NDArray, float, str]]] = [
            [] for _ in range(n)
        ]
        self.known = np.full(n, -np.inf)

    def add(self, idx: NDArray, t_meas: float, latency: float, ekf: BallisticEKF, by: str) -> None:
        self.known[idx] = np.maximum(self.known[idx], t_meas + latency)
        for i in idx:
            self.rows[i].append(
                (
                    float(self.known[i]),
                    float(ekf.t_s[i]),
                    ekf.x[i].copy(),
                    ekf.p[i].copy(),
                    float(ekf.q[i]),
                    by,
                )
            )

    def history(self) -> TrackHistory:
        def col(i: int, c: int, shape: tuple[int, ...]) -> NDArray:
            rows = self.rows[i]
            return np.array([r[c] for r in rows], float).reshape((len(rows), *shape))

        n = len(self.rows)
        # states are recorded in measurement order; their known times never decrease
        return TrackHistory(
            [col(i, 0, ()) for i in range(n)],
            [col(i, 1, ()) for i in range(n)],
            [col(i, 2, (6,)) for i in range(n)],
            [col(i, 3, (6, 6)) for i in range(n)],
            [col(i, 4, ()) for i in range(n)],
            [[r[5] for r in self.rows[i]] for i in range(n)],
        )


def _nanmin(a: NDArray, axis: int = 0) -> NDArray:
    with np.errstate(invalid="ignore"):
        return np.where(
            np.all(np.isnan(a), axis=axis),
            np.nan,
            np.nanmin(np.where(np.isnan(a), np.inf, a), axis=axis),
        )


def _first_time(mask: NDArray, t: NDArray) -> NDArray:
    anyv = mask.any(axis=1)
    return np.where(anyv, t[np.argmax(mask, axis=1)], np.nan)


def observe(
    trajectories: list[Trajectory],
    sensors: list[Radar | InfraredConstellation],
    rcs_m2: ArrayLike = 0.1,
    config: C2Config | None = None,
    rng: np.random.Generator | None = None,
) -> Observation:
    """Observe threats with placed sensors; see the module docstring.

    With ``rng`` detections are Swerling 1 draws and measurements are noisy; each radar draws
    from its own stream (seeded from ``rng`` and the radar's name), so adding or removing a
    sensor leaves the others' draws unchanged. Without ``rng``,
    a look detects where Pd >= the radar's design Pd and measurements are exact.
    """
    cfg = config or C2Config()
    n = len(trajectories)
    dt = cfg.dt_s
    t0 = min(float(tr.t_s[0]) for tr in trajectories)
    t1 = max(float(tr.t_s[-1]) for tr in trajectories)
    t = t0 + dt * np.arange(int(math.floor((t1 - t0) / dt)) + 1)
    nt = t.size
    r = np.full((n, nt, 3), np.nan)
    burnout = np.empty(n)
    for i, tr in enumerate(trajectories):
        a = int(np.searchsorted(t, tr.t_s[0] - 1e-9))
        b = int(np.searchsorted(t, tr.t_s[-1] + 1e-9))
        if b > a:
            r[i, a:b] = tr.ecef(t[a:b])
        burnout[i] = tr.burnout_time_s if math.isfinite(tr.burnout_time_s) else np.inf
    valid = ~np.isnan(r[..., 0])
    h = np.linalg.norm(r, axis=-1) - geocentric_surface_radius_m(r)
    rcs = np.broadcast_to(np.asarray(rcs_m2, float), (n,))

    radars = [s for s in sensors if isinstance(s, Radar)]
    irs = [s for s in sensors if isinstance(s, InfraredConstellation)]
    streams: list[np.random.Generator | None] = [None] * len(radars)
    if rng is not None:
        base = int(rng.integers(2**62))
        streams = [np.random.default_rng([base, zlib.crc32(s.name.encode())]) for s in radars]

    # ---- infrared: sightings, cues and plume-end knowledge ---------------------------------
    ir_t = np.full((len(irs), n), np.nan)
    plume_end_known = np.full(n, np.nan)
    for j, s in enumerate(irs):
        first, last = s.detection_times_s(t, h, burnout, phase_s=t0)
        ir_t[j] = first + s.latency_s + s.link_latency_s
        pe = last + s.revisit_s + s.latency_s + s.link_latency_s
        plume_end_known = np.fmin(plume_end_known, pe)
    ir_best = _nanmin(ir_t) if irs else np.full(n, np.nan)
    ir_by = np.argmin(np.where(np.isnan(ir_t), np.inf, ir_t), axis=0) if irs else None
    t_cue = ir_best + cfg.cue_latency_s
    cue_or_inf = np.where(np.isnan(t_cue), np.inf, t_cue)

    # ---- radars: looks and detections on the grid -----------------------------------------
    det_t = np.full((len(radars), n), np.nan)
    init_t = np.full((len(radars), n), np.nan)
    det_masks: list[NDArray[np.bool_]] = []
    snrs: list[NDArray[np.float64]] = []
    flat = np.where(valid[..., None], r, 0.0).reshape(-1, 3)
    kk = np.arange(nt)
    for j, s in enumerate(radars):
        with np.errstate(invalid="ignore", divide="ignore"):
            vis, g = s.visible(flat)
        vis = vis.reshape(n, nt) & valid
        snr_c = s.snr(g["range_m"], np.repeat(rcs, nt), True).reshape(n, nt)
        snr_s = snr_c * 10 ** (-s.search_loss_db / 10)
        pfa = s.pfa
        pd_c = np.power(pfa, 1.0 / (1.0 + snr_c))
        pd_s = np.power(pfa, 1.0 / (1.0 + snr_s))
        stream = streams[j]
        if stream is None:
            hit_c, hit_s = pd_c >= s.pd_design, pd_s >= s.pd_design
        else:
            u = stream.random((n, nt))
            hit_c, hit_s = u < pd_c, u < pd_s
        ks = max(1, round(s.search_revisit_s / dt))
        kt = max(1, round(s.track_revisit_s / dt))
        search_look = (kk % ks) == 0
        track_look = (kk % kt) == 0
        before_cue = t[None, :] < cue_or_inf[:, None]
        sd = vis & hit_s & search_look[None, :] & before_cue
        t_sd = _first_time(sd, t)
        t_sw = np.fmin(np.where(np.isnan(t_sd), np.inf, t_sd + dt), cue_or_inf)
        after = t[None, :] >= t_sw[:, None]
        det = (sd & ~after) | (after & track_look[None, :] & vis & hit_c)
        det_masks.append(det)
        snrs.append(snr_c)
        det_t[j] = _first_time(det, t) + s.link_latency_s
        # M of N over track looks after the switch (the first search hit counts as one)
        cols = np.nonzero(track_look)[0]
        dd = det[:, cols] & after[:, cols]
        cs = np.cumsum(dd, axis=1) + (~np.isnan(t_sd))[:, None]
        lag = (
            np.concatenate([np.zeros((n, cfg.n_looks)), cs[:, : -cfg.n_looks]], axis=1)[
                :, : cs.shape[1]
            ]
            if cs.shape[1] > cfg.n_looks
            else np.zeros_like(cs)
        )
        ok = (cs - lag) >= cfg.m_detections
        init_t[j] = _first_time(ok, t[cols]) + s.link_latency_s
    first_det = _nanmin(det_t) if radars else np.full(n, np.nan)
    track_init = _nanmin(init_t) if radars else np.full(n, np.nan)

    # ---- EKF over all radar measurements in time order ------------------------------------
    ekf = BallisticEKF(n)
    fc = np.full(n, np.nan)
    fc_by = np.full(n, -1)
    rec = _Recorder(n) if cfg.record_tracks else None
    maneuver_until = np.full(n, -np.inf)
    init_raw = track_init.copy()
    site_info = [s.site_ecef_enu() for s in radars]
    any_det = np.zeros(nt, bool)
    for d in det_masks:
        any_det |= d.any(axis=0)
    for k in np.nonzero(any_det)[0]:
        tk = t[k]
        for j, s in enumerate(radars):
            idx = np.nonzero(det_masks[j][:, k])[0]
            if cfg.track_until == "fire_control":  # done once a fire-control time is known
                idx = idx[~(fc[idx] <= tk)]
            if idx.size == 0:
                continue
            site, basis = site_info[j]
            truth = r[idx, k]
            z = measure_rae(truth, site, basis)
            sr, sa = s.measurement_sigmas(snrs[j][idx, k])
            rm = np.zeros((idx.size, 3, 3))
            rm[:, 0, 0], rm[:, 1, 1], rm[:, 2, 2] = sr**2, (sa / np.cos(z[:, 2])) ** 2, sa**2
            stream = streams[j]
            if stream is not None:
                z = z + stream.standard_normal((idx.size, 3)) * np.sqrt(
                    np.diagonal(rm, axis1=1, axis2=2)
                )
            new = idx[~ekf.active[idx]]
            old = idx[ekf.active[idx]]
            if new.size:
                sel = ~ekf.active[idx]
                ekf.initialize(new, tk, z[sel], rm[sel], site, basis)
                maneuver_until[new] = tk + cfg.maneuver_hold_s
            if old.size == 0:
                continue
            sel = ekf.active[idx] & np.isin(idx, old)
            # thrust possible: the own track's inference, narrowed by the IR plume report
            # when there is one (more information can only shorten the boost hold)
            pe = plume_end_known[old]
            ir_says_burning = np.where(np.isnan(pe), True, tk < pe)
            boost = (tk < maneuver_until[old]) & ir_says_burning
            ekf.q[old] = np.where(boost, cfg.q_boost_m2_s3, cfg.q_ballistic_m2_s3)
            ekf.predict(old, tk)
            nis = ekf.update(old, z[sel], rm[sel], site, basis)
            if rec is not None:
                rec.add(old, tk, s.link_latency_s, ekf, s.name)
            jump = (nis > cfg.nis_gate) & ir_says_burning
            maneuver_until[old[jump]] = tk + cfg.maneuver_hold_s
            boost = boost | jump
            # a track known sooner through a faster link counts (allied reports arrive late)
            t_known = tk + s.link_latency_s
            open_ = np.isnan(fc[old]) | (fc[old] > t_known)
            cand = old[~boost & open_ & (t_known >= init_raw[old])]
            if cand.size:
                sig = ekf.position_sigma_ahead_m(
                    cand, cfg.fc_ahead_s, np.full(cand.size, cfg.q_ballistic_m2_s3)
                )
                good = cand[sig < cfg.fc_sigma_m]
                fc[good] = np.fmin(fc[good], t_known)
                fc_by[good] = j

    # ---- timelines ------------------------------------------------------------------------
    kinds: list[tuple[str, NDArray, list[str]]] = []
    if irs:
        assert ir_by is not None
        names = [irs[int(b)].name for b in ir_by]
        kinds += [("ir_detection", ir_best, names), ("cue", t_cue, names)]
    if radars:
        by_det = [radars[int(b)].name for b in np.argmin(np.nan_to_num(det_t, nan=np.inf), 0)]
        by_init = [radars[int(b)].name for b in np.argmin(np.nan_to_num(init_t, nan=np.inf), 0)]
        by_fc = [radars[int(b)].name if b >= 0 else "" for b in fc_by]
        kinds += [
            ("radar_detection", first_det, by_det),
            ("track_initiated", track_init, by_init),
            ("fire_control_track", fc, by_fc),
        ]
    events: list[list[Event]] = [[] for _ in range(n)]
    if kinds:
        times = np.stack([kd[1] for kd in kinds], axis=1)  # (n, K)
        pos = _positions_at(r, t, times)
        lat, lon, hh = ecef_to_geodetic(np.nan_to_num(pos).reshape(-1, 3))
        lat = np.degrees(lat).reshape(times.shape)
        lon = np.degrees(lon).reshape(times.shape)
        hh = hh.reshape(times.shape)
        for i in range(n):
            row = []
            for c, (kind, _, by) in enumerate(kinds):
                if math.isfinite(times[i, c]):
                    row.append(
                        Event(
                            float(times[i, c]),
                            kind,
                            by[i],
                            float(hh[i, c]) / 1e3,
                            float(lat[i, c]),
                            float(lon[i, c]),
                        )
                    )
            row.sort(key=lambda e: (e.t_s, EVENT_KINDS.index(e.kind)))
            events[i] = row
    first_any = _nanmin(np.stack([first_det, ir_best]))
    names_fc = [radars[int(b)].name if b >= 0 else "" for b in fc_by]
    tracks = rec.history() if rec is not None else None
    return Observation(events, first_any, track_init, fc, ekf, t, tracks, names_fc)


def _positions_at(r: NDArray, t: NDArray, times: NDArray) -> NDArray:
    """Threat positions at event times (linear between grid nodes, clipped to the flight)."""
    n, k = times.shape
    out = np.full((n, k, 3), np.nan)
    valid = ~np.isnan(r[..., 0])
    last = np.where(valid.any(1), valid.shape[1] - 1 - np.argmax(valid[:, ::-1], axis=1), 0)
    first = np.argmax(valid, axis=1)
    dt = t[1] - t[0] if t.size > 1 else 1.0
    rows = np.arange(n)
    for c in range(k):
        tt = times[:, c]
        ok = np.isfinite(tt)
        x = np.clip((np.nan_to_num(tt) - t[0]) / dt, first, last)
        i0 = np.floor(x).astype(int)
        i1 = np.minimum(i0 + 1, last)
        w = (x - i0)[:, None]
        p = r[rows, i0] * (1 - w) + r[rows, i1] * w
        p = np.where(np.isnan(p), r[rows, i0], p)
        out[ok, c] = p[ok]
    return out
