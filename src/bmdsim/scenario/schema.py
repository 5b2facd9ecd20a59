"""The pydantic models of a scenario file (what ``bmdsim schema`` prints).

Keys carry their unit as a suffix (``launch_time_s``, ``apogee_km``). Every model forbids
unknown keys. Names of catalog entries (missiles, sensors, interceptors) are checked against
the catalogs and stored in their canonical form; places are catalog names, ``'LAT,LON'`` /
``'LAT,LON,HEIGHT_M'`` strings, or names defined in the scenario's own ``places`` section.
Cross references (place names, a battery's radar, unique names) are checked by
:class:`Scenario` and reported at the key that holds the bad value.

Every number has a physical range (a JSON Schema minimum and maximum; the reasons are in
:mod:`bmdsim.scenario.limits`) and must be finite; text must be printable (no line breaks,
tabs or control characters); a scenario holds at most ``MAX_THREATS`` threats (``count``
included), ``MAX_SENSORS`` sensors, ``MAX_BATTERIES`` batteries and ``MAX_PLACES`` places.

:meth:`Scenario.to_setup` turns a validated scenario into the engagement input
(:class:`bmdsim.engagement.setup.Setup`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from bmdsim.earth.places import HEIGHT_RANGE_M, PLACES, Place, get_place
from bmdsim.engagement.planner import ASSIGNMENT
from bmdsim.engagement.setup import Battery, Doctrine, SensorSite, Setup, ThreatSpec
from bmdsim.errors import BmdsimError, UnknownName, did_you_mean, quote
from bmdsim.scenario import limits as L

__all__ = [
    "BatteryModel",
    "DoctrineModel",
    "InterceptorOverrides",
    "PlaceModel",
    "Scenario",
    "SensorModel",
    "ThreatModel",
]


def _printable(value: str) -> str:
    """Text of a scenario holds no line break, tab or other unprintable character."""
    if not value.isprintable():
        raise PydanticCustomError(
            "printable_text",
            "{message}",
            {
                "message": "expected printable text (no line breaks, tabs or control "
                f"characters), got {quote(value, 60)}"
            },
        )
    return value


Text = Annotated[str, Field(min_length=1, max_length=80), AfterValidator(_printable)]
Name = Annotated[
    str,
    Field(min_length=1, max_length=80, pattern=r"^[^\s,][^,]*$"),
    AfterValidator(_printable),
]
PlaceSpec = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="catalog place, user place or 'LAT,LON' (degrees)",
    ),
    AfterValidator(_printable),
]


def _range(bounds: tuple[float, float], **kwargs: Any) -> Any:
    """A field within a closed physical range (see :mod:`bmdsim.scenario.limits`)."""
    return Field(ge=bounds[0], le=bounds[1], **kwargs)


class _Model(BaseModel):
    # numbers are finite (no .inf / .nan); types are not coerced (no '5' for 5)
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


def _catalog_error(exc: Exception) -> PydanticCustomError:
    return PydanticCustomError("catalog_name", "{message}", {"message": str(exc)})


def _missile_name(value: str) -> str:
    from bmdsim.threats.catalog import get_missile

    try:
        return get_missile(value).name
    except BmdsimError as exc:
        raise _catalog_error(exc) from None


def _sensor_name(value: str) -> str:
    from bmdsim.sensors.catalog import get_sensor

    try:
        return get_sensor(value).name
    except BmdsimError as exc:
        raise _catalog_error(exc) from None


def _interceptor_name(value: str) -> str:
    from bmdsim.interceptors.catalog import get_interceptor

    try:
        return get_interceptor(value).name
    except BmdsimError as exc:
        raise _catalog_error(exc) from None


class PlaceModel(_Model):
    """A user-defined place (WGS84 geodetic degrees, height above the ellipsoid)."""

    lat_deg: float = Field(ge=-90.0, le=90.0)
    lon_deg: float = Field(ge=-180.0, le=180.0)
    height_m: float = _range(
        HEIGHT_RANGE_M, default=0.0, description="above the WGS84 ellipsoid [m]"
    )


class SensorModel(_Model):
    """A catalog sensor at a site (space-based sensors need no site)."""

    name: Name
    sensor: Text = Field(description="catalog sensor class, e.g. 'spy7-class'")
    site: PlaceSpec | None = Field(default=None, description="required for ground radars")
    owner: Literal["own", "allied"] | None = Field(
        default=None, description="default: the catalog's owner of the class"
    )
    link_latency_s: float | None = _range(
        L.LATENCY_S, default=None, description="sensor to own C2 (default: the catalog's latency)"
    )
    boresight_az_deg: float | None = _range(L.AZIMUTH_DEG, default=None)

    @field_validator("sensor")
    @classmethod
    def _check_sensor(cls, value: str) -> str:
        return _sensor_name(value)


class InterceptorOverrides(_Model):
    """Catalog values of the interceptor class replaced for this battery."""

    burnout_speed_m_s: float | None = _range(L.INTERCEPTOR_BURNOUT_SPEED_M_S, default=None)


class BatteryModel(_Model):
    """Interceptor launchers at a site (on land, or a ship: a sea position or user place)."""

    name: Name
    interceptor: Text = Field(description="catalog interceptor class, e.g. 'sm3-iia-class'")
    site: PlaceSpec
    inventory: int = _range(L.INVENTORY, default=24)
    radar: Text | None = Field(default=None, description="name of a sensor entry: own radar")
    fire_on: Literal["own", "launch-on-remote", "engage-on-remote", "own-radar", "any"] = Field(
        default="engage-on-remote",
        description="own: launch and guide on the own radar's track; launch-on-remote: launch "
        "on any track, the own radar guides; engage-on-remote: any track launches and guides "
        "('own-radar' and 'any' are earlier spellings of own and engage-on-remote)",
    )
    launch_interval_s: float = _range(L.LAUNCH_INTERVAL_S, default=5.0)
    reaction_time_s: float = _range(L.REACTION_TIME_S, default=10.0)
    overrides: InterceptorOverrides = Field(default_factory=InterceptorOverrides)

    @field_validator("interceptor")
    @classmethod
    def _check_interceptor(cls, value: str) -> str:
        return _interceptor_name(value)


class DoctrineModel(_Model):
    """How many interceptors per threat, and when."""

    kind: Literal["shoot-look-shoot", "salvo"] = "shoot-look-shoot"
    salvo_size: int = _range(L.SALVO_SIZE, default=2)
    max_waves: int = _range(L.MAX_WAVES, default=2)
    pk: float = Field(default=0.7, ge=0.0, le=1.0, description="single-shot kill probability")
    kill_assessment_delay_s: float = _range(L.KILL_ASSESSMENT_DELAY_S, default=10.0)
    assignment: Text = Field(
        default="earliest-intercept-first",
        description="weapon-target assignment rule",
        json_schema_extra={"enum": list[Any](sorted(ASSIGNMENT))},
    )

    @field_validator("assignment")
    @classmethod
    def _check_assignment(cls, value: str) -> str:
        if value not in ASSIGNMENT:
            known = sorted(ASSIGNMENT)
            raise PydanticCustomError(
                "assignment",
                "{message}",
                {
                    "message": f"unknown assignment {quote(value)}"
                    f"{did_you_mean(value, known)} (known: {', '.join(known)})"
                },
            )
        return value


class ThreatModel(_Model):
    """One threat; ``count`` > 1 stands for numbered copies launched together."""

    name: Name
    missile: Text = Field(description="catalog missile class, e.g. 'nodong-class'")
    launch: PlaceSpec
    target: PlaceSpec
    launch_time_s: float = _range(
        L.LAUNCH_TIME_S, default=0.0, description="after the scenario epoch (at most 10 days)"
    )
    profile: Literal["min-energy", "standard", "lofted", "depressed"] = "min-energy"
    apogee_km: float | None = _range(L.APOGEE_KM, default=None)
    flight_time_s: float | None = _range(
        L.FLIGHT_TIME_S,
        default=None,
        description="launch-to-impact time shaping a lofted or depressed flight "
        "(instead of apogee_km)",
    )
    count: int = _range(L.THREAT_COUNT, default=1)
    rcs_m2: float = _range(L.RCS_M2, default=0.1, description="radar cross-section")

    @field_validator("missile")
    @classmethod
    def _check_missile(cls, value: str) -> str:
        return _missile_name(value)

    @model_validator(mode="after")
    def _profile_needs_apogee(self) -> ThreatModel:
        shaped = self.profile in ("lofted", "depressed")
        given = [k for k in ("apogee_km", "flight_time_s") if getattr(self, k) is not None]
        if shaped and not given:
            raise _located(
                ("apogee_km",), None, f"profile '{self.profile}' needs apogee_km or flight_time_s"
            )
        if shaped and len(given) == 2:
            raise _located(
                ("flight_time_s",),
                self.flight_time_s,
                "give apogee_km or flight_time_s, not both",
            )
        if not shaped and given:
            raise _located(
                (given[0],),
                getattr(self, given[0]),
                f"{given[0]} is only used with profile 'lofted' or 'depressed'",
            )
        return self


class Scenario(_Model):
    """A whole scenario file."""

    name: Name
    epoch: Text = Field(
        default="2017-08-29T05:58:00+09:00", description="ISO 8601 date and time (UTC offset)"
    )
    seed: int = _range(L.SEED, default=0)
    places: dict[Name, PlaceModel] = Field(default_factory=dict, max_length=L.MAX_PLACES)
    sensors: list[SensorModel] = Field(default_factory=list, max_length=L.MAX_SENSORS)
    batteries: list[BatteryModel] = Field(default_factory=list, max_length=L.MAX_BATTERIES)
    doctrine: DoctrineModel = Field(default_factory=DoctrineModel)
    threats: list[ThreatModel] = Field(
        min_length=1,
        max_length=L.MAX_THREATS,
        description=f"at most {L.MAX_THREATS} threats in all, each entry's count included",
    )

    @field_validator("epoch", mode="before")
    @classmethod
    def _epoch_iso(cls, value: Any) -> Any:
        # YAML reads an unquoted timestamp as a datetime; keep it as ISO 8601 text.
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                raise PydanticCustomError(
                    "iso_datetime",
                    "expected an ISO 8601 date and time such as "
                    "'2017-08-29T05:58:00+09:00', got {value}",
                    {"value": quote(value, 60)},
                ) from None
        return value

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        errors: list[InitErrorDetails] = []

        def err(loc: tuple[str | int, ...], value: Any, message: str) -> None:
            errors.append(_detail(loc, value, message))

        total = sum(t.count for t in self.threats)
        if total > L.MAX_THREATS:  # before any flight is aimed: a run this big is refused
            raise _located(
                ("threats",),
                None,
                f"{total:,} threats with their counts; a scenario holds at most {L.MAX_THREATS:,}",
            )

        for name in self.places:
            if name.lower() in PLACES:
                err(("places", name), name, f"place {quote(name)} is a catalog place; rename it")

        def check_place(loc: tuple[str | int, ...], spec: str, height_used: bool = True) -> None:
            try:
                place = self.resolve_place(spec)
            except UnknownName:
                hint = did_you_mean(spec, [*self.places, *PLACES])
                err(loc, spec, f"unknown place {quote(spec.strip())}{hint}")
            except BmdsimError as exc:
                err(loc, spec, str(exc))
            else:
                if not height_used and place.height_m != 0.0:
                    err(
                        loc,
                        spec,
                        f"place {quote(spec)} has a height ({place.height_m:g} m), which a "
                        "threat's launch or target point does not use (flights start and end "
                        "on the ellipsoid); give 'LAT,LON'",
                    )

        from bmdsim.sensors.catalog import get_sensor

        _unique(err, "sensors", [s.name for s in self.sensors], "sensor")
        for i, s in enumerate(self.sensors):
            if s.site is not None:
                check_place(("sensors", i, "site"), s.site)
            elif not get_sensor(s.sensor).space_based:
                err(("sensors", i, "site"), None, f"ground sensor '{s.sensor}' needs a site")

        sensors = {s.name: s for s in self.sensors}
        _unique(err, "batteries", [b.name for b in self.batteries], "battery")
        for i, b in enumerate(self.batteries):
            check_place(("batteries", i, "site"), b.site)
            if b.radar is not None:
                if b.radar not in sensors:
                    err(
                        ("batteries", i, "radar"),
                        b.radar,
                        f"no sensor named {quote(b.radar)} in sensors"
                        + (did_you_mean(b.radar, sensors) or _known(sensors)),
                    )
                elif get_sensor(sensors[b.radar].sensor).space_based:
                    err(
                        ("batteries", i, "radar"),
                        b.radar,
                        f"{quote(b.radar)} is not a ground radar",
                    )
            elif b.fire_on in ("own", "own-radar", "launch-on-remote"):
                err(("batteries", i, "radar"), None, f"fire_on '{b.fire_on}' needs a radar")

        _unique(err, "threats", [t.name for t in self.threats], "threat")
        to_check: list[tuple[int, ThreatModel, Place, Place]] = []
        for i, t in enumerate(self.threats):
            n_before = len(errors)
            check_place(("threats", i, "launch"), t.launch, height_used=False)
            check_place(("threats", i, "target"), t.target, height_used=False)
            if len(errors) == n_before:
                to_check.append((i, t, self.resolve_place(t.launch), self.resolve_place(t.target)))
        _check_reach(err, to_check)

        if errors:
            raise ValidationError.from_exception_data("Scenario", errors)
        return self

    # ---- resolution ------------------------------------------------------------------------

    def resolve_place(self, spec: str) -> Place:
        """A place of this scenario: a user place, a catalog name or 'LAT,LON[,HEIGHT_M]'."""
        user = self.places.get(spec)
        if user is not None:
            return Place(spec, user.lat_deg, user.lon_deg, user.height_m, "point", "", "scenario")
        return get_place(spec)

    def to_setup(self, origins: Sequence[str] = ()) -> Setup:
        """The engagement input: catalog names canonical, places resolved to coordinates.
        ``origins``: where each threat was defined ('file:line'), named in runtime errors."""
        from bmdsim.sensors.catalog import get_sensor

        sensors = []
        for s in self.sensors:
            site = self.resolve_place(s.site) if s.site is not None else None
            cat = get_sensor(s.sensor)
            owner = s.owner if s.owner is not None else str(getattr(cat, "owner", "own"))
            latency = s.link_latency_s
            if latency is None:
                latency = float(getattr(cat, "link_latency_s", 0.0)) if owner == "allied" else 0.0
            sensors.append(
                SensorSite(
                    name=s.name,
                    sensor=s.sensor,
                    lat_deg=site.lat_deg if site else math.nan,
                    lon_deg=site.lon_deg if site else math.nan,
                    height_m=site.height_m if site else 0.0,
                    owner=owner,
                    link_latency_s=float(latency),
                    boresight_az_deg=s.boresight_az_deg,
                )
            )
        batteries = []
        for b in self.batteries:
            site = self.resolve_place(b.site)
            batteries.append(
                Battery(
                    name=b.name,
                    interceptor=b.interceptor,
                    lat_deg=site.lat_deg,
                    lon_deg=site.lon_deg,
                    height_m=site.height_m,
                    inventory=b.inventory,
                    radar=b.radar,
                    fire_on=b.fire_on,
                    launch_interval_s=float(b.launch_interval_s),
                    reaction_time_s=float(b.reaction_time_s),
                    burnout_speed_m_s=b.overrides.burnout_speed_m_s,
                )
            )
        threats = []
        for k, t in enumerate(self.threats):
            launch, target = self.resolve_place(t.launch), self.resolve_place(t.target)
            threats.append(
                ThreatSpec(
                    name=t.name,
                    missile=t.missile,
                    launch_place=_place_label(t.launch, launch),
                    launch_lat_deg=launch.lat_deg,
                    launch_lon_deg=launch.lon_deg,
                    target_place=_place_label(t.target, target),
                    target_lat_deg=target.lat_deg,
                    target_lon_deg=target.lon_deg,
                    launch_time_s=float(t.launch_time_s),
                    profile=t.profile,
                    apogee_km=t.apogee_km,
                    flight_time_s=t.flight_time_s,
                    count=t.count,
                    rcs_m2=float(t.rcs_m2),
                    origin=origins[k] if k < len(origins) else "",
                )
            )
        d = self.doctrine
        doctrine = Doctrine(
            kind=d.kind,
            salvo_size=d.salvo_size,
            max_waves=d.max_waves,
            pk=float(d.pk),
            kill_assessment_delay_s=float(d.kill_assessment_delay_s),
            assignment=d.assignment,
        )
        return Setup(
            name=self.name,
            sensors=tuple(sensors),
            batteries=tuple(batteries),
            threats=tuple(threats),
            doctrine=doctrine,
            seed=self.seed,
            epoch=self.epoch,
        )


# ---- helpers ----------------------------------------------------------------------------------


def _detail(
    loc: tuple[str | int, ...], value: Any, message: str, kind: str = "scenario"
) -> InitErrorDetails:
    return InitErrorDetails(
        type=PydanticCustomError(kind, "{message}", {"message": message}), loc=loc, input=value
    )


def _located(
    loc: tuple[str | int, ...], value: Any, message: str, kind: str = "scenario"
) -> ValidationError:
    """A validation error at ``loc`` (relative to the model that raises it)."""
    return ValidationError.from_exception_data("Scenario", [_detail(loc, value, message, kind)])


def _known(names: Any) -> str:
    names = list(names)
    return f"; known: {', '.join(names)}" if names else "; the scenario defines no sensors"


def _unique(err: Any, section: str, names: list[str], what: str) -> None:
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            err((section, i, "name"), name, f"duplicate {what} name {quote(name)}")
        seen.add(name)


def _place_label(spec: str, place: Place) -> str:
    """The name a threat's place is reported under: the catalog key, user name or 'LAT,LON'."""
    return spec if "," in spec else place.name


