"""Quick start: simulate the built-in Aegis Ashore Japan scenario from Python.

Question: with the two Aegis Ashore sites (Araya in Akita, Mutsumi in Yamaguchi) and the
allied sensors cueing them, how many threats of the built-in North Korean raid are killed?

The code is the Python example of the README plus the set-up of the output folder (a test
checks that every line of the README's example is here, in order). ``bmdsim.run`` takes a
scenario file or a built-in name and returns a ``Run``: ``.summary`` (threats, killed,
leaked, ...), ``.threats`` (one result per threat: outcome, reason, shots), ``.to_json()``
(the document ``bmdsim run --json`` prints) and ``.scene()`` (tracks, fly-outs and
intercept points for maps and exports).

Run it with ``python docs/tutorials/00_quickstart.py``. It works in the folder named by the
environment variable BMDSIM_TUTORIAL_OUT (else a new temporary folder) and writes
``bmdsim-out/report.html`` and ``bmdsim-out/*.geojson`` there.
"""

import os
import tempfile

import bmdsim

out = os.environ.get("BMDSIM_TUTORIAL_OUT") or tempfile.mkdtemp(prefix="bmdsim-")
os.makedirs(out, exist_ok=True)
os.chdir(out)  # the README's example writes into ./bmdsim-out

# the README's example (its lines, in this order)
run = bmdsim.run("aegis-ashore-japan")  # a built-in name or a scenario YAML file
print(run.summary)  # {'threats': 11, 'killed': 11, 'leaked': 0, ...}
for t in run.threats:
    print(t.name, t.missile, t.outcome, len(t.shots))
print(bmdsim.report(run, "bmdsim-out"))  # bmdsim-out/report.html, figures embedded
print(bmdsim.export(run, "geojson", "bmdsim-out"))  # tracks, sites, intercepts for GIS
print(f"answer: {run.summary['killed']} of {run.summary['threats']} threats killed")
