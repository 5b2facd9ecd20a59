"""Ground and ship radars: geometry (faces, horizon, masks) and the radar equation.

Radar equation (tracking / dwell form; Skolnik, *Introduction to Radar Systems*, 3rd ed.,
2001, eqs. 2.1 and 2.61; Mahafza, *Radar Systems Analysis and Design Using MATLAB*, 3rd ed.,
2013, sec. 2.7):

    SNR = P_av A_e^2 sigma t_d / (4 pi lambda^2 k T_s L R^4)

with average power P_av, effective aperture A_e (gain G = 4 pi A_e / lambda^2), RCS sigma,
coherent dwell t_d, system noise temperature T_s and losses L. The probability of detection
of a Swerling 1 target with a false-alarm probability Pfa on one (integrated) look is
Pd = Pfa^(1/(1 + SNR)) (Swerling 1960; Skolnik 2001 sec. 2.8; Mahafza 2013 eq. 3.91).

Geometry: the target must be above the 4/3-Earth radar horizon, above the minimum
elevation and any terrain mask, inside one face's scan cone (default +-60 deg from
boresight) and inside the instrumented range. Distances in metres, angles in degrees in
parameter names that say ``_deg``, radians otherwise. The geometry runs as one compiled pass
over the points (:func:`bmdsim._core.radar_kernels.radar_geometry`); the numpy formulas it
follows are kept as :meth:`Radar.geometry_reference` and :meth:`Radar.visible_reference`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim._core.radar_kernels import radar_geometry
from bmdsim.earth.frames import enu_basis
from bmdsim.earth.geodesics import central_angle_rad
from bmdsim.earth.geodetic import geodetic_to_ecef
from bmdsim.earth.wgs84 import A_M, B_M
from bmdsim.sensors.base import OWNERS, Sensor
from bmdsim.sensors.horizon import K_FACTOR, apparent_elevation_rad

__all__ = [
    "BOLTZMANN_J_K",
    "Face",
    "Radar",
    "pd_swerling1",
    "required_snr_swerling1",
]

BOLTZMANN_J_K = 1.380649e-23


def pd_swerling1(snr: ArrayLike, pfa: float) -> NDArray[np.float64]:
    """Probability of detection of a Swerling 1 target (one look): Pfa^(1/(1+SNR))."""
    s = np.maximum(np.asarray(snr, float), 0.0)
    return np.power(pfa, 1.0 / (1.0 + s))


def required_snr_swerling1(pd: float, pfa: float) -> float:
    """The SNR (linear) that gives ``pd`` against a Swerling 1 target at ``pfa``."""
    if not (0.0 < pfa < pd < 1.0):
        raise ValueError("need 0 < pfa < pd < 1")
    return math.log(pfa) / math.log(pd) - 1.0


def geocentric_surface_radius_m(r_ecef_m: NDArray[np.float64]) -> NDArray[np.float64]:
    """WGS84 ellipsoid radius under ECEF points (geocentric latitude; cheap height proxy)."""
    rn = np.linalg.norm(r_ecef_m, axis=-1)
    sl = r_ecef_m[..., 2] / rn
    cl2 = 1.0 - sl * sl
    return A_M * B_M / np.sqrt(B_M * B_M * cl2 + A_M * A_M * sl * sl)


@dataclass(frozen=True)
class Face:
    """One array face: boresight azimuth and tilt [deg], scan limit (cone half-angle) [deg]."""

    boresight_az_deg: float
    tilt_deg: float = 20.0
    scan_limit_deg: float = 60.0

    def normal_enu(self) -> NDArray[np.float64]:
        a, t = math.radians(self.boresight_az_deg), math.radians(self.tilt_deg)
        return np.array([math.sin(a) * math.cos(t), math.cos(a) * math.cos(t), math.sin(t)])


@dataclass(frozen=True)
class Radar(Sensor):
    """A phased-array radar class; place it with :meth:`at` before observing."""

    name: str
    avg_power_w: float
    aperture_m2: float
    wavelength_m: float
    noise_temp_k: float
    losses_db: float
    dwell_s: float  # coherent dwell of a cued / track look
    faces: tuple[Face, ...] = ()  # empty: 360 deg coverage
    min_elevation_deg: float = 0.0
    max_range_m: float = 5_000e3
    pfa: float = 1e-6
    pd_design: float = 0.9
    search_loss_db: float = 10.0  # uncued horizon search: less energy per beam position
    search_revisit_s: float = 10.0  # uncued search frame time
    track_revisit_s: float = 2.0  # cued / track revisit
    range_resolution_m: float = 15.0
    min_sigma_range_m: float = 2.0
    min_sigma_angle_rad: float = 5e-5
    noise_factor: float = 1.0  # scales both measurement sigmas (studies of track quality)
    terrain_mask_az_deg: tuple[float, ...] = ()
    terrain_mask_el_deg: tuple[float, ...] = ()
    k_factor: float = K_FACTOR
    site_lat_deg: float = math.nan
    site_lon_deg: float = math.nan
    site_h_m: float = 0.0
    owner: str = "own"
    link_latency_s: float = 0.0
    reference_rcs_m2: float = 0.1
    source: str = ""
    kind: str = field(default="radar", init=False)

    def __post_init__(self) -> None:
        if self.owner not in OWNERS:
            raise ValueError(f"owner must be one of {OWNERS}")
        if len(self.terrain_mask_az_deg) != len(self.terrain_mask_el_deg):
            raise ValueError("terrain mask azimuths and elevations differ in length")

    # ----- placement ---------------------------------------------------------------------
    def at(
        self,
        lat_deg: float,
        lon_deg: float,
        h_m: float = 0.0,
        *,
        boresight_az_deg: float | None = None,
        owner: str | None = None,
        link_latency_s: float | None = None,
        terrain_mask: tuple[tuple[float, ...], tuple[float, ...]] | None = None,
    ) -> Radar:
        """The radar placed at a site (optionally turning all faces so the first points at
        ``boresight_az_deg``, and with an owner, link latency and terrain mask)."""
        faces = self.faces
        if boresight_az_deg is not None and faces:
            d = boresight_az_deg - faces[0].boresight_az_deg
            faces = tuple(
                replace(f, boresight_az_deg=(f.boresight_az_deg + d) % 360) for f in faces
            )
        kw: dict[str, Any] = {}
        if terrain_mask is not None:
            kw = {
                "terrain_mask_az_deg": tuple(terrain_mask[0]),
                "terrain_mask_el_deg": tuple(terrain_mask[1]),
            }
        return replace(
            self,
            site_lat_deg=float(lat_deg),
            site_lon_deg=float(lon_deg),
            site_h_m=float(h_m),
            faces=faces,
            owner=self.owner if owner is None else owner,
            link_latency_s=self.link_latency_s if link_latency_s is None else link_latency_s,
            **kw,
        )

    @property
    def placed(self) -> bool:
        return math.isfinite(self.site_lat_deg) and math.isfinite(self.site_lon_deg)

    def _site(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        if not self.placed:
            raise ValueError(f"radar '{self.name}' has no site: use .at(lat, lon, h)")
        lat, lon = math.radians(self.site_lat_deg), math.radians(self.site_lon_deg)
        return geodetic_to_ecef(lat, lon, self.site_h_m), enu_basis(lat, lon)

    # ----- radar equation ----------------------------------------------------------------
    @property
    def power_aperture_w_m2(self) -> float:
        return self.avg_power_w * self.aperture_m2

    def snr(
        self, range_m: ArrayLike, rcs_m2: ArrayLike, cued: ArrayLike = True
    ) -> NDArray[np.float64]:
        """Signal-to-noise ratio (linear) of one look; uncued looks lose ``search_loss_db``."""
        r = np.asarray(range_m, float)
        num = self.avg_power_w * self.aperture_m2**2 * np.asarray(rcs_m2, float) * self.dwell_s
        den = (
            4
            * math.pi
            * self.wavelength_m**2
            * BOLTZMANN_J_K
            * self.noise_temp_k
            * 10 ** (self.losses_db / 10)
        )
        loss = np.where(np.asarray(cued, bool), 1.0, 10 ** (-self.search_loss_db / 10))
        with np.errstate(divide="ignore"):
            return num / den * loss / r**4

    def pd(self, range_m: ArrayLike, rcs_m2: ArrayLike, cued: ArrayLike = True) -> NDArray:
        """Swerling 1 probability of detection of one look."""
        return pd_swerling1(self.snr(range_m, rcs_m2, cued), self.pfa)

    def detection_range_m(self, rcs_m2: float, pd: float | None = None, cued: bool = True) -> float:
        """Free-space range at which one look detects ``rcs_m2`` with probability ``pd``."""
        need = required_snr_swerling1(self.pd_design if pd is None else pd, self.pfa)
        s1 = float(self.snr(1.0, rcs_m2, cued))
        return (s1 / need) ** 0.25

    # ----- geometry ----------------------------------------------------------------------
    def _mask_table(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The terrain mask as ``numpy.interp(..., period=360)`` uses it: azimuths modulo
        360 deg, sorted, with one entry wrapped around on each side (empty: no mask)."""
        if not self.terrain_mask_az_deg:
            return np.empty(0), np.empty(0)
        xp = np.asarray(self.terrain_mask_az_deg, np.float64) % 360.0
        fp = np.asarray(self.terrain_mask_el_deg, np.float64)
        order = np.argsort(xp)
        xp, fp = xp[order], fp[order]
        xp = np.concatenate((xp[-1:] - 360.0, xp, xp[0:1] + 360.0))
        fp = np.concatenate((fp[-1:], fp, fp[0:1]))
        return xp, fp

    def _geometry_pass(
        self, r_ecef_m: ArrayLike, full: bool
    ) -> tuple[NDArray[np.bool_], dict[str, NDArray[np.float64]]]:
        """Visibility and geometry of ECEF points ``(..., 3)`` in one compiled pass (with
        ``full`` every field of :meth:`geometry`; without, only the slant range)."""
        r = np.asarray(r_ecef_m, np.float64)
        if r.shape[-1:] != (3,):
            raise ValueError(f"points must have shape (..., 3), got {r.shape}")
        shape = r.shape[:-1]
        flat = np.ascontiguousarray(r.reshape(-1, 3))
        site, basis = self._site()
        site_norm = float(np.linalg.norm(site[None], axis=-1)[0])
        r_local = float(np.linalg.norm(site) - self.site_h_m)
        mask_az, mask_el = self._mask_table()
        normals = np.array([f.normal_enu() for f in self.faces], np.float64).reshape(-1, 3)
        cos_limits = np.array(
            [math.cos(math.radians(f.scan_limit_deg)) for f in self.faces], np.float64
        )
        s = flat.shape[0]
        vis = np.empty(s, np.bool_)
        rng = np.empty(s)
        m = s if full else 0
        az, el, ground, h = np.empty(m), np.empty(m), np.empty(m), np.empty(m)
        radar_geometry(
            flat,
            np.ascontiguousarray(site, np.float64),
            np.ascontiguousarray(basis, np.float64),
            site_norm,
            r_local,
            float(self.site_h_m),
            float(self.k_factor),
            math.radians(self.min_elevation_deg),
            mask_az,
            mask_el,
            normals,
            cos_limits,
            float(self.max_range_m),
            full,
            vis,
            rng,
            az,
            el,
            ground,
            h,
        )
        g = {"range_m": rng.reshape(shape)}
        if full:
            g = {
                "az_rad": az.reshape(shape),
                "el_rad": el.reshape(shape),
                "range_m": g["range_m"],
                "ground_m": ground.reshape(shape),
                "h_m": h.reshape(shape),
            }
        return vis.reshape(shape), g

    def geometry(self, r_ecef_m: ArrayLike) -> dict[str, NDArray[np.float64]]:
        """Azimuth [rad], apparent (refracted) elevation [rad], slant range [m], ground
        range [m] and height [m] of ECEF points ``(..., 3)`` seen from the site."""
        return self._geometry_pass(r_ecef_m, True)[1]

    def geometry_reference(self, r_ecef_m: ArrayLike) -> dict[str, NDArray[np.float64]]:
        """:meth:`geometry` in numpy (the formulas the compiled pass follows)."""
        r = np.asarray(r_ecef_m, float)
        site, basis = self._site()
        d = r - site
        enu = d @ basis.T
        az = np.mod(np.arctan2(enu[..., 0], enu[..., 1]), 2 * np.pi)
        rng = np.linalg.norm(d, axis=-1)
        rs = np.linalg.norm(site)
        rloc = rs - self.site_h_m
        rn = np.linalg.norm(r, axis=-1)
        ground = central_angle_rad(r, site) * rloc
        h = rn - geocentric_surface_radius_m(r)
        el = apparent_elevation_rad(ground, h, self.site_h_m, self.k_factor, rloc)
        return {"az_rad": az, "el_rad": el, "range_m": rng, "ground_m": ground, "h_m": h}

    def mask_elevation_rad(self, az_rad: ArrayLike) -> NDArray[np.float64]:
        """Lowest usable elevation by azimuth: max(minimum elevation, terrain mask)."""
        az = np.asarray(az_rad, float)
        floor = np.full(az.shape, math.radians(self.min_elevation_deg))
        if self.terrain_mask_az_deg:
            m = np.radians(
                np.interp(
                    np.degrees(az), self.terrain_mask_az_deg, self.terrain_mask_el_deg, period=360.0
                )
            )
            floor = np.maximum(floor, m)
        return floor

    def in_faces(self, az_rad: ArrayLike, el_rad: ArrayLike) -> NDArray[np.bool_]:
        """Inside the scan cone of at least one face (always, for a 360 deg radar)."""
        az, el = np.asarray(az_rad, float), np.asarray(el_rad, float)
        if not self.faces:
            return np.ones(np.broadcast_shapes(az.shape, el.shape), bool)
        u = np.stack([np.sin(az) * np.cos(el), np.cos(az) * np.cos(el), np.sin(el) + 0 * az], -1)
        ok = np.zeros(u.shape[:-1], bool)
        for f in self.faces:
            ok |= u @ f.normal_enu() >= math.cos(math.radians(f.scan_limit_deg))
        return ok

    def visible(self, r_ecef_m: ArrayLike) -> tuple[NDArray[np.bool_], dict[str, NDArray]]:
        """Line of sight (horizon, Earth occlusion, masks, faces, instrumented range) and
        the :meth:`geometry` of ECEF points ``(..., 3)``."""
        return self._geometry_pass(r_ecef_m, True)

    def visible_range(self, r_ecef_m: ArrayLike) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
        """Line of sight and slant range [m] only: :meth:`visible` without the angles, and
        faster (points out of range or below the horizon are left early)."""
        ok, g = self._geometry_pass(r_ecef_m, False)
        return ok, g["range_m"]

    def visible_reference(
        self, r_ecef_m: ArrayLike
    ) -> tuple[NDArray[np.bool_], dict[str, NDArray]]:
        """:meth:`visible` in numpy (the formulas the compiled pass follows)."""
        g = self.geometry_reference(r_ecef_m)
        ok = (
            (g["el_rad"] >= self.mask_elevation_rad(g["az_rad"]))
            & (g["range_m"] <= self.max_range_m)
            & self.in_faces(g["az_rad"], g["el_rad"])
        )
        return ok, g

    def detect(
        self,
        r_ecef_m: ArrayLike,
        rcs_m2: ArrayLike,
        cued: ArrayLike = True,
        rng: np.random.Generator | None = None,
    ) -> tuple[NDArray[np.bool_], dict[str, NDArray]]:
        """One look at each point: detected or not (random Swerling 1 draw with ``rng``;
        without it, detected where Pd >= ``pd_design``). Returns the geometry with 'snr'."""
        ok, g = self.visible(r_ecef_m)
        snr = self.snr(g["range_m"], rcs_m2, cued)
        p = pd_swerling1(snr, self.pfa)
        hit = p >= self.pd_design if rng is None else rng.random(p.shape) < p
        g["snr"] = snr
        return ok & hit, g

    # ----- measurements ------------------------------------------------------------------
    @property
    def beamwidth_rad(self) -> float:
        return self.wavelength_m / math.sqrt(self.aperture_m2)

    def measurement_sigmas(self, snr: ArrayLike) -> tuple[NDArray, NDArray]:
        """Range [m] and angle [rad] standard deviations at a given SNR (Skolnik 2001,
        sec. 6.3: sigma ~ resolution / sqrt(2 SNR), angle with monopulse slope 1.6)."""
        s = np.sqrt(2.0 * np.maximum(np.asarray(snr, float), 1.0))
        sr = np.maximum(self.range_resolution_m / s, self.min_sigma_range_m)
        sa = np.maximum(self.beamwidth_rad / (1.6 * s), self.min_sigma_angle_rad)
        return sr * self.noise_factor, sa * self.noise_factor

    def site_ecef_enu(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Site ECEF position [m] and its ENU basis (rows e, n, u)."""
        return self._site()

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "avg_power_w": self.avg_power_w,
            "aperture_m2": self.aperture_m2,
            "power_aperture_w_m2": self.power_aperture_w_m2,
            "wavelength_m": self.wavelength_m,
            "noise_temp_k": self.noise_temp_k,
            "losses_db": self.losses_db,
            "dwell_s": self.dwell_s,
            "pfa": self.pfa,
            "pd_design": self.pd_design,
            "faces": [
                {
                    "boresight_az_deg": f.boresight_az_deg,
                    "tilt_deg": f.tilt_deg,
                    "scan_limit_deg": f.scan_limit_deg,
                }
                for f in self.faces
            ],
            "min_elevation_deg": self.min_elevation_deg,
            "max_range_km": self.max_range_m / 1e3,
            "search_loss_db": self.search_loss_db,
            "search_revisit_s": self.search_revisit_s,
            "track_revisit_s": self.track_revisit_s,
            "reference_rcs_m2": self.reference_rcs_m2,
            "detection_range_km": self.detection_range_m(self.reference_rcs_m2) / 1e3,
            "source": self.source,
        }
