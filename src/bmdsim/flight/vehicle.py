"""Rocket vehicles as data: stages, reentry vehicle, drag curve.

A :class:`Vehicle` is a stack of :class:`Stage` objects (first stage first) topped by a
:class:`ReentryVehicle`. Stages burn one after the other; when a stage burns out its dry
(structural) mass is dropped and the next one ignites at once. After the last stage burns out
(or the engine is cut off early, see ``cutoff_time_s``) the reentry vehicle separates and
flies on alone with its ballistic coefficient.

Thrust with back-pressure correction (Sutton & Biblarz, *Rocket Propulsion Elements*, 9th ed.,
eq. 3-21):  F(h) = mdot * g0 * Isp_vac - p(h) * A_exit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from bmdsim._core.layouts import (
    N_PHASE_FIELDS,
    PF_AEXIT,
    PF_AREF,
    PF_BETA,
    PF_DROP,
    PF_M_START,
    PF_MDOT,
    PF_T_END,
    PF_T_START,
    PF_THRUST,
)
from bmdsim.earth.wgs84 import G0_M_S2

__all__ = [
    "DEFAULT_CD_MACH",
    "DragCurve",
    "Phase",
    "ReentryVehicle",
    "Stage",
    "Vehicle",
]


@dataclass(frozen=True)
class DragCurve:
    """Zero-lift drag coefficient as a function of Mach number.

    Between the tabulated points the curve is the monotone piecewise-cubic Hermite
    interpolant (Fritsch & Carlson, SIAM J. Numer. Anal. 17 (1980) 238): continuous slope,
    no overshoot.
    """

    mach: tuple[float, ...]
    cd: tuple[float, ...]
    source: str = ""

    def table(self) -> NDArray[np.float64]:
        """(3, K) array of Mach, Cd and the Fritsch-Carlson slopes dCd/dMach."""
        x = np.asarray(self.mach, float)
        y = np.asarray(self.cd, float)
        d = np.diff(y) / np.diff(x)
        m = np.empty_like(y)
        m[0], m[-1] = d[0], d[-1]
        m[1:-1] = np.where(d[:-1] * d[1:] > 0, 0.5 * (d[:-1] + d[1:]), 0.0)
        for k in range(len(d)):
            if d[k] == 0.0:
                m[k] = m[k + 1] = 0.0
                continue
            a, b = m[k] / d[k], m[k + 1] / d[k]
            r = a * a + b * b
            if r > 9.0:
                tau = 3.0 / np.sqrt(r)
                m[k], m[k + 1] = tau * a * d[k], tau * b * d[k]
        return np.stack([x, y, m])


def _smooth_cd(mach: float) -> float:
    """Notional zero-lift drag coefficient of a slender ballistic missile with a conical nose:
    ~0.20 subsonic, a transonic rise centred near Mach 0.97 to ~0.48 at Mach 1.2, falling
    back toward 0.20 at high Mach -- the shape of the V-2 wind-tunnel data (Sutton & Biblarz,
    *Rocket Propulsion Elements*; Fleeman, *Tactical Missile Design*, 2nd ed. 2006, ch. 2),
    written as a smooth function so that the integrator meets no kinks in it."""
    rise = 1.0 / (1.0 + math.exp(-(mach - 0.97) / 0.05))
    return 0.20 + 0.28 * rise / (1.0 + ((mach - 1.0) / 1.4) ** 2)


#: Notional drag curve of a slender ballistic missile body, tabulated densely from
#: :func:`_smooth_cd` (every 0.02 in Mach up to 3, coarser above).
_MACH_NODES = tuple(
    round(m, 4)
    for m in (*[0.02 * i for i in range(151)], *[3.0 + 0.1 * i for i in range(1, 71)], 12.0, 30.0)
)
DEFAULT_CD_MACH = DragCurve(
    mach=_MACH_NODES,
    cd=tuple(_smooth_cd(m) for m in _MACH_NODES),
    source="notional slender-body curve after V-2 tunnel data (Sutton & Biblarz; Fleeman 2006)",
)


@dataclass(frozen=True)
class Stage:
    """One rocket stage.

    ``propellant_mass_kg`` burns at a constant rate over ``burn_time_s``; ``dry_mass_kg`` is
    the structure dropped at burnout. ``isp_vac_s`` is the vacuum specific impulse; with
    ``exit_area_m2`` > 0 the thrust falls by p(h) * A_exit in the atmosphere.
    """

    propellant_mass_kg: float
    dry_mass_kg: float
    burn_time_s: float
    isp_vac_s: float
    exit_area_m2: float = 0.0
    diameter_m: float = 1.0

    @property
    def mass_flow_kg_s(self) -> float:
        return self.propellant_mass_kg / self.burn_time_s

    @property
    def thrust_vac_n(self) -> float:
        return self.mass_flow_kg_s * G0_M_S2 * self.isp_vac_s

    @property
    def mass_kg(self) -> float:
        return self.propellant_mass_kg + self.dry_mass_kg


@dataclass(frozen=True)
class ReentryVehicle:
    """The payload that separates at burnout: mass and ballistic coefficient beta = m/(Cd A)."""

    mass_kg: float
    ballistic_coefficient_kg_m2: float


@dataclass(frozen=True)
class Phase:
    """One segment of powered or coasting flight, as the propagator sees it."""

    t_start_s: float
    t_end_s: float
    mass_start_kg: float
    mass_flow_kg_s: float
    thrust_vac_n: float
    exit_area_m2: float
    reference_area_m2: float
    drop_mass_kg: float
    ballistic_coefficient_kg_m2: float  # > 0: drag from beta; 0: drag from the Cd(Mach) curve


@dataclass(frozen=True)
class Vehicle:
    """A staged rocket with its reentry vehicle.

    ``drag`` is the zero-lift Cd(Mach) of the rocket body: while a stage burns the drag is
    1/2 rho |v_rel|^2 Cd(M) A, with A the burning stage's cross-section; the separated RV flies
    with its ballistic coefficient instead. Each flight of a batch carries its own vehicle's
    curve (:class:`bmdsim.flight.launch.LaunchBatch`).
    """

    name: str
    stages: tuple[Stage, ...]
    rv: ReentryVehicle
    drag: DragCurve = field(default=DEFAULT_CD_MACH)

    @property
    def launch_mass_kg(self) -> float:
        return sum(s.mass_kg for s in self.stages) + self.rv.mass_kg

    @property
    def burn_time_s(self) -> float:
        return sum(s.burn_time_s for s in self.stages)

    def ideal_delta_v_m_s(self) -> float:
        """Tsiolkovsky vacuum delta-v of the full burn (no gravity or drag losses)."""
        m = self.launch_mass_kg
        dv = 0.0
        for s in self.stages:
            dv += G0_M_S2 * s.isp_vac_s * math.log(m / (m - s.propellant_mass_kg))
            m -= s.mass_kg
        return dv

    def propellant_used_kg(self, cutoff_time_s: float = math.inf) -> float:
        """Propellant burnt from lift-off to ``cutoff_time_s`` (all of it for a full burn)."""
        used, t = 0.0, 0.0
        for s in self.stages:
            burn = min(s.burn_time_s, max(0.0, cutoff_time_s - t))
            used += s.mass_flow_kg_s * burn
            t += s.burn_time_s
        return used

    def scaled(self, propellant_factor: float) -> Vehicle:
        """The same vehicle with every stage's propellant (and burn time) scaled."""
        stages = tuple(
            replace(
                s,
                propellant_mass_kg=s.propellant_mass_kg * propellant_factor,
                burn_time_s=s.burn_time_s * propellant_factor,
            )
            for s in self.stages
        )
        return replace(self, stages=stages)

    def phases(self, t_launch_s: float = 0.0, cutoff_time_s: float = math.inf) -> list[Phase]:
        """The flight segments from launch: each stage's burn, then the free RV.

        ``cutoff_time_s`` (since launch) ends the boost early (liquid engines can be shut
        down); the RV separates then and the rest of the propellant is carried off with the
        spent stage.
        """
        out: list[Phase] = []
        t = t_launch_s
        m = self.launch_mass_kg
        t_cut = t_launch_s + cutoff_time_s
        for s in self.stages:
            if t >= t_cut:
                break
            t_end = min(t + s.burn_time_s, t_cut)
            area = math.pi * 0.25 * s.diameter_m**2
            out.append(
                Phase(t, t_end, m, s.mass_flow_kg_s, s.thrust_vac_n, s.exit_area_m2, area, 0.0, 0.0)
            )
            m_end = m - s.mass_flow_kg_s * (t_end - t)
            out[-1] = replace(out[-1], drop_mass_kg=s.dry_mass_kg)
            m = m_end - s.dry_mass_kg
            t = t_end
        # whatever is left above the RV (cut-off stages, their propellant) goes with separation
        if out:
            out[-1] = replace(out[-1], drop_mass_kg=out[-1].drop_mass_kg + (m - self.rv.mass_kg))
        out.append(
            Phase(
                t,
                math.inf,
                self.rv.mass_kg,
                0.0,
                0.0,
                0.0,
                1.0,
                0.0,
                self.rv.ballistic_coefficient_kg_m2,
            )
        )
        return out

    def phase_tables(
        self, cutoff_time_s: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """:meth:`phases` from t = 0 for M cut-offs at once, packed: ``(M, len(stages) + 1,
        N_PHASE_FIELDS)`` (rows past a flight's own phases repeat its last, the RV's) and the
        number of phases of each. The same floating-point operations as :meth:`phases`, so
        the rows are identical to :func:`phase_table` of its phases."""
        cut = np.asarray(cutoff_time_s, float).ravel()
        ns = len(self.stages)
        # the full burn, stage by stage as in phases(): start time and mass of each stage
        start = np.empty(ns)
        mass0 = np.empty(ns)
        t, m = 0.0, self.launch_mass_kg
        for k, s in enumerate(self.stages):
            start[k], mass0[k] = t, m
            t_end = t + s.burn_time_s
            m = m - s.mass_flow_kg_s * (t_end - t) - s.dry_mass_kg
            t = t_end
        burn = np.array([s.burn_time_s for s in self.stages])
        mdot = np.array([s.mass_flow_kg_s for s in self.stages])
        dry = np.array([s.dry_mass_kg for s in self.stages])
        # a stage burns when it starts before the cut-off (earlier stages then burnt in full)
        n_burn = np.sum(start[None, :] < cut[:, None], axis=1)
        t_end = np.minimum(start + burn, cut[:, None])  # (M, ns)
        m_end = mass0 - mdot * (t_end - start)
        drop = np.broadcast_to(dry, t_end.shape).copy()
        rows = np.arange(cut.size)
        last = np.maximum(n_burn - 1, 0)
        burnt = n_burn > 0
        # whatever is left above the RV goes with the last burning stage at separation
        left = m_end[rows, last] - dry[last] - self.rv.mass_kg
        drop[rows[burnt], last[burnt]] = dry[last[burnt]] + left[burnt]
        out = np.empty((cut.size, ns + 1, N_PHASE_FIELDS))
        out[:, :ns, PF_T_START] = start
        out[:, :ns, PF_T_END] = t_end
        out[:, :ns, PF_M_START] = mass0
        out[:, :ns, PF_MDOT] = mdot
        out[:, :ns, PF_THRUST] = [s.thrust_vac_n for s in self.stages]
        out[:, :ns, PF_AEXIT] = [s.exit_area_m2 for s in self.stages]
        out[:, :ns, PF_AREF] = [math.pi * 0.25 * s.diameter_m**2 for s in self.stages]
        out[:, :ns, PF_DROP] = drop
        out[:, :ns, PF_BETA] = 0.0
        rv = np.array(
            [0.0, math.inf, self.rv.mass_kg, 0.0, 0.0, 0.0, 1.0, 0.0]
            + [self.rv.ballistic_coefficient_kg_m2]
        )
        rv_rows = np.broadcast_to(rv, (cut.size, N_PHASE_FIELDS)).copy()
        rv_rows[:, PF_T_START] = np.where(burnt, t_end[rows, last], 0.0)
        # the RV's row at index n_burn and every row after it
        after = np.arange(ns + 1)[None, :] >= n_burn[:, None]
        out[after] = np.repeat(rv_rows, ns + 1 - n_burn, axis=0)
        return out, (n_burn + 1).astype(np.int64)


def phase_table(phases: list[Phase], n_rows: int | None = None) -> NDArray[np.float64]:
    """Pack phases into a ``(n_rows, N_PHASE_FIELDS)`` array (unused rows repeat the last;
    columns ``PF_*`` of :mod:`bmdsim._core.layouts`)."""
    n = n_rows or len(phases)
    tab = np.empty((n, N_PHASE_FIELDS))
    for i in range(n):
        p = phases[min(i, len(phases) - 1)]
        tab[i] = (
            p.t_start_s,
            p.t_end_s,
            p.mass_start_kg,
            p.mass_flow_kg_s,
            p.thrust_vac_n,
            p.exit_area_m2,
            p.reference_area_m2,
            p.drop_mass_kg,
            p.ballistic_coefficient_kg_m2,
        )
    return tab
