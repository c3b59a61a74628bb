"""Filters as people type them (query strings, command options) turned into `Filters`.

Every parser raises `InvalidInput` naming the parameter and what a good value looks like, so a
bad request is a 400 with a message and a bad command line an exit with one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from assetmap.errors import InvalidInput
from assetmap.store.layers import Filters, Layer

# Services are filtered by their type; `category` is accepted too, as for assets.
ALIASES = {"services": {"category": "service_type"}}


def parse_bbox(text: str, name: str = "bbox") -> tuple[float, float, float, float]:
    """'west,south,east,north' in degrees (a 6-number 3D box keeps its 2D part).

    West may be greater than east: such a box crosses the antimeridian.
    """
    parts = [p.strip() for p in text.split(",")]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise InvalidInput(f"{name} must be four numbers west,south,east,north in degrees, "
                           f"got {text!r}", field=name) from None
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise InvalidInput(f"{name} must be four numbers west,south,east,north in degrees, "
                           f"got {text!r}", field=name)
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise InvalidInput(f"{name}: longitudes must be between -180 and 180, got {text!r}",
                           field=name)
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise InvalidInput(f"{name}: latitudes must be between -90 and 90, got {text!r}",
                           field=name)
    if south > north:
        raise InvalidInput(f"{name}: the south edge ({south}) is north of the north edge "
                           f"({north}); the order is west,south,east,north", field=name)
    return west, south, east, north


def _instant(text: str, name: str, *, end_of_day: bool) -> datetime:
    try:
        if "T" not in text.upper():
            day = date.fromisoformat(text)
            moment = time.max if end_of_day else time.min
            return datetime.combine(day, moment, tzinfo=UTC)
        value = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise InvalidInput(f"{name}: {text!r} is not a date (YYYY-MM-DD) or an RFC 3339 "
                           "date-time (YYYY-MM-DDThh:mm:ssZ)", field=name) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_date(text: str, name: str = "date") -> tuple[datetime, datetime]:
    """One calendar day (YYYY-MM-DD) as an inclusive UTC window."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name} must be a date YYYY-MM-DD, got {text!r}",
                           field=name) from None
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1) - timedelta(microseconds=1)


def parse_datetime(text: str, name: str = "datetime") -> tuple[datetime | None, datetime | None]:
    """An OGC API `datetime`: an instant, or an interval 'start/end' with '..' for open ends.

    A bare date as an instant means that whole day.
    """
    if "/" not in text:
        return _instant(text, name, end_of_day=False), _instant(text, name, end_of_day=True)
    first, _, second = text.partition("/")
    start = None if first in ("", "..") else _instant(first, name, end_of_day=False)
    end = None if second in ("", "..") else _instant(second, name, end_of_day=True)
    if start is None and end is None:
        raise InvalidInput(f"{name}: an interval needs at least one end, got {text!r}",
                           field=name)
    if start and end and start > end:
        raise InvalidInput(f"{name}: the interval {text!r} ends before it starts", field=name)
    return start, end


def parse_value(layer: Layer, name: str, text: str) -> object:
    """A property filter's value, typed as the property is and checked against its choices."""
    prop = layer.prop(name)
    if prop is None or not prop.queryable:
        raise InvalidInput(f"layer {layer.name} cannot be filtered on {name!r}; it can be "
                           f"filtered on {', '.join(queryables(layer))}", field=name)
    if prop.type == "integer":
        try:
            return int(text)
        except ValueError:
            raise InvalidInput(f"{name} must be a whole number, got {text!r}",
                               field=name) from None
    if prop.type == "boolean":
        if text.lower() not in ("true", "false"):
            raise InvalidInput(f"{name} must be true or false, got {text!r}", field=name)
        return text.lower() == "true"
    if prop.choices is not None and text not in prop.choices:
        raise InvalidInput(f"unknown {name} {text!r}; one of {', '.join(prop.choices)}",
                           field=name)
    return text


def queryables(layer: Layer) -> list[str]:
    """Names of the properties `layer` can be filtered on by equality."""
    return [p.name for p in layer.props if p.queryable]


def build_filters(layer: Layer, *, bbox: str | None = None, area: str | None = None,
                  day: str | None = None, interval: str | None = None,
                  equals: Mapping[str, str] | None = None) -> Filters:
    """Filters for `layer` from text; `day` is one date, `interval` an OGC datetime."""
    filters = Filters()
    if bbox:
        filters.bbox = parse_bbox(bbox)
    if area:
        filters.area = area
    if day:
        filters.start, filters.end = parse_date(day)
    elif interval:
        filters.start, filters.end = parse_datetime(interval)
    aliases = ALIASES.get(layer.name, {})
    for name, text in (equals or {}).items():
        if text is None or text == "":
            continue
        name = aliases.get(name, name)
        filters.equals[name] = parse_value(layer, name, text)
    return filters
