from dataclasses import dataclass
from math import hypot
from typing import NamedTuple


@dataclass(frozen=True)
class Point:
    x: int
    y: int


class Vec(NamedTuple):
    dx: float
    dy: float


p = Point(1, 2)
print(p, hypot(*Vec(3.0, 4.0)))
