"""The defended footprint: which land the batteries of a scenario can defend, cell by cell.

A grid of aim points covers a region (:mod:`bmdsim.analysis.regions`). Every launch area
fires every missile class at every cell, all launched at t = 0, on the minimum-energy
profile and on any further profiles asked for (``standard``, ``lofted:APOGEE_KM``,
``depressed:APOGEE_KM``, :func:`parse_profile`); a (launch area, class, profile) is a
threat *kind*:

* a cell is **threatened** by a kind when the cell lies within the class's reach toward it
  (:func:`bmdsim.threats.reach.range_toward`, the reach the aimer checks) and the aimer can
  fly the profile there (:func:`bmdsim.threats.aiming.aim_each`: a lofted flight must fly
  above the minimum-energy apogee and within the missile's energy, a depressed one below
  it); cells beyond are not threatened by that kind;
* a threat has an **engagement opportunity** when some battery has a feasible intercept
  window after its fire-control track and reaction time (:mod:`bmdsim.engagement`); the
  cell is **defended** when it is threatened and every threat to it has one.

Per cell: threatened, defended, ``opportunities`` (the fewest batteries with a window over
the cell's threats), the earliest intercept's altitude (the lowest, over the cell's threats
that have a window, of the threat's altitude at its earliest feasible intercept) and, when
not defended, the engagement layer's reason (:data:`bmdsim.engagement.results.REASONS`) for
the first undefended threat (launch areas, then classes, in the order given).

How a chunk of cells is evaluated. One engagement :class:`~bmdsim.engagement.setup.Setup`
holds a threat per (launch area, class, threatened cell) and the scenario's sensors and
batteries; :func:`bmdsim.engagement.run.prepare` aims and flies them (threats sharing a
launch point and class are aimed as one batch), places the sensors and builds the fans.
The opportunities then come from the engagement layer's public parts, as
:func:`~bmdsim.engagement.run.engage` derives them before any assignment: the C2 node's
fire-control track (:func:`bmdsim.sensors.c2.fire_control_times`, the times of
:func:`~bmdsim.sensors.c2.observe`, over the track each battery launches on, ``GUIDES``),
the battery's reaction time, and the earliest feasible intercept of its window
(:func:`~bmdsim.engagement.opportunity.earliest_intercepts`, what
:func:`~bmdsim.engagement.opportunity.window_from` gives); the reason, in ``engage``'s order:
kinematics (:func:`~bmdsim.engagement.opportunity.window_reason`), then ``not_detected``,
``no_fire_control_track``, ``too_late``. What ``engage`` does beyond that is left out: no
shot is planned, flown or drawn. The footprint's batteries hold 100,000 interceptors each,
may launch every millisecond and have Pk = 1 (:func:`footprint_setup`), so neither
inventory nor fire rate could bind, and the windows are taken before any assignment anyway.
A unit test checks the chunk evaluation against ``engage(prepare(setup))`` itself.

Sensors draw at random as in ``engage`` (``sensor_draws``, default): Swerling detections
and noisy measurements. The draws are counter-based (:func:`bmdsim.sensors.c2.observe`),
keyed by the scenario's seed and, per threat, by its cell's row and column in the grid
and its kind (:func:`threat_key`): a threat's draws do not depend on the threats observed
with it, so a cell's result does not depend on the chunking, and each cell is one draw:
near the edge of the defended land, cells fall either way. Only the fire-control times
are needed, so each threat is observed only until its fire-control track
(:func:`bmdsim.sensors.c2.fire_control_times`, which gives the full observation's
times). With ``sensor_draws=False`` a look detects only where the radar's Pd reaches
its design Pd and measurements are exact (``observe`` without a random generator). That
is not a median case but a pessimistic one: a Pd below the design value still detects
within a few looks, so its fire-control tracks come later, by up to ~100 s for a distant
radar; with the own
sensors only it leaves a quarter of Hokkaido's threatened land undefended (0.5 deg grid,
Nodong- and Scud-ER-class from four launch areas) where random draws defend all of it.

Every ground sensor whose scenario entry leaves its boresight to the engagement (it turns
toward the mean launch point of the threats of a run) is pointed, once for the whole
footprint, at the mean of the footprint's launch areas: a chunk's own threats must not move
the radars. Chunks are whole square tiles of about :data:`TILE_DEG` (a whole number of
cells, :func:`tile_side`) gathered in grid order; each chunk is a pure function
of its cells, so the footprint does not depend on the executor
(:mod:`bmdsim.analysis.executor`), the number of workers or the chunk size, and the same
seed gives the same footprint. The aiming tables (the reach near the edge, the
minimum-energy solver's envelope rows and polar nodes) are built once for every kind over
all the cells it threatens before any chunk runs (:func:`prime_aiming`), and sent to the
workers with the chunks, and every chunk aims from them whatever its size
(:func:`bmdsim.threats.min_energy.tables_for_every_batch`): a cell's flight, and so its
result, does not depend on the chunking (tested down to a tile per chunk).

The reach of a (launch area, class) is computed every 15 deg of bearing and interpolated
(:func:`bmdsim.threats.reach.interpolated_reach`; its error is below 0.06 % for the North
Korean classes), and exactly at the cell's own bearing within the interpolation's margin
of the edge (four times the error measured between the nodes, at least 0.2 %), as the
aimer checks it: the aimer then reuses these reaches (kept per process), and the mask
agrees with its check. A cell the aimer still refuses as beyond the reach is left
unthreatened by that kind.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bmdsim.analysis.executor import Executor, LocalExecutor
from bmdsim.analysis.regions import (
    ISLANDS,
    PREFECTURES,
    Grid,
    Region,
    cell_weights,
    japanese_regions,
    make_grid,
    parse_region,
    tiles,
)
from bmdsim.earth.geodesics import inverse
from bmdsim.earth.places import get_place
from bmdsim.engagement.handover import GUIDES
from bmdsim.engagement.opportunity import earliest_intercepts, window_reason
from bmdsim.engagement.run import Geometry, prepare
from bmdsim.engagement.setup import Battery, Doctrine, SensorSite, Setup, ThreatSpec
from bmdsim.errors import InputError, quote
from bmdsim.interceptors.flyout import flyout_fan, with_burnout_speed
from bmdsim.sensors.c2 import C2Config, fire_control_times
from bmdsim.threats.aim_tables import AimTables, export_tables, install_tables
from bmdsim.threats.aiming import prime
from bmdsim.threats.catalog import get_missile
from bmdsim.threats.min_energy import tables_for_every_batch
from bmdsim.threats.reach import interpolated_reach, range_toward

__all__ = [
    "CHUNK_CELLS",
    "INVENTORY",
    "LAUNCH_INTERVAL_S",
    "PROFILE_FORMS",
    "Chunk",
    "ChunkResult",
    "Footprint",
    "ThreatKind",
    "TILE_DEG",
    "evaluate_chunk",
    "footprint",
    "footprint_setup",
    "parse_profile",
    "prime_aiming",
    "cell_key",
    "threat_key",
    "threat_kinds",
    "threatened_mask",
    "tile_side",
]

#: interceptors per battery and seconds between launches: assignment can never bind
INVENTORY = 100_000
LAUNCH_INTERVAL_S = 1e-3
#: cells per chunk, at least (whole tiles), unless more workers want more chunks
CHUNK_CELLS = 512
#: side of a tile [deg], about: chunks are whole tiles, so neighbouring cells go together
TILE_DEG = 2.0

#: bits of a threat key (:func:`threat_key`) that hold the threat kind
_KIND_BITS = 12


def cell_key(row: NDArray[np.int64], col: NDArray[np.int64]) -> NDArray[np.int64]:
    """The key of a grid cell: its row and column (each below 2**20)."""
    return (np.asarray(row, np.int64) << 20) | np.asarray(col, np.int64)


def threat_key(cell: NDArray[np.int64], kind: NDArray[np.int64]) -> NDArray[np.int64]:
    """The key of the sensors' draws of a threat: its cell's key and its kind's index."""
    return (np.asarray(cell, np.int64) << _KIND_BITS) | np.asarray(kind, np.int64)


