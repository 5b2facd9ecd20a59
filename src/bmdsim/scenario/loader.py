"""Read scenario files (YAML) into engagement inputs, with one-line errors.

The YAML is read with a *safe* loader only (``CSafeLoader`` where libyaml is available,
else ``SafeLoader``): no tag can build a Python object or run anything. A broken file raises
:class:`~bmdsim.errors.ScenarioError` with one line naming the file, the line and the key::

    scenario.yaml:14 threats[2].missile: unknown missile 'nodong'; did you mean 'nodong-class'?

Built-in scenarios ship as YAML files in ``bmdsim/scenario/builtin/`` and are loaded by name.

Before anything is built, the text is held to the size limits of
:mod:`bmdsim.scenario.limits`: at most ``MAX_SCENARIO_BYTES`` bytes, ``MAX_YAML_ALIASES``
uses of an alias, ``MAX_YAML_NODES`` nodes once the aliases are expanded (an "alias bomb"
of nested anchors is refused in milliseconds), ``MAX_YAML_DEPTH`` levels of nesting, and no
recursive alias (``threats: &t [*t]``).
"""

from __future__ import annotations

import os
import re
import stat
import types
import typing
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bmdsim.engagement.setup import Setup
from bmdsim.errors import ScenarioError, did_you_mean, one_line, quote
from bmdsim.scenario import limits as L
from bmdsim.scenario.schema import Scenario

__all__ = [
    "builtin_names",
    "dump_schema",
    "load_scenario",
    "load_scenario_model",
    "load_scenario_text",
    "parse_scenario_text",
]

_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

Loc = tuple[str | int, ...]


# ---- built-ins ---------------------------------------------------------------------------------


def _builtin_dir() -> Traversable:
    return resources.files("bmdsim.scenario").joinpath("builtin")


def builtin_names() -> list[str]:
    """The names of the built-in scenarios (``aegis-ashore-japan``, ...), sorted."""
    folder = _builtin_dir()
    if not folder.is_dir():
        return []
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def builtin_text(name: str) -> str:
    """The YAML text of a built-in scenario (raises ScenarioError for an unknown name)."""
    key = name[: -len(".yaml")] if name.endswith(".yaml") else name
    names = builtin_names()
    if key not in names:
        raise ScenarioError(
            f"unknown built-in scenario {quote(name)}{did_you_mean(key, names)} "
            f"(built-ins: {', '.join(names)})"
        )
    return _builtin_dir().joinpath(key + ".yaml").read_text(encoding="utf-8")


# ---- loading -----------------------------------------------------------------------------------


def _read_source(source: str | os.PathLike[str]) -> tuple[str, str]:
    """(text, filename) of a scenario file or built-in name."""
    name = os.fspath(source)
    if not isinstance(name, str):
        raise ScenarioError(f"{quote(name)}: a scenario path must be text")
    shown = _display_name(name)
    try:
        st = os.stat(name)
    except (OSError, ValueError) as exc:  # missing, too long a name, a NUL byte...
        st = None
        missing = isinstance(exc, FileNotFoundError | NotADirectoryError)
        if not missing and not isinstance(exc, ValueError):
            raise ScenarioError(
                f"{shown}: cannot read the scenario file: {_os_reason(exc)}"
            ) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise ScenarioError(f"{shown}: is a folder, not a scenario file")
        if not stat.S_ISREG(st.st_mode):
            raise ScenarioError(f"{shown}: not a regular file (a device, pipe or socket)")
        if st.st_size > L.MAX_SCENARIO_BYTES:
            raise ScenarioError(_too_big(shown, st.st_size))
        try:
            with open(name, "rb") as f:
                data = f.read(L.MAX_SCENARIO_BYTES + 1)
        except OSError as exc:
            raise ScenarioError(
                f"{shown}: cannot read the scenario file: {_os_reason(exc)}"
            ) from None
        if len(data) > L.MAX_SCENARIO_BYTES:
            raise ScenarioError(_too_big(shown, len(data)))
        try:
            return data.decode("utf-8"), _display_name(name)
        except UnicodeDecodeError as exc:
            raise ScenarioError(
                f"{shown}: not UTF-8 text (byte {exc.start}: {exc.reason})"
            ) from None
    names = builtin_names()
    key = name[: -len(".yaml")] if name.endswith(".yaml") else name
    if not isinstance(source, os.PathLike) and key in names:
        return builtin_text(key), key + ".yaml"
    raise ScenarioError(
        f"{shown}: no such scenario file, nor a built-in scenario"
        f"{did_you_mean(key, names)} (built-ins: {', '.join(names)})"
    )


def _display_name(name: str) -> str:
    """The file name that starts each message: as given, or quoted and cut when it holds an
    unprintable character or is very long."""
    return name if name.isprintable() and len(name) <= 200 else quote(name, 100)


def _os_reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)


def _too_big(shown: str, size: int) -> str:
    return (
        f"{shown}: {size:,} bytes is more than a scenario file may hold "
        f"({L.MAX_SCENARIO_BYTES:,} bytes)"
    )


