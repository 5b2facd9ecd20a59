"""Pitch programs: vertical rise, pitch-over (kick), then gravity turn.

The rocket rises vertically for ``vertical_time_s``, then tilts its thrust linearly in time by
``kick_deg`` toward the launch azimuth over ``kick_duration_s``, then flies a gravity turn:
thrust along the velocity relative to the rotating Earth. A small kick lofts the flight; a
larger one flattens it. This is the classical open-literature boost model (e.g. Forden,
*Science & Global Security* 15 (2007); Wright & Kadyshev (1994)).

Directions are built in the launch site's east-north-up frame (fixed to the Earth) and turned
into ECI with the Earth's rotation angle at time t.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from numpy.typing import NDArray

from bmdsim._core.jit import jit

__all__ = ["PitchProgram", "steer_mode", "thrust_direction"]

S_AZ, S_T_VERT, S_T_KICK, S_KICK = range(4)
S_UP, S_NORTH, S_EAST = 4, 7, 10
S_HOLD = 13  # 1: hold the pitch-over's final attitude instead of a gravity turn
N_STEER_FIELDS = 14


@dataclass(frozen=True)
class PitchProgram:
    """Vertical rise, linear pitch-over by ``kick_deg``, then a gravity turn, or (with
    ``hold_attitude``) the pitch-over's final attitude held in the launch site's frame until
    burnout: the simplest model of a guided interceptor flying out toward a point."""

    kick_deg: float = 5.0
    vertical_time_s: float = 8.0
    kick_duration_s: float = 10.0
    hold_attitude: bool = False


STEER_VERTICAL, STEER_KICK, STEER_GRAVITY_TURN = 0, 1, 2


@jit()
def steer_mode(t: float, st: NDArray) -> int:
    """The steering segment that starts at time t (segments switch at known times; the
    integrator keeps one segment through each step so that no step straddles a switch)."""
    if t >= st[S_T_KICK]:
        return STEER_GRAVITY_TURN
    if t >= st[S_T_VERT]:
        return STEER_KICK
    return STEER_VERTICAL


@jit(inline="always")
def thrust_direction(
    t: float,
    x: float,
    y: float,
    z: float,
    vx: float,
    vy: float,
    vz: float,
    st: NDArray,
    omega: float,
    mode: int,
) -> tuple[float, float, float]:
    """Unit thrust direction in ECI at time t in steering segment ``mode``."""
    if mode != STEER_GRAVITY_TURN or st[S_HOLD] != 0.0:
        theta = 0.0
        if mode == STEER_GRAVITY_TURN:  # attitude hold
            theta = st[S_KICK]
        elif mode == STEER_KICK:
            frac = (t - st[S_T_VERT]) / (st[S_T_KICK] - st[S_T_VERT])
            theta = st[S_KICK] * min(1.0, max(0.0, frac))
        c = math.cos(theta)
        s = math.sin(theta)
        ca = math.cos(st[S_AZ]) * s
        sa = math.sin(st[S_AZ]) * s
        dx = c * st[S_UP] + ca * st[S_NORTH] + sa * st[S_EAST]
        dy = c * st[S_UP + 1] + ca * st[S_NORTH + 1] + sa * st[S_EAST + 1]
        dz = c * st[S_UP + 2] + ca * st[S_NORTH + 2] + sa * st[S_EAST + 2]
        ang = omega * t
        co = math.cos(ang)
        so = math.sin(ang)
        return co * dx - so * dy, so * dx + co * dy, dz
    # gravity turn: along the velocity relative to the rotating Earth
    wx = vx + omega * y
    wy = vy - omega * x
    w = math.sqrt(wx * wx + wy * wy + vz * vz)
    if w < 1e-6:
        r = math.sqrt(x * x + y * y + z * z)
        return x / r, y / r, z / r
    return wx / w, wy / w, vz / w
