"""KML 2.2 of a run's scene (Google Earth and other globes).

One ``Document`` named after the scenario, with shared styles and one ``Folder`` per kind:

* ``Threats`` and ``Interceptors``: a Placemark per track with a ``TimeSpan`` (launch to
  impact, kill or intercept, UTC), an ``ExtendedData`` of its properties and a
  ``LineString`` (``altitudeMode`` absolute, ``coordinates`` lon,lat,alt_m: one tuple per
  track sample); a track that crosses the antimeridian is a ``MultiGeometry`` of the
  LineStrings on either side (as in the GeoJSON);
* ``Intercepts`` (Point at altitude, ``TimeStamp``) and ``Booster impacts`` (Point on the
  ground, ``TimeStamp``);
* ``Sites``: batteries and ground radars (Point); space sensors have no position and are
  left out;
* ``Coverage``: each radar's coverage ring as a ``Polygon`` clamped to the ground (the ring
  is for a target at ``coverage_alt_m``, named in its ExtendedData);
* ``Places``: launch areas and aim points (Point).

ElementTree builds the document, so every name and value is escaped.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bmdsim.engagement.scene import Scene
from bmdsim.io.geojson import (
    booster_name,
    epoch_utc,
    intercept_names,
    interceptor_classes,
    iso_time,
    line_parts,
    point_geometry,
    polygon_rings,
    si_properties,
    site_properties,
    track_properties,
)

__all__ = ["KML_NS", "scene_kml", "write_kml"]

KML_NS = "http://www.opengis.net/kml/2.2"

# styles: id -> (line colour, line width, icon colour, polygon fill colour); KML colours are
# aabbggrr
_STYLES: dict[str, tuple[str, str, str, str | None]] = {
    "threat": ("ff1e1ee6", "2", "ff1e1ee6", None),
    "interceptor": ("ffe6a01e", "2", "ffe6a01e", None),
    "intercept": ("ff00d7ff", "1", "ff00d7ff", None),
    "booster_impact": ("ff5a5a5a", "1", "ff8c8c8c", None),
    "battery": ("ffe6a01e", "1", "ffe6a01e", None),
    "radar": ("ff50c850", "1", "ff50c850", None),
    "coverage": ("ff50c850", "1", "ff50c850", "3350c850"),
    "launch": ("ff1e1ee6", "1", "ff1e1ee6", None),
    "target": ("ff1e8cff", "1", "ff1e8cff", None),
}


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _fmt(x: float) -> str:
    return format(x, ".10g")


def _coords(positions: list[list[float]]) -> str:
    return " ".join(",".join(_fmt(c) for c in p) for p in positions)


def _placemark(
    folder: ET.Element,
    name: str,
    style: str,
    props: Mapping[str, Any],
    *,
    begin: str | None = None,
    end: str | None = None,
    when: str | None = None,
) -> ET.Element:
    """A Placemark with its name, time (a TimeSpan from ``begin`` to ``end`` or a TimeStamp
    at ``when``), style and ExtendedData, in the order of the KML 2.2 schema; the caller
    adds the geometry."""
    pm = _sub(folder, "Placemark")
    _sub(pm, "name", name)
    if begin is not None or end is not None:
        span = _sub(pm, "TimeSpan")
        if begin is not None:
            _sub(span, "begin", begin)
        if end is not None:
            _sub(span, "end", end)
    elif when is not None:
        _sub(_sub(pm, "TimeStamp"), "when", when)
    _sub(pm, "styleUrl", f"#{style}")
    data = _sub(pm, "ExtendedData")
    for k, v in props.items():
        d = _sub(data, "Data")
        d.set("name", str(k))
        _sub(d, "value", _text(v))
    return pm


def _line(parent: ET.Element, positions: list[list[float]]) -> None:
    ls = _sub(parent, "LineString")
    _sub(ls, "altitudeMode", "absolute")
    _sub(ls, "coordinates", _coords(positions))


def _point(parent: ET.Element, coords: list[float], absolute: bool) -> None:
    pt = _sub(parent, "Point")
    _sub(pt, "altitudeMode", "absolute" if absolute else "clampToGround")
    _sub(pt, "coordinates", _coords([coords]))


def _polygon(parent: ET.Element, ring: list[list[float]]) -> None:
    pg = _sub(parent, "Polygon")
    _sub(pg, "tessellate", "1")
    _sub(pg, "altitudeMode", "clampToGround")
    lr = _sub(_sub(pg, "outerBoundaryIs"), "LinearRing")
    _sub(lr, "coordinates", _coords(ring))


def _num(v: Any) -> float:
    return math.nan if v is None else float(v)


def scene_kml(scene: Scene) -> ET.ElementTree:
    """The scene as a KML document tree (see the module text for its layout)."""
    ET.register_namespace("", KML_NS)
    epoch = epoch_utc(scene.epoch)
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = _sub(root, "Document")
    _sub(doc, "name", scene.name)
    _sub(
        doc,
        "description",
        f"bmdsim scene of {scene.name}; scenario clock zero at {scene.epoch}; "
        "altitudes in metres above the WGS84 ellipsoid",
    )
    for sid, (line, width, icon, fill) in _STYLES.items():
        st = _sub(doc, "Style")
        st.set("id", sid)
        _sub(_sub(st, "IconStyle"), "color", icon)
        ls = _sub(st, "LineStyle")
        _sub(ls, "color", line)
        _sub(ls, "width", width)
        if fill is not None:
            _sub(_sub(st, "PolyStyle"), "color", fill)

    def folder(name: str) -> ET.Element:
        f = _sub(doc, "Folder")
        _sub(f, "name", name)
        return f

    classes = interceptor_classes(scene)
    for kind, title in (("threat", "Threats"), ("interceptor", "Interceptors")):
        f = folder(title)
        for tr in scene.tracks:
            if tr.kind != kind:
                continue
            props = track_properties(tr, epoch, classes)
            pm = _placemark(
                f, tr.name, kind, props, begin=props["start_time"], end=props["end_time"]
            )
            parts = line_parts(tr.lon_deg, tr.lat_deg, tr.alt_m)
            if len(parts) == 1:
                _line(pm, parts[0])
            elif parts:
                multi = _sub(pm, "MultiGeometry")
                for part in parts:
                    _line(multi, part)

    f = folder("Intercepts")
    for x, name in zip(scene.intercepts, intercept_names(scene), strict=True):
        props = si_properties(x)
        when = iso_time(epoch, _num(props.get("intercept_t_s")))
        pm = _placemark(f, name, "intercept", props, when=when)
        g = point_geometry(x["lon_deg"], x["lat_deg"], x.get("alt_m", math.nan))
        if g is not None:
            _point(pm, g["coordinates"], absolute=True)

    f = folder("Booster impacts")
    for x in scene.booster_impacts:
        props = si_properties(x)
        when = iso_time(epoch, _num(props.get("impact_time_s")))
        pm = _placemark(f, booster_name(x), "booster_impact", props, when=when)
        g = point_geometry(x["lon_deg"], x["lat_deg"])
        if g is not None:
            _point(pm, g["coordinates"], absolute=False)

    f = folder("Sites")
    for s in scene.sites:
        g = point_geometry(s.lon_deg, s.lat_deg)
        if g is None:  # a space sensor: no position on the map
            continue
        pm = _placemark(f, s.name, s.kind if s.kind in _STYLES else "radar", site_properties(s))
        _point(pm, g["coordinates"], absolute=False)

    f = folder("Coverage")
    for s in scene.sites:
        if s.kind != "radar" or not len(s.coverage_lon_deg):
            continue
        rings = polygon_rings(s.coverage_lon_deg, s.coverage_lat_deg)
        if not rings:
            continue
        props = {
            "radar": s.name,
            "class": s.cls,
            "coverage_alt_m": s.coverage_alt_m,
            "detection_range_m": s.detection_range_km * 1e3,
        }
        pm = _placemark(f, f"{s.name} coverage", "coverage", props)
        if len(rings) == 1:
            _polygon(pm, rings[0])
        else:
            multi = _sub(pm, "MultiGeometry")
            for ring in rings:
                _polygon(multi, ring)

    f = folder("Places")
    for p in scene.places:
        g = point_geometry(p["lon_deg"], p["lat_deg"])
        if g is None:
            continue
        kind = str(p["kind"])
        pm = _placemark(f, str(p["name"]), kind if kind in _STYLES else "target", {"kind": kind})
        _point(pm, g["coordinates"], absolute=False)

    # ElementTree qualifies only the root: give every element the KML namespace
    for el in root.iter():
        if not el.tag.startswith("{"):
            el.tag = f"{{{KML_NS}}}{el.tag}"
    return ET.ElementTree(root)


def write_kml(scene: Scene, path: str | Path) -> Path:
    """Write the scene's KML (:func:`scene_kml`) to ``path`` (UTF-8, with an XML
    declaration)."""
    p = Path(path)
    tree = scene_kml(scene)
    ET.indent(tree, space=" ")
    tree.write(p, encoding="utf-8", xml_declaration=True)
    return p
