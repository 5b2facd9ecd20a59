"""Booster drop: where an interceptor's spent stages fall.

The question that ended Aegis Ashore in Japan (Japan MoD, 15 June 2020): the SM-3's Mk 72
booster could not be made to fall reliably inside the Mutsumi and Araya training areas.

Method. The interceptor is flown with the full engine (J2 gravity, drag, thrust on the
rotating WGS84 Earth) from the site with the given azimuth and kick. At each stage's burnout
(a node of the recorded trajectory) the spent stage's dry mass separates with the vehicle's
ECI state; it is then flown as a ballistic body with drag from a ballistic coefficient
beta = m / (Cd A) of a *tumbling* cylinder: mean projected area of a tumbling cylinder
~ (pi d^2 / 4 + d L) / 2 (average of end-on and broadside), Cd ~ 1.0 (between the end-on
~0.8 and broadside ~1.2 of a cylinder: Hoerner, *Fluid-Dynamic Drag*, 1965, ch. 3 and 16).
This is a stated estimate; beta is uncertain by about a factor of 1.5 either way, and the
impact distance (few km for the first stage) moves by a similar fraction. No wind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from bmdsim.earth.geodesics import WGS84_GEOD
from bmdsim.flight.forces import FULL
from bmdsim.flight.launch import impulsive_launch, powered_launch
from bmdsim.flight.propagator import Propagator, Tolerances
from bmdsim.flight.steering import PitchProgram
from bmdsim.interceptors.catalog import InterceptorClass, get_interceptor

__all__ = ["StageImpact", "booster_drop", "tumbling_ballistic_coefficient"]

TUMBLING_CD = 1.0


def tumbling_ballistic_coefficient(mass_kg: float, diameter_m: float, length_m: float) -> float:
    """beta = m / (Cd A) of a tumbling cylinder [kg/m^2] (see the module docstring)."""
    area = 0.5 * (math.pi * 0.25 * diameter_m**2 + diameter_m * length_m)
    return mass_kg / (TUMBLING_CD * area)


@dataclass(frozen=True)
class StageImpact:
    """Where one spent stage falls."""

    stage: int  # 1 = first stage
    separation_time_s: float  # since launch
    separation_altitude_m: float
    separation_speed_m_s: float
    ballistic_coefficient_kg_m2: float
    impact_time_s: float  # since launch (NaN if it did not come down in the time allowed)
    lat_deg: float
    lon_deg: float
    distance_km: float  # from the launcher, on the ellipsoid

    def as_dict(self) -> dict[str, float]:
        return {
            "stage": self.stage,
            "separation_time_s": self.separation_time_s,
            "separation_altitude_km": self.separation_altitude_m / 1e3,
            "ballistic_coefficient_kg_m2": self.ballistic_coefficient_kg_m2,
            "impact_time_s": self.impact_time_s,
            "lat_deg": self.lat_deg,
            "lon_deg": self.lon_deg,
            "distance_km": self.distance_km,
        }


def booster_drop(
    interceptor: str | InterceptorClass,
    lat_deg: float,
    lon_deg: float,
    azimuth_deg: float,
    kick_deg: float | None = None,
    program: PitchProgram | None = None,
    max_fall_s: float = 3000.0,
) -> list[StageImpact]:
    """Impact points of every spent stage with a dry mass, first stage first."""
    ic = get_interceptor(interceptor) if isinstance(interceptor, str) else interceptor
    prog = program or ic.program
    veh = ic.vehicle
    t_sep = np.cumsum([s.burn_time_s for s in veh.stages])
    tol = Tolerances(max_duration_s=float(t_sep[-1]) + 1.0, h_max_s=5.0)
    fb = Propagator(tol).propagate(
        powered_launch(veh, lat_deg, lon_deg, azimuth_deg, prog, kick_deg=kick_deg, force=FULL),
        record=True,
    )
    trj = fb.trajectory(0)
    sel = [k for k, s in enumerate(veh.stages) if s.dry_mass_kg > 0.0]
    if not sel:
        return []
    pos, vel = trj.sample(t_sep[sel])
    _, _, h_sep = trj.geodetic(t_sep[sel])
    lengths = ic.stage_lengths_m or tuple(4.0 * s.diameter_m for s in veh.stages)
    betas = [
        tumbling_ballistic_coefficient(
            veh.stages[k].dry_mass_kg, veh.stages[k].diameter_m, lengths[k]
        )
        for k in sel
    ]
    out: list[StageImpact] = []
    for j, k in enumerate(sel):
        # a one-flight ballistic batch whose state is replaced by the separation state (ECI)
        b = impulsive_launch(
            0.0, 0.0, 0.0, lat_deg, lon_deg, 0.0, force=FULL, ballistic_coefficient_kg_m2=betas[j]
        )
        b = replace(
            b,
            t0_s=np.array([t_sep[k]]),
            y0=np.concatenate([pos[j], vel[j]])[None, :],
        )
        fall = Propagator(Tolerances(max_duration_s=max_fall_s, h_max_s=20.0)).propagate(b)
        if fall.impacted[0]:
            la, lo = fall.impact_lat_lon_deg()
            _, _, d = WGS84_GEOD.inv(lon_deg, lat_deg, float(lo[0]), float(la[0]))
            t_imp, lat_i, lon_i, dist = (
                float(fall.impact_time_s[0]),
                float(la[0]),
                float(lo[0]),
                float(d) / 1e3,
            )
        else:
            t_imp = lat_i = lon_i = dist = math.nan
        out.append(
            StageImpact(
                stage=k + 1,
                separation_time_s=float(t_sep[k]),
                separation_altitude_m=float(h_sep[j]),
                separation_speed_m_s=float(np.linalg.norm(vel[j])),
                ballistic_coefficient_kg_m2=betas[j],
                impact_time_s=t_imp,
                lat_deg=lat_i,
                lon_deg=lon_i,
                distance_km=dist,
            )
        )
    return out