_KINEMATIC_ORDER = ("out_of_reach", "below_min_altitude", "above_max_altitude")


@dataclass(frozen=True)
class ThreatKind:
    """A missile class fired from a launch area with a trajectory profile (at every cell
    it can fly that profile to)."""

    launch: str
    launch_lat_deg: float
    launch_lon_deg: float
    missile: str
    rcs_m2: float = 0.1
    profile: str = "min-energy"
    apogee_km: float | None = None  # the shape of a lofted or depressed profile

    @property
    def profile_label(self) -> str:
        return self.profile if self.apogee_km is None else f"{self.profile}:{self.apogee_km:g}"

    @property
    def label(self) -> str:
        base = f"{self.launch}/{self.missile}"
        return base if self.profile == "min-energy" else f"{base}/{self.profile_label}"


#: the profiles a footprint fires (``--profiles``): the minimum-energy flight always
PROFILE_FORMS = ("min-energy", "standard", "lofted:APOGEE_KM", "depressed:APOGEE_KM")


def parse_profile(spec: str) -> tuple[str, float | None]:
    """``min-energy``, ``standard``, ``lofted:APOGEE_KM`` or ``depressed:APOGEE_KM`` ->
    (profile, apogee [km] or None)."""
    name, sep, value = spec.strip().partition(":")
    if name in ("min-energy", "standard") and not sep:
        return name, None
    if name in ("lofted", "depressed") and sep:
        try:
            apogee = float(value)
        except ValueError:
            apogee = math.nan
        if math.isfinite(apogee) and 0.0 < apogee <= 100_000.0:
            return name, apogee
        raise InputError(
            f"profile {quote(spec)}: give the apogee in km within (0, 100,000], as in {name}:600"
        )
    raise InputError(f"profile {quote(spec)}: give one of {', '.join(PROFILE_FORMS)}")


