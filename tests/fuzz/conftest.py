"""The fuzz tests: every test here carries the ``fuzz`` marker; the number of cases run is
printed at the end of the session."""

from __future__ import annotations

from pathlib import Path

import pytest

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.fuzz)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    import sys

    harness = sys.modules.get("fuzz_harness")
    cases = getattr(harness, "CASES", None)
    if not cases:
        return
    kinds: dict[str, dict[int, int]] = {}
    for (kind, code), n in cases.items():
        kinds.setdefault(kind, {})[code] = n
    total = sum(cases.values())
    terminalreporter.write_line(f"fuzz cases run: {total}")
    for kind, codes in sorted(kinds.items()):
        detail = ", ".join(f"exit {c}: {n}" for c, n in sorted(codes.items()))
        terminalreporter.write_line(f"  {kind:<12} {sum(codes.values()):>6}  ({detail})")
