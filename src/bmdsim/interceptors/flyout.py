"""Fly-out fans: how soon an interceptor can reach each (ground range, altitude) point.

For an interceptor class, a fan of powered flights is flown with the batched engine, from
near-vertical (small pitch-over kick) to low (large kick), each until the class's maximum
time of flight or the ground. The family sweeps the (ground range, altitude) plane; the time
to reach each node of a regular grid is found by rasterising the triangles between
neighbouring fan members (kick j, kick j+1, sample i, i+1) and keeping the earliest time
(a min-z-buffer). Queries interpolate that grid bilinearly.

Earth model (documented choice): point-mass gravity, US76 drag, thrust with back-pressure on
a *non-rotating* sphere of mean radius, so that a fan depends neither on the site nor on the
azimuth and one fan per class serves every battery. Over the few minutes of an interceptor's
flight the Earth's rotation changes the reach by a few per cent (eastward launches gain up to
~0.4 km/s of inertial speed at the equator), which is inside the spread of the open-source
burnout speeds that the classes carry.

Steering: the interceptor classes fly vertical rise, pitch-over, then *hold* the
pitch-over's attitude until burnout (``PitchProgram.hold_attitude``): the simplest model of a
guided fly-out toward a point. (With a gravity turn after a short pitch-over, a fast-burning
interceptor's velocity never catches up with its tilted thrust, and the fan could not reach
below ~45 deg elevation: points 400 km out at 150 km altitude came out unreachable for an
SM-3 IIA-class.) Lift and in-flight re-targeting are not modelled.

Intercept limits: nodes below the class's minimum or above its maximum intercept altitude,
beyond its maximum intercept ground range, or reached later than its maximum time of flight
are unreachable (NaN).

Kinematic envelope (:func:`kinematic_envelope`): what the fan reaches *without* the altitude
and ground-range limits, within the class's maximum time of flight: the highest altitude of
any fan member (the vertical shot's apogee, or its altitude at the time-of-flight limit when
still climbing) and the farthest ground range at which a member is still at or above the
class's minimum intercept altitude.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim._core.fan_kernels import fan_time_to
from bmdsim._core.raster import raster_min
from bmdsim.earth.geodesics import central_angle_rad
from bmdsim.earth.wgs84 import R_MEAN_M
from bmdsim.flight.forces import Drag, EarthShape, ForceModel, Gravity, Thrust
from bmdsim.flight.launch import powered_launch
from bmdsim.flight.propagator import FlightBatch, Propagator, Tolerances
from bmdsim.interceptors.catalog import InterceptorClass, get_interceptor

__all__ = [
    "FLYOUT_FORCE",
    "FlyoutFan",
    "KinematicEnvelope",
    "burnout_speed_m_s",
    "fly_fan",
    "flyout_fan",
    "kinematic_envelope",
]

#: Force model of the fans: point-mass gravity, drag and thrust on a non-rotating sphere.
FLYOUT_FORCE: ForceModel = (Gravity("point-mass") + Drag() + Thrust()).on(
    EarthShape(ellipsoid=False, rotating=False, radius_m=R_MEAN_M)
)

N_GRID = 241  # grid nodes per axis
N_SAMPLES = 600  # samples in time along each fan member


def default_kicks(ic: InterceptorClass, n: int = 48) -> NDArray[np.float64]:
    """Kick angles of the fan: near-vertical to low (denser near vertical), plus the
    class's nominal kick."""
    if ic.fan_kicks_deg:
        k = np.asarray(ic.fan_kicks_deg, float)
    else:
        k = 0.2 + (88.0 - 0.2) * np.linspace(0.0, 1.0, n) ** 1.6
    # 0 deg (straight up) closes the fan on the launcher's vertical
    return np.unique(np.concatenate([[0.0], k, [ic.program.kick_deg]]))


def fly_fan(
    ic: InterceptorClass, kicks_deg: ArrayLike, duration_s: float | None = None
) -> FlightBatch:
    """Fly the interceptor with the given kicks on the fan's Earth (recorded trajectories)."""
    batch = powered_launch(
        ic.vehicle, 0.0, 0.0, 0.0, ic.program, kick_deg=kicks_deg, force=FLYOUT_FORCE
    )
    dur = ic.max_time_of_flight_s if duration_s is None else duration_s
    tol = Tolerances(rtol=1e-7, atol_pos_m=1.0, atol_vel_m_s=1e-2, h_max_s=20.0, max_duration_s=dur)
    prop = Propagator(tol)
    return prop.propagate(batch, record=True)