@dataclass(frozen=True)
class Chunk:
    """Cells to evaluate and which threat kinds reach each (``mask``: kinds x cells)."""

    setup: Setup  # sensors, batteries and doctrine of the footprint (no threats)
    kinds: tuple[ThreatKind, ...]
    lat_deg: NDArray[np.float64]
    lon_deg: NDArray[np.float64]
    mask: NDArray[np.bool_]
    cell_key: NDArray[np.int64]  # (cells,): each cell's grid row and column (cell_key)
    sensor_draws: bool = True  # random detections and noise
    tables: AimTables | None = None  # the aiming tables built where the footprint started


@dataclass(frozen=True)
class ChunkResult:
    """Per threat kind and cell (kinds x cells): batteries with a window (-1: not
    threatened), the earliest feasible intercept (s after launch) and the threat's altitude
    then (m), the reason when no battery has a window ('' otherwise)."""

    opportunities: NDArray[np.int64]
    intercept_t_s: NDArray[np.float64]
    intercept_alt_m: NDArray[np.float64]
    reason: NDArray[np.object_]
    threats_flown: int


def threat_kinds(
    setup: Setup,
    launches: Sequence[str] | None = None,
    missiles: Sequence[str] | None = None,
    profiles: Sequence[str] = (),
) -> tuple[ThreatKind, ...]:
    """Every launch area with every missile class and profile: the minimum-energy one, then
    ``profiles`` (:func:`parse_profile`). Defaults: the launch places and classes of the
    scenario's threats (in order of appearance). A launch area given by name is the
    scenario's place of that name or a catalog place ('LAT,LON' too); a class, a catalog
    name. The radar cross-section of a kind is that of the scenario's first threat of the
    same launch and class, else 0.1 m2."""
    shapes = list(dict.fromkeys([("min-energy", None), *(parse_profile(p) for p in profiles)]))
    places: dict[str, tuple[float, float]] = {}
    for t in setup.threats:
        places.setdefault(t.launch_place, (t.launch_lat_deg, t.launch_lon_deg))
    if launches is None:
        areas = list(places.items())
    else:
        areas = []
        for name in launches:
            if name in places:
                areas.append((name, places[name]))
            else:
                p = get_place(name)
                areas.append((p.name, (p.lat_deg, p.lon_deg)))
    if missiles is None:
        classes = list(dict.fromkeys(t.missile for t in setup.threats))
    else:
        classes = [get_missile(m).name for m in missiles]
    areas = list(dict(areas).items())  # no launch area twice
    classes = list(dict.fromkeys(classes))
    if not areas or not classes:
        raise InputError(
            "footprint: no launch area or no missile class (the scenario has no threats)"
        )
    rcs: dict[tuple[str, str], float] = {}
    for t in setup.threats:
        rcs.setdefault((t.launch_place, t.missile), t.rcs_m2)
    return tuple(
        ThreatKind(a, lat, lon, m, rcs.get((a, m), 0.1), prof, apo)
        for a, (lat, lon) in areas
        for m in classes
        for prof, apo in shapes
    )


def _mean_point(lat_deg: Sequence[float], lon_deg: Sequence[float]) -> tuple[float, float]:
    """Mean of points on the sphere (unit vectors averaged: wrap-safe across 180 deg)."""
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    v = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)
    m = v.mean(axis=0)
    return math.degrees(math.atan2(m[2], math.hypot(m[0], m[1]))), math.degrees(
        math.atan2(m[1], m[0])
    )


