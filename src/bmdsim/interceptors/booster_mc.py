"""Booster-drop Monte Carlo: where an interceptor's spent stages fall, with their scatter.

:func:`bmdsim.interceptors.booster.booster_drop` gives the nominal impact point of each spent
stage. Here the uncertain inputs of that calculation are drawn within stated bounds, every
trial is flown with the full engine, and each stage's impact points are summarised: mean
point, 95 % ellipse, mean distance from the launcher and the fraction of trials that fall
within a given radius of it (the question that ended Aegis Ashore in Japan: Japan MoD,
15 June 2020, could not promise that the Mk 72 booster would fall inside the Mutsumi and
Araya training areas).

Bounds (each drawn independently, uniformly unless stated; module constants below)
-------------------------------------------------------------------------------------
* Pitch-over (kick) angle: the nominal kick x (1 +- 20 %) (:data:`KICK_FRACTION`), one per
  trial. A real fly-out is steered toward a predicted intercept point, so the early
  pitch-over changes from one engagement to the next (lofted or flatter fly-outs), while
  the catalog's kick is one calibration value. +-20 % is an assumption, not a published
  figure: enough to show how strongly the upper stages' impact points follow the fly-out.
* Stage burn time: each stage's burn time x (1 +- 2 %) (:data:`BURN_TIME_FRACTION`), one
  factor per stage and trial, at constant propellant mass and specific impulse, so the total
  impulse is unchanged and the thrust scales inversely. A solid motor burns faster when warm:
  burn-rate temperature sensitivities of ~0.1-0.3 %/K and a storage temperature spread of
  +-10 K give a few per cent (Sutton & Biblarz, *Rocket Propulsion Elements*, 9th ed.,
  ch. 12-13). It moves the separation times and states of every stage.
* Tumbling drag: each spent stage's ballistic coefficient beta (booster.py's tumbling
  cylinder) x a factor log-uniform in [1/1.5, 1.5] (:data:`BALLISTIC_FACTOR`), one factor
  per stage and trial: booster.py's estimate of beta is uncertain by about a factor 1.5
  either way (mean tumbling area and Cd ~0.8-1.2, Hoerner 1965).
* Wind: one horizontal wind per trial, speed uniform in [0, 30] m/s (:data:`WIND_MAX_M_S`),
  direction (the way it blows toward) uniform in [0, 360) deg, constant below 15 km
  altitude (:data:`WIND_CEILING_M`) and zero above. 30 m/s is a strong mean wind for the
  0-15 km column: surface winds are mostly below ~15 m/s, while the winter jet stream over
  Japan reaches 50-80 m/s near 10-12 km. Every spent stage of a trial meets the same wind.

Method
------
1. Draws. Trial i draws its inputs from its own generator, a child of
   ``SeedSequence(seed).spawn(trials)``: trial i's inputs do not depend on the number of
   trials, and the same seed gives the same result. Each trial draws the same fixed list of
   uniforms whatever the bounds, so narrowing one bound leaves the other draws unchanged.
2. Boost, batched. All trials are flown at once by the batched propagator (J2 gravity,
   US76 drag, thrust with back pressure, rotating WGS84 Earth) with their own kick and
   burn-time phase tables, recording each flight's accepted steps. Stage burnouts are
   integrator breakpoints, so each stage's separation state (ECI position and velocity) is
   read exactly from the recorded node at its burnout time.
3. Falls, batched. Every (trial, stage) pair becomes one ballistic flight that starts at the
   separation state, with drag from the tumbling ballistic coefficient x the trial's
   factor, until it meets the ellipsoid (at most ``max_fall_s``).
4. Wind drift. A tumbling stage in the lower atmosphere falls at its terminal speed and is
   carried along with the air, so the wind moves its impact point by (wind velocity) x (time
   it spends below the wind ceiling after separation); that time is read from the recorded
   fall (heights linearly interpolated between steps). This is an upper-end estimate: a stage
   takes up the wind's speed only after a lag of the order of v_terminal / g (~5-15 s for
   these stages, against ~1 min below 15 km for a first stage and ~3 min for the upper
   stages of an sm3-iia-class), and the ascent through the layer is counted in full. The
   drifted point is carried along the geodesic from the still-air impact point.
5. Statistics per stage. Mean point: the mean of the impact points in the azimuthal
   equidistant plane about the launcher, mapped back onto the ellipsoid. 95 % ellipse: from
   the sample covariance of the impact points in the local east-north plane about the mean
   point (azimuthal equidistant), semi-axes sqrt(5.991 lambda) for its eigenvalues lambda
   (chi-square, 2 degrees of freedom, 95 %), orientation of the major axis in degrees
   clockwise from north in [0, 180). ``inside_site``: fraction of all trials whose stage
   lands within ``site_radius_m`` of the launcher (a stage that does not come down in time
   counts as outside). With every bound zero the trials are identical and the ellipse is
   empty. ``country``: the Natural Earth country of the mean point, or "sea"
   (:func:`bmdsim.earth.countries.country_at`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim._core.layouts import PF_BETA, PF_MDOT, PF_T_END, PF_T_START, PF_THRUST
from bmdsim.earth.countries import country_at
from bmdsim.earth.geodesics import destination, inverse
from bmdsim.earth.geodetic import ecef_to_geodetic
from bmdsim.errors import InputError
from bmdsim.flight.forces import FULL
from bmdsim.flight.launch import impulsive_launch, powered_launch
from bmdsim.flight.propagator import Propagator, Tolerances
from bmdsim.interceptors.booster import StageImpact, tumbling_ballistic_coefficient
from bmdsim.interceptors.catalog import InterceptorClass, get_interceptor

__all__ = [
    "BALLISTIC_FACTOR",
    "BURN_TIME_FRACTION",
    "CHI2_2DOF_95",
    "KICK_FRACTION",
    "MAX_TRIALS",
    "SEA",
    "WIND_CEILING_M",
    "WIND_MAX_M_S",
    "BoosterDispersion",
    "DispersionBounds",
    "StageDispersion",
    "booster_dispersion",
    "booster_drops",
]

#: Pitch-over angle: nominal x (1 +- KICK_FRACTION): fly-outs toward different predicted
#: intercept points on the same azimuth (see the module docstring).
KICK_FRACTION = 0.20
#: Stage burn time: nominal x (1 +- BURN_TIME_FRACTION) at constant total impulse: grain
#: temperature sensitivity of solid motors (Sutton & Biblarz, ch. 12-13).
BURN_TIME_FRACTION = 0.02
#: Tumbling ballistic coefficient: nominal x a factor log-uniform in [1/B, B] (booster.py).
BALLISTIC_FACTOR = 1.5
#: Wind speed drawn uniformly in [0, WIND_MAX_M_S] [m/s]: a strong 0-15 km layer mean.
WIND_MAX_M_S = 30.0
#: Top of the wind layer [m]: troposphere and the jet-stream level.
WIND_CEILING_M = 15_000.0
#: Chi-square quantile of 2 degrees of freedom at 95 %: -2 ln 0.05.
CHI2_2DOF_95 = -2.0 * math.log(0.05)
#: The ``country`` of a mean point at sea.
SEA = "sea"
#: Largest number of trials accepted in one call (about a minute of work on two cores).
MAX_TRIALS = 100_000

_BOOST_NODES = 64  # recorded steps per boost (about 36 for sm3-iia-class); grown if needed
_FALL_NODES = 256  # recorded steps per fall (up to ~160 for sm3-iia-class); grown if needed
_FALL_CHUNK = 2_000  # falls flown (and recorded) at once: ~50 MB of record buffers
_TRIAL_CHUNK = 5_000  # trials flown at once: memory stays bounded for any number


@dataclass(frozen=True)
class DispersionBounds:
    """Half-widths of the drawn inputs (see the module docstring for the reasons)."""

    kick_fraction: float = KICK_FRACTION
    burn_time_fraction: float = BURN_TIME_FRACTION
    ballistic_factor: float = BALLISTIC_FACTOR
    wind_max_m_s: float = WIND_MAX_M_S
    wind_ceiling_m: float = WIND_CEILING_M

    def __post_init__(self) -> None:
        checks = (
            ("kick_fraction", self.kick_fraction, 0.0, 1.0),
            ("burn_time_fraction", self.burn_time_fraction, 0.0, 0.5),
            ("ballistic_factor", self.ballistic_factor, 1.0, 10.0),
            ("wind_max_m_s", self.wind_max_m_s, 0.0, 200.0),
            ("wind_ceiling_m", self.wind_ceiling_m, 0.0, 100_000.0),
        )
        for name, value, lo, hi in checks:
            if not (math.isfinite(value) and lo <= value <= hi):
                raise InputError(f"dispersion bound {name}={value} is outside [{lo}, {hi}]")

    @classmethod
    def none(cls) -> DispersionBounds:
        """No dispersion: every trial flies the nominal case in still air."""
        return cls(0.0, 0.0, 1.0, 0.0)


@dataclass(frozen=True)
class StageDispersion:
    """The impact points of one spent stage over all trials, and their summary."""

    stage: int  # 1 = first stage
    lat_deg: NDArray[np.float64]  # (trials,) impact points, NaN if not down in time
    lon_deg: NDArray[np.float64]
    distance_m: NDArray[np.float64]  # (trials,) from the launcher, on the ellipsoid
    mean_lat_deg: float
    mean_lon_deg: float
    mean_distance_m: float  # mean of the distances over the trials that came down
    ellipse_major_m: float  # 95 % ellipse semi-axes (NaN with fewer than two impacts)
    ellipse_minor_m: float
    ellipse_orientation_deg: float  # major axis, clockwise from north, in [0, 180)
    inside_site: float  # fraction of all trials within the site radius of the launcher
    impacted: int  # trials whose stage came down within the time allowed
    country: str | None  # of the mean point: a country name, "sea", or None (no point)


@dataclass(frozen=True)
class BoosterDispersion:
    """Result of :func:`booster_dispersion`: one :class:`StageDispersion` per spent stage."""

    interceptor: str
    lat_deg: float  # launcher
    lon_deg: float
    azimuth_deg: float
    trials: int
    site_radius_m: float
    bounds: DispersionBounds
    stages: tuple[StageDispersion, ...] = field(default=())


def _draws(seed: int | np.random.SeedSequence, trials: int, n_stages: int) -> NDArray:
    """(trials, 3 + 2 n_stages) uniforms in [0, 1), one child generator per trial."""
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    n = 3 + 2 * n_stages
    return np.stack([np.random.default_rng(c).random(n) for c in root.spawn(trials)])


def _centred(u: NDArray) -> NDArray:
    """Uniform [0, 1) -> [-1, 1)."""
    return 2.0 * u - 1.0


def _time_below(t: NDArray, h: NDArray, n: NDArray, t_impact: NDArray, ceiling_m: float) -> NDArray:
    """Time each recorded flight spends below ``ceiling_m``: t, h (M, K) node times and
    heights, n (M,) valid nodes, t_impact (M,) (NaN: no impact); heights linear between
    nodes. The impact closes each flight at height 0 (a record buffer that filled up on the
    last step does not hold the impact node)."""
    m, k = t.shape
    cols = np.arange(k + 1)[None, :]
    tt = np.zeros((m, k + 1))
    hh = np.zeros((m, k + 1))
    tt[:, :k] = np.where(cols[:, :k] < n[:, None], t, 0.0)  # past n: unset
    hh[:, :k] = np.where(cols[:, :k] < n[:, None], h, 0.0)
    rows = np.arange(m)
    last = tt[rows, np.maximum(n - 1, 0)]
    close = np.isfinite(t_impact) & (n > 0) & (t_impact > last)
    tt[rows[close], n[close]] = t_impact[close]
    hh[rows[close], n[close]] = 0.0
    n_all = n + close
    valid = cols[:, :k] < (n_all[:, None] - 1)
    h0, h1 = hh[:, :-1], hh[:, 1:]
    dt = np.where(valid, tt[:, 1:] - tt[:, :-1], 0.0)
    lo, hi = np.minimum(h0, h1), np.maximum(h0, h1)
    span = np.where(hi > lo, hi - lo, 1.0)
    frac = np.where(hi <= ceiling_m, 1.0, np.where(lo >= ceiling_m, 0.0, (ceiling_m - lo) / span))
    return np.sum(np.where(valid, frac * dt, 0.0), axis=1)


def _fly_falls(
    pos: NDArray,
    vel: NDArray,
    t_sep: NDArray,
    beta: NDArray,
    lat_deg: float,
    lon_deg: float,
    max_fall_s: float,
    ceiling_m: float,
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Fly spent stages from their separation states (M,): impact latitude and longitude
    [deg] (NaN if not down within ``max_fall_s``), time spent below ``ceiling_m`` [s] and
    impact time [s]."""
    m = t_sep.size
    lat = np.full(m, np.nan)
    lon = np.full(m, np.nan)
    below = np.zeros(m)
    t_hit = np.full(m, np.nan)
    prop = Propagator(Tolerances(max_duration_s=max_fall_s, h_max_s=20.0), record_nodes=_FALL_NODES)
    for a in range(0, m, _FALL_CHUNK):
        b = min(m, a + _FALL_CHUNK)
        batch = impulsive_launch(np.zeros(b - a), 0.0, 0.0, lat_deg, lon_deg, 0.0, force=FULL)
        phases = batch.phases.copy()
        phases[:, 0, PF_BETA] = beta[a:b]
        batch = replace(
            batch,
            t0_s=t_sep[a:b].copy(),
            y0=np.concatenate([pos[a:b], vel[a:b]], axis=1),
            phases=phases,
        )
        fall = prop.propagate(batch, record=True)
        assert fall.rec_t is not None and fall.rec_y is not None and fall.rec_n is not None
        la, lo = fall.impact_lat_lon_deg()
        down = fall.impacted
        lat[a:b] = np.where(down, la, np.nan)
        lon[a:b] = np.where(down, lo, np.nan)
        # geodetic height does not depend on the rotation about z: ECI positions will do
        k = int(fall.rec_n.max())
        nodes = np.arange(k)[None, :] < fall.rec_n[:, None]
        h = np.zeros(nodes.shape)
        h[nodes] = ecef_to_geodetic(fall.rec_y[:, :k, 0:3][nodes])[2]
        t_imp = np.where(down, fall.impact_time_s, np.nan)
        below[a:b] = _time_below(fall.rec_t[:, :k], h, fall.rec_n, t_imp, ceiling_m)
        t_hit[a:b] = t_imp
    return lat, lon, below, t_hit


