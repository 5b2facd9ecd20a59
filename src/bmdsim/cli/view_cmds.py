"""``bmdsim view``: a run on the local 3D globe viewer (CesiumJS in the browser)."""

from __future__ import annotations

import json
import stat
import sys
import tempfile
import webbrowser
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bmdsim.cli._common import fail
from bmdsim.errors import quote
from bmdsim.scenario import limits as L

err_console = Console(stderr=True)

#: the largest CZML file ``view`` serves (a run of 1,000 threats writes a few tens of MB)
MAX_CZML_BYTES = 512 * 1024 * 1024


def _check_czml(path: Path) -> Path:
    """An existing CZML file: a JSON list whose first packet is the document."""
    shown = quote(str(path))
    try:
        st = path.stat()
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        fail(f"{shown}: cannot read the CZML file: {reason}")
    if stat.S_ISDIR(st.st_mode):
        fail(f"{shown}: is a folder, not a CZML file")
    if not stat.S_ISREG(st.st_mode):
        fail(f"{shown}: not a regular file")
    if st.st_size > MAX_CZML_BYTES:
        fail(f"{shown}: {st.st_size:,} bytes, more than {MAX_CZML_BYTES:,}")
    try:
        doc = json.loads(path.read_bytes())
    except OSError as exc:
        fail(f"{shown}: cannot read the CZML file: {exc.strerror or exc}")
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        fail(f"{shown}: not a CZML file (not JSON: {exc})")
    if not (
        isinstance(doc, list)
        and doc
        and isinstance(doc[0], dict)
        and doc[0].get("id") == "document"
    ):
        fail(f"{shown}: not a CZML file (a JSON list of packets, the first with id 'document')")
    return path


def _scenario_czml(scenario: str, seed: int | None, folder: Path) -> Path:
    """Run the scenario and write its scene's CZML into ``folder``."""
    from bmdsim.engagement.run import engage, prepare
    from bmdsim.engagement.scene import scene_of
    from bmdsim.io.czml import write_czml
    from bmdsim.scenario.loader import load_scenario

    setup = load_scenario(scenario)
    if seed is not None:
        setup = replace(setup, seed=seed)
    with err_console.status(f"running {setup.name}..."):
        geometry = prepare(setup)
        result = engage(geometry)
        scene = scene_of(geometry, result)
    return write_czml(scene, folder / "scene.czml")


def view(
    source: Annotated[
        str,
        typer.Argument(
            metavar="SCENARIO|RESULT",
            help="a scenario YAML file or built-in name (run first), or a run's .czml file "
            "(bmdsim run --export czml)",
        ),
    ],
    port: Annotated[
        int,
        typer.Option(min=0, max=65535, help="port on 127.0.0.1 (0: any free port)"),
    ] = 0,
    no_open: Annotated[
        bool, typer.Option("--no-open", help="print the address only; open no browser")
    ] = False,
    seed: Annotated[
        int | None,
        typer.Option(
            min=L.SEED[0], max=L.SEED[1], help="random seed of a scenario (overrides the file's)"
        ),
    ] = None,
) -> int:
    """Show a run on a 3D globe in the browser: threats, interceptors, intercepts, sensors.

    Serves the viewer page, CesiumJS and the run's CZML from 127.0.0.1 until Ctrl-C. Nothing
    is fetched from the network while viewing; the first use installs CesiumJS (~25 MB) from
    the npm registry into the viewer cache ($BMDSIM_VIEWER_DIR, else ~/.cache/bmdsim/viewer;
    'make viewer' does it ahead of time)."""
    from bmdsim.web.cesium import CesiumInstallError, ensure_cesium
    from bmdsim.web.server import DEFAULT_HOST, ViewerServer

    is_czml = source.lower().endswith(".czml")
    if is_czml:
        if seed is not None:
            fail("--seed: applies to a scenario, not to a CZML file (a finished run)")
        czml = _check_czml(Path(source))
    with tempfile.TemporaryDirectory(prefix="bmdsim-view-") as tmp:
        if not is_czml:
            czml = _scenario_czml(source, seed, Path(tmp))
        try:
            cesium = ensure_cesium()
        except CesiumInstallError as exc:
            fail(str(exc))
        try:
            server = ViewerServer(czml, cesium, DEFAULT_HOST, port)
        except OSError as exc:
            fail(f"--port {port}: cannot listen on {DEFAULT_HOST}:{port}: {exc.strerror or exc}")
        with server:
            sys.stdout.write(server.url + "\n")
            sys.stdout.flush()
            sys.stderr.write("bmdsim: serving the globe viewer; Ctrl-C stops it\n")
            sys.stderr.flush()
            if not no_open:
                try:
                    webbrowser.open(server.url)
                except Exception:  # noqa: BLE001 (no browser: the address is printed)
                    pass
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                sys.stderr.write("bmdsim: viewer stopped\n")
    return 0


def register(app: typer.Typer) -> None:
    app.command()(view)
