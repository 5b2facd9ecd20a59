"""Commands of the threats layer: missile ``trajectory`` (via flight_cmds), ``reconstruct``,
``range``."""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
import typer

from bmdsim.cli._common import emit_json, fail, place
from bmdsim.errors import quote
from bmdsim.scenario import limits as L

#: why these commands refuse a height in 'LAT,LON,HEIGHT_M'
_NO_HEIGHT = "flights start and end on the ellipsoid"


def _place(flag: str, spec: str) -> tuple[float, float]:
    p = place(flag, spec, height=_NO_HEIGHT)
    return p.lat_deg, p.lon_deg


def _place_of(name: str) -> tuple[float, float]:
    """A catalog place (a missile's usual launch area)."""
    from bmdsim.earth.places import get_place

    p = get_place(name)
    return p.lat_deg, p.lon_deg


def trajectory_missile(
    missile: str | None,
    from_: str | None,
    to: str | None,
    range_km: float | None,
    azimuth_deg: float | None,
    profile: str,
    apogee_km: float | None,
    flight_time_s: float | None,
    json_out: bool,
) -> None:
    """Fly a catalog missile from a place to a target, aimed on the rotating Earth."""
    from pyproj import Geod

    from bmdsim.earth.geodetic import ecef_to_geodetic
    from bmdsim.threats.aiming import PROFILES, aim
    from bmdsim.threats.catalog import get_missile

    if missile is None:
        fail("--physics full needs --missile NAME (see 'bmdsim catalog missiles')")
    assert missile is not None
    m = get_missile(missile)
    if profile not in PROFILES:
        fail(f"--profile must be one of {', '.join(PROFILES)}, got {quote(profile)}")
    shaped = profile in ("lofted", "depressed")
    if not shaped and (apogee_km is not None or flight_time_s is not None):
        fail("--apogee-km and --flight-time-s go with --profile lofted or depressed")
    if shaped and (apogee_km is None) == (flight_time_s is None):
        fail(f"--profile {profile} needs --apogee-km or --flight-time-s (one of them)")
    lat0, lon0 = _place("--from", from_) if from_ is not None else _place_of(m.launch_area)
    if to is not None:
        if range_km is not None or azimuth_deg is not None:
            fail("give either --to or --range-km with --azimuth-deg, not both")
        tlat, tlon = _place("--to", to)
    else:
        if range_km is None or azimuth_deg is None:
            fail("give --to PLACE, or --range-km and --azimuth-deg")
        assert range_km is not None and azimuth_deg is not None
        tlon, tlat, _ = Geod(ellps="WGS84").fwd(lon0, lat0, azimuth_deg, range_km * 1e3)
    res = aim(
        m, lat0, lon0, tlat, tlon, profile=profile, apogee_km=apogee_km, flight_time_s=flight_time_s
    )
    fb = res.fly(0, record=True)
    tr = fb.trajectory(0)
    t = tr.times(10.0)
    lat, lon, h = tr.geodetic(t)
    y = fb.burnout_state_eci[0]
    om = fb.force.omega_rad_s
    v_rel = np.array([y[3] + om * y[1], y[4] - om * y[0], y[5]])
    ilat, ilon = fb.impact_lat_lon_deg()
    _, _, miss = Geod(ellps="WGS84").inv(float(ilon[0]), float(ilat[0]), tlon, tlat)
    t0 = float(tr.t_s[0])
    doc: dict[str, Any] = {
        "missile": m.name,
        "profile": profile,
        "flight_time_s": float(fb.flight_time_s[0]),
        "apogee_km": float(fb.apogee_m[0]) / 1e3,
        "ground_range_km": float(fb.ground_range_m()[0]) / 1e3,
        "burnout_time_s": float(fb.burnout_time_s[0]) - t0,
        "burnout_speed_m_s": float(np.linalg.norm(v_rel)),
        "burnout_altitude_km": float(ecef_to_geodetic(y[None, :3])[2][0]) / 1e3,
        "burnout_angle_deg": float(fb.burnout_flight_path_angle_deg()[0]),
        "propellant_used_kg": float(res.propellant_used_kg[0]),
        "launch_azimuth_deg": float(res.azimuth_deg[0]),
        "kick_deg": float(res.kick_deg[0]),
        "cutoff_time_s": float(min(res.cutoff_time_s[0], m.vehicle.burn_time_s)),
        "impact_lat_deg": float(ilat[0]),
        "impact_lon_deg": float(ilon[0]),
        "miss_distance_m": float(miss),
        "track": [
            {
                "t_s": float(ti - t0),
                "lat_deg": float(a),
                "lon_deg": float(o),
                "alt_km": float(z) / 1e3,
            }
            for ti, a, o, z in zip(t, lat, lon, h, strict=True)
        ],
    }
    if json_out:
        emit_json(doc)
        return
    typer.echo(
        f"{m.name} ({profile}): range {doc['ground_range_km']:,.0f} km, apogee "
        f"{doc['apogee_km']:,.0f} km, flight time {doc['flight_time_s']:.0f} s "
        f"({doc['flight_time_s'] / 60:.1f} min)\n"
        f"launch azimuth {doc['launch_azimuth_deg']:.2f} deg, kick {doc['kick_deg']:.3f} deg; "
        f"burnout at {doc['burnout_time_s']:.2f} s, {doc['burnout_speed_m_s']:,.0f} m/s, "
        f"{doc['burnout_altitude_km']:.0f} km, flight-path angle "
        f"{doc['burnout_angle_deg']:.1f} deg; propellant used "
        f"{doc['propellant_used_kg']:,.0f} kg\n"
        f"impact {doc['impact_lat_deg']:.3f}, {doc['impact_lon_deg']:.3f} "
        f"(miss {doc['miss_distance_m']:.0f} m)"
    )


