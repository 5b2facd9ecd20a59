"""Fly a missile: range, apogee and flight time; minimum-energy against lofted.

Question: how long does a Nodong-class missile from Sinpo take to reach Tokyo, and how high
does it climb? And what changes when a longer-range Hwasong-12-class missile attacks Tokyo on
a lofted trajectory (the steep, high flight North Korea uses in its tests) instead of the
minimum-energy one?

``bmdsim.fly`` aims a catalog missile (``bmdsim catalog missiles``) from a launch place at a
target on the rotating WGS84 Earth (J2 gravity, US76 drag, staged thrust) and returns the
flown trajectory. ``min-energy`` (the default) is the flight that needs the least propellant;
``lofted`` and ``depressed`` keep the range and change the shape through ``apogee_km`` or
``flight_time_s``. A lofted flight comes down steeper and faster: a harder target for the
defence at the end, though it also stays longer in view of the radars.

Run it with ``python docs/tutorials/01_fly_a_missile.py`` (it writes no files).
"""

import math

import bmdsim


def describe(label: str, t) -> None:
    """One line: range, apogee, flight time and the speed passing 100 km on the way down."""
    ground_km = float(t.ground_range_km(t.impact_time_s))
    t100 = float(t.crossings(100e3, direction=-1)[-1])
    v100 = math.hypot(*t.ecef_velocity(t100))
    print(
        f"{label:28s} range {ground_km:6.0f} km  apogee {t.apogee_m / 1e3:5.0f} km  "
        f"flight {t.flight_time_s:5.0f} s ({t.flight_time_s / 60:4.1f} min)  "
        f"{v100 / 1e3:.2f} km/s at 100 km down"
    )


nodong = bmdsim.fly("nodong-class", "sinpo", "tokyo")  # min-energy by default
describe("nodong-class min-energy", nodong)

me = bmdsim.fly("hwasong-12-class", "sunan", "tokyo")
describe("hwasong-12-class min-energy", me)
lofted = bmdsim.fly("hwasong-12-class", "sunan", "tokyo", "lofted", apogee_km=1000.0)
describe("hwasong-12-class lofted", lofted)
print(
    f"answer: Tokyo is {nodong.flight_time_s / 60:.0f} min from Sinpo for a Nodong-class "
    f"missile; lofting a Hwasong-12-class to 1,000 km apogee adds "
    f"{lofted.flight_time_s - me.flight_time_s:.0f} s of flight"
)
