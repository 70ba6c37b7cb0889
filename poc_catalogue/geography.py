"""Where things are in the Métropole Européenne de Lille: its extent, and where a POC stands."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Extent:
    south: float
    west: float
    north: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


# Elasticsearch's mean Earth radius (GeoUtils.EARTH_MEAN_RADIUS), so both backends agree.
EARTH_RADIUS_METRES = 6_371_008.7714


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float

    def as_dict(self) -> dict[str, float]:
        return {"lat": self.lat, "lon": self.lon}

    def metres_to(self, other: Point) -> float:
        """Great-circle distance, as Elasticsearch's `arc` geo distance measures it."""
        lat1, lat2 = math.radians(self.lat), math.radians(other.lat)
        half_dlat = (lat2 - lat1) / 2
        half_dlon = math.radians(other.lon - self.lon) / 2
        a = math.sin(half_dlat) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(half_dlon) ** 2
        return 2 * EARTH_RADIUS_METRES * math.asin(min(1.0, math.sqrt(a)))


# The 95 commune centres span 50.513–50.775 N and 2.809–3.241 E; the padding of about
# five kilometres takes in the edges of the outer communes' territories.
METROPOLE_EXTENT = Extent(south=50.46, west=2.76, north=50.83, east=3.29)
METROPOLE_CENTRE = (50.633, 3.058)  # Lille


def poc_location(
    latitude: float | None,
    longitude: float | None,
    commune_latitude: float | None,
    commune_longitude: float | None,
) -> Point | None:
    """Where a POC goes on a map: its own position, else its commune's centre.

    The one rule, for the POC page, the cards, the index and the map alike.
    """
    if latitude is not None and longitude is not None:
        return Point(latitude, longitude)
    if commune_latitude is not None and commune_longitude is not None:
        return Point(commune_latitude, commune_longitude)
    return None
