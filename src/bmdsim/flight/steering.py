"""Pitch programs: vertical rise, pitch-over (kick), then gravity turn.

The rocket rises vertically for ``vertical_time_s``, then tilts its thrust linearly in time by
``kick_deg`` toward the launch azimuth over ``kick_duration_s``, then flies a gravity turn:
thrust along the velocity relative to the rotating Earth. A small kick lofts the flight; a
larger one flattens it. This is the classical open-literature boost model (e.g. Forden,
*Science & Global Security* 15 (2007); Wright & Kadyshev (1994)).

Directions are built in the launch site's east-north-up frame (fixed to the Earth) and turned
into ECI with the Earth's rotation angle at time t. The program is packed into a steering
row (:func:`bmdsim.flight.launch.powered_launch`) that the kernels of
:mod:`bmdsim._core.steering_kernels` read.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PitchProgram"]


@dataclass(frozen=True)
class PitchProgram:
    """Vertical rise, linear pitch-over by ``kick_deg``, then a gravity turn, or (with
    ``hold_attitude``) the pitch-over's final attitude held in the launch site's frame until
    burnout: the simplest model of a guided interceptor flying out toward a point."""

    kick_deg: float = 5.0
    vertical_time_s: float = 8.0
    kick_duration_s: float = 10.0
    hold_attitude: bool = False
