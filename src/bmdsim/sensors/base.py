"""The interface every sensor of bmdsim offers.

A sensor is a *notional class* (``'tpy2-class'``), never a real serial system: a handful of
open-literature parameters plus a ``source`` that says where each comes from and what was
calibrated to which public figure.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["OWNERS", "Sensor", "Tracker"]

#: Who operates a sensor: ``own`` (the defender's), ``allied`` (data arrive through a link).
OWNERS: tuple[str, ...] = ("own", "allied")


class Sensor(ABC):
    """Common surface of radars and infrared constellations."""

    name: str
    source: str

    #: 'radar' or 'infrared'
    kind: str = "sensor"

    @property
    def space_based(self) -> bool:
        """True when the sensor is in orbit (it ignores any ground site it is given)."""
        return False

    @abstractmethod
    def describe(self) -> dict[str, Any]:
        """A JSON-ready description (parameters in SI units with unit suffixes, and source)."""


@runtime_checkable
class Tracker(Protocol):
    """A bank of tracks, one per threat, that the C2 node feeds with radar measurements
    (range, azimuth, elevation from a site) in time order. :class:`bmdsim.sensors.tracking.
    BallisticEKF` is the one bmdsim ships; the C2 node uses only this surface."""

    x: NDArray[np.float64]  # (n, 6) states
    p: NDArray[np.float64]  # (n, 6, 6) covariances
    t_s: NDArray[np.float64]  # (n,) state epochs
    q: NDArray[np.float64]  # (n,) process-noise intensities
    active: NDArray[np.bool_]  # (n,) started tracks

    def initialize(
        self,
        idx: NDArray,
        t_s: ArrayLike,
        z: NDArray,
        r_meas: NDArray,
        site: NDArray,
        basis: NDArray,
    ) -> None: ...

    def predict(self, idx: NDArray, t_s: ArrayLike) -> None: ...

    def update(
        self, idx: NDArray, z: NDArray, r_meas: NDArray, site: NDArray, basis: NDArray
    ) -> NDArray[np.float64]: ...

    def position_sigma_ahead_m(
        self, idx: NDArray, ahead_s: float, q: ArrayLike | None = None
    ) -> NDArray[np.float64]: ...
