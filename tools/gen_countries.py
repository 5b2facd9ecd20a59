"""Generate ``src/bmdsim/data/countries_50m.geojson`` from the npm package ``world-atlas``.

``world-atlas`` (ISC licence) redistributes Natural Earth's admin-0 country boundaries
(public domain) as quantized TopoJSON. This script decodes the TopoJSON itself (no topojson
dependency): each arc is a list of delta-encoded integer positions, which a cumulative sum
and the file's ``transform`` (scale, translate) turn into longitude/latitude. Arcs are
simplified one by one (Douglas-Peucker, so borders shared by two countries stay identical),
stitched into rings, rounded and written as a compact GeoJSON FeatureCollection with the
properties ``name`` (Natural Earth's short name), ``iso_n3`` (ISO 3166-1 numeric, the
TopoJSON ``id``) and ``iso_a3`` (ISO 3166-1 alpha-3 from the npm package
``i18n-iso-countries``; ``null`` where Natural Earth has no ISO code, e.g. Kosovo).

Usage (needs ``npm`` and network access to the npm registry)::

    python tools/gen_countries.py                    # npm install into a temporary dir, then convert
    python tools/gen_countries.py --node-modules DIR # use packages already installed in DIR
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

WORLD_ATLAS = "world-atlas@2.0.2"
ISO_CODES = "i18n-iso-countries@7.14.0"
OUT = Path(__file__).resolve().parents[1] / "src" / "bmdsim" / "data" / "countries_50m.geojson"

FloatArray = NDArray[np.float64]


def npm_install(prefix: Path) -> Path:
    """``npm install`` world-atlas and i18n-iso-countries under ``prefix``; return node_modules."""
    subprocess.run(
        ["npm", "install", "--no-save", "--prefix", str(prefix), WORLD_ATLAS, ISO_CODES],
        check=True,
    )
    return prefix / "node_modules"


def decode_arcs(topology: dict[str, Any]) -> list[FloatArray]:
    """Decode the quantized, delta-encoded arcs of ``topology`` into (n, 2) lon/lat arrays."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        q = np.asarray(arc, dtype=np.float64).reshape(-1, 2)
        if transform is not None:
            q = np.cumsum(q, axis=0)
            q = q * np.asarray(transform["scale"]) + np.asarray(transform["translate"])
        arcs.append(q)
    return arcs


def _dp_keep(xy: FloatArray, tol: float) -> NDArray[np.bool_]:
    """Douglas-Peucker on an open polyline: mask of the points to keep (ends always kept)."""
    n = len(xy)
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j - i < 2:
            continue
        seg = xy[i + 1 : j]
        a, b = xy[i], xy[j]
        d = b - a
        length = math.hypot(d[0], d[1])
        if length == 0.0:
            dist = np.hypot(seg[:, 0] - a[0], seg[:, 1] - a[1])
        else:
            dist = np.abs(d[0] * (seg[:, 1] - a[1]) - d[1] * (seg[:, 0] - a[0])) / length
        k = int(np.argmax(dist))
        if dist[k] > tol:
            m = i + 1 + k
            keep[m] = True
            stack.append((i, m))
            stack.append((m, j))
    return keep


def simplify_arc(arc: FloatArray, tol_deg: float) -> FloatArray:
    """Simplify one arc, keeping its end points (shared borders stay shared).

    Distances are measured on a local equirectangular plane (longitude scaled by the cosine
    of latitude), so the tolerance is roughly ``tol_deg`` of great-circle arc everywhere.
    A closed arc (an island drawn as one arc) keeps at least four points.
    """
    if tol_deg <= 0.0 or len(arc) <= 3:
        return arc
    xy = np.column_stack([arc[:, 0] * np.cos(np.radians(arc[:, 1])), arc[:, 1]])
    if np.array_equal(arc[0], arc[-1]):
        # Closed: split at the point farthest from the start and simplify both halves.
        far = int(np.argmax(np.hypot(*(xy - xy[0]).T)))
        if far == 0 or far == len(arc) - 1:
            return arc
        keep = np.zeros(len(arc), dtype=bool)
        keep[: far + 1] = _dp_keep(xy[: far + 1], tol_deg)
        keep[far:] |= _dp_keep(xy[far:], tol_deg)
        if keep.sum() < 4:
            # Keep the point farthest from the chord start-far as well (a triangle ring).
            a, b = xy[0], xy[far]
            d = b - a
            dist = np.abs(d[0] * (xy[:, 1] - a[1]) - d[1] * (xy[:, 0] - a[0]))
            keep[int(np.argmax(dist))] = True
        return arc[keep]
    return arc[_dp_keep(xy, tol_deg)]


def stitch_ring(arc_ids: list[int], arcs: list[FloatArray]) -> FloatArray:
    """Join the arcs of one ring (a negative index ~i means arc i reversed)."""
    parts = []
    for n, i in enumerate(arc_ids):
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(a if n == 0 else a[1:])
    return np.concatenate(parts)


