"""OpenStreetMap extracts (.osm, .osm.pbf) through pyosmium, mapped onto our taxonomy.

`OSM_TAGS` is the whole mapping, one line per tag: the first line that matches an object wins,
so put specific tags before general ones. Objects with no name are skipped and counted: an
unnamed point is no use to someone looking for a group to join.
"""

from __future__ import annotations

from pathlib import Path

import osmium
import shapely

from assetmap.errors import InvalidInput
from assetmap.ingest.readers import RawLayer, RawRow

# (key, value, layer, kind, category or service type). value "*" matches any value.
OSM_TAGS: list[tuple[str, str, str, str, str]] = [
    # community assets
    ("amenity", "community_centre", "assets", "venue", "community_space"),
    ("amenity", "social_centre", "assets", "venue", "community_space"),
    ("amenity", "village_hall", "assets", "venue", "community_space"),
    ("amenity", "place_of_worship", "assets", "venue", "faith"),
    ("amenity", "arts_centre", "assets", "venue", "arts_culture"),
    ("amenity", "theatre", "assets", "venue", "arts_culture"),
    ("amenity", "youth_centre", "assets", "venue", "children_youth"),
    ("amenity", "food_bank", "assets", "group", "food"),
    ("social_facility", "food_bank", "assets", "group", "food"),
    ("leisure", "sports_centre", "assets", "venue", "sport_leisure"),
    ("leisure", "sports_hall", "assets", "venue", "sport_leisure"),
    ("leisure", "pitch", "assets", "venue", "sport_leisure"),
    ("leisure", "swimming_pool", "assets", "venue", "sport_leisure"),
    ("leisure", "playground", "assets", "venue", "children_youth"),
    ("leisure", "park", "assets", "venue", "environment"),
    ("leisure", "nature_reserve", "assets", "venue", "environment"),
    ("leisure", "garden", "assets", "venue", "environment"),
    ("landuse", "allotments", "assets", "venue", "food"),
    ("club", "sport", "assets", "group", "sport_leisure"),
    ("club", "scout", "assets", "group", "children_youth"),
    ("club", "*", "assets", "group", "mutual_aid"),
    ("office", "charity", "assets", "group", "advice_support"),
    ("office", "association", "assets", "group", "mutual_aid"),
    ("office", "ngo", "assets", "group", "advice_support"),
    # public services
    ("amenity", "doctors", "services", "", "health"),
    ("amenity", "clinic", "services", "", "health"),
    ("amenity", "hospital", "services", "", "health"),
    ("amenity", "pharmacy", "services", "", "health"),
    ("amenity", "dentist", "services", "", "health"),
    ("healthcare", "*", "services", "", "health"),
    ("amenity", "school", "services", "", "education"),
    ("amenity", "kindergarten", "services", "", "education"),
    ("amenity", "college", "services", "", "education"),
    ("amenity", "university", "services", "", "education"),
    ("amenity", "library", "services", "", "library"),
    ("office", "employment_agency", "services", "", "employment"),
    ("amenity", "social_facility", "services", "", "social_care"),
    ("office", "housing", "services", "", "housing"),
    ("amenity", "police", "services", "", "community_safety"),
    ("amenity", "fire_station", "services", "", "community_safety"),
    ("amenity", "townhall", "services", "", "council"),
    ("office", "government", "services", "", "council"),
]


def classify(tags: dict[str, str]) -> tuple[str, str, str] | None:
    """(layer, kind, category) for an object's tags, or None when no line matches."""
    for key, value, layer, kind, category in OSM_TAGS:
        if key in tags and (value == "*" or tags[key] == value):
            return layer, kind, category
    return None


def _properties(tags: dict[str, str], kind: str, category: str, layer: str) -> dict:
    props = {
        "name": tags.get("name", ""),
        "description": tags.get("description", ""),
        "website": tags.get("website") or tags.get("contact:website", ""),
        "contact": "; ".join(
            v for v in (tags.get("phone") or tags.get("contact:phone"),
                        tags.get("email") or tags.get("contact:email")) if v
        ),
        "osm_tags": dict(sorted(tags.items())),
    }
    if layer == "assets":
        props.update(kind=kind, category=category)
        props["opening_times"] = tags.get("opening_hours", "")
        if "wheelchair" in tags:
            props["accessibility"] = f"wheelchair: {tags['wheelchair']}"
    else:
        props["service_type"] = category
    return props


class _Collector(osmium.SimpleHandler):
    def __init__(self, layer: str):
        super().__init__()
        self.layer = layer
        self.wkb = osmium.geom.WKBFactory()
        self.found: list[tuple[str, dict, bytes]] = []
        self.unnamed = 0

    def _take(self, osm_id: str, tags, make_geometry) -> None:
        tags = {t.k: t.v for t in tags}
        match = classify(tags)
        if match is None or match[0] != self.layer:
            return
        if not tags.get("name"):
            self.unnamed += 1
            return
        try:
            geometry = make_geometry()
        except RuntimeError:  # incomplete way or relation in a clipped extract
            return
        self.found.append((osm_id, _properties(tags, match[1], match[2], match[0]), geometry))

    def node(self, n):
        self._take(f"node/{n.id}", n.tags, lambda: self.wkb.create_point(n))

    def area(self, a):
        kind = "way" if a.from_way() else "relation"
        self._take(f"{kind}/{a.orig_id()}", a.tags, lambda: self.wkb.create_multipolygon(a))


def read_osm(path: Path, layer: str) -> tuple[RawLayer, int]:
    """Assets or services found in an OSM extract, and how many unnamed ones were skipped."""
    if layer not in ("assets", "services"):
        raise InvalidInput(f"OpenStreetMap files hold assets or services, not {layer}")
    collector = _Collector(layer)
    try:
        collector.apply_file(str(path), locations=True)
    except RuntimeError as exc:
        raise InvalidInput(f"{Path(path).name}: not a readable OpenStreetMap file: {exc}") from exc
    raw = RawLayer()
    for number, (osm_id, props, wkb) in enumerate(collector.found, start=1):
        geometry = shapely.from_wkb(bytes.fromhex(wkb) if isinstance(wkb, str) else wkb)
        # Only venues keep a footprint; a group or a service is a point on the map.
        if geometry.geom_type != "Point" and props.get("kind") != "venue":
            geometry = geometry.representative_point()
        props["id"] = osm_id
        raw.rows.append(RawRow(number, props, geometry))
    return raw, collector.unnamed
