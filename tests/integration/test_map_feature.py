"""The map feature the triggers keep for each asset (asset_map.feature), read by the viewport.

Proves that the stored GeoJSON is exactly the public feature the API promises (every property,
descriptions cut to 240 characters, no contact), that it follows edits, status changes and
category relabelling, that polygons are shown by a point inside them, that only signed-in
viewers get the contact, that awkward text survives the JSON exactly, and that the viewport's
bbox, limit and `truncated` behave.
"""

from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import shape
from sqlalchemy import select, text

from assetmap.store import assets, mapdata
from assetmap.store.models import AssetMap, User
from assetmap.store.visibility import ANONYMOUS, Viewer

# Far from any other test's data, so whole-viewport counts are this module's own.
LON, LAT = 12.3456789012, 45.6789012345
HALL = {"kind": "venue", "category": "community_space", "name": "Fielden Centre",
        "description": "Big hall", "lon": LON, "lat": LAT}
NEAR = (LON - 0.5, LAT - 0.5, LON + 0.5, LAT + 0.5)


@pytest.fixture
def people(session):
    made = {}
    for role in ("resident", "worker"):
        user = User(email=f"{role}@feature.example.org", display_name=role, role=role)
        session.add(user)
        session.flush()
        made[role] = Viewer(role=role, user_id=user.id)
    return made


def stored(session, asset_id: int) -> dict:
    """The asset's stored feature, parsed (flushing pending ORM changes first)."""
    return json.loads(session.scalar(select(AssetMap.feature).where(AssetMap.id == asset_id)))


def label_of(session, slug: str) -> str:
    return session.scalar(text("SELECT label FROM category WHERE slug = :slug"), {"slug": slug})


def in_view(session, viewer, **options) -> dict[int, dict]:
    return {f["id"]: f for f in mapdata.assets_in_view(session, viewer, **options)["features"]}


def test_stored_feature_is_the_public_feature(session, people):
    data = {**HALL, "description": "Café ☕ " * 50, "contact": "hall@example.org",
            "website": "https://hall.example.org", "opening_times": "Mo-Fr 09:00-17:00",
            "accessibility": "Step-free entrance", "visibility": "members"}
    hall = assets.create(session, data, people["worker"])
    feature = stored(session, hall.id)
    assert feature == {
        "type": "Feature",
        "id": hall.id,
        "geometry": {"type": "Point", "coordinates": [round(LON, 7), round(LAT, 7)]},
        "properties": {
            "id": hall.id, "name": "Fielden Centre", "kind": "venue",
            "category": "community_space",
            "category_label": label_of(session, "community_space"),
            "description": data["description"][:240],  # characters, not bytes
            "website": "https://hall.example.org", "opening_times": "Mo-Fr 09:00-17:00",
            "accessibility": "Step-free entrance", "status": "published",
            "visibility": "members", "version": hall.version,
        },
    }
    assert len(feature["properties"]["description"]) == 240


def test_feature_follows_edits_and_status(session, people):
    worker, resident = people["worker"], people["resident"]
    hall = assets.create(session, HALL, resident)
    assert stored(session, hall.id)["properties"]["status"] == "pending"
    assets.set_status(session, hall.id, "published", worker)
    assert stored(session, hall.id)["properties"]["status"] == "published"
    assets.update(session, hall.id, {"name": "New Hall", "description": "Smaller",
                                     "lon": LON + 0.01, "lat": LAT, "version": hall.version},
                  worker)
    feature = stored(session, hall.id)
    assert feature["properties"]["name"] == "New Hall"
    assert feature["properties"]["description"] == "Smaller"
    assert feature["geometry"]["coordinates"] == [round(LON + 0.01, 7), round(LAT, 7)]
    assert feature["properties"]["version"] == hall.version > 1
    assets.set_status(session, hall.id, "archived", worker)
    assert stored(session, hall.id)["properties"]["status"] == "archived"


def test_category_relabel_reaches_that_category_only(session, people):
    worker = people["worker"]
    hall = assets.create(session, HALL, worker)
    course = assets.create(session, {**HALL, "category": "learning", "name": "Evening class"},
                           worker)
    hall_before, course_before = stored(session, hall.id), stored(session, course.id)
    session.execute(text("UPDATE category SET label = :label WHERE slug = 'community_space'"),
                    {"label": "Halls & centres"})
    hall_after = stored(session, hall.id)
    assert hall_after["properties"]["category_label"] == "Halls & centres"
    hall_after["properties"]["category_label"] = hall_before["properties"]["category_label"]
    assert hall_after == hall_before  # nothing else changed, not even the version
    assert stored(session, course.id) == course_before
    assert in_view(session, ANONYMOUS, bbox=NEAR)[hall.id]["properties"]["category_label"] \
        == "Halls & centres"


