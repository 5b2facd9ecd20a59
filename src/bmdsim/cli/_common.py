"""Shared plumbing of the command line: JSON output, one-line errors, exit codes.

Exit codes:

- 0: success (a bare ``bmdsim`` prints its help, as ``--help`` does);
- 2: a user's mistake or an environment that refuses the work (a bad flag value, an unknown
  name, a broken scenario, an output file that cannot be written, a full disk), always with
  exactly one line on stderr: user text in it is quoted, escaped and cut;
- 1: only where a command documents it (``validate``: a case failed);
- 130: interrupted;
- 141 (128 + SIGPIPE, what a shell shows for a program killed by a closed pipe): the reader
  of stdout went away (``bmdsim schema | head -1``); nothing is printed.

Python warnings (numpy's floating-point ones included) never reach the terminal: the door
checks of each command refuse the inputs that would raise them."""

from __future__ import annotations

import errno
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from typer.exceptions import TyperException

from bmdsim.errors import BmdsimError, ScenarioError, one_line, quote
from bmdsim.io.jsonsafe import json_safe

EXIT_USER_ERROR = 2
#: the reader of stdout closed the pipe (128 + SIGPIPE)
EXIT_BROKEN_PIPE = 141
EXIT_INTERRUPTED = 130
#: what writing stdout can fail with: a full disk or quota, a file too large, a device error
_WRITE_ERRNOS = frozenset(
    getattr(errno, n) for n in ("ENOSPC", "EDQUOT", "EFBIG", "EIO") if hasattr(errno, n)
)


def json_text(doc: dict[str, Any], indent: int | None = 2) -> str:
    """``doc`` as strict JSON: numpy values as plain numbers, non-finite numbers as null."""
    return json.dumps(json_safe(doc), indent=indent, allow_nan=False)


def emit_json(doc: dict[str, Any]) -> None:
    """Print exactly one strict JSON document on stdout (non-finite numbers as null)."""
    sys.stdout.write(json_text(doc) + "\n")


def write_output(flag: str, path: Path, text: str) -> None:
    """Write an output file named by ``flag``; a path that cannot be written (a missing
    folder, a folder, no permission, a full disk) is a one-line error."""
    try:
        if path.is_dir():
            fail(f"{flag} {quote(str(path))}: is a folder; give a file name")
        path.write_text(text, encoding="utf-8")
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        reason = getattr(exc, "strerror", None) or str(exc)
        fail(f"{flag} {quote(str(path))}: cannot write the file: {reason}")


def place(flag: str, spec: str, *, height: str | None = None) -> Any:
    """A catalog place or 'LAT,LON[,HEIGHT_M]' given to ``flag``; a bad one is a one-line
    error naming the flag. ``height`` (what the command does without one) makes a given
    height an error: the command's model has no launch height."""
    from bmdsim.earth.places import get_place

    try:
        p = get_place(spec)
    except BmdsimError as exc:
        fail(f"{flag}: {exc}")
    if height is not None and p.height_m != 0.0:
        fail(
            f"{flag} {quote(spec)}: a height is not used here ({height}); give 'LAT,LON' or a "
            "place name"
        )
    return p


def fail(message: str) -> NoReturn:
    """Report a user's mistake in one line on stderr and exit with code 2."""
    raise UserError(message)


class UserError(BmdsimError):
    """A wrong flag value or combination, found by a command."""


class _StdoutConsole(Console):
    """rich's console on stdout, except that a closed pipe raises BrokenPipeError for
    :func:`run_app` to handle (rich itself would exit with code 1)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, "the reader of the output went away")


def stdout_console(min_width: int) -> Console:
    """A rich console on stdout, at least ``min_width`` columns wide (tables stay whole)."""
    return _StdoutConsole(width=max(min_width, Console().width))


def _error(message: str) -> None:
    """The one line of an error on stderr (escaped and cut: never more than one line)."""
    sys.stderr.write("bmdsim: error: " + one_line(message) + "\n")
    sys.stderr.flush()


def _silence_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's last flush of what is
    still buffered neither fails nor prints 'Exception ignored' (after a closed pipe or a
    full disk)."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture it)
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


def run_app(app: typer.Typer, argv: list[str]) -> int:
    """Run the typer app; turn every user error into one line on stderr and exit code 2."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy RuntimeWarnings and the like: never printed
        return _run(app, argv)


def _run(app: typer.Typer, argv: list[str]) -> int:
    if any("\0" in a for a in argv):  # a shell cannot pass one; an embedding program might
        _error("an argument holds a NUL character")
        return EXIT_USER_ERROR
    command = typer.main.get_command(app)
    try:
        # the context and invocation of click's main(), without its handlers: those exit 1
        # on a closed pipe and swap sys.stdout for good; every outcome is decided below
        with command.make_context("bmdsim", list(argv)) as ctx:
            rv = command.invoke(ctx)
        sys.stdout.flush()  # a full disk or closed pipe shows here, not at interpreter exit
        if isinstance(rv, int) and not isinstance(rv, bool):
            return rv
    except (UserError, ScenarioError) as exc:  # these messages name the flag or file:line
        _error(str(exc))
        return EXIT_USER_ERROR
    except BmdsimError as exc:
        _error(f"{type(exc).__name__}: {exc}")
        return EXIT_USER_ERROR
    except typer.Exit as exc:
        code = getattr(exc, "exit_code", None) or getattr(exc, "code", None)
        if code is None and exc.args:
            code = exc.args[0]
        return int(code or 0)
    except typer.Abort:
        sys.stderr.write("bmdsim: aborted\n")
        return EXIT_INTERRUPTED
    except (KeyboardInterrupt, EOFError):
        sys.stderr.write("bmdsim: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of stdout went away: nothing to say to anyone
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except TyperException as exc:  # typer's vendored click: usage and parameter errors
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        if type(exc).__name__ == "NoArgsIsHelpError":  # a bare 'bmdsim': the help, as --help
            sys.stdout.write(message.rstrip("\n") + "\n")
            return 0
        where = getattr(exc, "ctx", None)
        hint = f" (see '{where.command_path} --help')" if where is not None else ""
        # click quotes user text whole: cut it
        _error(one_line(message.strip() or "bad usage", 300) + hint)
        return EXIT_USER_ERROR
    except OSError as exc:
        if exc.errno not in _WRITE_ERRNOS:
            raise
        _silence_stdout()  # stdout on a full disk or a failing device
        _error(f"cannot write the output: {exc.strerror or exc}")
        return EXIT_USER_ERROR
    except MemoryError:
        _error("out of memory (give smaller inputs)")
        return EXIT_USER_ERROR
    return 0
