"""Run bmdsim's benchmarks, each in a fresh process, and print one JSON document.

Each benchmark reports its timings and the process's peak resident memory (``peak_rss_mb``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
NAMES = ("engine", "aiming", "reconstruct", "observe", "run")
#: the long ones (minutes): run when named
LONG = ("raid", "footprint")


def main(argv: list[str]) -> int:
    names = argv or list(NAMES)
    out = {}
    for name in names:
        if name not in NAMES + LONG:
            known = ", ".join(NAMES + LONG)
            print(f"unknown benchmark '{name}'; choose from {known}", file=sys.stderr)
            return 2
        p = subprocess.run(
            [sys.executable, str(HERE / "bench_cases.py"), name],
            capture_output=True,
            text=True,
            check=False,
        )
        if p.returncode != 0:
            print(p.stderr, file=sys.stderr)
            return 1
        out[name] = json.loads(p.stdout)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
