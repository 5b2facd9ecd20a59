"""Commands of the sensors layer: ``observe``, ``coverage`` and the sensor catalog document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from bmdsim.cli._common import emit_json, fail, json_text, place, write_output
from bmdsim.errors import quote
from bmdsim.scenario import limits as L

_PROFILES = ("min-energy", "standard", "lofted", "depressed")
#: sensors one ``observe`` places
MAX_OBSERVE_SENSORS = 20


def catalog_sensors_doc() -> dict[str, Any]:
    """The JSON document of ``bmdsim catalog sensors --json``."""
    from bmdsim.sensors.catalog import REFERENCE_RCS_M2, SENSORS

    return {
        "reference_rcs_m2": REFERENCE_RCS_M2,
        "sensors": [s.describe() for s in SENSORS.values()],
    }


def _fly(
    missile: str, from_place: Any, to_place: Any, profile: str, apogee_km: float | None
) -> Any:
    """Fly a catalog missile from one place to another (aimed); returns its Trajectory."""
    from bmdsim.threats.aiming import aim

    res = aim(
        missile,
        from_place.lat_deg,
        from_place.lon_deg,
        to_place.lat_deg,
        to_place.lon_deg,
        profile=profile,
        apogee_km=apogee_km,
    )
    return res.fly(0, record=True).trajectory(0)


def _place_sensor(name: str, site: Any, threat_from: Any | None = None) -> Any:
    from pyproj import Geod

    from bmdsim.sensors.catalog import get_sensor
    from bmdsim.sensors.radar import Radar

    s = get_sensor(name)
    if not isinstance(s, Radar):
        return s
    bore = None
    if threat_from is not None and len(s.faces) == 1:
        bore, _, _ = Geod(ellps="WGS84").inv(
            site.lon_deg, site.lat_deg, threat_from.lon_deg, threat_from.lat_deg
        )
    return s.at(site.lat_deg, site.lon_deg, site.height_m, boresight_az_deg=bore)


def observe(
    sensor: Annotated[
        list[str],
        typer.Option("--sensor", help=f"sensor class (repeat, at most {MAX_OBSERVE_SENSORS})"),
    ],
    site: Annotated[list[str], typer.Option("--site", help="place of each sensor (repeat)")],
    missile: Annotated[str, typer.Option(help="catalog missile class")],
    from_: Annotated[str, typer.Option("--from", help="launch place (no height)")],
    to: Annotated[str, typer.Option(help="target place (no height)")],
    profile: Annotated[
        str, typer.Option(help="min-energy | standard | lofted | depressed")
    ] = "min-energy",
    apogee_km: Annotated[
        float | None,
        typer.Option(
            "--apogee-km",
            min=L.APOGEE_KM[0],
            max=L.APOGEE_KM[1],
            help="apogee for lofted/depressed [km]",
        ),
    ] = None,
    rcs_m2: Annotated[
        float | None,
        typer.Option("--rcs-m2", min=L.RCS_M2[0], max=L.RCS_M2[1], help="target RCS [m^2]"),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Fly a threat and report when the sensors see and track it."""
    from bmdsim.sensors.c2 import observe as run_observe
    from bmdsim.sensors.catalog import REFERENCE_RCS_M2

    if len(sensor) != len(site):
        fail(f"give one --site per --sensor ({len(sensor)} sensors, {len(site)} sites)")
    if len(sensor) > MAX_OBSERVE_SENSORS:
        fail(f"at most {MAX_OBSERVE_SENSORS} --sensor, got {len(sensor)}")
    if profile not in _PROFILES:
        fail(f"--profile must be one of {', '.join(_PROFILES)}, got {quote(profile)}")
    if (profile in ("lofted", "depressed")) != (apogee_km is not None):
        fail("--apogee-km goes with --profile lofted or depressed, and they need it")
    rcs = REFERENCE_RCS_M2 if rcs_m2 is None else rcs_m2
    no_height = "flights start and end on the ellipsoid"
    a, b = place("--from", from_, height=no_height), place("--to", to, height=no_height)
    sensors = [_place_sensor(n, place("--site", p), a) for n, p in zip(sensor, site, strict=True)]
    traj = _fly(missile, a, b, profile, apogee_km)
    ob = run_observe([traj], sensors, rcs, rng=np.random.default_rng(0))
    doc = ob.threat_doc(0)
    doc = {
        "missile": missile,
        "from": from_,
        "to": to,
        "profile": profile,
        "rcs_m2": rcs,
        "sensors": [{"sensor": n, "site": p} for n, p in zip(sensor, site, strict=True)],
        **doc,
    }
    if json_out:
        emit_json(doc)
        return
    for e in doc["events"]:
        typer.echo(
            f"{e['t_s']:8.1f} s  {e['kind']:<19} {e['by']:<20} alt {e['alt_km']:7.1f} km  "
            f"{e['lat_deg']:8.3f} {e['lon_deg']:9.3f}"
        )
    typer.echo(
        f"first detection: {doc['first_detection_s']} s; "
        f"fire-control track: {doc['fire_control_track_s']} s"
    )


