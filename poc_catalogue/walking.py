"""How far and how long on foot between the stops of a trail, without a routing service.

A street route is longer than the straight line: across European city centres the walking
network's detour over the great-circle distance is about 1.2 to 1.4 (street-network
"circuity" studies), so we take 1.3, and a city stroll's 4.5 km/h (75 m a minute; 5 km/h is
a brisk commuter's pace). Times count the walking only, not the time spent at each stop.
Estimates, and said so on the page: no routing engine to run, no address sent to a third party.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .geography import Point

DETOUR_FACTOR = 1.3
WALKING_METRES_PER_MINUTE = 4500 / 60


@dataclass(frozen=True)
class Walk:
    """A walking distance and the time it takes, in whole minutes."""

    metres: float
    minutes: int


def walk_between(start: Point, end: Point) -> Walk:
    metres = start.metres_to(end) * DETOUR_FACTOR
    minutes = max(1, math.ceil(metres / WALKING_METRES_PER_MINUTE)) if metres > 0 else 0
    return Walk(metres, minutes)


def total_walk(walks: Sequence[Walk]) -> Walk:
    """The whole walk: the legs' minutes added up, so the page's figures add up too."""
    return Walk(sum(walk.metres for walk in walks), sum(walk.minutes for walk in walks))
