"""Citations shared by the threat catalog entries (open literature only)."""

from __future__ import annotations

# --------------------------------------------------------------------------------------------
# Citations
# --------------------------------------------------------------------------------------------
_SCHILLER_2012 = (
    "M. Schiller, Characterizing the North Korean Nuclear Missile Threat, RAND TR-1268-TSF (2012)"
)
_SCHMUCKER_1999 = (
    "R. H. Schmucker, 'Third World Missile Development - A New Assessment Based on UNSCOM "
    "Field Experience and Data Evaluation', 12th Multinational Conf. on Theater Missile "
    "Defense (1999)"
)
_ZALOGA_2006 = "S. Zaloga, Scud Ballistic Missile and Launch Systems 1955-2005, Osprey (2006)"
_FORDEN_2007 = (
    "G. Forden, 'GUI_Missile_Flyout: A General Program for Simulating Ballistic Missiles', "
    "Science & Global Security 15 (2007)"
)
_POSTOL_1991 = (
    "T. A. Postol, 'Lessons of the Gulf War Experience with Patriot', International Security "
    "16(3) (1991/92)"
)
_WRIGHT_KADYSHEV_1994 = (
    "D. Wright & T. Kadyshev, 'An Analysis of the North Korean Nodong Missile', Science & "
    "Global Security 4 (1994)"
)
_CSIS = "CSIS Missile Defense Project, Missile Threat (missilethreat.csis.org), entry '{}'"
_UCS_WRIGHT = "D. Wright, Union of Concerned Scientists 'All Things Nuclear' analyses ({})"
_38N = "38 North analyses (M. Elleman; J. Schilling) ({})"
_JMOD = "Japan Ministry of Defense press releases on the launch of {}"
_IISS = "IISS, The Military Balance (2023), North Korea entry"
_ENGINE_80TF = (
    "KCNA, 20 Sep 2016: ground test of a new engine of 80 tf thrust for 200 s "
    "(reported by UPI, 20 Mar 2017, with the March 2017 test of the engine later flown on "
    "the Hwasong-12); 38 North (J. Schilling, Mar 2017) on the single main chamber with "
    "four verniers"
)
_PODVIG_2001 = "P. Podvig (ed.), Russian Strategic Nuclear Forces, MIT Press (2001)"
_KRISTENSEN_2023 = (
    "H. Kristensen & M. Korda, 'Russian nuclear weapons, 2023', Bulletin of the Atomic "
    "Scientists 79(3) (2023)"
)
_APS_2004 = (
    "APS Study Group on Boost-Phase Intercept Systems for National Missile Defense, "
    "Rev. Mod. Phys. 76, S1 (2004) (notional solid ICBMs)"
)
_WILKENING_2004 = (
    "D. Wilkening, 'Airborne Boost-Phase Ballistic Missile Defense', Science & Global "
    "Security 12 (2004)"
)
_REGAN = "beta from assumed RV geometry (Regan & Anandakrishnan, AIAA 1993, hypersonic Cd)"


def _cite(*parts: str) -> str:
    return "; ".join(parts)
