"""A walk as a GPX 1.1 file, for a phone's map application (OsmAnd, Organic Maps, Komoot…).

Each stop is a waypoint (its number and title, a note, its address and a link to its page)
and the stops in order are one route: applications draw the way between them and can guide
a walker along it, street by street, where the site can only draw straight lines. Written by
gpxpy; knows nothing of pages, so any walk (a trail, later a selection) can use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from gpxpy.gpx import GPX, GPXRoute, GPXRoutePoint, GPXWaypoint

GPX_CONTENT_TYPE = "application/gpx+xml"
CREATOR = "POC Showcase — Lille Métropole, World Design Capital 2020"


@dataclass(frozen=True)
class GPXStop:
    name: str
    latitude: float
    longitude: float
    description: str
    address: str
    url: str
    link_text: str


@dataclass(frozen=True)
class GPXWalk:
    name: str
    description: str
    url: str
    author: str
    keywords: str
    time: datetime | None
    stop_type: str
    stops: Sequence[GPXStop]


def walk_gpx(walk: GPXWalk) -> str:
    """The GPX document of `walk`: its stops as waypoints and, in order, as one route."""
    gpx = GPX()
    gpx.creator = CREATOR
    gpx.name = walk.name
    gpx.description = walk.description
    gpx.link = walk.url
    gpx.link_text = walk.name
    gpx.author_name = walk.author
    gpx.time = walk.time
    gpx.keywords = walk.keywords or None
    route = GPXRoute(name=walk.name, description=walk.description)
    for stop in walk.stops:
        waypoint = GPXWaypoint(
            stop.latitude,
            stop.longitude,
            name=stop.name,
            description=stop.description,
            comment=stop.address or None,
            type=walk.stop_type,
        )
        waypoint.link = stop.url
        waypoint.link_text = stop.link_text
        gpx.waypoints.append(waypoint)
        route.points.append(GPXRoutePoint(stop.latitude, stop.longitude, name=stop.name))
    gpx.routes.append(route)
    return gpx.to_xml(version="1.1")
