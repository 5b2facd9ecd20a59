"""Radar geometry and looks: the numba kernels.

One pass over ECEF points per radar gives what :meth:`bmdsim.sensors.radar.Radar.visible`
computes with numpy temporaries: the slant range, the apparent (4/3-Earth) elevation, the
horizon, minimum-elevation and terrain-mask test, the faces' scan cones and the instrumented
range. The formulas and their order are the numpy reference's (``Radar.visible_reference``),
so the results agree to rounding (transcendental functions: libm here, numpy's own SIMD
versions there). Further kernels run the C2 node's search / track look sequence of one
radar over every threat (:func:`bmdsim.sensors.c2._radar_looks_part`), turn its detections
into noisy measurements (:func:`bmdsim.sensors.c2._measurements`) and give the geometric
(range, azimuth, elevation) of points (:func:`bmdsim.sensors.tracking.measure_rae`).

The geometry and measurement passes run on one thread below :data:`PARALLEL_MIN_POINTS`
points and on every thread (``prange`` over blocks) from there; both give the same bits.

Angles in radians unless a name says ``_deg``, lengths in metres.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange
from numpy.typing import NDArray

from bmdsim._core.constants import A_M, B_M
from bmdsim._core.counter_rng import PURPOSE_DETECTION, counter_normals3, counter_uniform
from bmdsim._core.jit import jit, pjit

__all__ = [
    "interp_periodic_s",
    "radar_geometry",
    "radar_look_sequence",
    "radar_measurements",
    "rae_many",
]

_TWO_PI = 2.0 * math.pi
_AB = A_M * B_M
_AA = A_M * A_M
_BB = B_M * B_M
_RAD_TO_DEG = 180.0 / math.pi
_DEG_TO_RAD = math.pi / 180.0
_BLOCK = 4096  # points per task of the parallel passes

#: points (detections, for the measurements) from which the geometry and measurement
#: passes use every thread. A pass over the C2 node's part of some 40,000 samples takes a
#: millisecond or two on one thread: waking the other threads for each (hundreds of times
#: in a footprint) costs about as much, and far more when other processes hold the cores.
PARALLEL_MIN_POINTS = 400_000


@jit()
def interp_periodic_s(x: float, xp: NDArray, fp: NDArray, period: float) -> float:
    """``numpy.interp(x, xp0, fp0, period=period)`` for one ``x``, with ``xp`` / ``fp`` the
    table numpy builds from ``xp0`` / ``fp0`` (taken modulo the period, sorted, and extended
    by one entry on each side)."""
    if x != x:
        return x
    x = x % period
    n = xp.shape[0]
    if x < xp[0]:
        return fp[0]
    if x > xp[n - 1]:
        return fp[n - 1]
    # the last j with xp[j] <= x
    lo = 0
    hi = n
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if xp[mid] <= x:
            lo = mid
        else:
            hi = mid
    j = lo
    if j == n - 1 or xp[j] == x:
        return fp[j]
    slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
    y = slope * (x - xp[j]) + fp[j]
    if y != y:  # numpy's fallbacks for an infinite slope
        y = slope * (x - xp[j + 1]) + fp[j + 1]
        if y != y and fp[j] == fp[j + 1]:
            y = fp[j]
    return y


@jit()
def _azimuth_s(e: float, nn: float) -> float:
    """Azimuth [rad, 0..2pi] of an ENU direction: ``numpy.mod(arctan2(e, nn), 2 pi)``."""
    az = math.atan2(e, nn)
    if az < 0.0:
        az += _TWO_PI
    elif az == 0.0:
        az = 0.0  # +0, as numpy.mod gives for -0
    return az


@jit()
def _floor_s(az: float, min_el: float, mask_az_deg: NDArray, mask_el_deg: NDArray) -> float:
    """Lowest usable elevation at an azimuth: max(minimum elevation, terrain mask)."""
    if mask_az_deg.shape[0] == 0:
        return min_el
    m = interp_periodic_s(az * _RAD_TO_DEG, mask_az_deg, mask_el_deg, 360.0) * _DEG_TO_RAD
    if m != m:
        return m
    return m if m > min_el else min_el


@jit()
def _geometry_range(
    lo: int,
    hi: int,
    r: NDArray,
    site: NDArray,
    basis: NDArray,
    site_norm_m: float,
    r_local_m: float,
    site_h_m: float,
    k_factor: float,
    min_el: float,
    mask_az_deg: NDArray,
    mask_el_deg: NDArray,
    normals: NDArray,
    cos_limits: NDArray,
    max_range_m: float,
    full: bool,
    vis: NDArray,
    range_m: NDArray,
    az_out: NDArray,
    el_out: NDArray,
    ground_out: NDArray,
    h_out: NDArray,
) -> None:
    """:func:`radar_geometry` of points ``lo`` to ``hi - 1``."""
    nf = normals.shape[0]
    re = k_factor * r_local_m
    rsk = re + site_h_m
    masked = mask_az_deg.shape[0] > 0
    # without a mask the floor is min_el: test the elevation without the arctangent
    sin_floor = math.sin(min_el)
    cos_floor = math.cos(min_el)
    floor_by_sign = not full and not masked and abs(min_el) < 0.5 * math.pi
    for i in range(lo, hi):
        x = r[i, 0]
        y = r[i, 1]
        z = r[i, 2]
        d0 = x - site[0]
        d1 = y - site[1]
        d2 = z - site[2]
        rng = math.sqrt(d0 * d0 + d1 * d1 + d2 * d2)
        range_m[i] = rng
        in_range = rng <= max_range_m
        if not full and not in_range:
            vis[i] = False
            continue
        e = basis[0, 0] * d0 + basis[0, 1] * d1 + basis[0, 2] * d2
        nn = basis[1, 0] * d0 + basis[1, 1] * d1 + basis[1, 2] * d2
        # ground range: the central angle on the sphere of the local radius
        rn = math.sqrt(x * x + y * y + z * z)
        c = (x * site[0] + y * site[1] + z * site[2]) / (rn * site_norm_m)
        if c > 1.0:
            c = 1.0
        elif c < -1.0:
            c = -1.0
        ground = math.acos(c) * r_local_m
        # height above the geocentric surface of the ellipsoid
        sl = z / rn
        cl2 = 1.0 - sl * sl
        h = rn - _AB / math.sqrt(_BB * cl2 + _AA * sl * sl)
        # apparent elevation on the k-Earth: el = atan2(ey, ex), ex >= 0 short of the
        # antipodes of the effective Earth
        th = ground / re
        rt = re + h
        ex = rt * math.sin(th)
        ey = rt * math.cos(th) - rsk
        if floor_by_sign and ex >= 0.0:
            # atan2(ey, ex) >= min_el, both in [-pi/2, pi/2]
            ok = in_range and ey * cos_floor - ex * sin_floor >= 0.0
            el = 0.0
            az = 0.0
        else:
            el = math.atan2(ey, ex)
            az = _azimuth_s(e, nn) if full or masked else 0.0
            if full:
                az_out[i] = az
                el_out[i] = el
                ground_out[i] = ground
                h_out[i] = h
            ok = in_range and el >= _floor_s(az, min_el, mask_az_deg, mask_el_deg)
        if ok and nf > 0:
            ok = False
            if full:
                ce = math.cos(el)
                ux = math.sin(az) * ce
                uy = math.cos(az) * ce
                uz = math.sin(el)
                for f in range(nf):
                    if (
                        ux * normals[f, 0] + uy * normals[f, 1] + uz * normals[f, 2]
                        >= cos_limits[f]
                    ):
                        ok = True
                        break
            else:
                # the unit vector (sin az cos el, cos az cos el, sin el) times hyp, with
                # sin az = e / hz, cos az = nn / hz, cos el = ex / hyp, sin el = ey / hyp
                hz = math.sqrt(e * e + nn * nn)
                hyp = math.sqrt(ex * ex + ey * ey)
                if hz > 0.0:
                    se = e / hz * ex
                    sn = nn / hz * ex
                else:  # overhead: azimuth 0
                    se = 0.0
                    sn = ex
                for f in range(nf):
                    if se * normals[f, 0] + sn * normals[f, 1] + ey * normals[f, 2] >= (
                        cos_limits[f] * hyp
                    ):
                        ok = True
                        break
        vis[i] = ok


@pjit()
def _geometry_range_parallel(
    lo: int,
    hi: int,
    r: NDArray,
    site: NDArray,
    basis: NDArray,
    site_norm_m: float,
    r_local_m: float,
    site_h_m: float,
    k_factor: float,
    min_el: float,
    mask_az_deg: NDArray,
    mask_el_deg: NDArray,
    normals: NDArray,
    cos_limits: NDArray,
    max_range_m: float,
    full: bool,
    vis: NDArray,
    range_m: NDArray,
    az_out: NDArray,
    el_out: NDArray,
    ground_out: NDArray,
    h_out: NDArray,
) -> None:
    """:func:`_geometry_range` in blocks on every thread."""
    blocks = (hi - lo + _BLOCK - 1) // _BLOCK
    for b in prange(blocks):
        _geometry_range(
            lo + b * _BLOCK,
            min(hi, lo + (b + 1) * _BLOCK),
            r,
            site,
            basis,
            site_norm_m,
            r_local_m,
            site_h_m,
            k_factor,
            min_el,
            mask_az_deg,
            mask_el_deg,
            normals,
            cos_limits,
            max_range_m,
            full,
            vis,
            range_m,
            az_out,
            el_out,
            ground_out,
            h_out,
        )


def radar_geometry(
    r: NDArray,
    site: NDArray,
    basis: NDArray,
    site_norm_m: float,
    r_local_m: float,
    site_h_m: float,
    k_factor: float,
    min_el: float,
    mask_az_deg: NDArray,
    mask_el_deg: NDArray,
    normals: NDArray,
    cos_limits: NDArray,
    max_range_m: float,
    full: bool,
    vis: NDArray,
    range_m: NDArray,
    az_out: NDArray,
    el_out: NDArray,
    ground_out: NDArray,
    h_out: NDArray,
) -> None:
    """Line of sight of one radar to points ``r`` (S, 3): ``vis`` and ``range_m`` (S,).

    ``site`` (3,) and ``basis`` (3, 3, rows e, n, u) place the radar; ``site_norm_m`` is
    the site's distance from the Earth's centre, ``r_local_m`` the Earth radius under it,
    ``min_el`` the minimum elevation, ``mask_*`` the terrain mask table (see
    :func:`interp_periodic_s`; empty: none), ``normals`` (F, 3) the faces' ENU boresights
    and ``cos_limits`` (F,) the cosines of their scan limits (no faces: 360 deg).

    With ``full`` also azimuth, apparent elevation, ground range and height (S,) of every
    point; without, the points out of range are left early and the elevation floor (without
    a terrain mask) and the faces are tested without the angles themselves (the angle
    outputs are not touched).
    """
    n = r.shape[0]
    run = _geometry_range_parallel if n >= PARALLEL_MIN_POINTS else _geometry_range
    run(
        0,
        n,
        r,
        site,
        basis,
        site_norm_m,
        r_local_m,
        site_h_m,
        k_factor,
        min_el,
        mask_az_deg,
        mask_el_deg,
        normals,
        cos_limits,
        max_range_m,
        full,
        vis,
        range_m,
        az_out,
        el_out,
        ground_out,
        h_out,
    )


@jit()
def _hit(
    draw: bool,
    pd: float,
    pd_design: float,
    key0: np.uint64,
    key1: np.uint64,
    ordinal: int,
    who: int,
    word: int,
) -> bool:
    """Whether a look detects: a Swerling draw below ``pd``, or ``pd`` at the design Pd."""
    if draw:
        return counter_uniform(key0, key1, ordinal, PURPOSE_DETECTION, who, word) < pd
    return pd >= pd_design


@jit()
def radar_look_sequence(
    start: NDArray,
    k: NDArray,
    t_s: NDArray,
    vis: NDArray,
    pd_cued: NDArray,
    pd_search: NDArray,
    draw: bool,
    key0: np.uint64,
    key1: np.uint64,
    who: NDArray,
    word: int,
    pd_design: float,
    cue_s: NDArray,
    dt_s: float,
    search_every: int,
    track_every: int,
    m_detections: int,
    n_looks: int,
    det: NDArray,
    det_t: NDArray,
    init_t: NDArray,
) -> None:
    """One radar's looks at every threat (samples ``start[i]`` to ``start[i + 1] - 1`` of
    threat ``i``, in time order): uncued search looks on grid indices ``k`` that are
    multiples of ``search_every`` before the cue ``cue_s[i]`` (inf: none), then track looks
    every ``track_every`` from the first search detection plus ``dt_s`` or the cue, whichever
    comes first. A look hits where the point is visible and, with ``draw``, its detection
    uniform is below ``pd`` (the counter-based draw of the look's sample ordinal within the
    threat, threat key ``who[i]`` and radar word ``word``,
    :mod:`bmdsim._core.counter_rng`), else where ``pd >= pd_design``. Writes ``det`` (S,), the first detection ``det_t`` and the first
    time ``m_detections`` of the last ``n_looks`` looks (the first search hit, then the track
    looks) hit, ``init_t`` (n,; NaN: never)."""
    n = start.shape[0] - 1
    # hits of the last n_looks looks (a slot is written before it is read, threat by threat)
    window = np.zeros(max(n_looks, 1), np.bool_)
    for i in range(n):
        lo = start[i]
        hi = start[i + 1]
        cue = cue_s[i]
        w = who[i]
        k0 = k[lo] if hi > lo else 0
        t_sd = np.nan
        for s in range(lo, hi):
            if (
                vis[s]
                and t_s[s] < cue
                and k[s] % search_every == 0
                and _hit(draw, pd_search[s], pd_design, key0, key1, k[s] - k0, w, word)
            ):
                t_sd = t_s[s]
                break
        t_sw = np.inf if t_sd != t_sd else t_sd + dt_s
        if cue < t_sw:
            t_sw = cue
        n_seen = 0
        count = 0
        first_det = np.nan
        first_init = np.nan
        for s in range(lo, hi):
            t = t_s[s]
            after = t >= t_sw
            track_look = after and (track_every == 1 or k[s] % track_every == 0)
            # a detecting search look (the first one: t_sd)
            sd = (
                (not after or t == t_sd)
                and vis[s]
                and t < cue
                and k[s] % search_every == 0
                and _hit(draw, pd_search[s], pd_design, key0, key1, k[s] - k0, w, word)
            )
            first_sd = sd and t == t_sd
            if after:
                d = (
                    track_look
                    and vis[s]
                    and _hit(draw, pd_cued[s], pd_design, key0, key1, k[s] - k0, w, word)
                )
            else:
                d = sd
            det[s] = d
            if d and first_det != first_det:
                first_det = t
            if first_sd or track_look:
                if n_looks > 0:
                    slot = n_seen % n_looks
                    if n_seen >= n_looks and window[slot]:
                        count -= 1
                    window[slot] = d
                    if d:
                        count += 1
                n_seen += 1
                if count >= m_detections and first_init != first_init:
                    first_init = t
        det_t[i] = first_det
        init_t[i] = first_init


@jit()
def rae_many(r: NDArray, site: NDArray, basis: NDArray, out: NDArray) -> None:
    """Range [m], azimuth [rad, 0..2pi] and geometric elevation [rad] (out (n, 3)) of points
    ``r`` (n, 3) from a site with ENU basis ``basis`` (rows e, n, u)."""
    for i in range(r.shape[0]):
        d0 = r[i, 0] - site[0]
        d1 = r[i, 1] - site[1]
        d2 = r[i, 2] - site[2]
        e = basis[0, 0] * d0 + basis[0, 1] * d1 + basis[0, 2] * d2
        nn = basis[1, 0] * d0 + basis[1, 1] * d1 + basis[1, 2] * d2
        up = basis[2, 0] * d0 + basis[2, 1] * d1 + basis[2, 2] * d2
        rho = math.sqrt(e * e + nn * nn + up * up)
        s = up / rho
        if s > 1.0:
            s = 1.0
        elif s < -1.0:
            s = -1.0
        out[i, 0] = rho
        out[i, 1] = _azimuth_s(e, nn)
        out[i, 2] = math.asin(s)


@jit()
def _measure_s(
    det: NDArray,
    snr: NDArray,
    r: NDArray,
    k: NDArray,
    thr: NDArray,
    site: NDArray,
    basis: NDArray,
    sigmas: NDArray,
    noisy: NDArray,
    key0: np.uint64,
    key1: np.uint64,
    words: NDArray,
    who: NDArray,
    kfirst: NDArray,
    t0_s: float,
    dt_s: float,
    lo: int,
    hi: int,
    m: int,
    radar_out: NDArray,
    thr_out: NDArray,
    t_out: NDArray,
    z_out: NDArray,
    rdiag_out: NDArray,
    rank_out: NDArray,
) -> None:
    """The measurements of samples ``lo`` to ``hi - 1`` (whole threats) from row ``m`` on."""
    nr = det.shape[0]
    first = m
    for s in range(lo, hi):
        if s > lo and thr[s] != thr[s - 1]:
            first = m
        for j in range(nr):
            if not det[j, s]:
                continue
            d0 = r[s, 0] - site[j, 0]
            d1 = r[s, 1] - site[j, 1]
            d2 = r[s, 2] - site[j, 2]
            e = basis[j, 0, 0] * d0 + basis[j, 0, 1] * d1 + basis[j, 0, 2] * d2
            nn = basis[j, 1, 0] * d0 + basis[j, 1, 1] * d1 + basis[j, 1, 2] * d2
            up = basis[j, 2, 0] * d0 + basis[j, 2, 1] * d1 + basis[j, 2, 2] * d2
            rho = math.sqrt(e * e + nn * nn + up * up)
            sn = up / rho
            if sn > 1.0:
                sn = 1.0
            elif sn < -1.0:
                sn = -1.0
            el = math.asin(sn)
            # Radar.measurement_sigmas (numpy.maximum: NaN wins)
            q = snr[j, s]
            if q < 1.0:
                q = 1.0
            root = math.sqrt(2.0 * q)
            sr = sigmas[j, 0] / root
            if sr < sigmas[j, 1]:
                sr = sigmas[j, 1]
            sa = sigmas[j, 2] / (1.6 * root)
            if sa < sigmas[j, 3]:
                sa = sigmas[j, 3]
            sr = sr * sigmas[j, 4]
            sa = sa * sigmas[j, 4]
            v0 = sr * sr
            v1 = sa / math.cos(el)
            v1 = v1 * v1
            v2 = sa * sa
            z0 = rho
            z1 = _azimuth_s(e, nn)
            z2 = el
            if noisy[j]:
                i = thr[s]
                e0, e1, e2 = counter_normals3(key0, key1, k[s] - kfirst[i], who[i], words[j])
                z0 = z0 + e0 * math.sqrt(v0)
                z1 = z1 + e1 * math.sqrt(v1)
                z2 = z2 + e2 * math.sqrt(v2)
            radar_out[m] = j
            thr_out[m] = thr[s]
            t_out[m] = t0_s + k[s] * dt_s
            z_out[m, 0] = z0
            z_out[m, 1] = z1
            z_out[m, 2] = z2
            rdiag_out[m, 0] = v0
            rdiag_out[m, 1] = v1
            rdiag_out[m, 2] = v2
            rank_out[m] = m - first
            m += 1


@pjit()
def _radar_measurements_parallel(
    det: NDArray,
    snr: NDArray,
    r: NDArray,
    k: NDArray,
    thr: NDArray,
    site: NDArray,
    basis: NDArray,
    sigmas: NDArray,
    noisy: NDArray,
    key0: np.uint64,
    key1: np.uint64,
    words: NDArray,
    who: NDArray,
    kfirst: NDArray,
    t0_s: float,
    dt_s: float,
    radar_out: NDArray,
    thr_out: NDArray,
    t_out: NDArray,
    z_out: NDArray,
    rdiag_out: NDArray,
    rank_out: NDArray,
) -> None:
    nr = det.shape[0]
    ns = det.shape[1]
    # blocks of whole threats, some 64 samples or more each
    target = max(64, ns // 256)
    bounds = np.empty(ns + 2, np.int64)
    bounds[0] = 0
    nb = 0
    for s in range(1, ns):
        if thr[s] != thr[s - 1] and s - bounds[nb] >= target:
            nb += 1
            bounds[nb] = s
    if ns > 0:
        nb += 1
        bounds[nb] = ns
    counts = np.zeros((nb, nr), np.int64)
    for b in prange(nb):
        for s in range(bounds[b], bounds[b + 1]):
            for j in range(nr):
                if det[j, s]:
                    counts[b, j] += 1
    # where each block starts in the output
    out_at = np.empty(nb, np.int64)
    m = 0
    for b in range(nb):
        out_at[b] = m
        for j in range(nr):
            m += counts[b, j]
    for b in prange(nb):
        _measure_s(
            det,
            snr,
            r,
            k,
            thr,
            site,
            basis,
            sigmas,
            noisy,
            key0,
            key1,
            words,
            who,
            kfirst,
            t0_s,
            dt_s,
            bounds[b],
            bounds[b + 1],
            out_at[b],
            radar_out,
            thr_out,
            t_out,
            z_out,
            rdiag_out,
            rank_out,
        )


@jit()
def _radar_measurements_serial(
    det: NDArray,
    snr: NDArray,
    r: NDArray,
    k: NDArray,
    thr: NDArray,
    site: NDArray,
    basis: NDArray,
    sigmas: NDArray,
    noisy: NDArray,
    key0: np.uint64,
    key1: np.uint64,
    words: NDArray,
    who: NDArray,
    kfirst: NDArray,
    t0_s: float,
    dt_s: float,
    radar_out: NDArray,
    thr_out: NDArray,
    t_out: NDArray,
    z_out: NDArray,
    rdiag_out: NDArray,
    rank_out: NDArray,
) -> None:
    _measure_s(
        det,
        snr,
        r,
        k,
        thr,
        site,
        basis,
        sigmas,
        noisy,
        key0,
        key1,
        words,
        who,
        kfirst,
        t0_s,
        dt_s,
        np.int64(0),  # not a literal 0: the parallel caller's compiled body serves
        det.shape[1],
        np.int64(0),
        radar_out,
        thr_out,
        t_out,
        z_out,
        rdiag_out,
        rank_out,
    )


def radar_measurements(
    det: NDArray,
    snr: NDArray,
    r: NDArray,
    k: NDArray,
    thr: NDArray,
    site: NDArray,
    basis: NDArray,
    sigmas: NDArray,
    noisy: NDArray,
    key0: np.uint64,
    key1: np.uint64,
    words: NDArray,
    who: NDArray,
    kfirst: NDArray,
    t0_s: float,
    dt_s: float,
    radar_out: NDArray,
    thr_out: NDArray,
    t_out: NDArray,
    z_out: NDArray,
    rdiag_out: NDArray,
    rank_out: NDArray,
) -> None:
    """Every detection ``det[j, s]`` (R, S) of radar ``j`` at sample ``s`` as a measurement,
    in (sample, radar) order: the radar, the threat ``thr[s]`` (samples threat by threat),
    the time ``t0_s + k[s] dt_s``, the geometric (range, azimuth, elevation) of ``r[s]``
    from ``site[j]`` / ``basis[j]``, its variances from the cued SNR ``snr[j, s]`` and
    ``sigmas[j]`` (range resolution, least range sigma, beamwidth, least angle sigma, noise
    factor; see :meth:`bmdsim.sensors.radar.Radar.measurement_sigmas`), plus, for a
    ``noisy`` radar, three counter-based normals times the standard deviations (key
    ``key0, key1``; counter: the sample's ordinal within its threat, ``k[s] -
    kfirst[thr[s]]``, the threat key ``who[thr[s]]`` and the radar word ``words[j]``;
    :func:`bmdsim._core.counter_rng.counter_normals3`), and the measurement's rank within
    its threat. The outputs have
    one row per detection. With :data:`PARALLEL_MIN_POINTS` detections or more, in blocks
    of whole threats on every thread."""
    run = (
        _radar_measurements_parallel
        if radar_out.shape[0] >= PARALLEL_MIN_POINTS
        else _radar_measurements_serial
    )
    run(
        det,
        snr,
        r,
        k,
        thr,
        site,
        basis,
        sigmas,
        noisy,
        key0,
        key1,
        words,
        who,
        kfirst,
        t0_s,
        dt_s,
        radar_out,
        thr_out,
        t_out,
        z_out,
        rdiag_out,
        rank_out,
    )