def burnout_speed_m_s(ic: InterceptorClass, kick_deg: float | None = None) -> float:
    """Speed at the last burnout for the nominal program (or ``kick_deg``), fan Earth."""
    kick = ic.program.kick_deg if kick_deg is None else kick_deg
    fb = fly_fan(ic, [kick], duration_s=ic.vehicle.burn_time_s + 1.0)
    return float(np.linalg.norm(fb.burnout_state_eci[0, 3:6]))


@dataclass(frozen=True)
class FlyoutFan:
    """The tabulated fly-out of one interceptor class (times since launch)."""

    interceptor: str
    kicks_deg: NDArray[np.float64]
    ground_range_grid_m: NDArray[np.float64]  # (nr,)
    altitude_grid_m: NDArray[np.float64]  # (nh,)
    time_grid_s: NDArray[np.float64]  # (nr, nh), NaN where unreachable
    burnout_speed_m_s: float  # nominal program
    burnout_time_s: float
    burnout_altitude_m: float
    max_altitude_m: float  # highest reachable intercept altitude (limits applied)
    max_ground_range_m: float  # farthest reachable intercept ground range (limits applied)
    min_intercept_altitude_m: float
    max_intercept_altitude_m: float
    max_time_of_flight_s: float
    paths: tuple[NDArray[np.float64], ...]  # per kick: (S, 3) of ground range, altitude, t

    def time_to(self, ground_range_m: ArrayLike, altitude_m: ArrayLike) -> NDArray[np.float64]:
        """Earliest time after launch [s] to reach each point (NaN where unreachable).

        Bilinear on the grid over the finite corners; NaN where the nearest node is NaN or
        the point breaks the altitude, range or time-of-flight limits.
        """
        r, h = np.broadcast_arrays(np.asarray(ground_range_m, float), np.asarray(altitude_m, float))
        rf = np.ascontiguousarray(r, dtype=np.float64).ravel()
        hf = np.ascontiguousarray(h, dtype=np.float64).ravel()
        out = np.empty(rf.size)
        limits = np.array(
            [
                self.min_intercept_altitude_m,
                self.max_intercept_altitude_m,
                self.max_ground_range_m,
                self.max_time_of_flight_s,
            ],
            dtype=np.float64,
        )
        fan_time_to(
            rf,
            hf,
            np.ascontiguousarray(self.ground_range_grid_m, dtype=np.float64),
            np.ascontiguousarray(self.altitude_grid_m, dtype=np.float64),
            np.ascontiguousarray(self.time_grid_s, dtype=np.float64),
            limits,
            out,
        )
        return out.reshape(r.shape)

    def time_to_reference(
        self, ground_range_m: ArrayLike, altitude_m: ArrayLike
    ) -> NDArray[np.float64]:
        """:meth:`time_to` in numpy (the reference the compiled kernel is tested against)."""
        r, h = np.broadcast_arrays(np.asarray(ground_range_m, float), np.asarray(altitude_m, float))
        rg, hg, tg = self.ground_range_grid_m, self.altitude_grid_m, self.time_grid_s
        dr, dh = rg[1] - rg[0], hg[1] - hg[0]
        fx = (r - rg[0]) / dr
        fy = (h - hg[0]) / dh
        inside = (fx >= 0) & (fx <= len(rg) - 1) & (fy >= 0) & (fy <= len(hg) - 1)
        fx = np.clip(np.nan_to_num(fx), 0, len(rg) - 1.000001)
        fy = np.clip(np.nan_to_num(fy), 0, len(hg) - 1.000001)
        i, k = fx.astype(int), fy.astype(int)
        sx, sy = fx - i, fy - k
        corners = (
            (tg[i, k], (1 - sx) * (1 - sy)),
            (tg[i + 1, k], sx * (1 - sy)),
            (tg[i, k + 1], (1 - sx) * sy),
            (tg[i + 1, k + 1], sx * sy),
        )
        num = np.zeros(r.shape)
        den = np.zeros(r.shape)
        for v, w in corners:
            ok = np.isfinite(v)
            num += np.where(ok, v * w, 0.0)
            den += np.where(ok, w, 0.0)
        nearest = tg[np.rint(fx).astype(int), np.rint(fy).astype(int)]
        out = np.where(np.isfinite(nearest) & (den > 0), num / np.where(den > 0, den, 1.0), np.nan)
        ok = (
            inside
            & (h >= self.min_intercept_altitude_m)
            & (h <= self.max_intercept_altitude_m)
            & (r <= self.max_ground_range_m + 1e-6)
            & (out <= self.max_time_of_flight_s)
        )
        return np.where(ok, out, np.nan)

    def reachable(self, ground_range_m: ArrayLike, altitude_m: ArrayLike) -> NDArray[np.bool_]:
        """Whether each point can be reached inside the limits."""
        return np.isfinite(self.time_to(ground_range_m, altitude_m))

    def table(self, n_range: int = 13, n_alt: int = 11) -> list[dict[str, float]]:
        """A coarse listing of reachable points: ground range, altitude [km] and time [s]."""
        rs = np.linspace(0.0, self.max_ground_range_m, n_range)
        hs = np.linspace(self.min_intercept_altitude_m, self.max_altitude_m, n_alt)
        rr, hh = np.meshgrid(rs, hs, indexing="ij")
        tt = self.time_to(rr, hh)
        return [
            {"ground_range_km": float(a) / 1e3, "altitude_km": float(b) / 1e3, "time_s": float(c)}
            for a, b, c in zip(rr.ravel(), hh.ravel(), tt.ravel(), strict=True)
            if math.isfinite(c)
        ]