@pytest.mark.parametrize("geometry", [
    # An L shape, whose centroid lies outside it.
    {"type": "Polygon", "coordinates": [[[LON, LAT], [LON + 0.01, LAT], [LON + 0.01, LAT + 0.001],
                                         [LON + 0.001, LAT + 0.001], [LON + 0.001, LAT + 0.01],
                                         [LON, LAT + 0.01], [LON, LAT]]]},
    {"type": "MultiPolygon", "coordinates": [
        [[[LON, LAT], [LON + 0.001, LAT], [LON + 0.001, LAT + 0.001], [LON, LAT + 0.001],
          [LON, LAT]]],
        [[[LON + 0.01, LAT], [LON + 0.011, LAT], [LON + 0.011, LAT + 0.001],
          [LON + 0.01, LAT + 0.001], [LON + 0.01, LAT]]]]},
])
def test_area_asset_is_a_point_inside_it(session, people, geometry):
    data = {k: v for k, v in HALL.items() if k not in ("lon", "lat")}
    park = assets.create(session, {**data, "geometry": geometry}, people["worker"])
    feature = stored(session, park.id)
    assert feature["geometry"]["type"] == "Point"
    assert shape(geometry).contains(shapely.Point(feature["geometry"]["coordinates"]))
    assert in_view(session, ANONYMOUS, bbox=NEAR)[park.id]["geometry"] == feature["geometry"]


def test_contact_only_for_signed_in_and_text_round_trips(session, people):
    awkward = {
        "name": '<script>alert("x")</script> & \'quoted\' back\\slash — naïve 地図 🗺️',
        "description": 'Line one\nline two\t"tab" </p><!-- \\u0041 \u2028 end',
        "contact": '"Ann" <ann@example.org> \\ ☎ 01706 «»',
        "opening_times": "{\"a\": [1, 2]}",
    }
    hall = assets.create(session, {**HALL, **awkward}, people["worker"])
    anonymous = in_view(session, ANONYMOUS, bbox=NEAR)[hall.id]["properties"]
    resident = in_view(session, people["resident"], bbox=NEAR)[hall.id]["properties"]
    assert "contact" not in anonymous
    assert "contact" not in stored(session, hall.id)["properties"]
    assert resident["contact"] == awkward["contact"]
    for props in (anonymous, resident):
        assert {k: props[k] for k in ("name", "description", "opening_times")} == {
            k: awkward[k] for k in ("name", "description", "opening_times")}
    assert {k: v for k, v in resident.items() if k != "contact"} == anonymous


def test_point_on_the_bbox_edge_is_included(session, people):
    hall = assets.create(session, HALL, people["worker"])
    # The index compares single-precision boxes, so "outside" is a clear 0.0001° (about 8 m).
    outside = assets.create(session, {**HALL, "name": "Just outside", "lon": LON - 1e-4},
                            people["worker"])

    def ids(bbox):
        return set(in_view(session, ANONYMOUS, bbox=bbox)) & {hall.id, outside.id}

    assert ids((LON, LAT, LON + 1, LAT + 1)) == {hall.id}  # on the min corner
    assert ids((LON - 1, LAT - 1, LON, LAT)) == {hall.id, outside.id}  # on the max corner
    assert ids((LON, LAT - 1, LON + 1, LAT)) == {hall.id}  # min lon edge, max lat edge


def test_limit_and_truncated(session, people):
    made = [assets.create(session, {**HALL, "name": f"Hall {i}", "lon": LON + i * 0.001},
                          people["worker"]).id for i in range(3)]
    exact = mapdata.assets_in_view(session, ANONYMOUS, bbox=NEAR, limit=3)
    assert [f["id"] for f in exact["features"]] == made and exact["truncated"] is False
    cut = mapdata.assets_in_view(session, ANONYMOUS, bbox=NEAR, limit=2)
    assert [f["id"] for f in cut["features"]] == made[:2] and cut["truncated"] is True
    raw = mapdata.assets_in_view_json(session, ANONYMOUS, bbox=NEAR, limit=1)
    assert json.loads(raw) == {"type": "FeatureCollection", "truncated": True,
                               "features": [stored(session, made[0])]}