def footprint_setup(
    setup: Setup,
    kinds: Sequence[ThreatKind],
    own_sensors_only: bool = False,
    burnout_speed_m_s: float | None = None,
) -> Setup:
    """The engagement every chunk runs (threats aside): the scenario's sensors (own only,
    :meth:`~bmdsim.engagement.setup.Setup.without_allied_sensors`, if asked) with the
    ground sensors' free boresights pointed at the mean launch area; its batteries with
    :data:`INVENTORY` interceptors every :data:`LAUNCH_INTERVAL_S` (and, if given, one
    burnout speed for all); one Pk = 1 shot per threat."""
    if own_sensors_only:
        setup = setup.without_allied_sensors()
    toward = _mean_point([k.launch_lat_deg for k in kinds], [k.launch_lon_deg for k in kinds])
    sensors: list[SensorSite] = []
    for s in setup.sensors:
        if s.boresight_az_deg is None and math.isfinite(s.lat_deg) and math.isfinite(s.lon_deg):
            az = float(inverse(s.lat_deg, s.lon_deg, toward[0], toward[1])[0])
            s = replace(s, boresight_az_deg=az)
        sensors.append(s)
    batteries: list[Battery] = []
    for b in setup.batteries:
        b = replace(b, inventory=INVENTORY, launch_interval_s=LAUNCH_INTERVAL_S)
        if burnout_speed_m_s is not None:
            with_burnout_speed(b.interceptor, burnout_speed_m_s)  # refuses an impossible one
            b = replace(b, burnout_speed_m_s=burnout_speed_m_s)
        batteries.append(b)
    return Setup(
        setup.name + "-footprint",
        tuple(sensors),
        tuple(batteries),
        (),
        Doctrine(kind="salvo", salvo_size=1, max_waves=1, pk=1.0),
        setup.seed,
        setup.epoch,
    )