def _check_reach(err: Any, threats: list[tuple[int, ThreatModel, Place, Place]]) -> None:
    """The same reach as aiming and ``bmdsim range`` (rotating Earth, toward the target),
    one batch per missile and launch point."""
    import numpy as np

    from bmdsim.earth.geodesics import inverse
    from bmdsim.threats.catalog import get_missile
    from bmdsim.threats.reach import range_toward

    groups: dict[tuple[str, float, float], list[tuple[int, ThreatModel, float, float]]] = {}
    for i, t, launch, target in threats:
        az12, _, d = inverse(launch.lat_deg, launch.lon_deg, target.lat_deg, target.lon_deg)
        if float(d) < 1e3:
            err(
                ("threats", i, "target"),
                t.target,
                "the target lies within 1 km of the launch point",
            )
            continue
        key = (t.missile, launch.lat_deg, launch.lon_deg)
        groups.setdefault(key, []).append((i, t, float(az12) % 360.0, float(d)))
    for (missile, lat, lon), rows in groups.items():
        reach = range_toward(
            get_missile(missile).vehicle, lat, lon, np.array([r[2] for r in rows])
        ).range_m
        for (i, t, _, dist_m), reach_m in zip(rows, reach, strict=True):
            if not dist_m <= reach_m:
                err(
                    ("threats", i, "target"),
                    t.target,
                    f"target {quote(t.target)} is {dist_m / 1e3:,.0f} km from {quote(t.launch)}, beyond "
                    f"the {t.missile} reach toward it ({reach_m / 1e3:,.0f} km)",
                )
