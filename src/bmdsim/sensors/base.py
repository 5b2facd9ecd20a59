"""The interface every sensor of bmdsim offers.

A sensor is a *notional class* (``'tpy2-class'``), never a real serial system: a handful of
open-literature parameters plus a ``source`` that says where each comes from and what was
calibrated to which public figure.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

__all__ = ["OWNERS", "Sensor"]

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
