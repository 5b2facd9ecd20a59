"""The ``bmdsim`` command line: thin commands over the public API.

Every command that computes takes ``--json`` and then prints exactly one JSON document on
stdout; progress and logs go to stderr. A user's mistake (bad flag value, unknown name,
impossible target, broken scenario) prints one line and exits with code 2, never a
traceback. Command groups live in sibling modules, each with a ``register(app)``.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bmdsim.cli import (
    analysis_cmds,
    booster_cmds,
    catalog_cmds,
    engagement_cmds,
    flight_cmds,
    footprint_cmds,
    interceptor_cmds,
    scenario_cmds,
    sensor_cmds,
    strategic_cmds,
    sweep_cmds,
    threat_cmds,
    view_cmds,
)
from bmdsim.cli._common import run_app

app = typer.Typer(
    name="bmdsim",
    help="Open, physics-based simulator of ballistic-missile defence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help is plain text: units such as '[km]' are printed as written
)


def _version(value: bool) -> None:
    if value:
        from bmdsim import __version__

        typer.echo(f"bmdsim {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="print the version and exit"
        ),
    ] = False,
) -> None:
    """Open, physics-based simulator of ballistic-missile defence."""


flight_cmds.register(app)
threat_cmds.register(app)
sensor_cmds.register(app)
interceptor_cmds.register(app)
catalog_cmds.register(app)
scenario_cmds.register(app)
engagement_cmds.register(app)
booster_cmds.register(app)
strategic_cmds.register(app)
footprint_cmds.register(app)
analysis_cmds.register(app)
sweep_cmds.register(app)
view_cmds.register(app)


def main(argv: list[str] | None = None) -> int:
    """Console entry point."""
    return run_app(app, sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    raise SystemExit(main())
