"""Parameter sweeps and one-at-a-time sensitivity of a scenario document.

A sweep edits the scenario *document* (the plain data of the YAML file: mappings, lists,
scalars, as ``bmdsim schema`` describes them) at a dotted path, once per value, and computes
one metric of each edited scenario with the existing analyses:

* ``defended_fraction``: :func:`bmdsim.analysis.footprint.footprint` (share of the threatened
  land, by area, that the batteries defend);
* ``p_zero_leakers``: :func:`bmdsim.analysis.montecarlo.montecarlo` (probability that no
  threat of the raid leaks, with its Wilson 95 % interval), kept in memory.

This module is pure data handling plus those calls: it never reads YAML nor validates a
scenario. The caller hands in ``make_setup(document) -> Setup`` (the scenario layer
validates the document exactly as it validates a file) and, for flow-style items such as an
added battery, a ``parse_flow(text)`` function.

Keys (:func:`parse_key`): names separated by dots, each optionally followed by selectors in
brackets: ``[2]`` a list index, ``[*]`` every entry of a list (or every value of a mapping),
``[araya]`` the list entry whose ``name`` is ``araya`` (or the mapping's key ``araya``).
Example: ``batteries[*].overrides.burnout_speed_m_s``. A missing mapping on the way is
created (``overrides``, ``doctrine``); a missing list entry is an error; a misspelt key is
refused by the scenario's own validation (every model forbids unknown keys).

Values (:func:`parse_spec`), one sweep point each:

* ``a,b,c``: a list (numbers, ``true``/``false``, ``null`` for "no value": the catalog's,
  text; quote text with '...' to keep ``drop``, ``keep`` or a number as text);
* ``start:stop:step``: a numeric range, ``stop`` included when it lies on the grid (to
  1e-9 of a step); integers when all three are integers;
* ``drop`` (at a list entry or mapping key: remove it), ``drop:SEL`` (at a list or mapping:
  remove its entry SEL, an index or a name), ``add:{...}`` (at a list: append the item),
  ``keep`` (the document unchanged: the scenario's own value). These combine with commas:
  ``batteries=keep,drop:araya,drop:mutsumi``.

A parameter whose values change the document but never what the metric computes
(``doctrine.pk`` for the footprint, which takes Pk 1) is refused (:class:`PointError`): a
sweep never reports a flat line because its parameter went unused. So is any value the
scenario's validation refuses, before the first point is computed.

Points: the full grid of every parameter's values (:func:`grid_points`), or, for the
one-at-a-time sensitivity (:func:`oat_points`), the baseline (the document unchanged) and
each value of each parameter with every other at the baseline. Identical inputs are
computed once (the sweep keys each point by the metric's input); the random draws are the
same at every point (common random numbers: the footprint's sensor streams and the Monte
Carlo trials are seeded by the scenario's seed, or one ``seed`` for all), so differences
between points are the parameter's effect, not noise in the draws.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from bmdsim.errors import BmdsimError, InputError, quote

if TYPE_CHECKING:
    from bmdsim.analysis.executor import Executor
    from bmdsim.engagement.setup import Setup

__all__ = [
    "ALL",
    "MAX_POINTS",
    "MAX_VALUES",
    "METRICS",
    "Add",
    "Drop",
    "FootprintMetric",
    "Keep",
    "Metric",
    "MetricValue",
    "MonteCarloMetric",
    "Param",
    "Point",
    "PointError",
    "PointResult",
    "Selector",
    "Set",
    "SweepResult",
    "apply_edit",
    "current_value",
    "format_key",
    "grid_points",
    "oat_points",
    "parse_key",
    "parse_param",
    "parse_spec",
    "parse_value",
    "point_document",
    "point_values",
    "sensitivity_table",
    "split_items",
    "sweep",
]

#: the most values one parameter may take, and the most points of one sweep
MAX_VALUES = 1000
MAX_POINTS = 1000
#: the metrics a sweep computes
METRICS = ("defended_fraction", "p_zero_leakers")
#: relative tolerance of a range's stop landing on its grid
_RANGE_TOL = 1e-9


class _All:
    """The ``[*]`` selector: every entry of a list or every value of a mapping."""

    def __repr__(self) -> str:
        return "ALL"


#: the ``[*]`` selector
ALL = _All()


class Selector(str):
    """A name in brackets (``batteries[araya]``): the list entry of that ``name``, or the
    mapping key."""

    __slots__ = ()


Part = str | int | _All
Path = tuple[Part, ...]

# ---- keys ---------------------------------------------------------------------------------

_NAME = r"[^.\[\]=\s]+"
_KEY_TOKEN = re.compile(rf"({_NAME})|\[([^\[\]]*)\]|(\.)")


def parse_key(key: str) -> Path:
    """The path of a dotted key: ``batteries[0].overrides.burnout_speed_m_s`` ->
    ``('batteries', 0, 'overrides', 'burnout_speed_m_s')``; ``[*]`` is :data:`ALL`, a
    bracket holding text is a name (``str``), one holding digits an index."""
    text = key.strip()
    if not text:
        raise InputError("empty key; give a dotted path such as doctrine.pk")
    parts: list[Part] = []
    pos = 0
    need_name = True  # at the start and after a dot
    while pos < len(text):
        m = _KEY_TOKEN.match(text, pos)
        if m is None:
            raise InputError(f"key {quote(key)}: unexpected {quote(text[pos])} at {pos + 1}")
        name, sel, dot = m.groups()
        if dot is not None:
            if need_name:
                raise InputError(f"key {quote(key)}: a name is missing before the dot at {pos + 1}")
            need_name = True
        elif name is not None:
            if not need_name:
                raise InputError(f"key {quote(key)}: a dot is missing before {quote(name)}")
            parts.append(name)
            need_name = False
        else:
            if need_name:
                raise InputError(f"key {quote(key)}: a name is missing before [{sel}]")
            sel = sel.strip()
            if not sel:
                raise InputError(f"key {quote(key)}: empty [] (give an index, * or a name)")
            if sel == "*":
                parts.append(ALL)
            elif re.fullmatch(r"\d+", sel):
                parts.append(_index(sel))
            else:
                parts.append(Selector(sel))
        pos = m.end()
    if need_name:
        raise InputError(f"key {quote(key)}: ends with a dot")
    return tuple(parts)


def _index(digits: str) -> int:
    """A list index written in digits (a few, not thousands)."""
    if len(digits) > 9:
        raise InputError(f"index {quote(digits, 20)}: too large")
    return int(digits)


def format_key(path: Sequence[Part]) -> str:
    """The dotted text of a path (the inverse of :func:`parse_key`)."""
    out = ""
    for part in path:
        if part is ALL:
            out += "[*]"
        elif isinstance(part, int | Selector):
            out += f"[{part}]"
        elif not out:
            out = str(part)
        else:
            out += "." + str(part)
    return out


# ---- values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Set:
    """Set the value at the key (creating a missing mapping key)."""

    value: Any
    label: Any  # what the user wrote, as a JSON value


@dataclass(frozen=True)
class Drop:
    """Remove the list entry or mapping key at the key (``selector`` None), or the entry
    ``selector`` (an index or a name) of the list or mapping at the key."""

    selector: int | str | None = None

    @property
    def label(self) -> str:
        return "drop" if self.selector is None else f"drop:{self.selector}"


@dataclass(frozen=True)
class Add:
    """Append ``item`` to the list at the key (created if missing)."""

    item: Any
    text: str

    @property
    def label(self) -> str:
        return f"add:{self.text}"


@dataclass(frozen=True)
class Keep:
    """Leave the document as it is (the scenario's own value)."""

    label: str = "keep"


Edit = Set | Drop | Add | Keep

_INT = re.compile(r"[+-]?\d+")
_FLOAT_WORDS = ("nan", "inf", "infinity")


def split_items(spec: str) -> list[str]:
    """``spec`` cut at its top-level commas (not inside quotes, ``[]``, ``{}`` or ``()``)."""
    items: list[str] = []
    depth = 0
    quote_char: str | None = None
    start = 0
    for i, c in enumerate(spec):
        if quote_char is not None:
            if c == quote_char:
                quote_char = None
        elif c in "'\"":
            quote_char = c
        elif c in "[{(":
            depth += 1
        elif c in "]})":
            depth -= 1
            if depth < 0:
                raise InputError(f"{quote(spec)}: unbalanced {quote(c)}")
        elif c == "," and depth == 0:
            items.append(spec[start:i])
            start = i + 1
    if quote_char is not None:
        raise InputError(f"{quote(spec)}: unclosed quote {quote_char}")
    if depth != 0:
        raise InputError(f"{quote(spec)}: unbalanced brackets")
    items.append(spec[start:])
    return items


def _number(text: str) -> int | float | None:
    """``text`` as an int or a finite float; None when it is not a number."""
    t = text.strip()
    if _INT.fullmatch(t):
        if len(t) > 40:
            raise InputError(f"{quote(t, 40)}: an integer of {len(t):,} digits")
        return int(t)
    if t.lower().lstrip("+-") in _FLOAT_WORDS:
        raise InputError(f"{quote(t)}: not a finite number")
    try:
        x = float(t)
    except ValueError:
        return None
    if not math.isfinite(x):  # 1e400
        raise InputError(f"{quote(t, 40)}: not a finite number")
    return x


def parse_value(text: str, parse_flow: Callable[[str], Any] | None = None) -> Any:
    """A plain value: an integer, a finite float, ``true``/``false``, ``null``, quoted text
    ('...' or "..."), a flow mapping or list (``{...}``, ``[...]``; read by ``parse_flow``,
    JSON by default), else the text itself."""
    t = text.strip()
    if not t:
        raise InputError("an empty value")
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        return t[1:-1]
    if t[0] in "[{":
        reader = parse_flow or json.loads
        try:
            return reader(t)
        except BmdsimError:
            raise
        except Exception as exc:  # json / yaml errors of one value
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError(f"{quote(t)}: not a valid value: {reason}") from None
    low = t.lower()
    if low == "true":
        return True
    if low == "false":
        return False
    if low in ("null", "~"):
        return None
    n = _number(t)
    return t if n is None else n


def _range(parts: list[int | float]) -> list[int | float]:
    start, stop, step = parts
    if step == 0:
        raise InputError("the step of a range must not be zero")
    if (stop - start) * step < 0:
        raise InputError("the step of the range goes away from its stop")
    span = (stop - start) / step
    n = int(math.floor(span + _RANGE_TOL)) + 1
    if n > MAX_VALUES:
        raise InputError(f"a range of {n:,} values; a parameter takes at most {MAX_VALUES:,}")
    if all(isinstance(p, int) for p in parts):
        return [int(start + i * step) for i in range(n)]
    values = [float(start) + i * float(step) for i in range(n)]
    if abs(values[-1] - stop) <= _RANGE_TOL * abs(step):
        values[-1] = float(stop)
    return [float(f"{v:.12g}") for v in values]


def parse_spec(spec: str, parse_flow: Callable[[str], Any] | None = None) -> tuple[Edit, ...]:
    """The edits of a SPEC (see the module text): a range, or a comma list of values,
    ``drop``, ``drop:SEL``, ``add:ITEM`` and ``keep``."""
    text = spec.strip()
    if not text:
        raise InputError("no value after '='; give a list a,b,c or a range start:stop:step")
    pieces = text.split(":")
    if len(pieces) == 3 and text[0] not in "'\"{[":
        nums = [_number(p) for p in pieces]
        if all(n is not None for n in nums):
            return tuple(Set(v, v) for v in _range([n for n in nums if n is not None]))
    edits: list[Edit] = []
    for raw in split_items(text):
        item = raw.strip()
        if not item:
            raise InputError(f"{quote(spec)}: an empty value between commas")
        low = item.lower()
        if low == "keep":
            edits.append(Keep())
        elif low == "drop":
            edits.append(Drop())
        elif low.startswith("drop:"):
            sel = item[5:].strip()
            if not sel:
                raise InputError(f"{quote(item)}: give what to drop (an index or a name)")
            edits.append(Drop(_index(sel) if re.fullmatch(r"\d+", sel) else sel))
        elif low.startswith("add:"):
            body = item[4:].strip()
            if not body:
                raise InputError(f"{quote(item)}: give the item to add, e.g. add:{{name: x, ...}}")
            edits.append(Add(parse_value(body, parse_flow), body))
        else:
            value = parse_value(item, parse_flow)
            label = value if isinstance(value, str | int | float | bool) or value is None else item
            edits.append(Set(value, label))
    if len(edits) > MAX_VALUES:
        raise InputError(f"{len(edits):,} values; a parameter takes at most {MAX_VALUES:,}")
    seen: set[str] = set()
    for e in edits:
        tag = json.dumps([type(e).__name__, _label(e)], default=str)
        if tag in seen:
            raise InputError(f"{quote(spec)}: the value {quote(str(_label(e)))} is given twice")
        seen.add(tag)
    return tuple(edits)


def _label(edit: Edit) -> Any:
    return edit.label


def _shown(label: Any) -> str:
    """A value as a message shows it: text as written, anything else as JSON (null, true)."""
    return label if isinstance(label, str) else json.dumps(label)


@dataclass(frozen=True)
class Param:
    """One ``KEY=SPEC``: the key as written, its path and its edits."""

    key: str
    path: Path
    edits: tuple[Edit, ...]

    @property
    def labels(self) -> list[Any]:
        """The values as JSON values (numbers stay numbers)."""
        return [_label(e) for e in self.edits]


def parse_param(text: str, parse_flow: Callable[[str], Any] | None = None) -> Param:
    """``KEY=SPEC`` -> :class:`Param` (see the module text)."""
    key, eq, spec = text.partition("=")
    if not eq:
        raise InputError("give KEY=SPEC, e.g. doctrine.pk=0.5,0.7,0.9")
    path = parse_key(key)
    edits = parse_spec(spec, parse_flow)
    for e in edits:
        if isinstance(e, Drop) and e.selector is None and isinstance(path[-1], _All):
            raise InputError("drop: name one entry to drop, not [*]")
    return Param(format_key(path), path, edits)


# ---- editing a document -------------------------------------------------------------------


def _where(path: Sequence[Part]) -> str:
    return format_key(path) or "(top level)"


def _select(node: Any, part: Part, path: Sequence[Part], create: bool) -> list[Any]:
    """The keys (of a mapping) or indices (of a list) that ``part`` selects in ``node``."""
    here = _where(path)
    if isinstance(node, dict):
        if part is ALL:
            if not node:
                raise InputError(f"{here}: is empty; [*] selects nothing")
            return list(node)
        if isinstance(part, int):
            raise InputError(f"{here}: is a mapping, not a list; [{part}] does not apply")
        if part not in node and not create:
            raise InputError(f"{here}: has no key {quote(part)}")
        return [part]
    if isinstance(node, list):
        if part is ALL:
            if not node:
                raise InputError(f"{here}: is an empty list; [*] selects nothing")
            return list(range(len(node)))
        if isinstance(part, int):
            if not 0 <= part < len(node):
                n = len(node)
                raise InputError(f"{here}[{part}]: the list has {n} entr{'y' if n == 1 else 'ies'}")
            return [part]
        named = [i for i, e in enumerate(node) if isinstance(e, dict) and e.get("name") == part]
        if not named:
            names = [str(e.get("name")) for e in node if isinstance(e, dict) and "name" in e]
            known = f" (names: {', '.join(names)})" if names else ""
            raise InputError(f"{here}: no entry named {quote(part)}{known}")
        return named
    raise InputError(f"{here}: is a value ({type(node).__name__}), not a mapping or list")


def _edit_at(node: Any, path: Path, done: Path, edit: Set | Drop | Add) -> None:
    """Apply ``edit`` in place at ``path`` below ``node`` (``done``: the path so far)."""
    part, rest = path[0], path[1:]
    # a missing mapping key is created on the way to a value that is set or added to
    create = isinstance(node, dict) and part is not ALL and not isinstance(edit, Drop)
    keys = _select(node, part, done, create)
    if isinstance(node, list):
        keys = sorted(keys, reverse=True)  # dropping several entries: the last first
    for k in keys:
        here: Path = (*done, k)
        if rest:
            child = node.get(k) if isinstance(node, dict) else node[k]
            if child is None and isinstance(node, dict):  # missing or 'overrides: null'
                child = node[k] = {}
            _edit_at(child, rest, here, edit)
        elif isinstance(edit, Set):
            node[k] = copy.deepcopy(edit.value)
        elif isinstance(edit, Drop):
            del node[k]
        else:
            if isinstance(node, dict) and node.get(k) is None:
                node[k] = []
            target = node[k]
            if not isinstance(target, list):
                raise InputError(f"{_where(here)}: is not a list; add: appends to a list")
            target.append(copy.deepcopy(edit.item))


def apply_edit(doc: dict[str, Any], path: Path, edit: Edit) -> dict[str, Any]:
    """A copy of the document ``doc`` with ``edit`` applied at ``path``
    (:class:`~bmdsim.errors.InputError` for a path that does not fit the document).
    ``Drop(selector)`` at a path is ``Drop()`` at the path and the selector."""
    out = copy.deepcopy(doc)
    if isinstance(edit, Keep):
        return out
    if not path:
        raise InputError("empty key")
    if isinstance(edit, Drop) and edit.selector is not None:
        sel = edit.selector
        path, edit = (*path, sel if isinstance(sel, int) else Selector(sel)), Drop()
    _edit_at(out, path, (), edit)
    return out


def current_value(doc: dict[str, Any], path: Path) -> Any:
    """The document's value at ``path`` (None where missing; a list of values for ``[*]``,
    or one value when they are all equal)."""
    nodes: list[Any] = [doc]
    for part in path:
        nxt: list[Any] = []
        for node in nodes:
            if isinstance(node, dict):
                keys = list(node) if part is ALL else [part] if part in node else []
                nxt.extend(node[k] for k in keys)
            elif isinstance(node, list):
                if part is ALL:
                    nxt.extend(node)
                elif isinstance(part, int):
                    nxt.extend(node[part : part + 1])
                else:
                    nxt.extend(e for e in node if isinstance(e, dict) and e.get("name") == part)
            else:
                nxt.append(None)
        nodes = nxt or [None]
    if len(nodes) == 1:
        return nodes[0]
    first = nodes[0]
    return first if all(n == first for n in nodes) else nodes


# ---- points -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One sweep point: the edit of each parameter (:class:`Keep` where it is left at the
    baseline)."""

    edits: tuple[Edit, ...]

    @property
    def is_baseline(self) -> bool:
        return all(isinstance(e, Keep) for e in self.edits)


def _check_count(n: int) -> None:
    if n > MAX_POINTS:
        raise InputError(f"{n:,} sweep points; a sweep holds at most {MAX_POINTS:,}")


def grid_points(params: Sequence[Param]) -> list[Point]:
    """Every combination of the parameters' values (the first parameter varies slowest)."""
    _check_count(math.prod(len(p.edits) for p in params))
    return [Point(tuple(c)) for c in itertools.product(*(p.edits for p in params))]