def reconstruct(
    apogee_km: Annotated[
        float,
        typer.Option(
            "--apogee-km", min=L.APOGEE_KM[0], max=L.APOGEE_KM[1], help="reported apogee [km]"
        ),
    ],
    range_km: Annotated[
        float,
        typer.Option(
            "--range-km", min=L.RANGE_KM[0], max=L.RANGE_KM[1], help="reported range [km]"
        ),
    ],
    flight_time_s: Annotated[
        float | None,
        typer.Option(
            "--flight-time-s",
            min=L.FLIGHT_TIME_S[0],
            max=L.FLIGHT_TIME_S[1],
            help="reported flight time [s]",
        ),
    ] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="launch PLACE or LAT,LON (no height)")
    ] = None,
    azimuth_deg: Annotated[
        float | None,
        typer.Option(
            "--azimuth-deg",
            min=L.AZIMUTH_DEG[0],
            max=L.AZIMUTH_DEG[1],
            help="launch azimuth [deg clockwise from north] (default 90)",
        ),
    ] = None,
    missile: Annotated[
        str | None, typer.Option(help="missile class to resize (default: generic ICBM)")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Fit a boosted flight to a reported apogee and range; say what it implies."""
    from bmdsim.threats.reconstruct import reconstruct as run

    lat, lon = _place("--from", from_) if from_ is not None else (39.224, 125.670)
    res = run(
        apogee_km,
        range_km,
        flight_time_s,
        lat,
        lon,
        90.0 if azimuth_deg is None else azimuth_deg,
        missile,
    )
    doc = res.as_dict()
    if json_out:
        emit_json(doc)
        return
    eq = res.equivalent_range_km
    typer.echo(
        f"fitted ({res.missile} x{res.size_factor:.2f}, kick {res.kick_deg:.2f} deg): "
        f"apogee {res.apogee_km:,.0f} km, range {res.ground_range_km:,.0f} km\n"
        f"flight time {res.flight_time_s:.0f} s (coast arc alone {res.coast_time_s:.0f} s); "
        f"burnout {res.burnout_speed_m_s:,.0f} m/s at {res.burnout_altitude_km:.0f} km\n"
        f"equivalent range: {eq['energy']:,.0f} km (same energy, min-energy arc), "
        f"{eq['reflown']:,.0f} km (re-flown, non-rotating Earth)\n"
        + (
            f"reported {res.reported_flight_time_s:.0f} s: "
            + ("consistent" if res.consistent else f"INCONSISTENT: {res.why}")
            if res.reported_flight_time_s is not None
            else "no reported flight time"
        )
    )


def range_(
    missile: Annotated[str, typer.Option(help="missile class (catalog name)")],
    from_: Annotated[
        str | None,
        typer.Option("--from", help="launch PLACE or LAT,LON, no height (default: usual area)"),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Maximum range (non-rotating Earth) and range in every direction (rotating Earth)."""
    from bmdsim.threats.catalog import get_missile
    from bmdsim.threats.reach import max_range_km, range_by_azimuth

    m = get_missile(missile)
    lat, lon = _place("--from", from_) if from_ is not None else _place_of(m.launch_area)
    by_az = range_by_azimuth(m, lat, lon, 15.0)
    best = max(by_az, key=lambda row: row["range_km"])
    doc: dict[str, Any] = {
        "missile": m.name,
        "launch_lat_deg": lat,
        "launch_lon_deg": lon,
        "max_range_km": max_range_km(m),
        "max_range_rotating_km": best["range_km"],
        "max_range_rotating_azimuth_deg": best["azimuth_deg"],
        "nominal_range_km": m.nominal_range_km,
        "by_azimuth": by_az,
    }
    if json_out:
        emit_json(doc)
        return
    typer.echo(
        f"{m.name}: max range {doc['max_range_km']:,.0f} km on a non-rotating Earth (the "
        f"catalogue convention; open sources ~{m.nominal_range_km:,.0f} km) | "
        f"{best['range_km']:,.0f} km on the rotating Earth from here (toward "
        f"{best['azimuth_deg']:.0f} deg)\n"
        "reach toward each bearing, rotating Earth (the reach that aiming and scenario "
        "checks use):"
    )
    for row in doc["by_azimuth"]:
        typer.echo(f"  azimuth {row['azimuth_deg']:5.0f} deg: {row['range_km']:8,.0f} km")


def register(app: typer.Typer) -> None:
    app.command()(reconstruct)
    app.command("range")(range_)