def coverage(
    sensor: Annotated[str, typer.Option(help="radar class")],
    site: Annotated[str, typer.Option(help="place of the radar (LAT,LON[,HEIGHT_M])")],
    altitude_km: Annotated[
        float,
        typer.Option(
            "--altitude-km",
            min=L.COVERAGE_ALTITUDE_KM[0],
            max=L.COVERAGE_ALTITUDE_KM[1],
            help="target altitude [km], within the radar's detection and instrumented range",
        ),
    ],
    rcs_m2: Annotated[
        float | None,
        typer.Option("--rcs-m2", min=L.RCS_M2[0], max=L.RCS_M2[1], help="target RCS [m^2]"),
    ] = None,
    geojson: Annotated[Path | None, typer.Option(help="write the region as GeoJSON")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """The region where a radar detects a target at an altitude."""
    from bmdsim.earth.countries import countries_overlapping
    from bmdsim.sensors.catalog import get_sensor
    from bmdsim.sensors.coverage import coverage as run_coverage
    from bmdsim.sensors.radar import Radar

    s = get_sensor(sensor)
    if not isinstance(s, Radar):
        fail(f"{quote(sensor)} is not a radar: coverage is for ground or ship radars")
    p = place("--site", site)
    radar = s.at(p.lat_deg, p.lon_deg, p.height_m)
    rcs = radar.reference_rcs_m2 if rcs_m2 is None else rcs_m2
    reach_km = min(radar.detection_range_m(rcs), radar.max_range_m) / 1e3
    if not altitude_km < reach_km:  # nothing to cover: refuse rather than print zeros
        fail(
            f"--altitude-km {altitude_km:g} is beyond what a {s.name} sees of a {rcs:g} m^2 "
            f"target ({reach_km:,.0f} km: its detection or instrumented range)"
        )
    cov = run_coverage(radar, altitude_km * 1e3, rcs_m2)
    countries = countries_overlapping(cov.lat_deg, cov.lon_deg)
    props = {
        "sensor": s.name,
        "site": site,
        "altitude_km": altitude_km,
        "rcs_m2": radar.reference_rcs_m2 if rcs_m2 is None else rcs_m2,
        "detection_range_km": cov.detection_range_km,
        "area_km2": cov.area_km2,
        "max_ground_range_km": cov.max_ground_range_km,
        "countries": countries,
    }
    feature = cov.geojson(props)
    if geojson is not None:
        text = json_text({"type": "FeatureCollection", "features": [feature]}, indent=None)
        write_output("--geojson", geojson, text)
    if json_out:
        emit_json({**props, "geojson": feature})
        return
    typer.echo(
        f"{s.name} at {site}, target at {altitude_km:g} km: detection range "
        f"{cov.detection_range_km:.0f} km, max ground range {cov.max_ground_range_km:.0f} km, "
        f"area {cov.area_km2:,.0f} km^2; overlaps {', '.join(countries) or 'no country'}"
    )


def register(app: typer.Typer) -> None:
    app.command()(observe)
    app.command()(coverage)
