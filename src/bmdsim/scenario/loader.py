"""Read scenario files (YAML) into engagement inputs, with one-line errors.

The YAML is read with a *safe* loader only (``CSafeLoader`` where libyaml is available,
else ``SafeLoader``): no tag can build a Python object or run anything. A broken file raises
:class:`~bmdsim.errors.ScenarioError` with one line naming the file, the line and the key::

    scenario.yaml:14 threats[2].missile: unknown missile 'nodong'; did you mean 'nodong-class'?

Built-in scenarios ship as YAML files in ``bmdsim/scenario/builtin/`` and are loaded by name.
"""

from __future__ import annotations

import os
import re
import types
import typing
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bmdsim.engagement.setup import Setup
from bmdsim.errors import ScenarioError, did_you_mean
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
            f"unknown built-in scenario '{name}'{did_you_mean(key, names)} "
            f"(built-ins: {', '.join(names)})"
        )
    return _builtin_dir().joinpath(key + ".yaml").read_text(encoding="utf-8")


# ---- loading -----------------------------------------------------------------------------------


def _read_source(source: str | os.PathLike[str]) -> tuple[str, str]:
    """(text, filename) of a scenario file or built-in name."""
    path = Path(source)
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8"), str(source)
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError(f"{source}: cannot read the scenario file: {exc}") from None
    if path.is_dir():
        raise ScenarioError(f"{source}: is a folder, not a scenario file")
    name = str(source)
    names = builtin_names()
    key = name[: -len(".yaml")] if name.endswith(".yaml") else name
    if not isinstance(source, os.PathLike) and key in names:
        return builtin_text(key), key + ".yaml"
    raise ScenarioError(
        f"{source}: no such scenario file, nor a built-in scenario"
        f"{did_you_mean(key, names)} (built-ins: {', '.join(names)})"
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
    return load_scenario_model(source).to_setup()


def load_scenario_text(text: str, filename: str = "<scenario>") -> Setup:
    """The engagement input of scenario YAML text (``filename`` is used in messages)."""
    return parse_scenario_text(text, filename).to_setup()


def parse_scenario_text(text: str, filename: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text into a :class:`Scenario` (safe YAML only)."""
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
        root = yaml.compose(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise ScenarioError(_yaml_error_message(exc, filename)) from None
    if root is not None:
        dup = _duplicate_key(root, ())
        if dup is not None:
            line, loc, key = dup
            raise ScenarioError(f"{filename}:{line} {_format_loc(loc)}: duplicate key '{key}'")
    if data is None:
        raise ScenarioError(f"{filename}:1 the file is empty; expected a scenario mapping")
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{filename}:1 expected a mapping of sections (name, sensors, batteries, doctrine, "
            f"threats...), got {type(data).__name__}"
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_validation_message(exc, root, filename)) from None


def dump_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["title"] = "bmdsim scenario"
    schema["description"] = (
        "A bmdsim scenario file (YAML): sensors, interceptor batteries, doctrine and threats. "
        "Keys carry their unit as a suffix; places are catalog names, names defined under "
        "'places', or 'LAT,LON[,HEIGHT_M]' in degrees and metres."
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
            f"{where}: unsupported YAML tag '{tag}' (only plain YAML data is read; "
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
        else:
            out += ("." if out else "") + str(part)
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
    if isinstance(value, str | int | float | bool) or value is None:
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
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
        return f"unknown key '{key}'{hint}"
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
