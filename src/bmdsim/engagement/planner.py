"""Weapon-target assignment and firing doctrine.

Threats are served in order of their earliest feasible intercept over all batteries
(earliest-intercept-first). For each threat, wave after wave, the battery that can intercept
soonest (with interceptors left and a free launch slot: launches of one battery are at least
``launch_interval_s`` apart) fires ``salvo_size`` interceptors. Each shot kills with
probability ``pk``, drawn from the threat's own random stream. Under ``shoot-look-shoot`` a
new wave may launch only after the previous wave's kill assessment (last intercept +
``kill_assessment_delay_s``) says the threat survived; ``salvo`` fires one wave.
The assignment rule is a function of this module (``ASSIGNMENT``) so others can be plugged in.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from bmdsim.engagement.opportunity import Window
from bmdsim.engagement.setup import Battery, Doctrine

__all__ = ["ASSIGNMENT", "PlannedShot", "ShotPk", "plan"]


@dataclass(frozen=True)
class PlannedShot:
    threat: int
    battery: int
    wave: int
    window_index: int  # index into the window's candidate intercept times
    t_launch_s: float
    t_intercept_s: float
    kill: bool


@dataclass
class _BatteryState:
    battery: Battery
    launches: list[float] = field(default_factory=list)
    _sorted: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    _sorted_list: list[float] = field(default_factory=list)  # the same, for scalar look-ups
    _pending: list[float] = field(default_factory=list)  # launched, not yet in _sorted

    @property
    def remaining(self) -> int:
        return self.battery.inventory - len(self.launches)

    def slots_free(self, t: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Per launch time: no launch of this battery closer than ``launch_interval_s`` (the
        launches are kept sorted: the two neighbours of each time decide)."""
        gap = self.battery.launch_interval_s - 1e-9
        if self._pending:  # launches since the last look, merged in C
            new = np.sort(np.array(self._pending))
            self._sorted = np.insert(self._sorted, np.searchsorted(self._sorted, new), new)
            self._pending.clear()
        done = self._sorted
        if done.size == 0:
            return np.ones(t.shape, bool)
        i = np.searchsorted(done, t, side="left")
        right = done[np.minimum(i, done.size - 1)]
        left = done[np.maximum(i - 1, 0)]
        ok_right = (i >= done.size) | (right - t >= gap)
        ok_left = (i == 0) | (t - left >= gap)
        return ok_right & ok_left

    def slot_free(self, t: float) -> bool:
        """:meth:`slots_free` of one time."""
        gap = self.battery.launch_interval_s - 1e-9
        done = self._sorted_list
        i = bisect.bisect_left(done, t)
        if i < len(done) and done[i] - t < gap:
            return False
        return not (i > 0 and t - done[i - 1] < gap)

    def launch(self, t: float) -> None:
        self.launches.append(t)
        bisect.insort(self._sorted_list, t)
        self._pending.append(t)


def _earliest_shot(w: Window, state: _BatteryState, t_launch_min_s: float) -> int | None:
    """Earliest feasible intercept of window ``w`` launching at or after a time in a free slot."""
    k = w.feasible_index
    if k.size == 0:
        return None
    t_all = w.t_launch_s
    # most shots take one of the first few candidates: look at them one by one, then at
    # the rest at once
    few = min(k.size, 4)
    for i in k[:few]:
        if t_all[i] >= t_launch_min_s - 1e-9 and state.slot_free(float(t_all[i])):
            return int(i)
    k = k[few:]
    if k.size == 0:
        return None
    t = t_all[k]
    ok = (t >= t_launch_min_s - 1e-9) & state.slots_free(t)
    first = int(np.argmax(ok))
    return int(k[first]) if ok[first] else None


def earliest_intercept_first(windows: Sequence[Sequence[Window | None]]) -> list[int]:
    """Threat order: soonest possible intercept first; threats without one last."""
    first = []
    for row in windows:
        ts = [w.earliest_s for w in row if w is not None and w.any]
        first.append(min(ts) if ts else math.inf)
    return sorted(range(len(windows)), key=lambda i: (first[i], i))


ASSIGNMENT: dict[str, Callable[[Sequence[Sequence[Window | None]]], list[int]]] = {
    "earliest-intercept-first": earliest_intercept_first,
}


#: the chance of a kill of one shot: (threat, battery, window index) -> Pk
ShotPk = Callable[[int, int, int], float]


def plan(
    windows: Sequence[Sequence[Window | None]],
    batteries: Sequence[Battery],
    doctrine: Doctrine,
    rngs: Sequence[np.random.Generator],
    shot_pk: ShotPk | None = None,
    unserved: dict[int, str] | None = None,
) -> list[PlannedShot]:
    """Assign and fire; ``windows[threat][battery]`` (None: that battery has no track).

    ``shot_pk`` gives each shot's Pk (default: the doctrine's); ``unserved`` (if given)
    receives, for every threat with a feasible intercept that got no shot, why:
    ``inventory`` (no battery that could reach it had interceptors left) or ``fire_rate``
    (the launch slots inside its window were taken)."""
    if doctrine.assignment not in ASSIGNMENT:
        raise ValueError(
            f"assignment must be one of {sorted(ASSIGNMENT)}, got '{doctrine.assignment}'"
        )
    states = [_BatteryState(b) for b in batteries]
    shots: list[PlannedShot] = []
    waves = 1 if doctrine.kind == "salvo" else doctrine.max_waves
    for k in ASSIGNMENT[doctrine.assignment](windows):
        t_min = -math.inf
        for wave in range(1, waves + 1):
            # the battery that can intercept soonest
            best: tuple[float, int, int] | None = None
            for b, st in enumerate(states):
                w = windows[k][b]
                if w is None or st.remaining <= 0:
                    continue
                i = _earliest_shot(w, st, t_min)
                if i is not None and (best is None or w.t_intercept_s[i] < best[0]):
                    best = (float(w.t_intercept_s[i]), b, i)
            if best is None:
                if wave == 1 and unserved is not None:
                    able = [b for b, w in enumerate(windows[k]) if w is not None and w.any]
                    if able:
                        out = all(states[b].remaining <= 0 for b in able)
                        unserved[k] = "inventory" if out else "fire_rate"
                break
            _, b, i = best
            st, w = states[b], windows[k][b]
            assert w is not None
            wave_shots: list[PlannedShot] = []
            t_next = float(w.t_launch_s[i])
            for _ in range(min(doctrine.salvo_size, st.remaining)):
                j = i if not wave_shots else _earliest_shot(w, st, t_next)
                if j is None:
                    break
                t_l = float(w.t_launch_s[j])
                st.launch(t_l)
                pk = doctrine.pk if shot_pk is None else shot_pk(k, b, j)
                kill = bool(rngs[k].random() < pk)
                wave_shots.append(PlannedShot(k, b, wave, j, t_l, float(w.t_intercept_s[j]), kill))
                t_next = t_l + st.battery.launch_interval_s
            shots.extend(wave_shots)
            if any(s.kill for s in wave_shots):
                break
            t_min = max(s.t_intercept_s for s in wave_shots) + doctrine.kill_assessment_delay_s
    return shots