def build_fan(
    ic: InterceptorClass, kicks_deg: ArrayLike | None = None, n_grid: int = N_GRID
) -> FlyoutFan:
    """Fly and tabulate the fan of ``ic`` (uncached; see :func:`flyout_fan`)."""
    kicks = default_kicks(ic) if kicks_deg is None else np.asarray(kicks_deg, float)
    fb = fly_fan(ic, kicks)
    t_max = ic.max_time_of_flight_s
    ts = np.linspace(0.0, t_max, N_SAMPLES)
    radius = FLYOUT_FORCE.earth.radius_m
    rr = np.full((len(kicks), N_SAMPLES), np.nan)
    hh = np.full_like(rr, np.nan)
    tt = np.full_like(rr, np.nan)
    paths = []
    for j in range(len(kicks)):
        trj = fb.trajectory(j)
        t_end = float(trj.t_s[-1])
        tj = np.append(ts[ts < t_end], t_end)[:N_SAMPLES]
        pos, _ = trj.sample(tj)
        rn = np.linalg.norm(pos, axis=-1)
        gr = radius * central_angle_rad(pos, trj.r_eci_m[0])
        alt = rn - radius
        n = len(tj)
        rr[j, :n], hh[j, :n], tt[j, :n] = gr, alt, tj
        # past the end, hold the last point (zero-area triangles add nothing)
        rr[j, n:], hh[j, n:] = gr[-1], alt[-1]
        paths.append(np.stack([gr, alt, tj], -1))
    r_hi = float(np.nanmax(rr)) * 1.0001 + 1.0
    h_hi = float(np.nanmax(hh)) * 1.0001 + 1.0
    rg = np.linspace(0.0, r_hi, n_grid)
    hg = np.linspace(0.0, h_hi, n_grid)
    grid = np.full((n_grid, n_grid), np.nan)
    raster_min(rr, hh, tt, 0.0, rg[1] - rg[0], 0.0, hg[1] - hg[0], grid)
    # apply the class limits to the grid itself (so max altitude / range honour them)
    lim = (
        (hg[None, :] < ic.min_intercept_altitude_m)
        | (hg[None, :] > ic.max_intercept_altitude_m)
        | (rg[:, None] > ic.max_intercept_range_m)
        | ~(grid <= t_max)
    )
    grid = np.where(lim, np.nan, grid)
    ok = np.isfinite(grid)
    i_nom = int(np.argmin(np.abs(kicks - ic.program.kick_deg)))
    y_bo = fb.burnout_state_eci[i_nom]
    fan = FlyoutFan(
        interceptor=ic.name,
        kicks_deg=kicks,
        ground_range_grid_m=rg,
        altitude_grid_m=hg,
        time_grid_s=grid,
        burnout_speed_m_s=float(np.linalg.norm(y_bo[3:6])),
        burnout_time_s=float(fb.burnout_time_s[i_nom]),
        burnout_altitude_m=float(np.linalg.norm(y_bo[0:3]) - radius),
        max_altitude_m=float(hg[np.any(ok, axis=0)].max()) if ok.any() else math.nan,
        max_ground_range_m=float(rg[np.any(ok, axis=1)].max()) if ok.any() else math.nan,
        min_intercept_altitude_m=ic.min_intercept_altitude_m,
        max_intercept_altitude_m=ic.max_intercept_altitude_m,
        max_time_of_flight_s=t_max,
        paths=tuple(paths),
    )
    return fan


