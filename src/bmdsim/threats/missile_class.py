"""The record of a notional threat missile class (see :mod:`bmdsim.threats.catalog`)."""

from __future__ import annotations

from dataclasses import dataclass

from bmdsim.earth.places import PLACES
from bmdsim.errors import InputError
from bmdsim.flight.vehicle import Vehicle

__all__ = ["PROPELLANTS", "MissileClass"]

PROPELLANTS: tuple[str, ...] = ("liquid", "solid")


@dataclass(frozen=True)
class MissileClass:
    """A notional threat missile class: a :class:`Vehicle` plus what the sources say of it."""

    name: str  # 'nodong-class'
    vehicle: Vehicle
    nominal_range_km: float  # max range quoted in open sources (non-rotating Earth, min-energy)
    nominal_range_bracket_km: tuple[float, float]  # spread of the open estimates
    propellant: str  # 'liquid' | 'solid'
    launch_area: str  # a place name from the places catalog (usual launch area)
    description: str
    source: str  # citation(s)

    def __post_init__(self) -> None:
        lo, hi = self.nominal_range_bracket_km
        if not 0.0 < lo <= self.nominal_range_km <= hi:
            raise InputError(
                f"missile '{self.name}': nominal range {self.nominal_range_km} km is not inside "
                f"its bracket {self.nominal_range_bracket_km}"
            )
        if self.propellant not in PROPELLANTS:
            raise InputError(f"missile '{self.name}': propellant '{self.propellant}'")
        if self.launch_area not in PLACES:
            raise InputError(f"missile '{self.name}': unknown launch area '{self.launch_area}'")

    @property
    def n_stages(self) -> int:
        return len(self.vehicle.stages)

    @property
    def launch_mass_kg(self) -> float:
        return self.vehicle.launch_mass_kg
