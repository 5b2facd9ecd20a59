"""Reconstruct a flight test from its reported apogee and range, and say what it implies.

Question: on 29 November 2017 North Korea flew a Hwasong-15 on a lofted trajectory: about
4,475 km apogee, about 950 km range, about 53 minutes (3,180 s) of flight (the figures
reported then, cross-checked with Japan's Ministry of Defense). Is that set of figures
consistent, and how far could the same missile fly on a minimum-energy trajectory?

``bmdsim.threats.reconstruct.reconstruct`` (the ``bmdsim reconstruct`` command) resizes the
catalog class by one factor (stage masses and thrust; burn times and payload kept) and fits
that factor and the pitch-over kick so that the flight on the rotating Earth reproduces the
reported apogee and range. It then compares the modelled flight time with the reported one
and converts the burnout energy into the range of a minimum-energy arc with the same energy
(Bate, Mueller & White 1971, eq. 6.2-20 inverted): the open-literature practice of analysts
such as D. Wright (UCS, 2017). Launch from the Pyongyang area, flying east.

Run it with ``python docs/tutorials/02_reconstruct_a_test.py`` (it writes no files).
"""

from bmdsim.earth.geodesics import distance_m
from bmdsim.earth.places import get_place
from bmdsim.threats.reconstruct import reconstruct

res = reconstruct(4475.0, 950.0, 3180.0, missile="hwasong-15-class")  # km, km, s
print(
    f"fitted {res.missile} x{res.size_factor:.2f} (kick {res.kick_deg:.2f} deg): "
    f"apogee {res.apogee_km:,.0f} km, range {res.ground_range_km:,.0f} km"
)
print(
    f"burnout after {res.burnout_time_s:.0f} s at {res.burnout_altitude_km:.0f} km, "
    f"{res.burnout_speed_m_s:,.0f} m/s"
)
print(
    f"modelled flight time {res.flight_time_s:,.0f} s (coast arc alone {res.coast_time_s:,.0f} s)"
    f" against the reported {res.reported_flight_time_s:,.0f} s: "
    + ("consistent" if res.consistent else "inconsistent: " + res.why)
)
reach_km = res.equivalent_range_km["energy"]
print(f"answer: the same burnout energy on a minimum-energy arc flies {reach_km:,.0f} km")

sunan = get_place("sunan")
for name in ("andersen-guam", "honolulu", "anchorage", "los-angeles", "washington"):
    p = get_place(name)
    d_km = float(distance_m(sunan.lat_deg, sunan.lon_deg, p.lat_deg, p.lon_deg)) / 1e3
    print(f"  {name:14s} {d_km:7,.0f} km from Sunan: {'within' if d_km <= reach_km else 'beyond'}")
