"""The physical ranges of user input and the size limits of a scenario, in one place.

Scenario files (``bmdsim schema`` prints each range as a JSON Schema minimum/maximum) and
the command line (``--help`` prints each option's range) check the same numbers at the door,
so a value outside its range is refused with one line instead of producing a meaningless or
non-finite answer. Every range is closed, ``(lo, hi)`` in the unit its name carries; a
quantity that must be strictly positive has a small positive lower bound instead of 0.

Why each range is what it is:

- places: WGS84 latitude and longitude; a height (above the ellipsoid) from 500 m below it
  (the shore of the Dead Sea) to 100 km (the edge of space) for a ground, sea or airborne
  point (:data:`bmdsim.earth.places.HEIGHT_RANGE_M`).
- threats: an apogee of 10 km (a very depressed short-range flight) to 10,000 km (above the
  highest lofted test, ~7,700 km in 2024); a flight time and a launch time within what one
  scenario can mean (the propagator flies at most 20,000 s; launches within 10 days of the
  epoch); a radar cross-section of -40 to +30 dBsm (a stealthy warhead to a tumbling tank).
- C2 and batteries: latencies, reaction times and intervals up to an hour; inventories up
  to 1,000 rounds; salvos of at most 8, at most 10 shoot-look-shoot waves.
- seeds: 32-bit unsigned integers (exact in every JSON reader).
- sizes: a scenario file of at most 1 MB, at most 1,000 threats (``count`` included),
  100 sensors, 100 batteries and 1,000 user places. YAML anchors may be used at most
  1,000 times and may expand the document to at most 100,000 nodes, 32 levels deep; a
  recursive alias is refused. These bound the time and memory of a run.
"""

from __future__ import annotations

__all__ = [
    "APOGEE_KM",
    "AZIMUTH_DEG",
    "BOOSTER_SITE_RADIUS_KM",
    "BURNOUT_SPEED_M_S",
    "COVERAGE_ALTITUDE_KM",
    "FLIGHT_TIME_S",
    "INTERCEPTOR_BURNOUT_SPEED_M_S",
    "INVENTORY",
    "KILL_ASSESSMENT_DELAY_S",
    "LATENCY_S",
    "LAUNCH_INTERVAL_S",
    "LAUNCH_TIME_S",
    "MAX_BATTERIES",
    "MAX_PLACES",
    "MAX_SCENARIO_BYTES",
    "MAX_SENSORS",
    "MAX_THREATS",
    "MAX_WAVES",
    "MAX_YAML_ALIASES",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
    "RANGE_KM",
    "RCS_M2",
    "REACTION_TIME_S",
    "SALVO_SIZE",
    "SEED",
    "THREAT_COUNT",
]

# ---- threats --------------------------------------------------------------------------------
#: apogee of a lofted or depressed flight [km]
APOGEE_KM = (10.0, 10_000.0)
#: launch-to-impact time of a lofted or depressed flight [s] (the propagator's 20,000 s)
FLIGHT_TIME_S = (1.0, 20_000.0)
#: launch time after the scenario epoch [s] (10 days)
LAUNCH_TIME_S = (0.0, 864_000.0)
#: radar cross-section of a threat [m^2] (-40 to +30 dBsm)
RCS_M2 = (1e-4, 1e3)
#: copies of one threat entry
THREAT_COUNT = (1, 1000)
#: ground range of an aimed flight [km] (half the Earth's circumference, rounded down)
RANGE_KM = (1.0, 20_000.0)
#: azimuth, clockwise from north [deg] (one turn either way)
AZIMUTH_DEG = (-360.0, 360.0)

# ---- sensors, C2 and batteries ------------------------------------------------------------
#: sensor to own C2 latency [s]
LATENCY_S = (0.0, 3600.0)
#: battery reaction time, fire-control track to first launch [s]
REACTION_TIME_S = (0.0, 3600.0)
#: time between two launches of one battery [s]
LAUNCH_INTERVAL_S = (0.1, 3600.0)
#: interceptors of one battery
INVENTORY = (0, 1000)
#: interceptor burnout speed override [m/s] (below Earth escape speed)
INTERCEPTOR_BURNOUT_SPEED_M_S = (100.0, 11_000.0)
#: interceptors per wave
SALVO_SIZE = (1, 8)
#: shoot-look-shoot waves per threat
MAX_WAVES = (1, 10)
#: intercept to kill assessment known [s]
KILL_ASSESSMENT_DELAY_S = (0.0, 3600.0)
#: random seed (32-bit unsigned)
SEED = (0, 2**32 - 1)

# ---- command-line only --------------------------------------------------------------------
#: textbook (kepler) burnout speed [m/s]; the flight must also come back down (see trajectory)
BURNOUT_SPEED_M_S = (100.0, 11_200.0)
#: target altitude of a radar coverage region [km]
COVERAGE_ALTITUDE_KM = (1.0, 5000.0)
#: radius around a launcher that counts as inside its site [km]
BOOSTER_SITE_RADIUS_KM = (0.0, 100.0)

# ---- sizes ----------------------------------------------------------------------------------
#: bytes of one scenario file
MAX_SCENARIO_BYTES = 1_000_000
#: threats of a scenario, each entry's ``count`` included
MAX_THREATS = 1000
#: sensor entries
MAX_SENSORS = 100
#: battery entries
MAX_BATTERIES = 100
#: user-defined places
MAX_PLACES = 1000
#: uses of YAML aliases (``*name``)
MAX_YAML_ALIASES = 1000
#: YAML nodes once every alias is expanded
MAX_YAML_NODES = 100_000
#: nesting of YAML collections
MAX_YAML_DEPTH = 32
