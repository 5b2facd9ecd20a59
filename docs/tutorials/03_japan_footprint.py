"""The defended footprint: do two Aegis Ashore sites defend all of Japan?

Question: Japan's 2017 plan put two Aegis Ashore sites at Araya (Akita) and Mutsumi
(Yamaguchi). Against the Nodong- and Scud-ER-class missiles of the built-in scenario, fired
from its North Korean launch areas, which part of Japan's land has an engagement
opportunity against every threat aimed at it?

``bmdsim.footprint`` fires every launch area's missile classes (minimum-energy) at every land
cell of a grid over Japan. A cell is *threatened* when it is within a class's reach, and
*defended* when every threat to it has a feasible intercept window for some battery after
its fire-control track and reaction time (Pk 1, unlimited interceptors: a question of
geometry and sensing, not of inventory). Fractions are by land area. A 1-degree grid keeps
this quick; the default (0.5 deg) and finer grids draw the coast more faithfully.

Run it with ``python docs/tutorials/03_japan_footprint.py``; it writes ``report.html``
(the footprint map) and ``footprint.geojson`` into the folder named by the environment
variable BMDSIM_TUTORIAL_OUT (else a new temporary folder).
"""

import math
import os
import tempfile
from pathlib import Path

import bmdsim

out = Path(os.environ.get("BMDSIM_TUTORIAL_OUT") or tempfile.mkdtemp(prefix="bmdsim-"))

fp = bmdsim.footprint("aegis-ashore-japan", "japan", grid_deg=1.0)
print(
    f"{fp.cells} land cells of 1 deg, {int(fp.threatened.sum())} threatened, "
    f"{int(fp.defended.sum())} defended ({fp.threats_flown} threats flown)"
)
for island, frac in fp.by_island.items():
    # a main island without a land cell at this grid step (Okinawa at 1 deg) has no fraction
    shown = f"{frac:.3f}" if math.isfinite(frac) else "- (no land cell at this grid step)"
    print(f"  {island:9s} defended fraction {shown}")
for area, frac in fp.by_launch_area.items():
    print(f"  from {area:9s} defended fraction {frac:.3f}")
print(f"answer: Japan defended fraction {fp.defended_fraction:.3f} (by threatened land area)")
print("report:", bmdsim.report(fp, out))
print("files:", [p.name for p in bmdsim.export(fp, "geojson", out)])
