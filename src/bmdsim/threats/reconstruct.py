"""Reconstruct a reported flight test from its apogee and range, and say what it implies.

Method (the open-literature practice of e.g. D. Wright, UCS, 2017):

1. **Calibrated boost.** The missile (a catalog class, or the generic two-stage ICBM of
   :mod:`bmdsim.flight.generic`) is resized: every stage's propellant and dry mass, and its
   thrust, scale by one factor ``f`` at fixed burn times and payload (so the thrust-to-weight
   ratio and the boost duration stay those of the class, and the payload fraction changes).
   ``f`` and the pitch-over kick are solved (2-D Newton, finite-difference Jacobian, from the
   best node of a grid) so that the full-burn flight on the rotating Earth matches the
   reported apogee and range within 0.1 %. Its launch-to-impact time is ``flight_time_s``.
2. **Coast arc.** ``coast_time_s`` is the two-body Keplerian arc through the same apogee and
   range with both ends on the surface (spherical Earth, R = 6371 km): the conic with apogee
   radius r_a whose surface crossings are the range angle psi apart has
   e = (r_a - R) / (r_a - R cos(psi/2)), a = r_a / (1 + e); the time follows from Kepler's
   equation. A reported time shorter than this arc is physically impossible (boost adds time).
3. **Consistency.** ``consistent`` is False when the reported time is shorter than the coast
   arc, or differs from the modelled flight time by more than 15 %; ``why`` then says so.
4. **Equivalent range.** ``energy``: the burnout speed (relative to the Earth) and radius give
   the same specific energy at the surface, Q = v_s^2 R / mu; the minimum-energy relation of Bate, Mueller & White (1971) eq. 6.2-20,
   Q = 2 sin(psi/2) / (1 + sin(psi/2)), inverted gives the free-flight range angle psi with
   the same burnout energy. ``reflown``: the calibrated missile re-flown with its
   range-optimal kick on a non-rotating Earth (the figure open sources quote).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from bmdsim.earth.geodesics import inverse
from bmdsim.earth.geodetic import ecef_to_geodetic
from bmdsim.earth.wgs84 import R_MEAN_M
from bmdsim.errors import ConvergenceError, InputError, UnreachableTarget
from bmdsim.flight.forces import FULL, ForceModel
from bmdsim.flight.generic import GENERIC_ICBM
from bmdsim.flight.launch import powered_launch
from bmdsim.flight.propagator import FlightBatch, Propagator
from bmdsim.flight.textbook import MU_TEXTBOOK_M3_S2
from bmdsim.flight.vehicle import Vehicle
from bmdsim.threats.catalog import MissileClass
from bmdsim.threats.reach import KICK_MAX_DEG, KICK_MIN_DEG, NON_ROTATING, as_missile, best_kick

__all__ = ["Reconstruction", "coast_time_s", "energy_equivalent_range_km", "reconstruct", "resized"]

_PROP = Propagator()
METHOD = (
    "boost: catalog class resized (stage masses and thrust x f, burn times and payload kept), "
    "f and kick fitted to apogee and range on the rotating WGS84 Earth; coast: two-body "
    "Keplerian arc through the same apogee and range (R 6371 km); equivalent range 'energy': "
    "same burnout energy on a minimum-energy arc (Bate, Mueller & White 1971, eq. 6.2-20 "
    "inverted); 'reflown': the resized missile at its range-optimal kick on a non-rotating Earth"
)


def resized(vehicle: Vehicle, factor: float) -> Vehicle:
    """The vehicle with every stage's propellant, dry mass and thrust scaled by ``factor``
    (burn times, specific impulse and the reentry vehicle unchanged)."""
    stages = tuple(
        replace(
            s,
            propellant_mass_kg=s.propellant_mass_kg * factor,
            dry_mass_kg=s.dry_mass_kg * factor,
            exit_area_m2=s.exit_area_m2 * factor,
        )
        for s in vehicle.stages
    )
    return replace(vehicle, stages=stages, name=f"{vehicle.name} x{factor:.3f}")


def coast_time_s(apogee_km: float, range_km: float, radius_km: float = R_MEAN_M / 1e3) -> float:
    """Two-body time of the symmetric arc from the surface through apogee back to the surface
    with the given ground range (spherical Earth, mu = 398600.4418 km^3/s^2)."""
    mu = MU_TEXTBOOK_M3_S2 / 1e9
    r_e, r_a = radius_km, radius_km + apogee_km
    half = 0.5 * range_km / radius_km
    e = (r_a - r_e) / (r_a - r_e * math.cos(half))
    a = r_a / (1.0 + e)
    theta = math.pi - half  # true anomaly of the surface crossing (from perigee)
    ecc_anom = 2.0 * math.atan(math.sqrt((1 - e) / (1 + e)) * math.tan(0.5 * theta))
    mean_anom = ecc_anom - e * math.sin(ecc_anom)
    return 2.0 * (math.pi - mean_anom) * math.sqrt(a**3 / mu)


def energy_equivalent_range_km(speed_m_s: float, radius_m: float) -> float:
    """Range [km] of the minimum-energy arc from the surface with the same specific energy
    as a burnout at ``speed_m_s`` and ``radius_m`` (v_s^2 = v^2 + 2 mu (1/R - 1/r), then
    BMW eq. 6.2-20 inverted: sin(psi/2) = Q / (2 - Q)); inf for Q >= 1 (orbital)."""
    mu = MU_TEXTBOOK_M3_S2
    v2 = speed_m_s**2 + 2.0 * mu * (1.0 / R_MEAN_M - 1.0 / radius_m)
    q = v2 * R_MEAN_M / mu
    if q >= 1.0:
        return math.inf
    psi = 2.0 * math.asin(q / (2.0 - q))
    return psi * R_MEAN_M / 1e3


@dataclass(frozen=True)
class Reconstruction:
    flight_time_s: float
    coast_time_s: float
    burnout_time_s: float
    burnout_speed_m_s: float
    burnout_altitude_km: float
    apogee_km: float
    ground_range_km: float
    reported_flight_time_s: float | None
    consistent: bool
    why: str
    equivalent_range_km: dict[str, float]
    size_factor: float
    kick_deg: float
    missile: str
    method: str
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _fly(
    vehicles: list[Vehicle], lat: float, lon: float, az: float, kicks: np.ndarray, force: ForceModel
) -> FlightBatch:
    return _PROP.propagate(powered_launch(vehicles, lat, lon, az, kick_deg=kicks, force=force))


def _downrange_m(fb: FlightBatch, lat: float, lon: float, az: float) -> np.ndarray:
    """Ground range with a sign: negative when the impact lies behind the launch azimuth.

    Steep lofted flights drift west with the Earth's rotation; without the sign, a fit could
    settle on an impact the stated distance *behind* the launcher."""
    ilat, ilon = fb.impact_lat_lon_deg()
    bearing, _, dist = inverse(np.full_like(ilat, lat), np.full_like(ilon, lon), ilat, ilon)
    return np.where(np.cos(np.radians(bearing - az)) >= 0.0, dist, -dist)


def reconstruct(
    apogee_km: float,
    range_km: float,
    flight_time_s: float | None = None,
    launch_lat_deg: float = 39.224,
    launch_lon_deg: float = 125.670,
    azimuth_deg: float = 90.0,
    missile: str | MissileClass | Vehicle | None = None,
    force: ForceModel = FULL,
    max_iter: int = 30,
) -> Reconstruction:
    """Fit a boosted flight to a reported apogee and range (see the module text)."""
    t_start = time.perf_counter()
    for label, v in (("apogee", apogee_km), ("range", range_km)):
        if not (math.isfinite(v) and v > 0):
            raise InputError(f"{label} must be a positive number of km, got {v}")
    if flight_time_s is not None and not (math.isfinite(flight_time_s) and flight_time_s > 0):
        raise InputError(f"flight time must be a positive number of seconds, got {flight_time_s}")
    if missile is None:
        name, base = "generic-2-stage-icbm", GENERIC_ICBM
    else:
        name, base = as_missile(missile)
    a_t, r_t = apogee_km * 1e3, range_km * 1e3
    lat, lon, az = float(launch_lat_deg), float(launch_lon_deg), float(azimuth_deg)
    # grid start over (log f, log kick)
    gf = np.linspace(math.log(0.4), math.log(4.0), 12)
    gk = np.linspace(math.log(KICK_MIN_DEG), math.log(KICK_MAX_DEG), 24)
    ff, kk = np.meshgrid(gf, gk, indexing="ij")
    vs = {float(x): resized(base, math.exp(x)) for x in gf}
    g = _fly([vs[float(x)] for x in ff.ravel()], lat, lon, az, np.exp(kk.ravel()), force)
    ga = np.where(g.impacted, g.apogee_m, np.nan)
    gr = _downrange_m(g, lat, lon, az)
    gr = np.where(g.impacted & (gr > 0.0), gr, np.nan)
    cost = np.log(ga / a_t) ** 2 + np.log(gr / r_t) ** 2
    i = int(np.nanargmin(np.where(np.isfinite(cost), cost, np.nan)))
    x = np.array([ff.ravel()[i], kk.ravel()[i]])
    d = 2e-3
    lo = np.array([gf[0] - 0.7, math.log(1e-3)])
    hi = np.array([gf[-1] + 1.5, gk[-1]])
    fb = None
    err = np.inf
    # damped Newton on (log f, log kick): a step that does not reduce the residual is
    # halved from the last good point (the range is very sensitive to small kicks)
    best_x, best_err, scale = x.copy(), np.inf, 1.0
    step = np.zeros(2)
    for _ in range(max_iter):
        f = math.exp(x[0])
        vx = [resized(base, f), resized(base, math.exp(x[0] + d)), resized(base, f)]
        kicks = np.exp(np.array([x[1], x[1], x[1] + d]))
        fb = _fly(vx, lat, lon, az, kicks, force)
        if not np.all(fb.impacted):
            raise ConvergenceError("reconstruction flew an orbital or unfinished trajectory")
        ap = np.log(fb.apogee_m / a_t)
        with np.errstate(invalid="ignore"):
            rg = np.log(np.maximum(_downrange_m(fb, lat, lon, az), 1.0) / r_t)
        err = max(abs(ap[0]), abs(rg[0]))
        if err < 1e-3:
            break
        if err >= best_err:
            scale *= 0.5
            x = np.clip(best_x + scale * step, lo, hi)
            continue
        best_x, best_err, scale = x.copy(), err, 1.0
        jac = np.array([[ap[1] - ap[0], ap[2] - ap[0]], [rg[1] - rg[0], rg[2] - rg[0]]]) / d
        try:
            step = -np.linalg.solve(jac, np.array([ap[0], rg[0]]))
        except np.linalg.LinAlgError:
            raise ConvergenceError("reconstruction: singular Jacobian") from None
        step = np.clip(np.nan_to_num(step), -0.3, 0.3)
        x = np.clip(x + step, lo, hi)
    assert fb is not None
    if err >= 1e-3:
        raise ConvergenceError(
            f"reconstruction of apogee {apogee_km:,.0f} km / range {range_km:,.0f} km with "
            f"{name} did not converge (residual {100 * err:.2f} %)"
        )
    factor = math.exp(x[0])
    vehicle = resized(base, factor)
    model_t = float(fb.flight_time_s[0])
    y = fb.burnout_state_eci[0]
    om = force.omega_rad_s
    v_rel = np.array([y[3] + om * y[1], y[4] - om * y[0], y[5]])
    v_bo = float(np.linalg.norm(v_rel))
    r_bo = float(np.linalg.norm(y[:3]))
    h_bo = float(ecef_to_geodetic(y[None, :3])[2][0])
    coast = coast_time_s(apogee_km, range_km)
    why = []
    if flight_time_s is not None:
        if flight_time_s < coast:
            why.append(
                f"reported {flight_time_s:.0f} s is shorter than the coast arc alone "
                f"({coast:.0f} s)"
            )
        dev = abs(flight_time_s - model_t) / model_t
        if dev > 0.15:
            why.append(
                f"reported {flight_time_s:.0f} s differs from the modelled {model_t:.0f} s "
                f"by {100 * dev:.0f} % (> 15 %)"
            )
    try:
        rf = best_kick(vehicle, lat, lon, az, NON_ROTATING)
        reflown = float(rf.range_m[0]) / 1e3
    except UnreachableTarget:  # pragma: no cover - best_kick does not raise it
        reflown = math.nan
    return Reconstruction(
        flight_time_s=model_t,
        coast_time_s=coast,
        burnout_time_s=float(fb.burnout_time_s[0]),
        burnout_speed_m_s=v_bo,
        burnout_altitude_km=h_bo / 1e3,
        apogee_km=float(fb.apogee_m[0]) / 1e3,
        ground_range_km=float(fb.ground_range_m()[0]) / 1e3,
        reported_flight_time_s=flight_time_s,
        consistent=not why,
        why="; ".join(why),
        equivalent_range_km={
            "energy": energy_equivalent_range_km(v_bo, r_bo),
            "reflown": reflown,
        },
        size_factor=factor,
        kick_deg=float(math.exp(x[1])),
        missile=name,
        method=METHOD,
        seconds=time.perf_counter() - t_start,
    )
