"""Commands of the interceptors layer: ``reach`` and the interceptor catalog document."""

from __future__ import annotations

import math
from typing import Annotated, Any

import typer

from bmdsim.cli._common import emit_json, fail


def catalog_interceptors_doc() -> dict[str, Any]:
    """The JSON document of ``bmdsim catalog interceptors --json``."""
    from bmdsim.interceptors.catalog import INTERCEPTORS

    return {"interceptors": [i.describe() for i in INTERCEPTORS.values()]}


def _parse_point(text: str) -> tuple[float, float]:
    parts = text.replace(" ", "").split(",")
    try:
        if len(parts) != 2:
            raise ValueError
        r, h = float(parts[0]), float(parts[1])
    except ValueError:
        fail(f"--point-km wants GROUND_RANGE,ALTITUDE in km (e.g. 100,150), not '{text}'")
    if not (math.isfinite(r) and math.isfinite(h)) or r < 0.0 or h < 0.0:
        fail(f"--point-km: ground range and altitude must be finite and >= 0, not '{text}'")
    return r, h


def reach(
    interceptor: Annotated[str, typer.Option(help="interceptor class (catalog name)")],
    point_km: Annotated[
        str | None,
        typer.Option("--point-km", help="GROUND_RANGE,ALTITUDE [km]: reachable, and when"),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Fly-out envelope of an interceptor: burnout, max altitude and range, time to points."""
    from bmdsim.interceptors.catalog import get_interceptor
    from bmdsim.interceptors.flyout import flyout_fan

    point = _parse_point(point_km) if point_km is not None else None
    ic = get_interceptor(interceptor)
    fan = flyout_fan(ic)
    doc: dict[str, Any] = {
        "interceptor": ic.name,
        "burnout_speed_m_s": fan.burnout_speed_m_s,
        "burnout_time_s": fan.burnout_time_s,
        "max_altitude_km": fan.max_altitude_m / 1e3,
        "max_ground_range_km": fan.max_ground_range_m / 1e3,
        "min_intercept_altitude_km": ic.min_intercept_altitude_m / 1e3,
        "max_time_of_flight_s": ic.max_time_of_flight_s,
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
    typer.echo(
        f"{ic.name}: burnout {fan.burnout_speed_m_s:,.0f} m/s at {fan.burnout_time_s:.0f} s; "
        f"intercepts {ic.min_intercept_altitude_m / 1e3:.0f}-{fan.max_altitude_m / 1e3:,.0f} km "
        f"altitude, out to {fan.max_ground_range_m / 1e3:,.0f} km ground range, "
        f"<= {ic.max_time_of_flight_s:.0f} s"
    )
    if point is not None:
        where = f"({point[0]:g} km, {point[1]:g} km altitude)"
        if doc["reachable"]:
            typer.echo(f"  {where}: reached {doc['time_s']:.1f} s after launch")
        else:
            typer.echo(f"  {where}: unreachable")


def register(app: typer.Typer) -> None:
    app.command()(reach)