def load_scenario_model(source: str | os.PathLike[str]) -> Scenario:
    """The validated :class:`Scenario` of a file path or built-in name."""
    text, filename = _read_source(source)
    return parse_scenario_text(text, filename)


def load_scenario(source: str | os.PathLike[str]) -> Setup:
    """The engagement input of a scenario file path or built-in name.

    Raises :class:`~bmdsim.errors.ScenarioError` (one line: file, line, key) for a missing or
    broken file.
    """
    text, filename = _read_source(source)
    return _setup_of(text, filename)


def load_scenario_text(text: str, filename: str = "<scenario>") -> Setup:
    """The engagement input of scenario YAML text (``filename`` is used in messages)."""
    return _setup_of(text, filename)


def _setup_of(text: str, filename: str) -> Setup:
    try:
        scenario, origins = _parse(text, filename)
    except ScenarioError as exc:
        raise ScenarioError(one_line(str(exc))) from None
    return scenario.to_setup(origins)


def parse_scenario_text(text: str, filename: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text into a :class:`Scenario` (safe YAML only).

    Every problem raises :class:`~bmdsim.errors.ScenarioError` with one line."""
    try:
        return _parse(text, filename)[0]
    except ScenarioError as exc:
        raise ScenarioError(one_line(str(exc))) from None


def _parse(text: str, filename: str) -> tuple[Scenario, list[str]]:
    """The validated scenario and where each threat is defined ('file:line')."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > L.MAX_SCENARIO_BYTES:
        raise ScenarioError(_too_big(filename, size))
    try:
        _check_yaml_size(text, filename)
        loader = _SAFE_LOADER(text)
        try:
            root = loader.get_single_node()
            if root is not None:  # before construction, which merges '<<' keys into the node
                _check_duplicate_keys(root, filename)
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise ScenarioError(_yaml_error_message(exc, filename)) from None
    except UnicodeError:  # text handed in with lone surrogates (a file is decoded strictly)
        raise ScenarioError(f"{filename}: not UTF-8 text (a lone surrogate)") from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer of more than 4,300 digits
        raise ScenarioError(f"{filename}: invalid YAML value: {exc}") from None
    if data is None:
        raise ScenarioError(f"{filename}:1 the file is empty; expected a scenario mapping")
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{filename}:1 expected a mapping of sections (name, sensors, batteries, doctrine, "
            f"threats...), got {type(data).__name__}"
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_validation_message(exc, root, filename)) from None
    shown = _display_name(filename)
    origins = [f"{shown}:{_line_of(root, ('threats', k))}" for k in range(len(scenario.threats))]
    return scenario, origins


def _check_duplicate_keys(root: yaml.Node, filename: str) -> None:
    dup = _duplicate_key(root, ())
    if dup is not None:
        line, loc, key = dup
        raise ScenarioError(f"{filename}:{line} {_format_loc(loc)}: duplicate key {quote(key, 60)}")


def _check_yaml_size(text: str, filename: str) -> None:
    """Refuse, from the event stream alone (nothing built yet), a YAML text that nests too
    deep, uses too many aliases, expands to too many nodes or holds a recursive alias."""
    sizes: dict[str, int] = {}  # anchor -> the nodes it stands for, its aliases expanded
    stack: list[list[Any]] = []  # open collections: [anchor, nodes so far]
    aliases = total = 0

    for event in yaml.parse(text, Loader=_SAFE_LOADER):
        where = f"{filename}:{event.start_mark.line + 1}"
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, n = stack.pop()
            if anchor is not None:
                sizes[anchor] = n
            if stack:
                stack[-1][1] += n
            continue
        if isinstance(event, yaml.CollectionStartEvent):
            if len(stack) >= L.MAX_YAML_DEPTH:
                raise ScenarioError(f"{where}: nested more than {L.MAX_YAML_DEPTH} levels deep")
            stack.append([event.anchor, 1])
            n = 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > L.MAX_YAML_ALIASES:
                raise ScenarioError(
                    f"{where}: more than {L.MAX_YAML_ALIASES:,} uses of YAML aliases (*name)"
                )
            if any(anchor == event.anchor for anchor, _ in stack):
                raise ScenarioError(
                    f"{where}: recursive YAML alias {quote(event.anchor, 60)} "
                    "(a node that holds itself)"
                )
            n = sizes.get(event.anchor, 1)  # an undefined anchor fails when composed
            if stack:
                stack[-1][1] += n
        elif isinstance(event, yaml.ScalarEvent):
            n = 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
            if stack:
                stack[-1][1] += n
        else:  # stream and document start and end
            continue
        total += n
        if total > L.MAX_YAML_NODES:
            raise ScenarioError(
                f"{where}: the YAML expands to more than {L.MAX_YAML_NODES:,} nodes "
                "(its aliases expanded)"
            )


def dump_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["title"] = "bmdsim scenario"
    schema["description"] = (
        "A bmdsim scenario file (YAML): sensors, interceptor batteries, doctrine and threats. "
        "Keys carry their unit as a suffix; places are catalog names, names defined under "
        "'places', or 'LAT,LON[,HEIGHT_M]' in degrees and metres (a height from -500 m to "
        "100 km; a threat's launch and target take none). Every number is finite and within "
        "its minimum and maximum; text is printable. Size limits: "
        f"{L.MAX_SCENARIO_BYTES:,} bytes, {L.MAX_THREATS:,} threats (count included), "
        f"{L.MAX_SENSORS} sensors, {L.MAX_BATTERIES} batteries, {L.MAX_PLACES:,} places; YAML "
        f"aliases used at most {L.MAX_YAML_ALIASES:,} times and expanding to at most "
        f"{L.MAX_YAML_NODES:,} nodes, {L.MAX_YAML_DEPTH} levels deep, none recursive."
    )
    return {"$schema": _SCHEMA_DIALECT, **schema}


# ---- messages ----------------------------------------------------------------------------------


def _yaml_error_message(exc: yaml.YAMLError, filename: str) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"{filename}:{mark.line + 1}" if mark is not None else filename
    problem = getattr(exc, "problem", None) or str(exc)
    found = re.search(r"tag '([^']*)'", problem)
    if isinstance(exc, yaml.constructor.ConstructorError) and found:
        tag = found.group(1).replace("tag:yaml.org,2002:", "!!")
        return (
            f"{where}: unsupported YAML tag {quote(tag, 80)} (only plain YAML data is read; "
            "nothing in a scenario file is executed)"
        )
    context = getattr(exc, "context", None)
    detail = f"{context}, {problem}" if context else problem
    return f"{where}: invalid YAML: {' '.join(str(detail).split())}"


def _format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).isprintable() and len(str(part)) <= 60:
            out += ("." if out else "") + str(part)
        else:  # a user's key with a line break, control character or of any length
            out += f"[{quote(part, 40)}]"
    return out or "(top level)"


