"""Flights seen from ground sites: the height of each sample and its ground range from each
site, from ECI samples in one pass (used by
:func:`bmdsim.engagement.opportunity.flight_geometries`)."""

from __future__ import annotations

import math

from numba import prange
from numpy.typing import NDArray

from bmdsim._core.geodetic_kernels import geodetic_height_s
from bmdsim._core.jit import pjit

__all__ = ["flight_view"]


@pjit()
def flight_view(
    r_eci: NDArray,
    angle_rad: NDArray,
    sites: NDArray,
    radius_m: float,
    height: NDArray,
    ground: NDArray,
) -> None:
    """For each sample ``r_eci[i]`` (ECEF = ECI turned by ``angle_rad[i]`` about z, i.e.
    minus the Earth's rotation since the epoch): its height above the WGS84 ellipsoid into
    ``height[i]`` and, for each ECEF site ``sites[b]``, the ground range on a sphere of
    ``radius_m`` (the central angle between the sample and the site) into ``ground[b, i]``."""
    n_sites = sites.shape[0]
    for i in prange(r_eci.shape[0]):
        x0 = r_eci[i, 0]
        y0 = r_eci[i, 1]
        z = r_eci[i, 2]
        height[i] = geodetic_height_s(x0, y0, z)
        c = math.cos(angle_rad[i])
        s = math.sin(angle_rad[i])
        x = c * x0 - s * y0
        y = s * x0 + c * y0
        nr = math.sqrt(x * x + y * y + z * z)
        for b in range(n_sites):
            sx = sites[b, 0]
            sy = sites[b, 1]
            sz = sites[b, 2]
            ns = math.sqrt(sx * sx + sy * sy + sz * sz)
            cosang = (x * sx + y * sy + z * sz) / (nr * ns)
            cosang = min(1.0, max(-1.0, cosang))
            ground[b, i] = radius_m * math.acos(cosang)
