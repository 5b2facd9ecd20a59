"""The built-in catalog of places: launch areas, defended sites, cities and reference points.

Every entry is a :class:`Place` with geodetic (WGS84) latitude and longitude in degrees and a
``source`` that says where the coordinates come from. Coordinates are public-gazetteer values
(GSI / Wikipedia / GeoNames) rounded to about 3 decimals (~100 m), or coarser where the entry
is an area (a launch area, an SSBN patrol "bastion", a peninsula) rather than a point; those
are marked "approx." in their source. Russian ICBM entries are the towns that give the
missile divisions their open-literature names, not silo or garrison locations.

A handful of coordinates are fixed by the project's validation file and must not be edited
(Sunan, Panghyon, Tongchang-ri, Musudan-ri, Araya, Mutsumi, Tokyo, Andersen AFB, Honolulu,
Los Angeles, Washington, and the four reference points on the Japanese coast).

:func:`get_place` also accepts ``'LAT,LON'`` (or ``'LAT,LON,HEIGHT_M'``) in degrees and
metres: latitude in [-90, 90], longitude in [-180, 180] (or [0, 360]) and a height above the
ellipsoid in :data:`HEIGHT_RANGE_M` (-500 m, the shore of the Dead Sea, to 100 km, the edge
of space: a ground, sea or airborne point). A place spec is printable text (no line breaks,
tabs or control characters) of at most :data:`MAX_PLACE_SPEC_CHARS` characters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bmdsim.errors import InputError, UnknownName, quote

__all__ = [
    "HEIGHT_RANGE_M",
    "MAX_PLACE_SPEC_CHARS",
    "PLACE_KINDS",
    "PLACES",
    "Place",
    "get_place",
    "japanese_prefectural_capitals",
    "place_names",
]

#: The kinds of place the catalog knows.
PLACE_KINDS: tuple[str, ...] = ("launch", "defended", "city", "patrol", "point")
#: Height above the ellipsoid of a user-given point [m]: the Dead Sea shore to 100 km.
HEIGHT_RANGE_M: tuple[float, float] = (-500.0, 100_000.0)
#: The longest place spec (name or 'LAT,LON[,HEIGHT_M]') read.
MAX_PLACE_SPEC_CHARS = 200


@dataclass(frozen=True)
class Place:
    """A named point on the WGS84 ellipsoid (height above the ellipsoid in metres)."""

    name: str  # lower-case catalog key, e.g. 'araya'
    lat_deg: float
    lon_deg: float
    height_m: float = 0.0
    kind: str = "city"  # 'launch' | 'defended' | 'city' | 'patrol' | 'point'
    country: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lat_deg) and -90.0 <= self.lat_deg <= 90.0):
            raise InputError(f"place '{self.name}': latitude {self.lat_deg} is outside [-90, 90]")
        if not (math.isfinite(self.lon_deg) and -180.0 <= self.lon_deg <= 180.0):
            raise InputError(
                f"place '{self.name}': longitude {self.lon_deg} is outside [-180, 180]"
            )
        if not math.isfinite(self.height_m):
            raise InputError(f"place '{self.name}': height {self.height_m} is not finite")
        if self.kind not in PLACE_KINDS:
            raise InputError(
                f"place '{self.name}': kind '{self.kind}' is not one of {', '.join(PLACE_KINDS)}"
            )


# --------------------------------------------------------------------------------------------
# Sources (quoted by the entries below)
# --------------------------------------------------------------------------------------------
_SRC_VALIDATION = "bmdsim validation file (project-fixed coordinates)"
_SRC_GSI = (
    "GSI (Geospatial Information Authority of Japan), 'Latitude and longitude of prefectural "
    "offices' table; cross-checked with Wikipedia coordinates of the prefectural office"
)
_SRC_38N = (
    "38 North / CSIS Beyond Parallel imagery analyses; Wikipedia & GeoNames coordinates of "
    "the named site (approx.)"
)
_SRC_RU = (
    "P. Podvig (ed.), Russian Strategic Nuclear Forces (MIT Press, 2001) and russianforces.org "
    "for the division; H. Kristensen & M. Korda, 'Russian nuclear weapons, 2023', Bull. At. Sci. "
    "79(3); coordinates of the town from Wikipedia/GeoNames (approx., not the silo field)"
)
_SRC_BASTION = (
    "Kristensen & Korda, Bull. At. Sci. 79(3) (2023); Podvig (ed.), Russian Strategic Nuclear "
    "Forces (2001), ch. 5 (SSBN bastions); notional centre of the patrol area (approx.)"
)
_SRC_WIKI = "Wikipedia / GeoNames city coordinates (city hall or centre)"
_SRC_ICBM_WING = (
    "H. Kristensen & M. Korda, 'United States nuclear weapons, 2023', Bull. At. Sci. 79(1) "
    "(the three Minuteman III wings); coordinates of the air force base from Wikipedia "
    "(approx., not the missile field)"
)

_SRC_FPS5_SHIMOKOSHIKI = (
    "JASDF Shimokoshikijima sub-base, Satsumasendai, Kagoshima (J/FPS-5, completed March "
    "2009) on the ridge of Mt. Odake, Shimokoshiki Island; radar 'on a summit at about 400 m' "
    "(Minami-Nippon Shimbun, early 2009); Mt. Odake, 604 m, the island's highest point "
    "(Wikipedia (ja) 'Shimokoshikijima'); position on the ridge estimated (approx., "
    "~0.05 deg)"
)
_SRC_FPS5_SADO = (
    "JASDF Sado sub-base, Niigata: J/FPS-5 in service July 2010 on the summit of Mt. Myoken "
    "(1,042 m), west of Mt. Kinpoku in the Osado range (JASDF Sado sub-base web page, 2019; "
    "Niigata Nippo); position of the summit estimated (approx., ~0.05 deg)"
)
_SRC_FPS5_OMINATO = (
    "JASDF Ominato sub-base, Mutsu, Aomori: J/FPS-5 on the summit of Mt. Kamafuse "
    "(41.279 N, 141.120 E, 878 m; Wikipedia (ja) 'Kamafuseyama')"
)
_SRC_FPS5_YOZADAKE = (
    "JASDF Yozadake sub-base, Itoman, Okinawa: J/FPS-5 completed Feb 2012, elevation about "
    "168 m (JASDF Yozadake sub-base web page); summit of Mt. Yoza (26.126 N, 127.706 E, "
    "168.4 m; Wikipedia (ja) 'Yozadake')"
)

_JP = "Japan"
_US = "United States"
_NK = "North Korea"


def _fixed(name: str, lat: float, lon: float, kind: str, country: str, note: str) -> Place:
    """An entry whose coordinates the validation file fixes."""
    return Place(name, lat, lon, 0.0, kind, country, f"{_SRC_VALIDATION}; {note}")


def _jp(name: str, lat: float, lon: float, prefecture: str) -> Place:
    """A Japanese prefectural capital at its prefectural government office."""
    return Place(name, lat, lon, 0.0, "city", _JP, f"{_SRC_GSI} ({prefecture} prefectural office)")


def _ru(name: str, lat: float, lon: float, division: str) -> Place:
    """A Russian ICBM division area, at the town that names it."""
    return Place(name, lat, lon, 0.0, "launch", "Russia", f"{_SRC_RU}; {division}")


def _radar_site(name: str, lat: float, lon: float, height_m: float, source: str) -> Place:
    """A Japanese early-warning radar site, at the radar (height above sea level)."""
    return Place(name, lat, lon, height_m, "defended", _JP, source)


def _city(name: str, lat: float, lon: float, country: str, note: str = "") -> Place:
    return Place(name, lat, lon, 0.0, "city", country, _SRC_WIKI + (f" ({note})" if note else ""))


# --------------------------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------------------------
_ENTRIES: tuple[Place, ...] = (
    # ---- North Korean launch areas (the first four fixed by the validation file) -------------
    _fixed("sunan", 39.224, 125.670, "launch", _NK, "Sunan, Pyongyang International Airport"),
    _fixed("panghyon", 39.927, 125.207, "launch", _NK, "Panghyon airfield, Kusong"),
    _fixed("tongchang-ri", 39.660, 124.705, "launch", _NK, "Sohae Satellite Launching Station"),
    _fixed("musudan-ri", 40.850, 129.670, "launch", _NK, "Tonghae Satellite Launching Ground"),
    Place("sinpo", 40.030, 128.185, 0.0, "launch", _NK, f"{_SRC_38N}; Sinpo South shipyard"),
    Place("wonsan", 39.166, 127.486, 0.0, "launch", _NK, f"{_SRC_38N}; Wonsan-Kalma airfield"),
    # ---- Russian ICBM division areas (town coordinates, approx.) ------------------------------
    _ru("kozelsk", 54.034, 35.782, "28th Guards Missile Division"),
    _ru("tatishchevo", 51.666, 45.596, "60th Missile Division (Topol-M silos)"),
    _ru("teykovo", 56.859, 40.540, "54th Guards Missile Division"),
    _ru("yoshkar-ola", 56.634, 47.900, "14th Missile Division"),
    _ru("novosibirsk", 55.030, 82.920, "39th Guards Missile Division"),
    _ru("barnaul", 53.348, 83.780, "35th Missile Division"),
    _ru("irkutsk", 52.287, 104.305, "29th Guards Missile Division"),
    _ru("uzhur", 55.312, 89.822, "62nd Missile Division"),
    _ru("dombarovsky", 50.760, 59.540, "13th Missile Division (Yasny)"),
    # ---- SSBN patrol areas (notional centres) ---------------------------------------------------
    Place("sea-of-okhotsk", 53.000, 148.000, 0.0, "patrol", "Russia", _SRC_BASTION),
    Place("barents-sea", 73.000, 40.000, 0.0, "patrol", "Russia", _SRC_BASTION),
    # ---- defended sites / BMD radar sites ---------------------------------------------------
    _fixed("araya", 39.70, 140.06, "defended", _JP, "JGSDF Araya training area, Akita"),
    _fixed("mutsumi", 34.45, 131.62, "defended", _JP, "JGSDF Mutsumi training area, Hagi"),
    Place(
        "shariki",
        40.888,
        140.340,
        0.0,
        "defended",
        _JP,
        "JASDF Shariki sub-base, Tsugaru, Aomori (AN/TPY-2 site); Wikipedia (approx.)",
    ),
    Place(
        "kyogamisaki",
        35.768,
        135.196,
        0.0,
        "defended",
        _JP,
        "Kyogamisaki communications site, Kyotango, Kyoto (AN/TPY-2 site); Wikipedia (approx.)",
    ),
    # J/FPS-5 early-warning radar sites (ASDF sub-bases). The radar stands on a summit; the
    # height is the summit's elevation above sea level (the ~35 m geoid height is neglected).
    _radar_site("shimokoshiki", 31.70, 129.73, 400.0, _SRC_FPS5_SHIMOKOSHIKI),
    _radar_site("sado", 38.08, 138.36, 1042.0, _SRC_FPS5_SADO),
    _radar_site("ominato", 41.28, 141.12, 878.0, _SRC_FPS5_OMINATO),
    _radar_site("yozadake", 26.13, 127.71, 168.0, _SRC_FPS5_YOZADAKE),
    Place(
        "deveselu",
        44.077,
        24.410,
        0.0,
        "defended",
        "Romania",
        "NSF Deveselu (Aegis Ashore), Romania; Wikipedia (approx.)",
    ),
    Place(
        "redzikowo",
        54.479,
        17.097,
        0.0,
        "defended",
        "Poland",
        "NSF Redzikowo (Aegis Ashore), Slupsk, Poland; Wikipedia (approx.)",
    ),
    _fixed("andersen-guam", 13.584, 144.930, "defended", _US, "Andersen AFB, Guam"),
    # ---- Japanese prefectural capitals (prefectural office), JIS order -----------------------
    _jp("sapporo", 43.064, 141.347, "Hokkaido"),
    _jp("aomori", 40.824, 140.740, "Aomori"),
    _jp("morioka", 39.704, 141.153, "Iwate"),
    _jp("sendai", 38.269, 140.872, "Miyagi"),
    _jp("akita", 39.719, 140.102, "Akita"),
    _jp("yamagata", 38.240, 140.363, "Yamagata"),
    _jp("fukushima", 37.750, 140.468, "Fukushima"),
    _jp("mito", 36.342, 140.447, "Ibaraki"),
    _jp("utsunomiya", 36.566, 139.884, "Tochigi"),
    _jp("maebashi", 36.391, 139.061, "Gunma"),
    _jp("saitama", 35.857, 139.649, "Saitama"),
    _jp("chiba", 35.605, 140.123, "Chiba"),
    # Tokyo: the validation file uses Tokyo Station (35.681, 139.767), not the Metropolitan
    # Government office in Shinjuku (35.690, 139.692).
    _fixed("tokyo", 35.681, 139.767, "city", _JP, "Tokyo Station"),
    _jp("yokohama", 35.448, 139.642, "Kanagawa"),
    _jp("niigata", 37.902, 139.023, "Niigata"),
    _jp("toyama", 36.695, 137.211, "Toyama"),
    _jp("kanazawa", 36.595, 136.626, "Ishikawa"),
    _jp("fukui", 36.065, 136.222, "Fukui"),
    _jp("kofu", 35.664, 138.568, "Yamanashi"),
    _jp("nagano", 36.651, 138.181, "Nagano"),
    _jp("gifu", 35.391, 136.722, "Gifu"),
    _jp("shizuoka", 34.977, 138.383, "Shizuoka"),
    _jp("nagoya", 35.180, 136.907, "Aichi"),
    _jp("tsu", 34.730, 136.509, "Mie"),
    _jp("otsu", 35.004, 135.868, "Shiga"),
    _jp("kyoto", 35.021, 135.756, "Kyoto"),
    _jp("osaka", 34.686, 135.520, "Osaka"),
    _jp("kobe", 34.691, 135.183, "Hyogo"),
    _jp("nara", 34.685, 135.833, "Nara"),
    _jp("wakayama", 34.226, 135.168, "Wakayama"),
    _jp("tottori", 35.504, 134.238, "Tottori"),
    _jp("matsue", 35.472, 133.051, "Shimane"),
    _jp("okayama", 34.662, 133.935, "Okayama"),
    _jp("hiroshima", 34.397, 132.460, "Hiroshima"),
    _jp("yamaguchi", 34.186, 131.471, "Yamaguchi"),
    _jp("tokushima", 34.066, 134.559, "Tokushima"),
    _jp("takamatsu", 34.340, 134.043, "Kagawa"),
    _jp("matsuyama", 33.842, 132.766, "Ehime"),
    _jp("kochi", 33.560, 133.531, "Kochi"),
    _jp("fukuoka", 33.607, 130.418, "Fukuoka"),
    _jp("saga", 33.249, 130.299, "Saga"),
    _jp("nagasaki", 32.750, 129.868, "Nagasaki (Dejima office, 2018)"),
    _jp("kumamoto", 32.790, 130.742, "Kumamoto"),
    _jp("oita", 33.238, 131.613, "Oita"),
    _jp("miyazaki", 31.911, 131.424, "Miyazaki"),
    _jp("kagoshima", 31.560, 130.558, "Kagoshima"),
    _jp("naha", 26.212, 127.681, "Okinawa"),
    # ---- United States ------------------------------------------------------------------------
    _city("guam", 13.475, 144.749, _US, "Hagatna"),
    _fixed("honolulu", 21.307, -157.858, "city", _US, "Honolulu"),
    _fixed("los-angeles", 34.052, -118.244, "city", _US, "Los Angeles"),
    _fixed("washington", 38.895, -77.036, "city", _US, "Washington, D.C."),
    _city("new-york", 40.713, -74.006, _US),
    _city("chicago", 41.878, -87.630, _US),
    _city("san-francisco", 37.775, -122.419, _US),
    _city("seattle", 47.606, -122.332, _US),
    _city("anchorage", 61.218, -149.900, _US),
    _city("denver", 39.739, -104.990, _US),
    _city("houston", 29.760, -95.370, _US),
    # US Minuteman III wings (targets of the strategic-reach sets): the air force base that
    # hosts each wing, not its missile field
    Place("minot", 48.416, -101.358, 0.0, "defended", _US, _SRC_ICBM_WING + "; 91st Missile Wing"),
    Place(
        "malmstrom", 47.507, -111.187, 0.0, "defended", _US, _SRC_ICBM_WING + "; 341st Missile Wing"
    ),
    Place(
        "fe-warren", 41.133, -104.867, 0.0, "defended", _US, _SRC_ICBM_WING + "; 90th Missile Wing"
    ),
    # ---- other cities ---------------------------------------------------------------------------
    _city("seoul", 37.566, 126.978, "South Korea", "Seoul City Hall"),
    _city("beijing", 39.904, 116.407, "China", "Tiananmen"),
    _city("vladivostok", 43.116, 131.882, "Russia"),
    _city("moscow", 55.756, 37.617, "Russia", "Red Square"),
    _city("pyongyang", 39.019, 125.738, _NK, "Kim Il Sung Square"),
    # ---- geographic reference points used in validation ---------------------------------------
    _fixed("cape-erimo", 41.93, 143.25, "point", _JP, "Cape Erimo, Hokkaido"),
    _fixed("oshima-peninsula", 41.8, 140.4, "point", _JP, "Oshima Peninsula, Hokkaido (approx.)"),
    _fixed("oga-peninsula", 39.9, 139.8, "point", _JP, "Oga Peninsula, Akita (approx.)"),
    _fixed("noto-peninsula", 37.3, 137.0, "point", _JP, "Noto Peninsula, Ishikawa (approx.)"),
)

#: The catalog, keyed by lower-case name.
PLACES: dict[str, Place] = {p.name: p for p in _ENTRIES}
assert len(PLACES) == len(_ENTRIES), "duplicate place name in the catalog"

#: The 47 prefectural capitals (prefectural-office cities), in JIS prefecture-code order.
_JAPANESE_PREFECTURAL_CAPITALS: tuple[str, ...] = (
    "sapporo", "aomori", "morioka", "sendai", "akita", "yamagata", "fukushima", "mito",
    "utsunomiya", "maebashi", "saitama", "chiba", "tokyo", "yokohama", "niigata", "toyama",
    "kanazawa", "fukui", "kofu", "nagano", "gifu", "shizuoka", "nagoya", "tsu", "otsu", "kyoto",
    "osaka", "kobe", "nara", "wakayama", "tottori", "matsue", "okayama", "hiroshima",
    "yamaguchi", "tokushima", "takamatsu", "matsuyama", "kochi", "fukuoka", "saga", "nagasaki",
    "kumamoto", "oita", "miyazaki", "kagoshima", "naha",
)  # fmt: skip


def japanese_prefectural_capitals() -> list[Place]:
    """The 47 Japanese prefectural capitals, in JIS prefecture-code order (Hokkaido first)."""
    return [PLACES[n] for n in _JAPANESE_PREFECTURAL_CAPITALS]


def place_names(kind: str | None = None) -> list[str]:
    """Catalog names in catalog order, optionally only those of one ``kind``."""
    if kind is not None and kind not in PLACE_KINDS:
        raise InputError(f"unknown place kind '{kind}'; expected one of {', '.join(PLACE_KINDS)}")
    return [n for n, p in PLACES.items() if kind is None or p.kind == kind]


def _normalise(name: str) -> str:
    """Lower-case, with spaces and underscores as hyphens: 'Tongchang ri' -> 'tongchang-ri'."""
    key = "-".join(name.strip().lower().replace("_", " ").replace("-", " ").split())
    return key


def _parse_coordinates(spec: str) -> Place:
    """Parse 'LAT,LON' or 'LAT,LON,HEIGHT_M' (degrees, metres) into an unnamed Place."""
    parts = [s.strip() for s in spec.split(",")]
    bad = f"bad place {quote(spec)}"
    if len(parts) not in (2, 3):
        raise InputError(f"{bad}: expected a catalog name or 'LAT,LON[,HEIGHT_M]' in degrees")
    try:
        values = [float(s) for s in parts]
    except ValueError:
        raise InputError(f"{bad}: 'LAT,LON[,HEIGHT_M]' must be numbers (degrees, metres)") from None
    if not all(math.isfinite(v) for v in values):
        raise InputError(f"{bad}: coordinates must be finite numbers")
    lat, lon = values[0], values[1]
    height = values[2] if len(values) == 3 else 0.0
    if not -90.0 <= lat <= 90.0:
        raise InputError(f"{bad}: latitude {lat:g} deg is outside [-90, 90]")
    if not -180.0 <= lon <= 360.0:
        raise InputError(f"{bad}: longitude {lon:g} deg is outside [-180, 180] (or [0, 360])")
    lo, hi = HEIGHT_RANGE_M
    if not lo <= height <= hi:
        raise InputError(
            f"{bad}: height {height:g} m is outside [{lo:g}, {hi:g}] m (a ground, sea or "
            "airborne point)"
        )
    if lon > 180.0:
        lon -= 360.0
    return Place(
        name=f"{lat:g},{lon:g}",
        lat_deg=lat,
        lon_deg=lon,
        height_m=height,
        kind="point",
        source="user-given coordinates",
    )


def get_place(spec: str) -> Place:
    """A place by catalog name (any case; spaces or underscores for hyphens) or 'LAT,LON'.

    Raises :class:`~bmdsim.errors.InputError` for a malformed or out-of-range coordinate
    spec and :class:`~bmdsim.errors.UnknownName` (with a did-you-mean) for an unknown name.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise InputError(
            f"bad place {quote(spec)}: expected a catalog name or 'LAT,LON' in degrees"
        )
    if len(spec) > MAX_PLACE_SPEC_CHARS:
        raise InputError(
            f"bad place {quote(spec, 40)}: longer than {MAX_PLACE_SPEC_CHARS} characters"
        )
    if not spec.isprintable():
        raise InputError(f"bad place {quote(spec)}: holds a line break, tab or control character")
    if "," in spec:
        return _parse_coordinates(spec)
    key = _normalise(spec)
    place = PLACES.get(key)
    if place is None:
        raise UnknownName("place", spec.strip(), PLACES)
    return place