def threatened_mask(
    kinds: Sequence[ThreatKind], lat_deg: NDArray[np.float64], lon_deg: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """(kinds x cells): the cell lies within the class's reach toward it from the launch
    area (the reach every 15 deg of bearing, interpolated; exact at the cell's own bearing
    near the edge, as the aimer checks it)."""
    lat = np.asarray(lat_deg, dtype=float)
    lon = np.asarray(lon_deg, dtype=float)
    out = np.zeros((len(kinds), lat.size), dtype=bool)
    if lat.size == 0:
        return out
    for k, kind in enumerate(kinds):
        vehicle = get_missile(kind.missile).vehicle
        bearing, _, dist = inverse(
            np.full(lat.size, kind.launch_lat_deg), np.full(lat.size, kind.launch_lon_deg), lat, lon
        )
        bearing = np.asarray(bearing, dtype=float) % 360.0
        ir = interpolated_reach(
            vehicle, kind.launch_lat_deg, kind.launch_lon_deg, bearing, dist_m=dist
        )
        reach = ir.range_m
        edge = np.flatnonzero(np.abs(dist - reach) < ir.margin * reach)
        if edge.size:
            exact = range_toward(vehicle, kind.launch_lat_deg, kind.launch_lon_deg, bearing[edge])
            reach[edge] = exact.range_m
        out[k] = (dist <= reach) & (dist >= 1e3)  # the aimer's floor: 1 km from the launcher
    return out


# --------------------------------------------------------------------------------------------
# One chunk


def _specs(chunk: Chunk, pairs: Sequence[tuple[int, int]]) -> list[ThreatSpec]:
    out = []
    for k, j in pairs:
        kind = chunk.kinds[k]
        out.append(
            ThreatSpec(
                name=f"{kind.label}@{j}",
                missile=kind.missile,
                launch_place=kind.launch,
                launch_lat_deg=kind.launch_lat_deg,
                launch_lon_deg=kind.launch_lon_deg,
                target_place=f"cell-{j}",
                target_lat_deg=float(chunk.lat_deg[j]),
                target_lon_deg=float(chunk.lon_deg[j]),
                rcs_m2=kind.rcs_m2,
                profile=kind.profile,
                apogee_km=kind.apogee_km,
            )
        )
    return out


def _prepared(chunk: Chunk, pairs: list[tuple[int, int]]) -> tuple[Geometry, list[tuple[int, int]]]:
    """The chunk's engagement geometry over the pairs whose threat can be flown (a cell a
    kind cannot fly to, beyond the reach or the profile's shape, is not threatened by it),
    and those pairs."""
    specs = _specs(chunk, pairs)
    with tables_for_every_batch():  # primed for all cells: any chunk size aims alike
        g = prepare(replace(chunk.setup, threats=tuple(specs)), strict=False)
    flown = {f.spec.name for f in g.flown}
    return g, [p for p, sp in zip(pairs, specs, strict=True) if sp.name in flown]


def _launch_key(b: Battery) -> str | None:
    """The track a battery launches on: 'remote' (the fused track) or 'own:RADAR'."""
    which = GUIDES[b.fire_on][0]
    if which == "remote":
        return "remote"
    return f"own:{b.radar}" if b.radar is not None else None


def _sensor_sets(g: Geometry) -> dict[str, tuple[str, ...]]:
    """The sensors of each track a battery launches on: 'remote' (every sensor, fused) or
    'own:RADAR' (the space-based cue and the battery's radar)."""
    setup = g.setup
    space = tuple(s.name for s in setup.sensors if getattr(g.placed[s.name], "space_based", False))
    sets: dict[str, tuple[str, ...]] = {}
    for b in setup.batteries:
        key = _launch_key(b)
        if key == "remote":
            sets[key] = tuple(s.name for s in setup.sensors)
        elif key is not None:
            sets[key] = (*space, key.split(":", 1)[1])
    return {k: v for k, v in sets.items() if v}


@dataclass(frozen=True)
class _Tracks:
    """Per threat of a chunk: fire-control track and first detection times [s]."""

    fire_control_s: NDArray[np.float64]
    first_detection_s: NDArray[np.float64]


def _observations(
    g: Geometry, chunk: Chunk, cells: NDArray[np.int64], kinds: NDArray[np.int64]
) -> dict[str, _Tracks]:
    """The C2 node's fire-control and first detection times of every threat (``cells``,
    ``kinds``: the chunk's cell and the kind of each), over each sensor set a battery
    launches on (:func:`bmdsim.sensors.c2.fire_control_times`). With ``sensor_draws`` the
    draws are keyed by the scenario's seed and each threat's :func:`threat_key`; else the
    sensors are deterministic."""
    trajs = [f.trajectory for f in g.flown]
    rcs = np.array([f.spec.rcs_m2 for f in g.flown])
    shared = [
        (f.base, f.spec.launch_time_s) if f.base is not None else (f.trajectory, 0.0)
        for f in g.flown
    ]
    keys = threat_key(chunk.cell_key[cells], kinds)
    out: dict[str, _Tracks] = {}
    for key, names in _sensor_sets(g).items():
        sensors = [g.placed[name] for name in names]
        rng = None
        if chunk.sensor_draws:
            rng = np.random.default_rng(np.random.SeedSequence(chunk.setup.seed & 0xFFFFFFFF))
        got = fire_control_times(trajs, sensors, rcs, C2Config(), rng, shared, keys)
        out[key] = _Tracks(got.fire_control_track_s, got.first_detection_s)
    return out


def _reason(g: Geometry, i: int, obs: dict[str, _Tracks], ready: NDArray[np.float64]) -> str:
    """Why threat ``i`` has no window (the order of the engagement layer's reasons)."""
    setup, f = g.setup, g.flown[i]
    kinematic = []
    for b, ic, fan in zip(setup.batteries, g.classes, g.fans, strict=True):
        free = flyout_fan(ic, min_intercept_altitude_m=0.0, max_intercept_altitude_m=math.inf)
        kinematic.append(window_reason(f.trajectory, fan, free, b.lat_deg, b.lon_deg))
    able = [k for k, r in enumerate(kinematic) if r == "too_late"]
    if not able:
        return max(kinematic, key=_KINEMATIC_ORDER.index) if kinematic else "out_of_reach"
    if not any(math.isfinite(ob.first_detection_s[i]) for ob in obs.values()):
        return "not_detected"
    if all(not math.isfinite(ready[k]) for k in able):
        return "no_fire_control_track"
    return "too_late"


def evaluate_chunk(chunk: Chunk) -> ChunkResult:
    """Fly, observe and window every threat of a chunk (a pure function of the chunk)."""
    if chunk.tables is not None:
        install_tables(chunk.tables)
    n_kinds, n = chunk.mask.shape
    opp = np.full((n_kinds, n), -1, dtype=np.int64)
    t_i = np.full((n_kinds, n), np.nan)
    alt = np.full((n_kinds, n), np.nan)
    reason = np.full((n_kinds, n), "", dtype=object)
    pairs = [(int(k), int(j)) for k, j in zip(*np.nonzero(chunk.mask), strict=True)]
    if not pairs:
        return ChunkResult(opp, t_i, alt, reason, 0)
    g, pairs = _prepared(chunk, pairs)
    obs = _observations(
        g,
        chunk,
        np.array([j for _, j in pairs], dtype=np.int64),
        np.array([k for k, _ in pairs], dtype=np.int64),
    )
    setup = g.setup
    sites = [(fan, b.lat_deg, b.lon_deg) for b, fan in zip(setup.batteries, g.fans, strict=True)]
    keys = [_launch_key(b) or "" for b in setup.batteries]
    # each battery ready to fire at its fire-control track plus its reaction time; the
    # windows of the flight the geometry is taken of (shifted by the launch time)
    n = len(g.flown)
    ready = np.full((n, len(setup.batteries)), np.nan)
    for bi, (key, b) in enumerate(zip(keys, setup.batteries, strict=True)):
        if key in obs:
            ready[:, bi] = obs[key].fire_control_s + b.reaction_time_s
    shift = np.array([f.spec.launch_time_s if f.base is not None else 0.0 for f in g.flown])
    earliest, alt_at = earliest_intercepts(
        [f.base or f.trajectory for f in g.flown], sites, shift, ready
    )
    for i, ((k, j), f) in enumerate(zip(pairs, g.flown, strict=True)):
        open_ = np.flatnonzero(np.isfinite(earliest[i]))
        opp[k, j] = open_.size
        if open_.size:
            best = open_[np.argmin(earliest[i, open_])]  # the first battery on a tie
            t_i[k, j] = earliest[i, best] - f.spec.launch_time_s
            alt[k, j] = alt_at[i, best]
        else:
            reason[k, j] = _reason(g, i, obs, ready[i])
    return ChunkResult(opp, t_i, alt, reason, len(pairs))


# --------------------------------------------------------------------------------------------
# The whole footprint


def _fraction(weight: NDArray[np.float64], num: NDArray[np.bool_], den: NDArray[np.bool_]) -> float:
    total = float(weight[den].sum())
    return float(weight[num & den].sum()) / total if total > 0.0 else math.nan


@dataclass(frozen=True)
class Footprint:
    """The footprint of a scenario over a region (arrays over land cells, SI units)."""

    scenario: str
    region: Region
    grid_deg: float
    own_sensors_only: bool
    kinds: tuple[ThreatKind, ...]
    lat_deg: NDArray[np.float64]
    lon_deg: NDArray[np.float64]
    country: tuple[str, ...]
    prefecture: tuple[str | None, ...]  # Japanese cells: nearest prefectural capital
    island: tuple[str | None, ...]
    weight: NDArray[np.float64]  # relative land area (cos latitude)
    # per threat kind and cell (kinds x cells), see ChunkResult
    kind_opportunities: NDArray[np.int64]
    kind_intercept_t_s: NDArray[np.float64]
    kind_intercept_alt_m: NDArray[np.float64]
    kind_reason: NDArray[np.object_]
    threats_flown: int
    elapsed_s: float
    box_cells: int = 0
    batteries: tuple[str, ...] = field(default=())
    sensor_draws: bool = True

    # ---- per cell ----------------------------------------------------------------------
    @property
    def cells(self) -> int:
        return int(self.lat_deg.size)

    @property
    def kind_threatened(self) -> NDArray[np.bool_]:
        return self.kind_opportunities >= 0

    @property
    def threatened(self) -> NDArray[np.bool_]:
        return np.asarray(self.kind_threatened.any(axis=0), dtype=bool)

    def _defended(self, rows: NDArray[np.bool_]) -> NDArray[np.bool_]:
        opp = self.kind_opportunities[rows]
        return ((opp >= 0).any(axis=0)) & ~((opp == 0).any(axis=0))

    @property
    def defended(self) -> NDArray[np.bool_]:
        return self._defended(np.ones(len(self.kinds), dtype=bool))

    @property
    def opportunities(self) -> NDArray[np.int64]:
        """Fewest batteries with a window over the cell's threats (-1: not threatened)."""
        opp = np.where(self.kind_threatened, self.kind_opportunities, np.iinfo(np.int64).max)
        low = opp.min(axis=0) if len(self.kinds) else np.zeros(self.cells, dtype=np.int64)
        return np.where(self.threatened, low, -1)

    @property
    def intercept_alt_m(self) -> NDArray[np.float64]:
        """Lowest altitude of the earliest feasible intercepts over the cell's threats."""
        a = self.kind_intercept_alt_m
        out = np.full(self.cells, np.nan)
        has = np.isfinite(a).any(axis=0)
        out[has] = np.nanmin(a[:, has], axis=0)
        return out

    @property
    def reason(self) -> list[str | None]:
        """Reason of the first undefended threat of each cell (None where defended or not
        threatened)."""
        out: list[str | None] = [None] * self.cells
        for j in range(self.cells):
            for k in range(len(self.kinds)):
                if self.kind_opportunities[k, j] == 0:
                    out[j] = str(self.kind_reason[k, j])
                    break
        return out

    @property
    def undefended_by(self) -> list[list[str]]:
        """The threat kinds (launch/class) without a window, per cell."""
        return [
            [
                self.kinds[k].label
                for k in range(len(self.kinds))
                if self.kind_opportunities[k, j] == 0
            ]
            for j in range(self.cells)
        ]

    # ---- summary -----------------------------------------------------------------------
    @property
    def defended_fraction(self) -> float:
        """Defended share of the threatened land (by area); NaN if none is threatened."""
        return _fraction(self.weight, self.defended, self.threatened)

    @property
    def threatened_fraction(self) -> float:
        """Threatened share of the region's land (by area)."""
        return _fraction(self.weight, self.threatened, np.ones(self.cells, dtype=bool))

    @property
    def launch_areas(self) -> list[str]:
        return list(dict.fromkeys(k.launch for k in self.kinds))

    @property
    def by_launch_area(self) -> dict[str, float]:
        """Per launch area: the defended share of the land it threatens (its threats only)."""
        out = {}
        for area in self.launch_areas:
            rows = np.array([k.launch == area for k in self.kinds])
            thr = self.kind_threatened[rows].any(axis=0)
            out[area] = _fraction(self.weight, self._defended(rows), thr)
        return out

    def _by(self, labels: Sequence[str | None], names: Sequence[str]) -> dict[str, float]:
        lab = np.array([x or "" for x in labels], dtype=object)
        thr, dfd = self.threatened, self.defended
        return {name: _fraction(self.weight, dfd, thr & (lab == name)) for name in names}

    @property
    def by_island(self) -> dict[str, float]:
        """Per main island of Japan: the defended share of its threatened land."""
        return self._by(self.island, ISLANDS) if any(self.island) else {}

    @property
    def by_prefecture(self) -> dict[str, float]:
        """Per prefecture (nearest capital, see :mod:`bmdsim.analysis.regions`)."""
        return self._by(self.prefecture, PREFECTURES) if any(self.prefecture) else {}

    @property
    def by_region(self) -> dict[str, float]:
        """The main islands, then the prefectures (Hokkaido and Okinawa are both: one
        entry each, the same land)."""
        return {**self.by_island, **self.by_prefecture}

    def fraction_of(self, islands: Sequence[str]) -> float:
        """Defended share of the threatened land of several main islands together."""
        lab = np.array([x or "" for x in self.island], dtype=object)
        mine = np.isin(lab, list(islands))
        return _fraction(self.weight, self.defended, self.threatened & mine)

    def cell_columns(self) -> dict[str, Any]:
        """One column per cell property (unrounded; NaN where undefined)."""
        return {
            "lat_deg": self.lat_deg,
            "lon_deg": self.lon_deg,
            "country": list(self.country),
            "prefecture": list(self.prefecture),
            "island": list(self.island),
            "area_weight": self.weight,
            "threatened": self.threatened,
            "defended": self.defended,
            "opportunities": self.opportunities,
            "intercept_alt_km": self.intercept_alt_m / 1e3,
            "reason": self.reason,
            "threats": self.kind_threatened.sum(axis=0),
            "undefended_by": [",".join(x) for x in self.undefended_by],
        }


def prime_aiming(kinds: Sequence[ThreatKind], grid: Grid, mask: NDArray[np.bool_]) -> None:
    """Build the aiming tables of every threat kind over all the cells it threatens, once,
    here (:func:`bmdsim.threats.aiming.prime`): every chunk then starts from the same
    polar nodes, whatever the chunking, and the workers are sent them rather than building
    them again."""
    primed = set()
    for k, kind in enumerate(kinds):
        cells = np.flatnonzero(mask[k])
        key = (kind.launch_lat_deg, kind.launch_lon_deg, kind.missile)
        if key in primed or kind.profile == "standard":  # no min-energy solve there
            continue
        primed.add(key)
        if cells.size:
            prime(
                kind.missile,
                kind.launch_lat_deg,
                kind.launch_lon_deg,
                grid.lat_deg[cells],
                grid.lon_deg[cells],
            )


def tile_side(grid_deg: float) -> int:
    """Cells along a tile's side at this grid step (:data:`TILE_DEG`, at least one cell)."""
    return max(1, round(TILE_DEG / grid_deg))


def _chunks(
    base: Setup,
    kinds: tuple[ThreatKind, ...],
    grid: Grid,
    mask: NDArray[np.bool_],
    chunk_cells: int,
    sensor_draws: bool,
    tables: AimTables | None = None,
) -> tuple[list[Chunk], list[NDArray[np.int64]]]:
    """Chunks of whole tiles (:func:`~bmdsim.analysis.regions.tiles`) and the grid index
    of each chunk's cells."""
    _, groups = tiles(grid, tile_side(grid.grid_deg), chunk_cells)
    chunks = [
        Chunk(
            base,
            kinds,
            grid.lat_deg[idx],
            grid.lon_deg[idx],
            mask[:, idx],
            cell_key(grid.row[idx], grid.col[idx]),
            sensor_draws,
            tables,
        )
        for idx in groups
    ]
    return chunks, groups


def footprint(
    setup: Setup,
    region: str | Region = "japan",
    grid_deg: float = 0.5,
    *,
    launches: Sequence[str] | None = None,
    missiles: Sequence[str] | None = None,
    profiles: Sequence[str] = (),
    own_sensors_only: bool = False,
    burnout_speed_m_s: float | None = None,
    sensor_draws: bool = True,
    executor: Executor | None = None,
    chunk_cells: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Footprint:
    """The defended footprint of ``setup``'s batteries and sensors over a region (see the
    module text); ``profiles``: trajectory profiles fired besides the minimum-energy one
    (:func:`parse_profile`). ``executor`` (default: this process) runs the chunks of at least
    ``chunk_cells`` cells (default: :data:`CHUNK_CELLS`, or fewer so that each of several
    workers gets some eight chunks; the result does not depend on it); ``progress(done,
    total)`` is called as chunks finish."""
    started = time.perf_counter()
    if chunk_cells is not None and chunk_cells < 1:
        raise InputError(f"chunk_cells must be >= 1, got {chunk_cells}")
    if not setup.batteries:
        raise InputError("footprint: the scenario has no battery")
    reg = parse_region(region) if isinstance(region, str) else region
    run = executor or LocalExecutor(1)
    run.warm(__name__)  # workers start while the grid, reach and tables are built here
    kinds = threat_kinds(setup, launches, missiles, profiles)
    grid = make_grid(reg, grid_deg)
    base = footprint_setup(setup, kinds, own_sensors_only, burnout_speed_m_s)
    mask = threatened_mask(kinds, grid.lat_deg, grid.lon_deg)
    if chunk_cells is None:  # one worker: big chunks; more: some eight chunks each
        per = CHUNK_CELLS if run.workers == 1 else math.ceil(grid.size / (8 * run.workers))
        chunk_cells = max(1, min(CHUNK_CELLS, per))
    prime_aiming(kinds, grid, mask)
    tables = export_tables() if run.workers > 1 else None
    chunks, cells = _chunks(base, kinds, grid, mask, chunk_cells, sensor_draws, tables)
    n_kinds, n = mask.shape
    opp = np.full((n_kinds, n), -1, dtype=np.int64)
    t_i = np.full((n_kinds, n), np.nan)
    alt = np.full((n_kinds, n), np.nan)
    reason = np.full((n_kinds, n), "", dtype=object)
    flown = 0
    try:
        done = 0
        for idx, res in run.imap(evaluate_chunk, chunks):
            sl = cells[idx]
            opp[:, sl], t_i[:, sl] = res.opportunities, res.intercept_t_s
            alt[:, sl], reason[:, sl] = res.intercept_alt_m, res.reason
            flown += res.threats_flown
            done += 1
            if progress is not None:
                progress(done, len(chunks))
    finally:
        if executor is None:
            run.close()
    pref, isl = japanese_regions(grid)
    return Footprint(
        scenario=setup.name,
        region=reg,
        grid_deg=grid.grid_deg,
        own_sensors_only=own_sensors_only,
        kinds=kinds,
        lat_deg=grid.lat_deg,
        lon_deg=grid.lon_deg,
        country=grid.country,
        prefecture=pref,
        island=isl,
        weight=cell_weights(grid.lat_deg),
        kind_opportunities=opp,
        kind_intercept_t_s=t_i,
        kind_intercept_alt_m=alt,
        kind_reason=reason,
        threats_flown=flown,
        elapsed_s=time.perf_counter() - started,
        box_cells=grid.box_cells,
        batteries=tuple(b.name for b in base.batteries),
        sensor_draws=sensor_draws,
    )
