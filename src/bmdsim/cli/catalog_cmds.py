"""``bmdsim catalog KIND``: the built-in catalogs, each entry with its source."""

from __future__ import annotations

import importlib
from dataclasses import asdict
from typing import Annotated, Any

import typer

from bmdsim.cli._common import emit_json, fail
from bmdsim.errors import quote

KINDS = ("missiles", "places", "sensors", "interceptors")


def _missiles_doc() -> dict[str, Any]:
    from bmdsim.threats.catalog import MISSILES

    out = []
    for m in MISSILES.values():
        v = m.vehicle
        out.append(
            {
                "name": m.name,
                "propellant": m.propellant,
                "nominal_range_km": m.nominal_range_km,
                "nominal_range_bracket_km": list(m.nominal_range_bracket_km),
                "launch_area": m.launch_area,
                "launch_mass_kg": v.launch_mass_kg,
                "stages": [
                    {
                        "propellant_mass_kg": s.propellant_mass_kg,
                        "dry_mass_kg": s.dry_mass_kg,
                        "burn_time_s": s.burn_time_s,
                        "isp_vac_s": s.isp_vac_s,
                        "thrust_vac_n": s.thrust_vac_n,
                        "diameter_m": s.diameter_m,
                    }
                    for s in v.stages
                ],
                "rv_mass_kg": v.rv.mass_kg,
                "rv_ballistic_coefficient_kg_m2": v.rv.ballistic_coefficient_kg_m2,
                "ideal_delta_v_m_s": v.ideal_delta_v_m_s(),
                "description": m.description,
                "source": m.source,
            }
        )
    return {"missiles": out}


def _places_doc() -> dict[str, Any]:
    from bmdsim.earth.places import PLACES

    return {"places": [asdict(p) for p in PLACES.values()]}


def _from_module(module: str, func: str) -> dict[str, Any]:
    try:
        mod = importlib.import_module(module)
    except ImportError:  # a catalog whose layer is not built yet
        fail(f"this catalog is not available yet ({module})")
    doc: dict[str, Any] = getattr(mod, func)()
    return doc


def catalog(
    kind: Annotated[str, typer.Argument(help="missiles | places | sensors | interceptors")],
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """List a built-in catalog with the source of every entry."""
    if kind == "missiles":
        doc = _missiles_doc()
    elif kind == "places":
        doc = _places_doc()
    elif kind == "sensors":
        doc = _from_module("bmdsim.cli.sensor_cmds", "catalog_sensors_doc")
    elif kind == "interceptors":
        doc = _from_module("bmdsim.cli.interceptor_cmds", "catalog_interceptors_doc")
    else:
        fail(f"KIND must be one of {', '.join(KINDS)}, got {quote(kind)}")
    if json_out:
        emit_json(doc)
        return
    (entries,) = (v for k, v in doc.items() if isinstance(v, list))
    for e in entries:
        name = e.get("name", "?")
        typer.echo(f"{name:<24} {str(e.get('source', ''))[:100]}")


def register(app: typer.Typer) -> None:
    app.command()(catalog)
