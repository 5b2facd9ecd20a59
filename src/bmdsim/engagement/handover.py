"""Fire control from the track estimate: predicted intercept point, handover error, divert.

The planner finds *when* a battery can intercept from the fly-out fan and the threat's
flight; *where* the interceptor is sent comes from the tracks, as in a real fire-control
loop. For a shot launched at t_L to intercept at t_I:

1. **Launch.** The newest state of the *launch track* known at t_L (known = measurement time
   plus the link latency of every report fused into it) is propagated ballistically to t_I:
   the predicted intercept point PIP_L and its covariance.
2. **In flight.** The interceptor takes updates from the *guiding track* until the kill
   vehicle's handover, ``t_go`` before the intercept (the class's
   :attr:`~bmdsim.interceptors.catalog.InterceptorClass.divert_time_s`): the newest
   guiding-track state known at t_H = t_I - t_go, if newer than the launch state, gives
   PIP_H; otherwise PIP_L stands (no update reached the interceptor).
3. **Handover.** The kill vehicle must remove the remaining error e = PIP_H - r(t_I) (r: the
   true threat position). Only the part across the closing direction costs divert; the
   part along it is absorbed in the time of the intercept. With a constant lateral
   correction over the time to go, the divert needed is dv = |e_perp| / t_go (a step
   heading error flown out by proportional navigation needs about the same delta-v:
   Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., 2012, ch. 2).
4. **Pk.** The single-shot Pk of the doctrine holds while dv is within 80 % of the kill
   vehicle's divert budget and falls smoothly (cos^2) to zero at the budget: the last
   fifth is the end-game reserve a homing kill vehicle keeps for its own seeker's
   corrections (a modelling choice; the APS boost-phase study, Rev. Mod. Phys. 76 (2004)
   S1, sizes kill vehicles with such margins). Beyond the budget the shot cannot hit.

Which track is which, by the battery's ``fire_on`` (the distinctions analysts draw):

* ``own``: launch on the own radar's track (an infrared cue may point it), own radar guides;
* ``launch-on-remote``: launch on the fused track of every sensor (remote reports with their
  link latencies), own radar guides;
* ``engage-on-remote``: the fused remote track launches and guides.

Approximations: the closing direction takes the interceptor's velocity along the line from
the battery to the intercept point at the class's burnout speed; mid-course corrections
before handover are assumed within the interceptor's margin (the fan is not re-flown).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from bmdsim.earth.geodetic import geodetic_to_ecef
from bmdsim.flight.trajectory import Trajectory
from bmdsim.sensors.c2 import TrackHistory

__all__ = ["GUIDES", "Handover", "divert_pk_factor", "handover"]

#: (launch track, guiding track) of each ``fire_on`` doctrine: 'own' or 'remote'
GUIDES: dict[str, tuple[str, str]] = {
    "own": ("own", "own"),
    "launch-on-remote": ("remote", "own"),
    "engage-on-remote": ("remote", "remote"),
}

#: fraction of the divert budget usable before the Pk starts to fall
FULL_PK_FRACTION = 0.8


@dataclass(frozen=True)
class Handover:
    """One shot's fire-control result (the error is the true error of the estimate)."""

    pip_launch_ecef_m: NDArray[np.float64]
    pip_handover_ecef_m: NDArray[np.float64]
    handover_error_m: float
    handover_sigma_m: float  # RSS 1-sigma of the handover prediction (its covariance)
    divert_needed_m_s: float
    guided_by: str  # radar of the last update used ('' if none reached the interceptor)
    pk_factor: float


def divert_pk_factor(divert_m_s: float, budget_m_s: float) -> float:
    """Multiplier of the doctrine's Pk for a divert need: 1 up to 80 % of the budget, cos^2
    down to 0 at the budget, 0 beyond (see the module text)."""
    if not (math.isfinite(divert_m_s) and budget_m_s > 0.0):
        return 0.0
    x = divert_m_s / budget_m_s
    if x <= FULL_PK_FRACTION:
        return 1.0
    if x >= 1.0:
        return 0.0
    return math.cos(0.5 * math.pi * (x - FULL_PK_FRACTION) / (1.0 - FULL_PK_FRACTION)) ** 2


@lru_cache(maxsize=256)
def _site_ecef(lat_deg: float, lon_deg: float) -> NDArray[np.float64]:
    site = np.asarray(geodetic_to_ecef(math.radians(lat_deg), math.radians(lon_deg), 0.0))
    site.flags.writeable = False
    return site


def _pip(tracks: TrackHistory, i: int, t_known_s: float, t_i: float, not_before: float = -np.inf):
    """(position, covariance, state index, state epoch) of the newest state of track ``i``
    known at ``t_known_s`` and not older than ``not_before``, propagated to ``t_i``."""
    k = tracks.latest(i, t_known_s)
    if k is None or tracks.t_state_s[i][k] < not_before:
        return None
    x, p = tracks.predict(i, k, t_i)
    return x[:3], p[:3, :3], k, float(tracks.t_state_s[i][k])


def handover(
    traj: Trajectory,
    i: int,
    launch_tracks: TrackHistory,
    guide_tracks: TrackHistory,
    t_launch_s: float,
    t_intercept_s: float,
    site_lat_deg: float,
    site_lon_deg: float,
    burnout_speed_m_s: float,
    divert_time_s: float,
    divert_budget_m_s: float,
) -> Handover | None:
    """Fire-control result of one shot at threat ``i`` (None: no launch track yet)."""
    launch = _pip(launch_tracks, i, t_launch_s, t_intercept_s)
    if launch is None:
        return None
    pip_l, cov_l, _, epoch_l = launch
    t_go = max(min(divert_time_s, t_intercept_s - t_launch_s), 1e-3)
    guided = _pip(guide_tracks, i, t_intercept_s - t_go, t_intercept_s, not_before=epoch_l + 1e-9)
    if guided is None:
        pip_h, cov_h, by = pip_l, cov_l, ""
    else:
        pip_h, cov_h, k, _ = guided
        by = guide_tracks.by[i][k]
    at = traj.ecef(np.array([t_intercept_s - 0.5, t_intercept_s, t_intercept_s + 0.5]))
    truth = at[1]
    err = pip_h - truth
    # closing direction: threat velocity minus the interceptor's (site -> PIP at burnout speed)
    v_t = at[2] - at[0]
    site = _site_ecef(site_lat_deg, site_lon_deg)
    los = pip_h - site
    v_i = burnout_speed_m_s * los / max(float(np.linalg.norm(los)), 1.0)
    close = v_t - v_i
    c_hat = close / max(float(np.linalg.norm(close)), 1e-9)
    e_perp = err - float(err @ c_hat) * c_hat
    dv = float(np.linalg.norm(e_perp)) / t_go
    return Handover(
        pip_l,
        pip_h,
        float(np.linalg.norm(err)),
        float(math.sqrt(max(float(np.trace(cov_h)), 0.0))),
        dv,
        by,
        divert_pk_factor(dv, divert_budget_m_s),
    )
