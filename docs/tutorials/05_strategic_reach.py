"""Strategic reach: could Aegis Ashore at Araya engage Russian strategic missiles?

Question: Russia objected to Aegis Ashore in Japan, saying it could be used against its own
missiles. Of the Russian ICBM and SLBM trajectories toward the United States (and Guam),
which could an SM-3 Block IIA-class battery at Araya engage at all?

``bmdsim.strategic`` flies every trajectory of a built-in set (``russia-us``: the
missile-division areas and the two SSBN patrol areas to US cities, Minuteman III wings,
Honolulu and Guam) against one battery with unlimited interceptors and Pk 1, so that only
geometry and sensing decide. A trajectory is *engageable* when the battery has a feasible
intercept after its fire-control track and reaction time, *kinematically reachable* when an
interceptor launched at the threat's lift-off could meet it; otherwise the reason says why
(``out_of_reach``: the flight never comes within the interceptor's fly-out fan). Most
Russian flights to the continental United States cross the Arctic, thousands of km from
Japan.

Run it with ``python docs/tutorials/05_strategic_reach.py``; it writes the per-trajectory
table (CSV) into the folder named by the environment variable BMDSIM_TUTORIAL_OUT (else a
new temporary folder).
"""

import collections
import os
import tempfile
from pathlib import Path

import bmdsim

out = Path(os.environ.get("BMDSIM_TUTORIAL_OUT") or tempfile.mkdtemp(prefix="bmdsim-"))

res = bmdsim.strategic("araya", "sm3-iia-class", "russia-us")
n = len(res.trajectories)
print(f"{n} trajectories of {res.threat_set} against {res.interceptor} at {res.site}")
print(f"kinematically reachable: {res.kinematically_reachable}, engageable: {res.engageable}")
reasons = collections.Counter(t.reason for t in res.trajectories if not t.engageable)
print("why not:", ", ".join(f"{r} {k}" for r, k in reasons.most_common()))
for t in res.trajectories:
    if t.engageable:
        print(
            f"  engageable: {t.missile} {t.launch} -> {t.target}, passes "
            f"{t.closest_approach_m / 1e3:,.0f} km from the site; earliest intercept "
            f"{t.intercept_t_s:,.0f} s after launch at {t.intercept_alt_m / 1e3:,.0f} km"
        )
print(f"answer: engageable fraction {res.engageable_fraction:.3f} ({res.engageable} of {n})")
print("files:", [p.name for p in bmdsim.export(res, "csv", out)])