def _line_of(root: yaml.Node | None, loc: Loc) -> int:
    """1-based line of the YAML key / list item at ``loc`` (its nearest existing parent)."""
    if root is None:
        return 1
    node: yaml.Node = root
    line = root.start_mark.line
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    line, node = key.start_mark.line, value
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line
        else:
            break
    return line + 1


def _duplicate_key(node: yaml.Node, loc: Loc) -> tuple[int, Loc, str] | None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            k = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
            if k and k in seen:
                return key.start_mark.line + 1, (*loc, k), k
            seen.add(k)
            found = _duplicate_key(value, (*loc, k))
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found = _duplicate_key(item, (*loc, i))
            if found:
                return found
    return None


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The pydantic model that holds the keys at ``loc`` (for did-you-mean on unknown keys)."""
    model: Any = Scenario
    for part in loc:
        if isinstance(model, type) and issubclass(model, BaseModel):
            field = model.model_fields.get(str(part))
            if field is None:
                return None
            model = field.annotation
        elif typing.get_origin(model) is list and isinstance(part, int):
            model = typing.get_args(model)[0]
        elif typing.get_origin(model) is dict:
            model = typing.get_args(model)[1]
        else:
            return None
        if typing.get_origin(model) in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(model) if a is not type(None)]
            model = args[0] if len(args) == 1 else model
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _short(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**60:
        return f"an integer of {len(str(abs(value))):,} digits"
    if isinstance(value, str):
        return quote(value, 57)
    if isinstance(value, int | float | bool) or value is None:
        return repr(value)
    return type(value).__name__ if isinstance(value, list | dict) else None


def _error_text(err: Any) -> str:
    kind, msg, loc = err["type"], err["msg"], tuple(err["loc"])
    value = err.get("input")
    if kind == "missing":
        return "missing required key"
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        model = _model_at(loc[:-1])
        allowed = list(model.model_fields) if model is not None else []
        hint = did_you_mean(key, allowed) or (
            f"; expected one of: {', '.join(allowed)}" if allowed else ""
        )
        return f"unknown key {quote(key, 60)}{hint}"
    if kind == "string_pattern_mismatch":
        return f"expected a name without commas, got {_short(value)}"
    if kind in ("model_type", "dict_type"):
        return f"expected a mapping of keys, got {_short(value)}"
    if kind == "list_type":
        return f"expected a list (YAML '- ' items), got {_short(value)}"
    if msg.startswith("Input should be "):
        msg = "expected " + msg[len("Input should be ") :]
        got = _short(value)
        return f"{msg}, got {got}" if got is not None else msg
    return msg


def _validation_message(exc: ValidationError, root: yaml.Node | None, filename: str) -> str:
    errors = exc.errors(include_url=False)
    located = sorted(
        ((_line_of(root, tuple(e["loc"])), i, e) for i, e in enumerate(errors)),
        key=lambda item: (item[0], item[1]),
    )
    line, _, first = located[0]
    loc = tuple(first["loc"])
    text = f"{filename}:{line} {_format_loc(loc)}: {_error_text(first)}"
    if len(errors) > 1:
        more = len(errors) - 1
        text += f" (and {more} more error{'s' if more > 1 else ''})"
    return text