def oat_points(params: Sequence[Param]) -> list[Point]:
    """The baseline, then each value of each parameter with the others at the baseline."""
    _check_count(1 + sum(len(p.edits) for p in params))
    base = tuple(Keep() for _ in params)
    points = [Point(base)]
    for i, p in enumerate(params):
        for e in p.edits:
            if not isinstance(e, Keep):
                points.append(Point(base[:i] + (e,) + base[i + 1 :]))
    return points


def point_document(doc: dict[str, Any], params: Sequence[Param], point: Point) -> dict[str, Any]:
    """The document of a point: the parameters' edits applied in order."""
    out = doc
    for p, e in zip(params, point.edits, strict=True):
        out = apply_edit(out, p.path, e)
    return out


# ---- metrics ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricValue:
    """A metric at one point: its value, its 95 % interval (Monte Carlo) and other figures
    of the same computation."""

    value: float
    ci95: tuple[float, float] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _check_burnout_speeds(setup: Setup) -> None:
    """Refuse a battery's burnout speed that its interceptor class cannot be re-sized to
    (before any point is computed, not when its fans are built)."""
    from bmdsim.interceptors.flyout import with_burnout_speed

    for b in setup.batteries:
        if b.burnout_speed_m_s is not None:
            try:
                with_burnout_speed(b.interceptor, b.burnout_speed_m_s)
            except BmdsimError as exc:
                raise InputError(f"battery {quote(b.name)}: {exc}") from None


