"""Create the project's virtual environment with nothing but the standard library.

``python3 -m venv`` needs ``ensurepip``, which Debian ships separately (python3-venv).
Where it is missing, the environment is made without pip and pip is bootstrapped from its
wheel, fetched from the configured package index (PIP_INDEX_URL, else PyPI).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path


def _has_ensurepip() -> bool:
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        return False
    return True


def _bootstrap_pip(python: Path) -> None:
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")
    json_url = index.replace("/simple", "/pypi") + "/pip/json"
    with urllib.request.urlopen(json_url, timeout=120) as response:
        info = json.load(response)
    wheel = next(u for u in info["urls"] if u["filename"].endswith(".whl"))
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / wheel["filename"]
        urllib.request.urlretrieve(wheel["url"], target)
        # A pip wheel is importable: run pip from it to install pip into the environment.
        subprocess.run([str(python), f"{target}/pip", "install", "-q", str(target)], check=True)


def main(argv: list[str]) -> int:
    target = Path(argv[1] if len(argv) > 1 else ".venv")
    if sys.version_info < (3, 11):  # noqa: UP036 (run by the system python3)
        print(f"bmdsim needs Python >= 3.11, this is {sys.version.split()[0]}", file=sys.stderr)
        return 2
    with_pip = _has_ensurepip()
    venv.EnvBuilder(with_pip=with_pip, upgrade_deps=False).create(target)
    python = target / "bin" / "python"
    if not with_pip:
        _bootstrap_pip(python)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