@functools.lru_cache(maxsize=32)
def _cached_fan(ic: InterceptorClass) -> FlyoutFan:
    return build_fan(ic)


def flyout_fan(interceptor: str | InterceptorClass, **overrides: float) -> FlyoutFan:
    """The (cached) fly-out fan of an interceptor class, by name or object.

    ``overrides`` replace fields of the class (e.g. ``max_time_of_flight_s=300``); each
    distinct class value is flown once per process.
    """
    ic = get_interceptor(interceptor) if isinstance(interceptor, str) else interceptor
    if overrides:
        ic = replace(ic, **overrides)  # type: ignore[arg-type]
    return _cached_fan(ic)


@dataclass(frozen=True)
class KinematicEnvelope:
    """How high and how far an interceptor class flies, ignoring its engagement limits.

    Both maxima are taken within the class's maximum time of flight (the fan is flown that
    long); the intercept-altitude and ground-range limits of the class are *not* applied.
    """

    interceptor: str
    max_altitude_m: float  # highest altitude of any fan member
    max_altitude_time_s: float  # when it is reached
    max_altitude_is_apogee: bool  # False: still climbing at the max time of flight
    max_ground_range_m: float  # farthest ground range at or above min_altitude_m
    max_ground_range_time_s: float  # when it is reached
    max_ground_range_kick_deg: float  # the pitch-over kick that reaches it
    min_altitude_m: float  # the floor of the range: the class's min intercept altitude
    max_time_of_flight_s: float


def _last_above(path: NDArray[np.float64], floor_m: float) -> tuple[float, float]:
    """Ground range and time where a (S, 3) path of (ground range, altitude, t) is last at or
    above ``floor_m`` (linear between samples); (0, 0) when never."""
    r, h, t = path[:, 0], path[:, 1], path[:, 2]
    above = np.nonzero(h >= floor_m)[0]
    if above.size == 0:
        return 0.0, 0.0
    i = int(above[-1])
    if i + 1 >= len(h):  # still above the floor at the end of the flight
        return float(r[i]), float(t[i])
    f = (h[i] - floor_m) / (h[i] - h[i + 1])
    return float(r[i] + f * (r[i + 1] - r[i])), float(t[i] + f * (t[i + 1] - t[i]))


def _paths(ic: InterceptorClass, kicks_deg: NDArray[np.float64]) -> list[NDArray[np.float64]]:
    """Fly ``kicks_deg`` and return each member as (S, 3) of ground range, altitude, time."""
    fb = fly_fan(ic, kicks_deg)
    radius = FLYOUT_FORCE.earth.radius_m
    out = []
    for j in range(len(kicks_deg)):
        trj = fb.trajectory(j)
        tj = np.linspace(float(trj.t_s[0]), float(trj.t_s[-1]), N_SAMPLES)
        pos, _ = trj.sample(tj)
        rn = np.linalg.norm(pos, axis=-1)
        gr = radius * central_angle_rad(pos, trj.r_eci_m[0])
        out.append(np.stack([gr, rn - radius, tj], -1))
    return out


