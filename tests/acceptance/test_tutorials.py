"""End-to-end: every tutorial script in docs/tutorials runs as a user would run it.

Each script is run in a subprocess with the test's interpreter, from an empty working
folder, with BMDSIM_TUTORIAL_OUT pointing at a temporary folder. It must exit 0, print its
``answer:`` line (every tutorial ends with one), and write nothing outside that folder. A new
script in docs/tutorials is picked up by the glob and tested without any change here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = ROOT / "docs" / "tutorials"
SCRIPTS = sorted(TUTORIALS.glob("[0-9][0-9]_*.py"))

#: what a few tutorials' answers must say, beyond the generic ``answer:`` line
EXPECTED = {
    "00_quickstart.py": r"answer: \d+ of 11 threats killed",
    "01_fly_a_missile.py": r"answer: Tokyo is \d+ min from Sinpo",
    "02_reconstruct_a_test.py": r"apogee 4,475 km, range 950 km",
    "03_japan_footprint.py": r"answer: Japan defended fraction [01]\.\d{3}",
    "04_own_vs_allied_sensors.py": r"answer: with its own sensors only Japan kills \d+ of 11",
    "05_strategic_reach.py": r"answer: engageable fraction [01]\.\d{3} \(\d+ of \d+\)",
    "06_your_own_scenario.py": r"answer: \d of 3 killed",
}


def test_tutorials_found():
    assert len(SCRIPTS) >= 7, SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_tutorial_runs(script: Path, tmp_path: Path):
    out, cwd = tmp_path / "out", tmp_path / "cwd"
    out.mkdir()
    cwd.mkdir()
    env = {**os.environ, "BMDSIM_TUTORIAL_OUT": str(out), "MPLBACKEND": "Agg"}
    p = subprocess.run(
        [sys.executable, str(script)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    assert re.search(r"^answer: ", p.stdout, re.M), p.stdout
    if script.name in EXPECTED:
        assert re.search(EXPECTED[script.name], p.stdout), p.stdout
    assert not any(cwd.iterdir()), "a tutorial wrote outside BMDSIM_TUTORIAL_OUT"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_tutorial_is_documented(script: Path):
    text = script.read_text(encoding="utf-8")
    assert text.startswith('"""'), "a tutorial opens with a docstring that states its question"
    assert "Question:" in text.split('"""')[1]
    assert script.name in (TUTORIALS / "README.md").read_text(encoding="utf-8")


def test_readme_python_example_is_the_quickstart():
    """Every line of the README's Python example is in 00_quickstart.py, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) == 1
    example = [line for line in blocks[0].splitlines() if line.strip()]
    script = (TUTORIALS / "00_quickstart.py").read_text(encoding="utf-8").splitlines()
    at = 0
    for line in example:
        assert line in script[at:], f"README line not in 00_quickstart.py (in order): {line}"
        at = script.index(line, at) + 1