class Metric:
    """What a sweep computes at each point. ``key(setup)``: the metric's whole input (two
    setups with equal keys give the same value; it refuses a setup the metric cannot
    take); ``evaluate(setup)``: the value; ``ignores``: what of a scenario the metric does
    not use (said when a parameter changes only that)."""

    name: ClassVar[str] = ""
    #: where the analysis runs its chunks (None: this process)
    executor: Executor | None = None

    @property
    def ignores(self) -> str:
        raise NotImplementedError

    def key(self, setup: Setup) -> Hashable:
        raise NotImplementedError

    def evaluate(
        self, setup: Setup, progress: Callable[[int, int], None] | None = None
    ) -> MetricValue:
        raise NotImplementedError


@dataclass
class FootprintMetric(Metric):
    """``defended_fraction`` of :func:`bmdsim.analysis.footprint.footprint` (also reports
    ``threatened_fraction`` and the number of land cells)."""

    name: ClassVar[str] = "defended_fraction"

    region: Any = "japan"
    grid_deg: float = 0.5
    launches: Sequence[str] | None = None
    missiles: Sequence[str] | None = None
    own_sensors_only: bool = False
    sensor_draws: bool = True
    executor: Executor | None = None

    @property
    def ignores(self) -> str:
        return (
            "the footprint fires every launch area's classes at every cell with unlimited "
            "inventory and fire rate and Pk 1: it uses no doctrine, inventory, launch "
            "interval, threat target, time or count"
        )

    def key(self, setup: Setup) -> Hashable:
        from bmdsim.analysis.footprint import footprint_setup, threat_kinds

        if not setup.batteries:
            raise InputError("the scenario has no battery left; a footprint needs one")
        _check_burnout_speeds(setup)
        kinds = threat_kinds(setup, self.launches, self.missiles)
        base = footprint_setup(replace(setup, name=""), kinds, self.own_sensors_only)
        return repr((base, kinds))

    def evaluate(
        self, setup: Setup, progress: Callable[[int, int], None] | None = None
    ) -> MetricValue:
        from bmdsim.analysis.footprint import footprint

        fp = footprint(
            setup,
            self.region,
            self.grid_deg,
            launches=self.launches,
            missiles=self.missiles,
            own_sensors_only=self.own_sensors_only,
            sensor_draws=self.sensor_draws,
            executor=self.executor,
            progress=progress,
        )
        return MetricValue(
            float(fp.defended_fraction),
            None,
            {"threatened_fraction": float(fp.threatened_fraction), "cells": fp.cells},
        )


