"""A scenario as an editable document: read a file into plain data, validate edited data.

A sweep (:mod:`bmdsim.analysis.sweep`) edits the document of a scenario (the mappings,
lists and scalars of its YAML) and needs each edited document validated exactly as a file
is: :func:`document_setup` writes it back as YAML and reads it with
:func:`bmdsim.scenario.loader.parse_scenario_text` (every size limit, range, name and cross
reference), reporting a problem as ``key.path: message`` (no line: the edited document has
no file).
"""

from __future__ import annotations

import os
import re
from typing import Any

import yaml

from bmdsim.engagement.setup import Setup
from bmdsim.errors import InputError, ScenarioError, quote
from bmdsim.scenario import loader

__all__ = ["MAX_FLOW_CHARS", "document_setup", "parse_flow", "read_document"]

#: the longest flow value (``{name: x, ...}``) given on a command line
MAX_FLOW_CHARS = 10_000
_EDITED = "<edited>"
_PREFIX = re.compile(re.escape(_EDITED) + r"(:\d+)?:? ?")
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def read_document(source: str | os.PathLike[str]) -> tuple[dict[str, Any], str, str]:
    """``(document, text, filename)`` of a scenario file or built-in name. The file is
    validated first (:class:`~bmdsim.errors.ScenarioError` with file and line); the
    document is the validated scenario as plain data, every default filled in (a key the
    file leaves out holds its default, ``null`` where that is the catalog's value) and
    catalog names in their canonical form."""
    text, filename = loader._read_source(source)
    model = loader.parse_scenario_text(text, filename)  # sizes, YAML bombs, keys, values
    return model.model_dump(mode="json"), text, filename


def document_setup(doc: dict[str, Any]) -> Setup:
    """The engagement input of an (edited) scenario document, validated as a file is;
    :class:`~bmdsim.errors.ScenarioError` ``key.path: message`` otherwise."""
    try:
        text = yaml.dump(doc, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"the edited scenario cannot be written as YAML: {exc}") from None
    try:
        return loader.parse_scenario_text(text, _EDITED).to_setup()
    except ScenarioError as exc:
        raise ScenarioError(_PREFIX.sub("", str(exc), count=1)) from None


def parse_flow(text: str) -> Any:
    """One YAML flow value (``{name: x, site: tokyo}``, ``[1, 2]``) read with the safe
    loader and the scenario files' limits on aliases, nodes and depth."""
    if len(text) > MAX_FLOW_CHARS:
        raise InputError(f"a value of {len(text):,} characters; at most {MAX_FLOW_CHARS:,}")
    try:
        loader._check_yaml_size(text, "value")
        return yaml.load(text, Loader=loader._SAFE_LOADER)  # noqa: S506 (a safe loader)
    except ScenarioError as exc:
        raise InputError(str(exc)) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{quote(text, 60)}: not a valid YAML value: {problem}") from None