def _plane(
    lat0: float, lon0: float, lat: NDArray, lon: NDArray
) -> tuple[NDArray, NDArray, NDArray]:
    """East and north [m] of points in the azimuthal equidistant plane about (lat0, lon0),
    and their distances [m]."""
    az, _, d = inverse(lat0, lon0, lat, lon)
    a = np.radians(az)
    return d * np.sin(a), d * np.cos(a), d


def _summary(
    stage: int,
    lat0: float,
    lon0: float,
    lat: NDArray,
    lon: NDArray,
    site_radius_m: float,
) -> StageDispersion:
    ok = np.isfinite(lat) & np.isfinite(lon)
    n = int(ok.sum())
    dist = np.full(lat.shape, np.nan)
    nan = math.nan
    mean_lat = mean_lon = mean_dist = major = minor = orient = nan
    if n:
        e0, n0, d = _plane(lat0, lon0, lat[ok], lon[ok])
        dist[ok] = d
        mean_dist = float(d.mean())
        me, mn = float(e0.mean()), float(n0.mean())
        la, lo = destination(lat0, lon0, math.degrees(math.atan2(me, mn)), math.hypot(me, mn))
        mean_lat, mean_lon = float(la), float(lo)
        if n >= 2:
            e, nn, _ = _plane(mean_lat, mean_lon, lat[ok], lon[ok])
            cov = np.cov(np.stack([e, nn]))
            w, v = np.linalg.eigh(cov)  # ascending eigenvalues
            w = np.clip(w, 0.0, None)
            major = math.sqrt(CHI2_2DOF_95 * float(w[1]))
            minor = math.sqrt(CHI2_2DOF_95 * float(w[0]))
            orient = math.degrees(math.atan2(float(v[0, 1]), float(v[1, 1]))) % 180.0
    inside = float(np.count_nonzero(ok & (dist <= site_radius_m)) / lat.size)
    where = (country_at(mean_lat, mean_lon) or SEA) if n else None
    return StageDispersion(
        stage=stage,
        lat_deg=lat,
        lon_deg=lon,
        distance_m=dist,
        mean_lat_deg=mean_lat,
        mean_lon_deg=mean_lon,
        mean_distance_m=mean_dist,
        ellipse_major_m=major,
        ellipse_minor_m=minor,
        ellipse_orientation_deg=orient,
        inside_site=inside,
        impacted=n,
        country=where,
    )


