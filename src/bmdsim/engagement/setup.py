"""What an engagement simulation is given: sensors, batteries, doctrine, threats.

Plain frozen dataclasses with names of catalog entries and places already resolved to
coordinates; the scenario layer builds them from YAML files (``bmdsim.scenario``), tests and
users may build them directly. Units are SI with suffixes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["FIRE_ON", "Battery", "Doctrine", "SensorSite", "Setup", "ThreatSpec"]

#: cueing doctrines: launch and guide on the own radar's track; launch on a remote track
#: and guide on the own radar's; launch and guide on remote tracks
FIRE_ON = ("own", "launch-on-remote", "engage-on-remote")
#: earlier spellings, still read
FIRE_ON_ALIASES = {"own-radar": "own", "any": "engage-on-remote"}
DOCTRINES = ("shoot-look-shoot", "salvo")


@dataclass(frozen=True)
class SensorSite:
    """A catalog sensor placed on the Earth (space-based sensors ignore the site)."""

    name: str  # unique in the scenario, e.g. 'araya-spy7'
    sensor: str  # catalog class, e.g. 'spy7-class'
    lat_deg: float = math.nan
    lon_deg: float = math.nan
    height_m: float = 0.0
    owner: str = "own"  # 'own' | 'allied'
    link_latency_s: float = 0.0  # allied sensor to the own C2 node
    boresight_az_deg: float | None = None  # turn the faces so the first points here


@dataclass(frozen=True)
class Battery:
    """Interceptor launchers at a site (land or a ship's position at sea)."""

    name: str
    interceptor: str  # catalog class, e.g. 'sm3-iia-class'
    lat_deg: float
    lon_deg: float
    height_m: float = 0.0
    inventory: int = 24
    radar: str | None = None  # name of the SensorSite that is this battery's own radar
    fire_on: str = "engage-on-remote"  # see FIRE_ON
    launch_interval_s: float = 5.0  # between two launches of the battery
    reaction_time_s: float = 10.0  # from a fire-control track to the first launch
    burnout_speed_m_s: float | None = None  # override of the catalog's nominal (scales fan)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fire_on", FIRE_ON_ALIASES.get(self.fire_on, self.fire_on))
        if self.fire_on not in FIRE_ON:
            raise ValueError(f"fire_on must be one of {FIRE_ON}, got '{self.fire_on}'")
        if self.fire_on != "engage-on-remote" and self.radar is None:
            raise ValueError(f"fire_on '{self.fire_on}' needs the battery's own radar")
        if self.inventory < 0:
            raise ValueError("inventory must be >= 0")


@dataclass(frozen=True)
class Doctrine:
    """How many interceptors per threat, and when."""

    kind: str = "shoot-look-shoot"  # or 'salvo'
    salvo_size: int = 2  # interceptors per wave
    max_waves: int = 2  # shoot-look-shoot: waves per threat at most
    pk: float = 0.7  # single-shot probability of kill
    kill_assessment_delay_s: float = 10.0  # intercept -> assessment known
    assignment: str = "earliest-intercept-first"

    def __post_init__(self) -> None:
        if self.kind not in DOCTRINES:
            raise ValueError(f"doctrine must be one of {DOCTRINES}, got '{self.kind}'")
        if not 0.0 <= self.pk <= 1.0:
            raise ValueError("pk must lie in [0, 1]")
        if self.salvo_size < 1 or self.max_waves < 1:
            raise ValueError("salvo_size and max_waves must be >= 1")


@dataclass(frozen=True)
class ThreatSpec:
    """One threat (``count`` > 1 expands to numbered copies launched together)."""

    name: str
    missile: str  # catalog class
    launch_place: str
    launch_lat_deg: float
    launch_lon_deg: float
    target_place: str
    target_lat_deg: float
    target_lon_deg: float
    launch_time_s: float = 0.0
    profile: str = "min-energy"
    apogee_km: float | None = None
    flight_time_s: float | None = None  # shapes a lofted/depressed flight instead of apogee
    count: int = 1
    rcs_m2: float = 0.1
    origin: str = field(
        default="", compare=False, repr=False
    )  # where it was defined, e.g. 'raid.yaml:42' (named in runtime errors)


@dataclass(frozen=True)
class Setup:
    """A whole engagement: the input of :func:`bmdsim.engagement.run.run_engagement`."""

    name: str
    sensors: tuple[SensorSite, ...]
    batteries: tuple[Battery, ...]
    threats: tuple[ThreatSpec, ...]
    doctrine: Doctrine = field(default_factory=Doctrine)
    seed: int = 0
    epoch: str = "2017-08-29T05:58:00+09:00"

    def without_allied_sensors(self) -> Setup:
        """The same engagement with every allied sensor removed (own sensors only)."""
        own = tuple(s for s in self.sensors if s.owner != "allied")
        names = {s.name for s in own}
        batteries = tuple(
            b if b.radar is None or b.radar in names else _replace_radar(b) for b in self.batteries
        )
        return Setup(
            self.name + "-own-sensors",
            own,
            batteries,
            self.threats,
            self.doctrine,
            self.seed,
            self.epoch,
        )


def _replace_radar(b: Battery) -> Battery:
    from dataclasses import replace

    return replace(b, radar=None, fire_on="engage-on-remote")
