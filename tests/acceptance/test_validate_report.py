"""End-to-end: ``bmdsim validate --report FILE`` writes the validation report as Markdown."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bmdsim import __version__

HEADER = "| case | source | expected | got | tolerance | pass |"


def bmdsim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bmdsim.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_report_matches_json(tmp_path: Path):
    report = tmp_path / "validation.md"
    p = bmdsim("validate", "--group", "textbook", "--report", str(report), "--json")
    assert p.returncode in (0, 1), p.stderr
    doc = json.loads(p.stdout)  # the JSON document alone on stdout
    assert f"report: {report}" in p.stderr
    s = doc["summary"]
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert f"bmdsim {__version__}" in text
    assert "## textbook" in text and "## earth" not in text
    assert text.count(HEADER) == 1
    rows = [line for line in text.splitlines() if line.startswith("| ") and line.count("|") == 7]
    rows = [r for r in rows if r != HEADER]
    assert len(rows) == len(doc["cases"]) == s["cases"]
    assert sum(r.endswith("| pass |") for r in rows) == s["passed"]
    m = re.search(r"(\d+) cases?, (\d+) passed, (\d+) failed", text)
    assert m and tuple(map(int, m.groups())) == (s["cases"], s["passed"], s["failed"])
    for case, row in zip(doc["cases"], rows, strict=True):
        assert row.startswith(f"| {case['case']} | ")


def test_report_text_mode_says_where(tmp_path: Path):
    report = tmp_path / "v.md"
    p = bmdsim("validate", "--group", "textbook", "--report", str(report))
    assert p.returncode in (0, 1), p.stderr
    assert f"report: {report}" in p.stdout
    assert HEADER in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("where", ["missing-folder", "folder"])
def test_unwritable_report_is_one_line_exit_2(tmp_path: Path, where: str):
    target = tmp_path / "no-such-folder" / "v.md" if where == "missing-folder" else tmp_path
    p = bmdsim("validate", "--group", "textbook", "--report", str(target))
    assert p.returncode == 2
    assert p.stdout == ""
    assert "Traceback" not in p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bmdsim: error: --report")


def test_failing_case_is_in_the_report_and_exits_1(tmp_path: Path):
    """A case broken on purpose is written as failed, and the exit code stays 1."""
    report = tmp_path / "v.md"
    code = (
        "import sys\n"
        "import bmdsim.analysis.validation as V\n"
        "def broken():\n"
        "    yield V._rel('broken | on purpose', 'test', 100.0, 101.0, 1e-3)\n"
        "V.GROUPS['broken'] = broken\n"
        "from bmdsim.cli.main import main\n"
        f"sys.exit(main(['validate', '--group', 'broken', '--report', {str(report)!r}]))\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert p.returncode == 1, p.stderr
    text = report.read_text(encoding="utf-8")
    assert "1 case, 0 passed, 1 failed" in text
    assert "| broken \\| on purpose | test | 100 | 101 | 0.1 % | **FAIL** |" in text