@dataclass
class MonteCarloMetric(Metric):
    """``p_zero_leakers`` of :func:`bmdsim.analysis.montecarlo.montecarlo`, kept in memory
    (also reports ``leakers_mean``). ``seed`` None: each point's scenario seed."""

    name: ClassVar[str] = "p_zero_leakers"

    trials: int = 100
    seed: int | None = None
    fire_control: str = "track"
    executor: Executor | None = None

    @property
    def ignores(self) -> str:
        if self.seed is None:
            return "the raid Monte Carlo does not use the scenario's name"
        return (
            "the raid Monte Carlo does not use the scenario's name, nor its seed when one is given"
        )

    def key(self, setup: Setup) -> Hashable:
        _check_burnout_speeds(setup)
        s = replace(setup, name="")
        return repr(s if self.seed is None else replace(s, seed=0))

    def evaluate(
        self, setup: Setup, progress: Callable[[int, int], None] | None = None
    ) -> MetricValue:
        from bmdsim.analysis.montecarlo import montecarlo

        seed = setup.seed if self.seed is None else self.seed
        res = montecarlo(
            setup,
            self.trials,
            seed,
            self.executor,
            None,
            fire_control=self.fire_control,
            progress=progress,
        )
        s = res.summary
        lo, hi = s["p_zero_leakers_ci95"]
        return MetricValue(
            float(s["p_zero_leakers"]),
            (float(lo), float(hi)),
            {"leakers_mean": float(s["leakers_mean"]), "trials": int(s["trials"])},
        )


