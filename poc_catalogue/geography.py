"""Where the Métropole Européenne de Lille lies, for validating POC locations."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Extent:
    south: float
    west: float
    north: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


# The 95 commune centres span 50.513–50.775 N and 2.809–3.241 E; the padding of about
# five kilometres takes in the edges of the outer communes' territories.
METROPOLE_EXTENT = Extent(south=50.46, west=2.76, north=50.83, east=3.29)
METROPOLE_CENTRE = (50.633, 3.058)  # Lille
