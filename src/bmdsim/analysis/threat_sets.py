"""Built-in sets of strategic trajectories that do not target Japan (strategic reach).

Each set is a tuple of :class:`StrategicFlight` (launch place, target place, missile class),
every name a catalog entry (:mod:`bmdsim.earth.places`, :mod:`bmdsim.threats.catalog`):

* ``russia-us``: Russian ICBMs from the missile-division areas and SLBMs from the two SSBN
  patrol areas to US cities, the three Minuteman III wings, Honolulu and Guam.
* ``nk-us``: North Korean ICBMs (and the Hwasong-12-class of the 2017 Guam plan) from the
  launch areas of their flight tests to Guam, Hawaii, Alaska and the US mainland.
* ``china-us``: needs a Chinese ICBM class, which the threat catalogue does not have; asking
  for it raises :class:`~bmdsim.errors.InputError` rather than flying an invented missile.

The catalogue has one Russian land-based ICBM class (``topol-m-class``) and one SLBM class
(``bulava-class``); every Russian division area is flown with the former, whatever the
division fields today (Yars, Voevoda), so the set answers a geometric question with a
representative solid ICBM. Every entry lies within its missile's reach on the rotating Earth
with a margin of at least 5 % (checked by the unit tests), so every flight can be aimed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bmdsim.errors import InputError, UnknownName, catalog_key

__all__ = ["THREAT_SETS", "StrategicFlight", "get_threat_set", "threat_set_names"]


@dataclass(frozen=True)
class StrategicFlight:
    """One trajectory of a set: catalog names of the launch place, target and missile."""

    launch: str
    target: str
    missile: str


def _f(launch: str, missile: str, *targets: str) -> tuple[StrategicFlight, ...]:
    return tuple(StrategicFlight(launch, t, missile) for t in targets)


_TOPOL = "topol-m-class"
_BULAVA = "bulava-class"

# Launch areas: the division towns and patrol areas of bmdsim.earth.places, after P. Podvig
# (ed.), Russian Strategic Nuclear Forces (MIT Press, 2001) and russianforces.org, and
# H. Kristensen & M. Korda, 'Russian nuclear weapons, 2023', Bull. At. Sci. 79(3).
_RUSSIA_US: tuple[StrategicFlight, ...] = (
    # 28th Guards Missile Division, Kozelsk (silo Yars; Kristensen & Korda 2023)
    *_f("kozelsk", _TOPOL, "washington", "new-york"),
    # 54th Guards Missile Division, Teykovo (road-mobile Topol-M / Yars; Podvig 2001)
    *_f("teykovo", _TOPOL, "washington", "chicago"),
    # 60th Missile Division, Tatishchevo (silo Topol-M; Kristensen & Korda 2023)
    *_f("tatishchevo", _TOPOL, "washington", "minot"),
    # 14th Missile Division, Yoshkar-Ola (road-mobile Yars; Kristensen & Korda 2023)
    *_f("yoshkar-ola", _TOPOL, "new-york", "malmstrom"),
    # 13th Missile Division, Dombarovsky (silo Voevoda / Sarmat; Kristensen & Korda 2023)
    *_f("dombarovsky", _TOPOL, "chicago", "fe-warren"),
    # 39th Guards Missile Division, Novosibirsk (road-mobile Yars; Kristensen & Korda 2023)
    *_f("novosibirsk", _TOPOL, "seattle", "minot", "andersen-guam"),
    # 35th Missile Division, Barnaul (road-mobile Yars; Kristensen & Korda 2023)
    *_f("barnaul", _TOPOL, "san-francisco", "malmstrom"),
    # 62nd Missile Division, Uzhur (silo Voevoda / Sarmat; Kristensen & Korda 2023)
    *_f("uzhur", _TOPOL, "los-angeles", "fe-warren", "andersen-guam"),
    # 29th Guards Missile Division, Irkutsk (road-mobile Yars; Kristensen & Korda 2023)
    *_f("irkutsk", _TOPOL, "seattle", "san-francisco", "anchorage", "honolulu", "andersen-guam"),
    # Northern Fleet SSBN bastion, Barents Sea (Borei-class with Bulava; Kristensen & Korda 2023)
    *_f("barents-sea", _BULAVA, "washington", "new-york", "seattle"),
    # Pacific Fleet SSBN bastion, Sea of Okhotsk (Borei-class from Vilyuchinsk, Kamchatka;
    # Kristensen & Korda 2023; Podvig 2001, ch. 5)
    *_f("sea-of-okhotsk", _BULAVA, "seattle", "los-angeles", "anchorage", "honolulu"),
    *_f("sea-of-okhotsk", _BULAVA, "andersen-guam"),
)

_NK_US: tuple[StrategicFlight, ...] = (
    # Hwasong-15-class from Sunan, the Pyongyang airport area of the 2017-2022 ICBM and IRBM
    # launches (Japan Ministry of Defense press releases; CSIS Missile Threat, 'Hwasong-15')
    *_f("sunan", "hwasong-15-class", "andersen-guam", "honolulu", "anchorage", "seattle"),
    *_f("sunan", "hwasong-15-class", "washington"),
    # Hwasong-17-class: launched from Sunan on 24 Mar and 18 Nov 2022 (Japan MoD press
    # releases; CSIS Missile Threat, 'Hwasong-17')
    *_f("sunan", "hwasong-17-class", "los-angeles", "new-york"),
    # Hwasong-18-class: launched from near Pyongyang on 13 Apr and 12 Jul 2023 (Japan MoD press
    # releases; CSIS Missile Threat, 'Hwasong-18')
    *_f("pyongyang", "hwasong-18-class", "honolulu", "chicago"),
    # Hwasong-14-class: first flight from Panghyon on 4 Jul 2017 (Japan MoD press release;
    # D. Wright, UCS 'All Things Nuclear', July 2017)
    *_f("panghyon", "hwasong-14-class", "andersen-guam", "anchorage"),
    # Hwasong-15-class from the east-coast launch area of Musudan-ri (Tonghae), the second
    # path of the validation file's 'sites_under_paths' case (38 North imagery analyses)
    *_f("musudan-ri", "hwasong-15-class", "honolulu", "andersen-guam", "seattle"),
    # Hwasong-12-class to Guam: the plan announced by KCNA on 10 Aug 2017 (flight over
    # Shimane, Hiroshima and Kochi to waters near Guam), launched from Sunan like the
    # Hwasong-12 flights of 29 Aug and 15 Sep 2017 (Japan MoD press releases)
    *_f("sunan", "hwasong-12-class", "andersen-guam"),
)

#: The built-in sets; ``None`` marks a set the catalogue cannot fly yet (see the module doc).
THREAT_SETS: dict[str, tuple[StrategicFlight, ...] | None] = {
    "russia-us": _RUSSIA_US,
    "nk-us": _NK_US,
    "china-us": None,
}


def threat_set_names() -> list[str]:
    """Names of the built-in sets."""
    return list(THREAT_SETS)


def get_threat_set(name: str) -> tuple[StrategicFlight, ...]:
    """The trajectories of a built-in set.

    Raises :class:`~bmdsim.errors.UnknownName` for an unknown set and
    :class:`~bmdsim.errors.InputError` for ``china-us`` (no Chinese ICBM class in the
    catalogue)."""
    key = catalog_key(name)
    if key not in THREAT_SETS:
        raise UnknownName("threat set", str(name).strip(), THREAT_SETS)
    flights = THREAT_SETS[key]
    if flights is None:
        raise InputError(
            f"threat set '{key}': no Chinese ICBM class in the catalogue "
            "(see 'bmdsim catalog missiles'); bmdsim does not invent one"
        )
    return flights
