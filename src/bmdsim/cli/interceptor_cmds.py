"""Commands of the interceptors layer: ``reach`` and the interceptor catalog document."""

from __future__ import annotations

import math
from typing import Annotated, Any

import typer

from bmdsim.cli._common import emit_json, fail
from bmdsim.errors import quote

#: --point-km: ground range (half the Earth's circumference) and altitude [km]
POINT_RANGE_KM = (0.0, 20_000.0)
POINT_ALTITUDE_KM = (0.0, 10_000.0)


def catalog_interceptors_doc() -> dict[str, Any]:
    """The JSON document of ``bmdsim catalog interceptors --json``."""
    from bmdsim.interceptors.catalog import INTERCEPTORS

    return {"interceptors": [i.describe() for i in INTERCEPTORS.values()]}


def _parse_point(text: str) -> tuple[float, float]:
    parts = text.replace(" ", "").split(",")
    try:
        if len(parts) != 2 or len(text) > 100:
            raise ValueError
        r, h = float(parts[0]), float(parts[1])
    except ValueError:
        fail(f"--point-km wants GROUND_RANGE,ALTITUDE in km (e.g. 100,150), not {quote(text)}")
    (r0, r1), (h0, h1) = POINT_RANGE_KM, POINT_ALTITUDE_KM
    if not (r0 <= r <= r1 and h0 <= h <= h1):  # NaN fails too
        fail(
            f"--point-km: ground range must lie in [{r0:g}, {r1:g}] km and altitude in "
            f"[{h0:g}, {h1:g}] km, not {quote(text)}"
        )
    return r, h


def _km_or_none(m: float) -> float | None:
    return m / 1e3 if math.isfinite(m) else None


def reach(
    interceptor: Annotated[str, typer.Option(help="interceptor class (catalog name)")],
    point_km: Annotated[
        str | None,
        typer.Option(
            "--point-km",
            help="GROUND_RANGE,ALTITUDE in km (range 0-20000, altitude 0-10000): reachable, "
            "and when",
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Fly-out envelope of an interceptor: kinematic reach and engagement limits.

    Kinematic maxima, from the fly-out fan without the class's altitude and
    range limits, within its max time of flight: max_altitude_km is the
    highest altitude of any fan member (the vertical shot's apogee, or its
    altitude at the time-of-flight limit if still climbing);
    max_ground_range_km is the farthest ground range at which it is still at
    or above its min intercept altitude.

    Engagement limits: limit_altitude_km and limit_range_km (null when
    unlimited), the class's max intercept altitude and ground range. An
    intercept (and --point-km) needs both: the fan inside the limits.
    """
    from bmdsim.interceptors.catalog import get_interceptor
    from bmdsim.interceptors.flyout import flyout_fan, kinematic_envelope

    point = _parse_point(point_km) if point_km is not None else None
    ic = get_interceptor(interceptor)
    fan = flyout_fan(ic)
    kin = kinematic_envelope(ic)
    doc: dict[str, Any] = {
        "interceptor": ic.name,
        "burnout_speed_m_s": fan.burnout_speed_m_s,
        "burnout_time_s": fan.burnout_time_s,
        # kinematic maxima (uncapped by the engagement limits, within max_time_of_flight_s)
        "max_altitude_km": kin.max_altitude_m / 1e3,
        "max_altitude_time_s": kin.max_altitude_time_s,
        "max_altitude_is_apogee": kin.max_altitude_is_apogee,
        "max_ground_range_km": kin.max_ground_range_m / 1e3,
        "max_ground_range_time_s": kin.max_ground_range_time_s,
        # engagement limits of the class
        "limit_altitude_km": _km_or_none(ic.max_intercept_altitude_m),
        "limit_range_km": _km_or_none(ic.max_intercept_range_m),
        "min_intercept_altitude_km": ic.min_intercept_altitude_m / 1e3,
        "max_time_of_flight_s": ic.max_time_of_flight_s,
        # what can be intercepted: kinematics inside the limits
        "intercept_max_altitude_km": fan.max_altitude_m / 1e3,
        "intercept_max_ground_range_km": fan.max_ground_range_m / 1e3,
        "fan": fan.table(),
    }
    if point is not None:
        t = float(fan.time_to(point[0] * 1e3, point[1] * 1e3))
        doc["point_km"] = list(point)
        doc["reachable"] = math.isfinite(t)
        doc["time_s"] = t if math.isfinite(t) else None
    if json_out:
        emit_json(doc)
        return
    tof = ic.max_time_of_flight_s
    when = (
        f"apogee, {kin.max_altitude_time_s:.0f} s"
        if kin.max_altitude_is_apogee
        else f"at the {tof:.0f} s time-of-flight limit"
    )
    lim_alt = doc["limit_altitude_km"]
    lim_rng = doc["limit_range_km"]
    typer.echo(f"{ic.name}: burnout {fan.burnout_speed_m_s:,.0f} m/s at {fan.burnout_time_s:.0f} s")
    typer.echo(f"  kinematic max altitude      {kin.max_altitude_m / 1e3:,.0f} km ({when})")
    typer.echo(
        f"  kinematic max ground range  {kin.max_ground_range_m / 1e3:,.0f} km at or above "
        f"{ic.min_intercept_altitude_m / 1e3:g} km altitude ({kin.max_ground_range_time_s:.0f} s)"
    )
    typer.echo(
        "  engagement limit            altitude "
        f"{ic.min_intercept_altitude_m / 1e3:g}-"
        + (f"{lim_alt:,.0f} km" if lim_alt is not None else "unlimited")
        + ", ground range "
        + (f"{lim_rng:,.0f} km" if lim_rng is not None else "unlimited")
        + f", time of flight <= {tof:.0f} s"
    )
    typer.echo(
        f"  intercepts                  up to {fan.max_altitude_m / 1e3:,.0f} km altitude, "
        f"out to {fan.max_ground_range_m / 1e3:,.0f} km ground range"
    )
    if point is not None:
        where = f"({point[0]:g} km, {point[1]:g} km altitude)"
        if doc["reachable"]:
            typer.echo(f"  {where}: reached {doc['time_s']:.1f} s after launch")
        else:
            typer.echo(f"  {where}: unreachable")


def register(app: typer.Typer) -> None:
    app.command()(reach)
