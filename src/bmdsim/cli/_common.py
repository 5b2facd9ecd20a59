"""Shared plumbing of the command line: JSON output, one-line errors, exit codes."""

from __future__ import annotations

import json
import math
import sys
from typing import Any, NoReturn

import numpy as np
import typer
from typer.exceptions import TyperException

from bmdsim.errors import BmdsimError, ScenarioError

EXIT_USER_ERROR = 2


def _clean(obj: Any) -> Any:
    """Make numpy scalars/arrays and non-finite floats JSON-safe (NaN/inf -> null)."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _clean(obj.tolist())
    if isinstance(obj, np.generic):
        return _clean(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def emit_json(doc: dict[str, Any]) -> None:
    """Print exactly one JSON document on stdout."""
    sys.stdout.write(json.dumps(_clean(doc), indent=2) + "\n")


def fail(message: str) -> NoReturn:
    """Report a user's mistake in one line on stderr and exit with code 2."""
    raise UserError(message)


class UserError(BmdsimError):
    """A wrong flag value or combination, found by a command."""


def run_app(app: typer.Typer, argv: list[str]) -> int:
    """Run the typer app; turn every user error into one line and exit code 2."""
    command = typer.main.get_command(app)
    try:
        # without standalone mode, click returns the code of a typer.Exit instead of raising
        rv = command.main(args=argv, prog_name="bmdsim", standalone_mode=False)
        if isinstance(rv, int) and not isinstance(rv, bool):
            return rv
    except (UserError, ScenarioError) as exc:  # these messages name the flag or file:line
        sys.stderr.write(f"bmdsim: error: {exc}\n")
        return EXIT_USER_ERROR
    except BmdsimError as exc:
        sys.stderr.write(f"bmdsim: error: {type(exc).__name__}: {exc}\n")
        return EXIT_USER_ERROR
    except typer.Exit as exc:
        code = getattr(exc, "exit_code", None) or getattr(exc, "code", None)
        if code is None and exc.args:
            code = exc.args[0]
        return int(code or 0)
    except typer.Abort:
        sys.stderr.write("bmdsim: aborted\n")
        return 130
    except KeyboardInterrupt:
        sys.stderr.write("bmdsim: interrupted\n")
        return 130
    except TyperException as exc:  # typer's vendored click: usage and parameter errors
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        code = int(getattr(exc, "exit_code", EXIT_USER_ERROR) or EXIT_USER_ERROR)
        if not message.strip():  # e.g. help shown for a bare 'bmdsim'
            return code
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        sys.stderr.write(f"bmdsim: error: {message}{hint}\n")
        return code
    return 0
