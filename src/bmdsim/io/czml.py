"""CZML of an engagement scene: the document the globe viewer (``bmdsim view``) animates.

CZML is Cesium's JSON format for time-dynamic scenes: a list of packets, the first one the
document with its clock. :func:`scene_czml` builds it as plain dicts (no CZML library at run
time); the tests check every packet against czml3's models.

Packets and their ids:

* ``document``: the clock, from the first launch to the last impact or kill, at 10x;
* ``threat/NAME``: the threat's flight, time-tagged ``[t, lon, lat, alt_m]`` samples in
  seconds after the scenario epoch, shown while it flies, with a trail; coloured by
  outcome (killed, leaked, no opportunity);
* ``interceptor/BATTERY>THREAT#WAVE.N``: each shot's fly-out, coloured by its result
  (kill, hit without a kill, miss);
* ``battery/NAME``, ``radar/NAME`` (with ``radar/NAME/coverage``, its coverage ring at the
  scene's ring altitude), ``sensor/NAME`` (a space sensor: no position);
* ``intercept/BATTERY>THREAT#WAVE.N``: the intercept point, shown from the intercept time;
* ``booster/BATTERY/STAGE.K``: where a battery's K-th spent stage of that number falls, shown
  from its impact time (from the clock's end if it falls later: upper stages fall long
  after the engagement);
* ``place/launch/NAME``, ``place/target/NAME``: the launch areas and aim points.

Samples that are not finite are left out; numbers are rounded (1e-6 deg, 1 m, 1 ms).
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bmdsim.engagement.scene import Scene, SceneSite, SceneTrack
from bmdsim.io.jsonsafe import json_safe

__all__ = ["CLOCK_MULTIPLIER", "COLOURS", "scene_czml", "write_czml"]

CZML_VERSION = "1.0"
#: scenario seconds per wall-clock second when the viewer plays the scene
CLOCK_MULTIPLIER = 10.0

#: RGBA (0-255) of each kind of object; threats by outcome, interceptors by result
COLOURS: dict[str, list[int]] = {
    "threat/killed": [255, 165, 0, 255],
    "threat/leaked": [230, 25, 25, 255],
    "threat/no_opportunity": [200, 0, 200, 255],
    "interceptor/kill": [40, 220, 60, 255],
    "interceptor/hit": [240, 230, 60, 255],
    "interceptor/miss": [160, 160, 160, 255],
    "battery": [40, 120, 255, 255],
    "radar": [0, 200, 220, 255],
    "radar/coverage": [0, 200, 220, 140],
    "intercept/kill": [40, 220, 60, 255],
    "intercept/nokill": [255, 255, 255, 255],
    "booster": [150, 110, 60, 255],
    "place/launch": [230, 25, 25, 255],
    "place/target": [255, 255, 255, 255],
}


def _epoch(scene: Scene) -> datetime:
    """The scenario clock's zero as an aware UTC time (a time without a zone is UTC)."""
    t = datetime.fromisoformat(scene.epoch)
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC)


def _iso(t: datetime) -> str:
    """ISO 8601 in UTC with a 'Z' (milliseconds only when there are any)."""
    if t.microsecond:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _at(epoch: datetime, t_s: float) -> str:
    return _iso(epoch + timedelta(seconds=round(float(t_s), 3)))


def _num(x: Any) -> float:
    """``x`` as a float; NaN when it is missing or not a number."""
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _finite(*xs: Any) -> bool:
    return all(math.isfinite(_num(x)) for x in xs)


def _rgba(key: str) -> dict[str, list[int]]:
    return {"rgba": list(COLOURS[key])}


