"""Your own scenario: write a scenario file, load it, run it, export it for a map.

Question: instead of the two land sites, suppose one Aegis destroyer on station in the Sea
of Japan with an SM-3 Block IB-class load and its SPY-1D-class radar, cued by Japan's
J/FPS-5-class radar on Sado. Does it stop a three-missile Nodong-class salvo at Tokyo,
Osaka and Niigata?

A scenario is a YAML file with unit-suffixed keys (``_s``, ``_km``, ``_deg``, ``_m2``);
``bmdsim schema`` prints the JSON Schema of every key and ``bmdsim catalog missiles |
places | sensors | interceptors`` the names it accepts. A place is a catalog name, a name
under ``places:``, or ``'LAT,LON'`` (a ship is a position at sea). The built-in scenario
(``src/bmdsim/scenario/builtin/aegis-ashore-japan.yaml``) is a commented example of every
section. ``bmdsim.load_scenario`` checks the file (a mistake is one message naming the file,
line and key) and returns the engagement input; ``bmdsim.run`` runs it, ``bmdsim.export``
writes GeoJSON (tracks, sites, intercept points) for QGIS or geojson.io. The same file runs
from the shell with ``bmdsim run my-scenario.yaml``.

Run it with ``python docs/tutorials/06_your_own_scenario.py``; it writes the scenario and
its GeoJSON into the folder named by the environment variable BMDSIM_TUTORIAL_OUT (else a
new temporary folder).
"""

import os
import tempfile
from pathlib import Path

import bmdsim

out = Path(os.environ.get("BMDSIM_TUTORIAL_OUT") or tempfile.mkdtemp(prefix="bmdsim-"))
out.mkdir(parents=True, exist_ok=True)

SCENARIO = """\
name: one-destroyer-sea-of-japan
epoch: "2017-08-29T05:58:00+09:00"   # t = 0 s of the scenario clock
seed: 1                               # same seed, same run

places:
  station: {lat_deg: 38.5, lon_deg: 134.0}   # the destroyer's patrol station

sensors:
  - {name: ship-radar, sensor: spy1d-class, site: station, owner: own}
  - {name: sado-fps5, sensor: fps5-class, site: sado, owner: own, link_latency_s: 3.0}

batteries:
  - name: destroyer
    interceptor: sm3-ib-class
    site: station
    inventory: 8
    radar: ship-radar
    fire_on: launch-on-remote   # any track launches, the ship's radar guides

doctrine: {kind: shoot-look-shoot, salvo_size: 1, max_waves: 2, pk: 0.7}

threats:
  - {name: nodong-tokyo, missile: nodong-class, launch: sinpo, target: tokyo}
  - {name: nodong-osaka, missile: nodong-class, launch: wonsan, target: osaka, launch_time_s: 20}
  - name: nodong-niigata
    missile: nodong-class
    launch: sinpo
    target: niigata
    launch_time_s: 40           # seconds after the epoch (default 0)
"""

path = out / "one-destroyer.yaml"
path.write_text(SCENARIO, encoding="utf-8")
setup = bmdsim.load_scenario(path)
print(
    f"loaded {setup.name}: {len(setup.sensors)} sensors, {len(setup.batteries)} battery, "
    f"{len(setup.threats)} threats"
)

run = bmdsim.run(setup)
for t in run.threats:
    fired = ", ".join(f"{s.battery} wave {s.wave} {'kill' if s.kill else 'miss'}" for s in t.shots)
    print(f"  {t.name:15s} {t.outcome:8s} {t.reason or '':22s} {fired}")
s = run.summary
print(
    f"answer: {s['killed']} of {s['threats']} killed, {s['leaked']} leaked, "
    f"{s['no_opportunity']} without an engagement opportunity; "
    f"{s['interceptors_fired']} interceptors fired"
)
print("files:", [p.name for p in bmdsim.export(run, "geojson", out)])