def point_values(
    params: Sequence[Param], baseline_values: Sequence[Any], point: Point
) -> dict[str, Any]:
    """Each parameter's value at a point, as JSON values: the value set, ``drop:...``,
    ``add:...``; where the point keeps the document, the document's own value (a parameter
    that only sets values) or ``keep``."""
    out: dict[str, Any] = {}
    for p, base, e in zip(params, baseline_values, point.edits, strict=True):
        if isinstance(e, Keep):
            sets_only = all(isinstance(x, Set | Keep) for x in p.edits)
            out[p.key] = base if sets_only else "keep"
        else:
            out[p.key] = _label(e)
    return out


# ---- the sweep ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PointResult:
    """A computed point: its edits, the metric and the seconds its computation took (0 when
    an identical input was computed before)."""

    point: Point
    value: MetricValue
    elapsed_s: float
    reused: bool


@dataclass(frozen=True)
class SweepResult:
    """A finished sweep."""

    metric: str
    params: tuple[Param, ...]
    baseline_values: tuple[Any, ...]  # the document's value at each key
    points: tuple[PointResult, ...]
    sensitivity: tuple[dict[str, Any], ...] | None
    elapsed_s: float


class PointError(InputError):
    """A value of a parameter (or a combination of values) that the sweep refuses; the
    message starts with ``KEY=VALUE``."""