def _description(props: Mapping[str, Any]) -> str:
    """An HTML table of the non-empty properties (the viewer's info box)."""
    rows = []
    for k, v in props.items():
        if v is None or (isinstance(v, float) and not math.isfinite(v)):
            continue
        if isinstance(v, float):
            v = f"{v:,.1f}"
        rows.append(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def _samples(track: SceneTrack) -> list[float]:
    """``[t, lon, lat, alt_m, ...]`` of the finite samples, times strictly increasing."""
    out: list[float] = []
    last = -math.inf
    for t, lon, lat, h in zip(track.t_s, track.lon_deg, track.lat_deg, track.alt_m, strict=True):
        if not _finite(t, lon, lat, h):
            continue
        t3 = round(float(t), 3)
        if t3 <= last:
            continue
        last = t3
        out += [t3, round(float(lon), 6), round(float(lat), 6), round(float(h), 0)]
    return out


def _track_packet(track: SceneTrack, epoch: datetime, colour: str) -> dict[str, Any] | None:
    samples = _samples(track)
    if len(samples) < 8:  # fewer than two samples: nothing to animate
        return None
    t0, t1 = samples[0], samples[-4]
    threat = track.kind == "threat"
    return {
        "id": f"{track.kind}/{track.name}",
        "name": track.name,
        "description": _description({"kind": track.kind, **track.properties}),
        "availability": f"{_at(epoch, t0)}/{_at(epoch, t1)}",
        "position": {
            "epoch": _iso(epoch),
            "interpolationAlgorithm": "LAGRANGE",
            "interpolationDegree": 3,
            "cartographicDegrees": samples,
        },
        "point": {
            "color": _rgba(colour),
            "pixelSize": 8 if threat else 6,
            "outlineColor": {"rgba": [0, 0, 0, 255]},
            "outlineWidth": 1,
        },
        "path": {
            "material": {"solidColor": {"color": _rgba(colour)}},
            "width": 2 if threat else 1.5,
            "leadTime": 0,
            "trailTime": round(t1 - t0 + 1.0, 3),
            "resolution": 5,
        },
    }


def _threat_colour(track: SceneTrack) -> str:
    outcome = str(track.properties.get("outcome", "leaked"))
    key = f"threat/{outcome}"
    return key if key in COLOURS else "threat/leaked"


def _interceptor_colour(props: Mapping[str, Any]) -> str:
    if props.get("kill"):
        return "interceptor/kill"
    return "interceptor/hit" if props.get("hit") else "interceptor/miss"


def _label(text: str) -> dict[str, Any]:
    return {
        "text": text,
        "font": "12px sans-serif",
        "fillColor": {"rgba": [255, 255, 255, 255]},
        "outlineColor": {"rgba": [0, 0, 0, 255]},
        "outlineWidth": 2,
        "style": "FILL_AND_OUTLINE",
        "horizontalOrigin": "LEFT",
        "pixelOffset": {"cartesian2": [8, 0]},
        "scale": 1.0,
    }


def _site_packets(site: SceneSite) -> list[dict[str, Any]]:
    props: dict[str, Any] = {"kind": site.kind, "class": site.cls, "owner": site.owner}
    if site.kind == "space_sensor" or not _finite(site.lat_deg, site.lon_deg):
        return [
            {
                "id": f"sensor/{site.name}",
                "name": site.name,
                "description": _description(props),
            }
        ]
    position = {"cartographicDegrees": [round(site.lon_deg, 6), round(site.lat_deg, 6), 0.0]}
    if site.kind == "battery":
        return [
            {
                "id": f"battery/{site.name}",
                "name": site.name,
                "description": _description(props),
                "position": position,
                "point": {
                    "color": _rgba("battery"),
                    "pixelSize": 11,
                    "outlineColor": {"rgba": [255, 255, 255, 255]},
                    "outlineWidth": 2,
                },
                "label": _label(site.name),
            }
        ]
    props |= {
        "detection_range_km": site.detection_range_km,
        "coverage_alt_km": site.coverage_alt_m / 1e3,
        "boresight_az_deg": site.boresight_az_deg,
    }
    out: list[dict[str, Any]] = [
        {
            "id": f"radar/{site.name}",
            "name": site.name,
            "description": _description(props),
            "position": position,
            "point": {
                "color": _rgba("radar"),
                "pixelSize": 7,
                "outlineColor": {"rgba": [0, 0, 0, 255]},
                "outlineWidth": 1,
            },
        }
    ]
    ring: list[float] = []
    for lon, lat in zip(site.coverage_lon_deg, site.coverage_lat_deg, strict=True):
        if _finite(lon, lat):
            ring += [round(float(lon), 5), round(float(lat), 5), 0.0]
    if len(ring) >= 9:  # a ring needs three points
        out.append(
            {
                "id": f"radar/{site.name}/coverage",
                "name": f"{site.name} coverage ({site.coverage_alt_m / 1e3:.0f} km target)",
                "parent": f"radar/{site.name}",
                "polyline": {
                    "positions": {"cartographicDegrees": ring},
                    "width": 1.5,
                    "arcType": "GEODESIC",
                    "material": {"solidColor": {"color": _rgba("radar/coverage")}},
                },
            }
        )
    return out


def _shot_names(intercepts: Iterable[Mapping[str, Any]]) -> list[str]:
    """'BATTERY>THREAT#WAVE.N' of each intercept row, N counting the threat's shots (the
    interceptor tracks' names)."""
    count: dict[str, int] = {}
    names = []
    for row in intercepts:
        threat = str(row["threat"])
        count[threat] = count.get(threat, 0) + 1
        names.append(f"{row['battery']}>{threat}#{row['wave']}.{count[threat]}")
    return names


def _intercept_packet(
    name: str, row: Mapping[str, Any], epoch: datetime, end: float
) -> dict[str, Any] | None:
    """The intercept point, shown from the intercept time to the clock's end."""
    t, lat, lon, alt = (_num(row.get(k)) for k in ("intercept_t_s", "lat_deg", "lon_deg", "alt_m"))
    if not _finite(t, lat, lon, alt) or t >= end + 1e-3:
        return None
    kill = bool(row.get("kill"))
    return {
        "id": f"intercept/{name}",
        "name": f"intercept {name}",
        "description": _description(dict(row)),
        "availability": f"{_at(epoch, t)}/{_at(epoch, end)}",
        "position": {"cartographicDegrees": [round(lon, 6), round(lat, 6), round(alt, 0)]},
        "point": {
            "color": _rgba("intercept/kill" if kill else "intercept/nokill"),
            "pixelSize": 10 if kill else 7,
            "outlineColor": {"rgba": [0, 0, 0, 255]},
            "outlineWidth": 1,
        },
    }


def _booster_packet(
    name: str, row: Mapping[str, Any], epoch: datetime, end: float
) -> dict[str, Any] | None:
    """A spent stage's fall point, shown from its impact time (from the clock's end when it
    falls later)."""
    lat, lon, t = (_num(row.get(k)) for k in ("lat_deg", "lon_deg", "impact_time_s"))
    if not _finite(lat, lon):
        return None
    battery, stage = row.get("battery"), row.get("stage")
    packet: dict[str, Any] = {
        "id": f"booster/{name}",
        "name": f"{battery} stage {stage} fall point",
        "description": _description(dict(row)),
        "position": {"cartographicDegrees": [round(lon, 6), round(lat, 6), 0.0]},
        "point": {
            "color": _rgba("booster"),
            "pixelSize": 5,
            "outlineColor": {"rgba": [255, 255, 255, 255]},
            "outlineWidth": 1,
        },
    }
    if _finite(t):
        packet["availability"] = f"{_at(epoch, min(t, end))}/{_at(epoch, end)}"
    return packet


def scene_czml(scene: Scene) -> list[dict[str, Any]]:
    """The CZML document of ``scene``: a list of packets, the document packet first (JSON
    serialisable, strict: no NaN)."""
    epoch = _epoch(scene)
    start, end = scene.start_s, scene.end_s
    if not end > start:
        end = start + 1.0
    scene_end = _at(epoch, end)
    packets: list[dict[str, Any]] = [
        {
            "id": "document",
            "name": scene.name,
            "version": CZML_VERSION,
            "clock": {
                "interval": f"{_at(epoch, start)}/{scene_end}",
                "currentTime": _at(epoch, start),
                "multiplier": CLOCK_MULTIPLIER,
                "range": "LOOP_STOP",
                "step": "SYSTEM_CLOCK_MULTIPLIER",
            },
        }
    ]
    for site in scene.sites:
        packets += _site_packets(site)
    for place in scene.places:
        if not _finite(place["lat_deg"], place["lon_deg"]):
            continue
        kind = str(place["kind"])
        packets.append(
            {
                "id": f"place/{kind}/{place['name']}",
                "name": str(place["name"]),
                "description": _description({"kind": f"{kind} place"}),
                "position": {
                    "cartographicDegrees": [
                        round(float(place["lon_deg"]), 6),
                        round(float(place["lat_deg"]), 6),
                        0.0,
                    ]
                },
                "point": {"color": _rgba(f"place/{kind}"), "pixelSize": 5},
                "label": _label(str(place["name"])) | {"scale": 0.8},
            }
        )
    for track in scene.tracks:
        if track.kind == "threat":
            colour = _threat_colour(track)
        else:
            colour = _interceptor_colour(track.properties)
        moving = _track_packet(track, epoch, colour)
        if moving is not None:
            packets.append(moving)
    for name, row in zip(_shot_names(scene.intercepts), scene.intercepts, strict=True):
        intercept = _intercept_packet(name, row, epoch, end)
        if intercept is not None:
            packets.append(intercept)
    stage_n: dict[tuple[str, str], int] = {}
    for row in scene.booster_impacts:
        key = (str(row.get("battery")), str(row.get("stage")))
        stage_n[key] = stage_n.get(key, 0) + 1
        booster = _booster_packet(f"{key[0]}/{key[1]}.{stage_n[key]}", row, epoch, end)
        if booster is not None:
            packets.append(booster)
    return packets


def write_czml(scene: Scene, path: str | Path) -> Path:
    """Write the CZML document of ``scene`` to ``path`` (UTF-8 JSON); return the path."""
    out = Path(path)
    text = json.dumps(json_safe(scene_czml(scene)), allow_nan=False, separators=(",", ":"))
    out.write_text(text + "\n", encoding="utf-8")
    return out
