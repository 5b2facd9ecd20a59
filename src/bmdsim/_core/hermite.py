"""Quintic Hermite interpolation of a trajectory step.

Given position, velocity and acceleration at both ends of a step of length h, the quintic
Hermite polynomial reproduces the motion with an O(h^6) error; its derivative gives the
velocity with O(h^5). Used for dense output (tracks, event location) between the
integrator's accepted steps.
"""

from __future__ import annotations

from bmdsim._core.jit import jit


@jit(inline="always")
def quintic(
    s: float, h: float, p0: float, v0: float, a0: float, p1: float, v1: float, a1: float
) -> tuple[float, float]:
    """Position and velocity at fraction ``s`` in [0, 1] of a step of length ``h``."""
    s2 = s * s
    s3 = s2 * s
    s4 = s3 * s
    s5 = s4 * s
    h0 = 1.0 - 10.0 * s3 + 15.0 * s4 - 6.0 * s5
    h1 = s - 6.0 * s3 + 8.0 * s4 - 3.0 * s5
    h2 = 0.5 * (s2 - 3.0 * s3 + 3.0 * s4 - s5)
    h3 = 0.5 * (s3 - 2.0 * s4 + s5)
    h4 = -4.0 * s3 + 7.0 * s4 - 3.0 * s5
    h5 = 1.0 - h0
    d0 = -30.0 * s2 + 60.0 * s3 - 30.0 * s4
    d1 = 1.0 - 18.0 * s2 + 32.0 * s3 - 15.0 * s4
    d2 = 0.5 * (2.0 * s - 9.0 * s2 + 12.0 * s3 - 5.0 * s4)
    d3 = 0.5 * (3.0 * s2 - 8.0 * s3 + 5.0 * s4)
    d4 = -12.0 * s2 + 28.0 * s3 - 15.0 * s4
    d5 = -d0
    hh = h * h
    pos = h0 * p0 + h1 * h * v0 + h2 * hh * a0 + h3 * hh * a1 + h4 * h * v1 + h5 * p1
    vel = (d0 * p0 + d1 * h * v0 + d2 * hh * a0 + d3 * hh * a1 + d4 * h * v1 + d5 * p1) / h
    return pos, vel
