"""Pitch-program kernels: which steering segment a flight is in, and its thrust direction.

The program (:class:`bmdsim.flight.steering.PitchProgram`) is packed into a steering row
(layout ``S_*`` in :mod:`bmdsim._core.layouts`): vertical rise until ``S_T_VERT``, a linear
pitch-over by ``S_KICK`` toward azimuth ``S_AZ`` until ``S_T_KICK``, then a gravity turn
(thrust along the velocity relative to the rotating Earth) or, with ``S_HOLD``, the
pitch-over's final attitude held in the launch site's frame. Directions are built in the
site's east-north-up frame (fixed to the Earth) and turned into ECI with the Earth's
rotation angle at time t.
"""

from __future__ import annotations

import math

from numpy.typing import NDArray

from bmdsim._core.jit import jit
from bmdsim._core.layouts import (
    S_AZ,
    S_EAST,
    S_HOLD,
    S_KICK,
    S_NORTH,
    S_T_KICK,
    S_T_VERT,
    S_UP,
    STEER_GRAVITY_TURN,
    STEER_KICK,
    STEER_VERTICAL,
)

__all__ = ["steer_mode", "thrust_direction"]


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
        # ECEF -> ECI: rotation by the Earth's angle omega * t about z
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