def booster_dispersion(
    interceptor: str | InterceptorClass,
    lat_deg: float,
    lon_deg: float,
    azimuth_deg: float,
    trials: int = 1000,
    seed: int | np.random.SeedSequence = 0,
    site_radius_m: float = 1000.0,
    bounds: DispersionBounds | None = None,
    max_fall_s: float = 3000.0,
) -> BoosterDispersion:
    """Monte Carlo of where the spent stages of ``interceptor`` fall when it is launched from
    (``lat_deg``, ``lon_deg``) toward ``azimuth_deg``: ``trials`` draws within ``bounds``
    (default: the module's stated bounds), trial i seeded by child i of
    ``SeedSequence(seed)``. Every stage with a dry mass is reported, first stage first.
    """
    ic = get_interceptor(interceptor) if isinstance(interceptor, str) else interceptor
    bounds = bounds or DispersionBounds()
    if isinstance(trials, bool) or not isinstance(trials, int | np.integer):
        raise InputError(f"trials must be an integer, not {trials!r}")
    trials = int(trials)
    if not 1 <= trials <= MAX_TRIALS:
        raise InputError(f"trials={trials} is outside [1, {MAX_TRIALS}]")
    for name, value in (
        ("lat_deg", lat_deg),
        ("lon_deg", lon_deg),
        ("azimuth_deg", azimuth_deg),
        ("site_radius_m", site_radius_m),
        ("max_fall_s", max_fall_s),
    ):
        if not math.isfinite(value):
            raise InputError(f"{name}={value} is not a finite number")
    if not -90.0 <= lat_deg <= 90.0:
        raise InputError(f"lat_deg={lat_deg} is outside [-90, 90]")
    if site_radius_m < 0.0 or max_fall_s <= 0.0:
        raise InputError("site_radius_m must be >= 0 and max_fall_s > 0")
    if isinstance(seed, int | np.integer) and seed < 0:
        raise InputError(f"seed={seed} must be >= 0")

    veh, prog = ic.vehicle, ic.program
    ns = len(veh.stages)
    sel = [k for k, s in enumerate(veh.stages) if s.dry_mass_kg > 0.0]
    u = _draws(seed, trials, ns)
    draws = _Draws(
        kick_deg=prog.kick_deg * (1.0 + bounds.kick_fraction * _centred(u[:, 0])),
        burn_factor=1.0 + bounds.burn_time_fraction * _centred(u[:, 1 : 1 + ns]),
        beta_factor=np.exp(math.log(bounds.ballistic_factor) * _centred(u[:, 1 + ns : 1 + 2 * ns])),
        wind_m_s=bounds.wind_max_m_s * u[:, 1 + 2 * ns],
        wind_azimuth_deg=360.0 * u[:, 2 + 2 * ns],
    )
    lat_i = np.full((len(sel), trials), np.nan)
    lon_i = np.full((len(sel), trials), np.nan)
    if sel:
        for a in range(0, trials, _TRIAL_CHUNK):
            b = min(trials, a + _TRIAL_CHUNK)
            lat_i[:, a:b], lon_i[:, a:b], _ = _impacts(
                ic, sel, lat_deg, lon_deg, azimuth_deg, draws.take(a, b), bounds, max_fall_s
            )
    stages = tuple(
        _summary(k + 1, lat_deg, lon_deg, lat_i[q], lon_i[q], site_radius_m)
        for q, k in enumerate(sel)
    )
    return BoosterDispersion(
        ic.name, lat_deg, lon_deg, azimuth_deg, trials, site_radius_m, bounds, stages
    )