@functools.lru_cache(maxsize=32)
def _cached_envelope(ic: InterceptorClass) -> KinematicEnvelope:
    fan = _cached_fan(ic)
    floor = ic.min_intercept_altitude_m
    t_max = ic.max_time_of_flight_s
    # highest altitude: the fan's members (the vertical one, kick 0, is always among them)
    j_h = int(np.argmax([p[:, 1].max() for p in fan.paths]))
    top = fan.paths[j_h]
    i_h = int(np.argmax(top[:, 1]))
    # farthest ground range at or above the floor: the best fan member, then two rounds of
    # finer kicks between its neighbours (a 48-kick fan is coarse where the range is
    # sensitive to the kick, e.g. a near-orbital fly-out cut at the max time of flight)
    kicks = fan.kicks_deg
    reach = [_last_above(p, floor) for p in fan.paths]
    j = int(np.argmax([r for r, _ in reach]))
    best = (reach[j][0], reach[j][1], float(kicks[j]))
    lo, hi = float(kicks[max(j - 1, 0)]), float(kicks[min(j + 1, len(kicks) - 1)])
    for _ in range(2):
        if hi <= lo:
            break
        fine = np.linspace(lo, hi, 9)
        for k, p in zip(fine, _paths(ic, fine), strict=True):
            r, t = _last_above(p, floor)
            if r > best[0]:
                best = (r, t, float(k))
        step = (hi - lo) / 8.0
        lo, hi = max(best[2] - step, 0.0), best[2] + step
    return KinematicEnvelope(
        interceptor=ic.name,
        max_altitude_m=float(top[i_h, 1]),
        max_altitude_time_s=float(top[i_h, 2]),
        max_altitude_is_apogee=bool(i_h + 1 < len(top) and top[i_h, 2] < t_max),
        max_ground_range_m=best[0],
        max_ground_range_time_s=best[1],
        max_ground_range_kick_deg=best[2],
        min_altitude_m=floor,
        max_time_of_flight_s=t_max,
    )


def kinematic_envelope(
    interceptor: str | InterceptorClass, **overrides: float
) -> KinematicEnvelope:
    """The kinematic maxima of an interceptor class, uncapped by its engagement limits.

    * ``max_altitude_m``: the highest altitude any member of the fly-out fan reaches within
      the class's maximum time of flight: the vertical shot's apogee when that comes sooner
      (``max_altitude_is_apogee``), else its altitude at the time-of-flight limit.
    * ``max_ground_range_m``: the farthest ground range at which a fan member is still at or
      above the class's minimum intercept altitude, within the maximum time of flight (the
      fan's best kick refined by finer kicks around it). Not the ballistic impact range: a
      point below the minimum intercept altitude cannot be engaged.

    The class's ``max_intercept_altitude_m`` and ``max_intercept_range_m`` (fire control,
    seeker) are ignored here; :func:`flyout_fan` applies them. Cached per class value;
    ``overrides`` as in :func:`flyout_fan`.
    """
    ic = get_interceptor(interceptor) if isinstance(interceptor, str) else interceptor
    if overrides:
        ic = replace(ic, **overrides)  # type: ignore[arg-type]
    return _cached_envelope(ic)


def with_burnout_speed(
    interceptor: str | InterceptorClass, burnout_speed_m_s_: float
) -> InterceptorClass:
    """The class re-sized so that its nominal program burns out at the given speed.

    The last stage's propellant (and its burn time, at constant mass flow) is scaled by
    bisection: the same knob the catalog's calibration used. Raises ``InputError`` for a
    speed outside what 1 % to 300 % of that propellant can give.
    """
    ic = get_interceptor(interceptor) if isinstance(interceptor, str) else interceptor
    return _with_speed_cached(ic, round(float(burnout_speed_m_s_), 3))


@functools.lru_cache(maxsize=32)
def _with_speed_cached(ic: InterceptorClass, target: float) -> InterceptorClass:
    from bmdsim.errors import InputError

    last = ic.vehicle.stages[-1]

    def resized(f: float) -> InterceptorClass:
        st = replace(
            last,
            propellant_mass_kg=last.propellant_mass_kg * f,
            burn_time_s=last.burn_time_s * f,
        )
        veh = replace(ic.vehicle, stages=(*ic.vehicle.stages[:-1], st))
        return replace(
            ic,
            vehicle=veh,
            burnout_speed_m_s=target,
            burnout_speed_range_m_s=(
                min(target, ic.burnout_speed_range_m_s[0]),
                max(target, ic.burnout_speed_range_m_s[1]),
            ),
        )

    lo, hi = 0.01, 3.0
    v_lo, v_hi = burnout_speed_m_s(resized(lo)), burnout_speed_m_s(resized(hi))
    if not v_lo <= target <= v_hi:
        raise InputError(
            f"{ic.name}: burnout speed {target:.0f} m/s is outside what re-sizing its last stage "
            f"gives ({v_lo:.0f}-{v_hi:.0f} m/s)"
        )
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        if burnout_speed_m_s(resized(mid)) < target:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-4:
            break
    return resized(0.5 * (lo + hi))
