"""Every packed-array layout the kernels read: column indices, sizes and codes.

The Python layers pack their objects into small float arrays (one row per flight or per
phase) and unpack the kernels' outputs with these names; the kernels index with them.
Changing a layout means changing it here only.
"""

from __future__ import annotations

# --- gravity model codes (the ``model`` argument of the gravity kernel, opts[O_GRAVITY]) --
GRAVITY_POINT_MASS = 0
GRAVITY_J2 = 2
GRAVITY_J4 = 4

# --- force-model options (``ForceModel.opts()``): one row for a whole batch -------------
O_GRAVITY, O_MU, O_OMEGA, O_SHAPE, O_RADIUS, O_DRAG, O_THRUST = range(7)
N_OPTS = 7
#: Earth shape codes (opts[O_SHAPE]): a sphere of radius opts[O_RADIUS], or WGS84
SHAPE_SPHERE, SHAPE_WGS84 = 0, 1

# --- phase table (``phase_table``): one row per phase of flight, (N, P, N_PHASE_FIELDS) --
PF_T_START, PF_T_END, PF_M_START, PF_MDOT, PF_THRUST, PF_AEXIT, PF_AREF, PF_DROP, PF_BETA = range(9)
N_PHASE_FIELDS = 9

# --- steering row (pitch program): azimuth, switch times, kick, launch-site ENU basis -----
S_AZ, S_T_VERT, S_T_KICK, S_KICK = range(4)
S_UP, S_NORTH, S_EAST = 4, 7, 10  # each a unit vector (3 columns) in ECEF at the epoch
S_HOLD = 13  # 1: hold the pitch-over's final attitude instead of a gravity turn
N_STEER_FIELDS = 14
#: Steering segments (what ``steer_mode`` returns)
STEER_VERTICAL, STEER_KICK, STEER_GRAVITY_TURN = 0, 1, 2

# --- integrator tolerances and controls (``Tolerances.array()``) -------------------------
T_RTOL, T_ATOL_POS, T_ATOL_VEL, T_H_INIT, T_H_MAX, T_DURATION, T_MAX_STEPS, T_ARM = range(8)
T_BOOST = 8  # tolerance factor while thrusting (the gravity-turn boost is ill-conditioned)
N_TOL = 9

# --- per-flight summary written by the integrator: one row per trajectory ----------------
SM_STATUS, SM_T_IMPACT = 0, 1
SM_R_IMPACT, SM_V_IMPACT = 2, 5  # 3 columns each (ECI)
SM_T_APOGEE, SM_H_APOGEE, SM_T_BURNOUT = 8, 9, 10
SM_Y_BURNOUT = 11  # 6 columns: ECI state at the last burnout
SM_NSTEPS, SM_NFEV = 17, 18
N_SUM = 19
#: Values of summary[SM_STATUS]
STATUS_IMPACT, STATUS_TIME_LIMIT, STATUS_MAX_STEPS, STATUS_RECORD_FULL = 0, 1, 2, 3

# --- recorded node: y (6), acceleration just before (3) and just after (3) the node -------
N_REC = 12