def _what(params: Sequence[Param], edits: Sequence[Edit]) -> str:
    return ", ".join(
        f"{p.key}={_shown(_label(e))}"
        for p, e in zip(params, edits, strict=True)
        if not isinstance(e, Keep) or len(params) == 1
    )


def _validate(
    doc: dict[str, Any],
    params: Sequence[Param],
    points: Sequence[Point],
    make_setup: Callable[[dict[str, Any]], Setup],
    metric: Metric,
) -> list[tuple[Setup, Hashable]]:
    """Every point's validated setup and metric key (:class:`PointError` otherwise); a
    parameter whose values change the document but never the metric's input is refused."""
    base_setup = make_setup(copy.deepcopy(doc))
    try:
        base_key = metric.key(base_setup)
    except BmdsimError as exc:
        raise InputError(f"the scenario as written: {exc}") from None
    for p in params:  # each value alone, against the baseline
        changed = False
        keys = {base_key}
        for e in p.edits:
            try:
                one = point_document(doc, [p], Point((e,)))
                if one == doc:
                    continue
                keys.add(metric.key(make_setup(one)))
            except BmdsimError as exc:
                raise PointError(f"{p.key}={_shown(_label(e))}: {exc}") from None
            changed = True
        if changed and len(keys) == 1:
            values = ",".join(_shown(v) for v in p.labels)
            raise PointError(
                f"{p.key}={values}: no value changes what {metric.name} computes from the "
                f"scenario as written ({metric.ignores})"
            )
    out: list[tuple[Setup, Hashable]] = []
    for pt in points:
        try:
            d = point_document(doc, params, pt)
            if d == doc:
                out.append((base_setup, base_key))
                continue
            s = make_setup(d)
            out.append((s, metric.key(s)))
        except BmdsimError as exc:
            raise PointError(f"{_what(params, pt.edits)}: {exc}") from None
    return out


