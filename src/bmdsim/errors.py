"""The one exception hierarchy of bmdsim.

Every error a user can cause (a broken scenario, an unknown name, an impossible target) is a
:class:`BmdsimError`; the command line prints its message as one line and exits with code 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TypeVar

T = TypeVar("T")


class BmdsimError(Exception):
    """Base class of every error that bmdsim raises on purpose."""


class ScenarioError(BmdsimError):
    """A scenario file or value is malformed (names the file, line and key)."""


class UnknownName(BmdsimError, KeyError):
    """A catalog name (missile, place, sensor, interceptor) that does not exist."""

    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        self.kind, self.name = kind, name
        super().__init__(f"unknown {kind} {quote(name)}{did_you_mean(name, known)}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class UnreachableTarget(BmdsimError):
    """A target beyond the reach of a missile or interceptor (says the reach)."""


class ConvergenceError(BmdsimError):
    """A numerical solve (aiming, fitting, root finding) did not converge."""


class InputError(BmdsimError, ValueError):
    """A value outside its physical domain (negative speed, latitude beyond 90 deg...)."""


#: The longest piece of user text an error message quotes (longer text is cut, with '...').
QUOTE_MAX_CHARS = 200
#: The longest error line the command line prints (a last guard; messages are shorter).
MESSAGE_MAX_CHARS = 1000


def quote(value: object, limit: int = QUOTE_MAX_CHARS) -> str:
    """User text quoted for an error message: repr-like (newlines, terminal escape codes and
    other unprintable characters escaped, so a message stays one line) and cut to ``limit``
    characters."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        return repr(text[:limit]) + f"... ({len(text):,} characters)"
    return repr(text)


def one_line(message: str, limit: int = MESSAGE_MAX_CHARS) -> str:
    """``message`` as one printable line: every unprintable character (line breaks, tabs,
    escape codes, bidirectional controls, lone surrogates) written as its escape, cut to
    ``limit`` characters."""
    out = "".join(c if c == " " or c.isprintable() else repr(c)[1:-1] for c in message)
    return out if len(out) <= limit else out[: limit - 3] + "..."


def catalog_key(name: str) -> str:
    """Normalise a catalog name: lower case, hyphens for spaces and underscores."""
    return "-".join(str(name).strip().lower().replace("_", " ").replace("-", " ").split())


def lookup(kind: str, name: str, table: Mapping[str, T], short_ok: bool = False) -> T:
    """The entry of a catalog by name (any case; spaces or underscores for hyphens; with
    ``short_ok`` the '-class' suffix may be left out); :class:`UnknownName` with a
    did-you-mean otherwise."""
    key = catalog_key(name)
    for k in (key, key + "-class") if short_ok else (key,):
        if k in table:
            return table[k]
    raise UnknownName(kind, str(name).strip(), table)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """Return a "; did you mean 'x'?" suffix for ``name`` among ``known`` (or "")."""
    if len(name) > QUOTE_MAX_CHARS:  # no one mistyped this much (and difflib is quadratic)
        return ""
    close = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.5)
    return f"; did you mean '{close[0]}'?" if close else ""