def _ring_area(ring: FloatArray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def _clip_x(ring: FloatArray, x0: float, keep_below: bool) -> FloatArray:
    """Sutherland-Hodgman clip of an open ring to the half-plane x <= x0 (or x >= x0)."""
    if len(ring) == 0:
        return ring
    sign = 1.0 if keep_below else -1.0
    inside = sign * (ring[:, 0] - x0) <= 0.0
    out: list[FloatArray] = []
    n = len(ring)
    for i in range(n):
        a, b = ring[i - 1], ring[i]
        ina, inb = inside[i - 1], inside[i]
        if ina != inb:
            t = (x0 - a[0]) / (b[0] - a[0])
            out.append(np.array([x0, a[1] + t * (b[1] - a[1])]))
        if inb:
            out.append(b)
    return np.array(out).reshape(-1, 2)


def planarize(ring: FloatArray) -> list[FloatArray]:
    """Split one closed lon/lat ring into closed rings that all lie within [-180, 180].

    ``world-atlas`` keeps spherical topology: a ring may step across the antimeridian
    (Russia's Chukotka, Fiji) or run once around a pole (Antarctica). The ring is unwrapped
    into continuous longitude; one that goes around a pole is closed through that pole (the
    one on the side of its mean latitude); a ring of constant latitude (the 0.001 deg cap
    world-atlas cuts around the south pole) is dropped. The result is clipped to the
    [-180, 180] window after shifts of 0 and +-360 degrees.
    """
    if np.ptp(ring[:, 1]) == 0.0:
        return []
    lon = np.unwrap(ring[:, 0], period=360.0)
    pts = np.column_stack([lon, ring[:, 1]])[:-1]  # open ring
    turns = round((lon[-1] - lon[0]) / 360.0)
    if turns != 0:
        pole = 90.0 if ring[:, 1].mean() > 0.0 else -90.0
        pts = np.vstack([pts, [[lon[-1], pole], [lon[0], pole]]])
    lo, hi = float(pts[:, 0].min()), float(pts[:, 0].max())
    if lo >= -180.0 and hi <= 180.0:
        return [np.vstack([pts, pts[:1]])]
    out = []
    for k in range(math.floor((lo + 180.0) / 360.0), math.ceil((hi - 180.0) / 360.0) + 1):
        part = pts - np.array([360.0 * k, 0.0])
        part = _clip_x(_clip_x(part, 180.0, keep_below=True), -180.0, keep_below=False)
        if len(part) >= 3:
            part = np.vstack([part, part[:1]])
            if abs(_ring_area(part)) > 1e-9:
                out.append(part)
    return out


def _self_intersects(ring: FloatArray) -> bool:
    """Whether two non-adjacent edges of a closed ring cross (or touch)."""
    a, b = ring[:-1], ring[1:]
    n = len(a)
    for i0 in range(0, n, 256):
        i = np.arange(i0, min(n, i0 + 256))[:, None]
        j = np.arange(n)[None, :]
        pairs = (j > i + 1) & ~((i == 0) & (j == n - 1))
        p1, p2, q1, q2 = a[i], b[i], a[j], b[j]

        def orient(o: FloatArray, u: FloatArray, v: FloatArray) -> FloatArray:
            return (u[..., 0] - o[..., 0]) * (v[..., 1] - o[..., 1]) - (u[..., 1] - o[..., 1]) * (
                v[..., 0] - o[..., 0]
            )

        d1, d2 = orient(q1, q2, p1), orient(q1, q2, p2)
        d3, d4 = orient(p1, p2, q1), orient(p1, p2, q2)
        boxes = (
            (np.minimum(p1[..., 0], p2[..., 0]) <= np.maximum(q1[..., 0], q2[..., 0]))
            & (np.minimum(q1[..., 0], q2[..., 0]) <= np.maximum(p1[..., 0], p2[..., 0]))
            & (np.minimum(p1[..., 1], p2[..., 1]) <= np.maximum(q1[..., 1], q2[..., 1]))
            & (np.minimum(q1[..., 1], q2[..., 1]) <= np.maximum(p1[..., 1], p2[..., 1]))
        )
        if np.any(pairs & boxes & (d1 * d2 <= 0.0) & (d3 * d4 <= 0.0)):
            return True
    return False


def _orient(ring: FloatArray, ccw: bool) -> FloatArray:
    return ring if (_ring_area(ring) > 0.0) == ccw else ring[::-1]


def _inside(pt: FloatArray, ring: FloatArray) -> bool:
    """Even-odd point-in-ring test (planar lon/lat)."""
    x1, y1, x2, y2 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
    cross = (y1 > pt[1]) != (y2 > pt[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        xi = x1 + (pt[1] - y1) * (x2 - x1) / (y2 - y1)
    return bool(np.count_nonzero(cross & (pt[0] < xi)) % 2)


def _round_ring(ring: FloatArray, decimals: int) -> list[list[float]]:
    r = np.round(ring, decimals)
    # Drop consecutive duplicates that rounding may create, keep the ring closed.
    dup = np.all(r[1:] == r[:-1], axis=1)
    r = np.concatenate([r[:1], r[1:][~dup]])
    if not np.array_equal(r[0], r[-1]):
        r = np.concatenate([r, r[:1]])
    return [[float(x), float(y)] for x, y in r]


def to_feature(
    geom: dict[str, Any],
    raw: list[FloatArray],
    simple: list[FloatArray],
    iso_a3: dict[str, str],
    decimals: int,
) -> dict[str, Any] | None:
    """One TopoJSON country geometry as a GeoJSON MultiPolygon feature."""
    if geom["type"] == "Polygon":
        polygons = [geom["arcs"]]
    elif geom["type"] == "MultiPolygon":
        polygons = geom["arcs"]
    else:
        return None
    out = []
    for polygon in polygons:
        rings = []
        for arc_ids in polygon:
            ring = stitch_ring(arc_ids, simple)
            if len(ring) < 4 or abs(_ring_area(ring)) == 0.0 or _self_intersects(ring):
                # Simplification collapsed or twisted it: keep this ring as it was.
                ring = stitch_ring(arc_ids, raw)
            rounded = [np.asarray(_round_ring(part, decimals)) for part in planarize(ring)]
            rings.append([r for r in rounded if len(r) >= 4])
        if not rings[0]:
            # The exterior was a polar-cap ring (Antarctica: world-atlas draws the land as
            # the 0.001 deg cap around the pole with the coast as its "hole"); once closed
            # through the pole, the coast is the exterior.
            rings = rings[1:]
            if not rings:
                continue
        # RFC 7946: exteriors counterclockwise, holes clockwise; a hole goes with the
        # exterior part (after the antimeridian split) that contains it.
        parts: list[list[FloatArray]] = [[_orient(r, ccw=True)] for r in rings[0]]
        for hole in (h for hs in rings[1:] for h in hs):
            owner = next((p for p in parts if _inside(hole[0], p[0])), parts[0] if parts else None)
            if owner is not None:
                owner.append(_orient(hole, ccw=False))
        out.extend([[r.tolist() for r in p] for p in parts])
    code = geom.get("id")
    return {
        "type": "Feature",
        "properties": {
            "name": geom["properties"]["name"],
            "iso_a3": iso_a3.get(code) if code else None,
            "iso_n3": code,
        },
        "geometry": {"type": "MultiPolygon", "coordinates": out},
    }


def generate(node_modules: Path, out: Path, tol_deg: float, decimals: int) -> None:
    """Convert ``countries-50m.json`` under ``node_modules`` and write ``out``."""
    atlas_dir = node_modules / "world-atlas"
    topology = json.loads((atlas_dir / "countries-50m.json").read_text(encoding="utf-8"))
    version = json.loads((atlas_dir / "package.json").read_text(encoding="utf-8"))["version"]
    codes = json.loads((node_modules / "i18n-iso-countries" / "codes.json").read_text("utf-8"))
    iso_a3 = {numeric: alpha3 for _alpha2, alpha3, numeric, *_ in codes}

    raw = decode_arcs(topology)
    simple = [simplify_arc(a, tol_deg) for a in raw]
    features = []
    for geom in topology["objects"]["countries"]["geometries"]:
        feature = to_feature(geom, raw, simple, iso_a3, decimals)
        if feature is not None:
            features.append(feature)
    features.sort(key=lambda f: f["properties"]["name"])
    collection = {
        "type": "FeatureCollection",
        "source": (
            f"Natural Earth 1:50m admin-0 countries (public domain) via npm world-atlas "
            f"{version} (ISC); simplified {tol_deg} deg, {decimals} decimals; "
            f"generated by tools/gen_countries.py"
        ),
        "features": features,
    }
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    out.write_text(text + "\n", encoding="utf-8")
    n_pts = sum(len(r) for f in features for p in f["geometry"]["coordinates"] for r in p)
    print(f"wrote {out}: {len(features)} countries, {n_pts} points, {len(text) / 1e6:.2f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, help="existing node_modules directory")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--tolerance", type=float, default=0.01, help="degrees (default 0.01)")
    parser.add_argument("--decimals", type=int, default=4)
    args = parser.parse_args()
    if args.node_modules is not None:
        generate(args.node_modules, args.out, args.tolerance, args.decimals)
        return
    with tempfile.TemporaryDirectory(prefix="gen_countries_") as tmp:
        generate(npm_install(Path(tmp)), args.out, args.tolerance, args.decimals)


if __name__ == "__main__":
    main()