def sweep(
    doc: dict[str, Any],
    params: Sequence[Param],
    make_setup: Callable[[dict[str, Any]], Setup],
    metric: Metric,
    *,
    sensitivity: bool = False,
    progress: Callable[[float, int], None] | None = None,
) -> SweepResult:
    """Compute ``metric`` at every point of the sweep of ``params`` over the document
    ``doc`` (the grid, or with ``sensitivity`` the one-at-a-time points and the tornado
    table :func:`sensitivity_table`). Every point is validated (``make_setup``) before the
    first is computed; ``progress(done, total)`` is called as points finish and, with a
    fraction of a point, as the metric's own chunks finish."""
    t0 = time.perf_counter()
    if not params:
        raise InputError("give at least one parameter")
    keys = [p.key for p in params]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise PointError(f"{dup[0]}: the key is given twice; give all its values in one SPEC")
    points = oat_points(params) if sensitivity else grid_points(params)
    checked = _validate(doc, params, points, make_setup, metric)
    done: dict[Hashable, MetricValue] = {}
    results: list[PointResult] = []
    if progress is not None:
        progress(0, len(points))
    for i, (pt, (setup, k)) in enumerate(zip(points, checked, strict=True)):
        t = time.perf_counter()
        reused = k in done
        if not reused:

            def inner(d: int, n: int, i: int = i) -> None:
                if progress is not None and n > 0:
                    progress(i + min(d, n) / n, len(points))

            try:
                done[k] = metric.evaluate(setup, inner)
            except BmdsimError as exc:
                where = "the scenario as written" if pt.is_baseline else _what(params, pt.edits)
                raise PointError(f"{where}: {exc}") from None
        results.append(PointResult(pt, done[k], 0.0 if reused else time.perf_counter() - t, reused))
        if progress is not None:
            progress(i + 1, len(points))
    baseline_values = tuple(current_value(doc, p.path) for p in params)
    table = sensitivity_table(params, results) if sensitivity else None
    return SweepResult(
        metric.name,
        tuple(params),
        baseline_values,
        tuple(results),
        table,
        time.perf_counter() - t0,
    )


