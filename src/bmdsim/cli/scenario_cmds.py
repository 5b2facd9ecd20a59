"""Commands of the scenario layer: ``bmdsim schema`` (the JSON Schema of a scenario file)."""

from __future__ import annotations

import typer

from bmdsim.cli._common import emit_json


def schema() -> None:
    """Print the JSON Schema of a scenario file (one JSON document)."""
    from bmdsim.scenario.loader import dump_schema

    emit_json(dump_schema())


def register(app: typer.Typer) -> None:
    """Add ``schema`` to the ``bmdsim`` app."""
    app.command("schema")(schema)