@dataclass(frozen=True)
class _Draws:
    """The drawn inputs of a block of trials."""

    kick_deg: NDArray[np.float64]  # (n,)
    burn_factor: NDArray[np.float64]  # (n, stages)
    beta_factor: NDArray[np.float64]  # (n, stages)
    wind_m_s: NDArray[np.float64]  # (n,)
    wind_azimuth_deg: NDArray[np.float64]  # (n,) the direction the wind blows toward

    def take(self, a: int, b: int) -> _Draws:
        return _Draws(
            self.kick_deg[a:b],
            self.burn_factor[a:b],
            self.beta_factor[a:b],
            self.wind_m_s[a:b],
            self.wind_azimuth_deg[a:b],
        )


def _impacts(
    ic: InterceptorClass,
    sel: list[int],
    lat_deg: float,
    lon_deg: float,
    azimuth_deg: float | NDArray,
    d: _Draws,
    bounds: DispersionBounds,
    max_fall_s: float,
) -> tuple[NDArray, NDArray, NDArray]:
    """Impact latitudes and longitudes [deg] and impact times [s since launch] (len(sel), n)
    of the stages ``sel`` for a block of n trials (NaN where a stage did not come down in
    time); ``azimuth_deg`` one for all or one per trial."""
    veh, prog = ic.vehicle, ic.program
    ns, n = len(veh.stages), d.kick_deg.size
    # the boost of every trial, with its own kick and burn times (same total impulse)
    burn = np.array([s.burn_time_s for s in veh.stages])[None, :] * d.burn_factor
    t_end = np.cumsum(burn, axis=1)
    batch = powered_launch(
        veh, lat_deg, lon_deg, azimuth_deg, prog, kick_deg=d.kick_deg, force=FULL
    )
    phases = batch.phases.copy()
    phases[:, :ns, PF_T_START] = t_end - burn
    phases[:, :ns, PF_T_END] = t_end
    phases[:, :ns, PF_MDOT] /= d.burn_factor
    phases[:, :ns, PF_THRUST] /= d.burn_factor
    phases[:, ns:, PF_T_START] = t_end[:, -1:]
    batch = replace(batch, phases=phases)
    tol = Tolerances(max_duration_s=float(t_end.max()) + 1.0, h_max_s=5.0)
    boost = Propagator(tol, record_nodes=_BOOST_NODES).propagate(batch, record=True)
    assert boost.rec_t is not None and boost.rec_y is not None and boost.rec_n is not None

    # separation states: the recorded node at each stage's burnout (a breakpoint)
    t_sep = t_end[:, sel]  # (n, S)
    nodes = np.arange(boost.rec_t.shape[1])[None, None, :] < boost.rec_n[:, None, None]
    with np.errstate(invalid="ignore"):  # the slots past each flight's last node are unset
        gap = np.where(nodes, np.abs(boost.rec_t[:, None, :] - t_sep[:, :, None]), np.inf)
    j = np.argmin(gap, axis=2)  # (n, S)
    found = np.take_along_axis(gap, j[:, :, None], axis=2)[:, :, 0] <= 1e-6
    state = boost.rec_y[np.arange(n)[:, None], j, 0:6]  # (n, S, 6)
    lengths = ic.stage_lengths_m or tuple(4.0 * s.diameter_m for s in veh.stages)
    beta0 = np.array(
        [
            tumbling_ballistic_coefficient(
                veh.stages[k].dry_mass_kg, veh.stages[k].diameter_m, lengths[k]
            )
            for k in sel
        ]
    )
    beta = beta0[None, :] * d.beta_factor[:, sel]  # (n, S)

    # every (trial, stage) fall as one ballistic batch, stage-major; a stage whose boost
    # ended before its burnout (it should not happen) is not flown and reports no impact
    s_count = len(sel)
    flat = state.transpose(1, 0, 2).reshape(-1, 6)
    fly = found.T.ravel()
    lat_i = np.full(s_count * n, np.nan)
    lon_i = np.full(s_count * n, np.nan)
    below = np.zeros(s_count * n)
    t_i = np.full(s_count * n, np.nan)
    lat_i[fly], lon_i[fly], below[fly], t_i[fly] = _fly_falls(
        flat[fly, 0:3],
        flat[fly, 3:6],
        t_sep.T.ravel()[fly],
        beta.T.ravel()[fly],
        lat_deg,
        lon_deg,
        max_fall_s,
        bounds.wind_ceiling_m,
    )
    # wind drift: the trial's wind x the time below the wind ceiling, along the geodesic
    drift = np.tile(d.wind_m_s, s_count) * below
    ok = np.isfinite(lat_i) & (drift > 0.0)
    if np.any(ok):
        az = np.tile(d.wind_azimuth_deg, s_count)[ok]
        lat_i[ok], lon_i[ok] = destination(lat_i[ok], lon_i[ok], az, drift[ok])
    return lat_i.reshape(s_count, n), lon_i.reshape(s_count, n), t_i.reshape(s_count, n)