def _numeric(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def sensitivity_table(
    params: Sequence[Param], results: Sequence[PointResult]
) -> tuple[dict[str, Any], ...]:
    """The tornado table of a one-at-a-time sweep: for each parameter, its ``low`` and
    ``high`` values with the metric there and its change from the baseline, and the
    ``swing`` (largest minus smallest metric over its points and the baseline), largest
    swing first. For a numeric parameter low and high are its smallest and largest values
    (``by: value``); otherwise the values that give the smallest and largest metric
    (``by: metric``)."""
    base = next(r for r in results if r.point.is_baseline).value.value
    rows: list[tuple[float, dict[str, Any]]] = []
    for i, p in enumerate(params):
        mine = [
            (r.point.edits[i], r.value.value)
            for r in results
            if not isinstance(r.point.edits[i], Keep)
        ]
        if not mine:
            continue
        numeric = all(isinstance(e, Set) and _numeric(e.value) for e, _ in mine)
        if numeric:
            by_value = sorted(mine, key=lambda em: float(em[0].value))  # type: ignore[union-attr]
            lo, hi = by_value[0], by_value[-1]
        else:  # the smallest and largest finite metric (NaN: nothing threatened)
            by_metric = sorted(mine, key=lambda em: (not math.isfinite(em[1]), em[1]))
            finite = [em for em in by_metric if math.isfinite(em[1])] or by_metric
            lo, hi = finite[0], finite[-1]
        vals = [m for _, m in mine if math.isfinite(m)] + ([base] if math.isfinite(base) else [])
        swing = (max(vals) - min(vals)) if vals else math.nan
        row = {
            "param": p.key,
            "by": "value" if numeric else "metric",
            "baseline": base,
            "low": {"value": _label(lo[0]), "metric": lo[1], "delta": lo[1] - base},
            "high": {"value": _label(hi[0]), "metric": hi[1], "delta": hi[1] - base},
            "swing": swing,
        }
        rows.append((-swing if math.isfinite(swing) else math.inf, row))
    rows.sort(key=lambda sr: sr[0])  # stable: equal swings keep the order given
    return tuple(r for _, r in rows)
