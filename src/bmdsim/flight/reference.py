"""Reference integrator: SciPy ``solve_ivp`` (DOP853, rtol 1e-13, atol 1e-8) on the same force model.

It integrates each flight alone, segment by segment between the same known discontinuities
(pitch-over start and end, stage burnouts) with the same right-hand side as the batched kernel
(:func:`bmdsim._core.force_kernels.deriv`), and locates impact and apogee with SciPy's event
machinery. It is the accuracy oracle of the tests and the baseline of ``bmdsim bench``;
it is ~1000x slower than the batched engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp

from bmdsim._core.force_kernels import rhs, state_height, state_height_rate, true_height
from bmdsim._core.layouts import PF_T_END, S_T_KICK, S_T_VERT
from bmdsim._core.steering_kernels import steer_mode
from bmdsim.flight.launch import LaunchBatch

__all__ = ["ReferenceResult", "reference_flight"]


@dataclass(frozen=True)
class ReferenceResult:
    """Impact and apogee of one reference flight."""

    impact_time_s: float
    impact_eci_m: NDArray[np.float64]
    apogee_time_s: float
    apogee_m: float
    n_fev: int


def reference_flight(
    batch: LaunchBatch,
    i: int = 0,
    rtol: float = 1e-13,
    atol_m: float = 1e-8,
    max_duration_s: float = 20_000.0,
    arm_height_m: float = 10.0,
) -> ReferenceResult:
    """Fly flight ``i`` of ``batch`` with DOP853 to impact (with its vehicle's drag curve)."""
    opts = batch.force.opts()
    cd_tab = np.ascontiguousarray(batch.drag_tables[batch.drag_index[i]])
    phases = batch.phases[i, : batch.n_phases[i]]
    st = batch.steering[i]
    t = float(batch.t0_s[i])
    y = batch.y0[i].copy()
    t_stop = t + max_duration_s
    breaks = sorted(
        {float(b) for b in (st[S_T_VERT], st[S_T_KICK], *phases[:, PF_T_END]) if t < b < t_stop}
    )
    breaks.append(t_stop)
    apogee_m = float(true_height(y, opts))
    apogee_t = t
    n_fev = 0
    armed = False

    def impact(_t: float, yy: NDArray, *args: object) -> float:
        return state_height(yy, opts) if armed else 1.0

    impact.terminal = True  # type: ignore[attr-defined]
    impact.direction = -1  # type: ignore[attr-defined]

    def apex(_t: float, yy: NDArray, *args: object) -> float:
        return state_height_rate(yy, opts)

    apex.direction = -1  # type: ignore[attr-defined]

    for t_end in breaks:
        p = int(np.searchsorted(phases[:, PF_T_END], t, side="right"))
        ph = phases[min(p, len(phases) - 1)]
        mode = int(steer_mode(t, st))
        # arm the impact event once the flight is clear of the ground
        armed = armed or state_height(y, opts) > arm_height_m
        if not armed:
            # integrate until clear of the ground inside this segment, then arm
            def clear(_t: float, yy: NDArray, *args: object) -> float:
                return state_height(yy, opts) - arm_height_m

            clear.terminal = True  # type: ignore[attr-defined]
            clear.direction = 1  # type: ignore[attr-defined]
            sol = solve_ivp(
                rhs,
                (t, t_end),
                y,
                method="DOP853",
                rtol=rtol,
                atol=atol_m,
                args=(ph, st, mode, opts, cd_tab),
                events=[clear, apex],
                dense_output=False,
            )
            n_fev += sol.nfev
            t, y = float(sol.t[-1]), sol.y[:, -1].copy()
            if sol.status == 1:
                armed = True
            else:
                continue
        sol = solve_ivp(
            rhs,
            (t, t_end),
            y,
            method="DOP853",
            rtol=rtol,
            atol=atol_m,
            args=(ph, st, mode, opts, cd_tab),
            events=[impact, apex],
        )
        n_fev += sol.nfev
        for ta, ya in zip(sol.t_events[1], sol.y_events[1], strict=True):
            h = float(true_height(np.ascontiguousarray(ya), opts))
            if h > apogee_m:
                apogee_m, apogee_t = h, float(ta)
        if sol.status == 1 and len(sol.t_events[0]):
            return ReferenceResult(
                float(sol.t_events[0][0]), sol.y_events[0][0][:3].copy(), apogee_t, apogee_m, n_fev
            )
        t, y = float(sol.t[-1]), sol.y[:, -1].copy()
    return ReferenceResult(math.nan, np.full(3, np.nan), apogee_t, apogee_m, n_fev)