#: fly-outs flown together by :func:`booster_drops` (bounds the memory of a large raid)
_DROP_BLOCK = 500


def booster_drops(
    interceptor: str | InterceptorClass,
    lat_deg: float,
    lon_deg: float,
    azimuth_deg: ArrayLike,
    kick_deg: ArrayLike,
    max_fall_s: float = 3000.0,
) -> list[list[StageImpact]]:
    """Where the spent stages of many fly-outs from one site fall, without dispersion: the
    nominal burn, beta and no wind, one (azimuth, kick) per fly-out, flown as one batch
    (the same physics as :func:`bmdsim.interceptors.booster.booster_drop`). Returns per
    fly-out the impacts of every spent stage with a dry mass, first stage first."""
    ic = get_interceptor(interceptor) if isinstance(interceptor, str) else interceptor
    az, kick = np.broadcast_arrays(
        np.atleast_1d(np.asarray(azimuth_deg, float)), np.atleast_1d(np.asarray(kick_deg, float))
    )
    n = az.size
    veh = ic.vehicle
    ns = len(veh.stages)
    sel = [k for k, st in enumerate(veh.stages) if st.dry_mass_kg > 0.0]
    if n == 0 or not sel:
        return [[] for _ in range(n)]
    # in blocks of fly-outs: the recorded flights of a block are dropped before the next
    parts = []
    for lo in range(0, n, _DROP_BLOCK):
        hi = min(n, lo + _DROP_BLOCK)
        m = hi - lo
        d = _Draws(kick[lo:hi].copy(), np.ones((m, ns)), np.ones((m, ns)), np.zeros(m), np.zeros(m))
        parts.append(
            _impacts(
                ic, sel, lat_deg, lon_deg, az[lo:hi].copy(), d, DispersionBounds.none(), max_fall_s
            )
        )
    lat_i, lon_i, t_i = (np.concatenate([p[c] for p in parts], axis=1) for c in range(3))
    ok = np.isfinite(lat_i.ravel())
    flat_dist = np.full(lat_i.size, np.nan)
    if ok.any():
        flat_dist[ok] = np.asarray(
            inverse(lat_deg, lon_deg, lat_i.ravel()[ok], lon_i.ravel()[ok])[2], float
        )
    dist = flat_dist.reshape(lat_i.shape)
    t_sep = np.cumsum([st.burn_time_s for st in veh.stages])
    lengths = ic.stage_lengths_m or tuple(4.0 * st.diameter_m for st in veh.stages)
    out: list[list[StageImpact]] = []
    for j in range(n):
        row = []
        for q, k in enumerate(sel):
            row.append(
                StageImpact(
                    stage=k + 1,
                    separation_time_s=float(t_sep[k]),
                    separation_altitude_m=math.nan,
                    separation_speed_m_s=math.nan,
                    ballistic_coefficient_kg_m2=tumbling_ballistic_coefficient(
                        veh.stages[k].dry_mass_kg, veh.stages[k].diameter_m, lengths[k]
                    ),
                    impact_time_s=float(t_i[q, j]),
                    lat_deg=float(lat_i[q, j]),
                    lon_deg=float(lon_i[q, j]),
                    distance_km=float(dist[q, j]) / 1e3,
                )
            )
        out.append(row)
    return out
