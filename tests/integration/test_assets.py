"""The rules for assets and links, against PostGIS: moderation, history, conflicts, privacy."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assetmap.errors import Conflict, Forbidden, InvalidInput, NotFound
from assetmap.store import assets, links, mapdata
from assetmap.store.models import Asset, AssetChange, User
from assetmap.store.visibility import ANONYMOUS, Viewer

HALL = {"kind": "venue", "category": "community_space", "name": "Fielden Centre",
        "description": "Big hall", "lon": -2.0990, "lat": 53.7140}


@pytest.fixture
def people(session):
    made = {}
    for role in ("resident", "worker"):
        for n in (1, 2):
            user = User(email=f"{role}{n}@example.org", display_name=f"{role} {n}", role=role)
            session.add(user)
            session.flush()
            made[f"{role}{n}"] = Viewer(role=role, user_id=user.id)
    return made


def visible_names(session, viewer) -> set[str]:
    collection = mapdata.assets_in_view(session, viewer)
    return {f["properties"]["name"] for f in collection["features"]}


def test_resident_asset_waits_for_a_worker(session, people):
    resident, other, worker = people["resident1"], people["resident2"], people["worker1"]
    hall = assets.create(session, HALL, resident)
    assert hall.status == "pending"
    assert visible_names(session, resident) == {"Fielden Centre"}  # their own pending asset
    assert visible_names(session, other) == set()
    assert visible_names(session, ANONYMOUS) == set()
    assets.set_status(session, hall.id, "published", worker)
    assert visible_names(session, ANONYMOUS) == {"Fielden Centre"}
    assert [r.action for r in assets.history(session, hall.id)] == ["approve", "create"]


def test_worker_assets_are_published_at_once(session, people):
    assert assets.create(session, HALL, people["worker1"]).status == "published"


def test_anonymous_cannot_add_and_residents_cannot_approve(session, people):
    with pytest.raises(Forbidden):
        assets.create(session, HALL, ANONYMOUS)
    hall = assets.create(session, HALL, people["resident1"])
    with pytest.raises(Forbidden):
        assets.set_status(session, hall.id, "published", people["resident1"])
    with pytest.raises(InvalidInput, match="reason"):
        assets.set_status(session, hall.id, "rejected", people["worker1"])


@pytest.mark.parametrize("change, field", [
    ({"name": ""}, "name"),
    ({"name": "x" * 10_000}, "name"),
    ({"category": "knitting"}, "category"),
    ({"kind": "band"}, "kind"),
    ({"lat": 95.0}, "geometry"),
    ({"lon": None, "lat": None}, "lon"),
    ({"visibility": "everyone"}, "visibility"),
])
def test_bad_input_is_refused_with_the_field(session, people, change, field):
    data = {**HALL, **change}
    with pytest.raises(InvalidInput) as excinfo:
        assets.create(session, data, people["resident1"])
    assert excinfo.value.field == field
    assert session.scalar(select(Asset.id)) is None


def test_missing_geometry_is_refused(session, people):
    data = {k: v for k, v in HALL.items() if k not in ("lon", "lat")}
    with pytest.raises(InvalidInput, match="geometry: is missing"):
        assets.create(session, data, people["resident1"])


def test_edit_to_published_asset_waits_while_published_version_stays(session, people):
    worker, resident = people["worker1"], people["resident1"]
    hall = assets.create(session, HALL, worker)
    asset, change = assets.update(session, hall.id, {"name": "Fielden Centre & Café",
                                                    "version": hall.version}, resident)
    assert change is not None and change.status == "pending"
    assert session.get(Asset, hall.id).name == "Fielden Centre"  # still the published name
    assets.review_change(session, change.id, True, worker)
    assert session.get(Asset, hall.id).name == "Fielden Centre & Café"
    revision = assets.history(session, hall.id)[0]
    assert revision.before["name"] == "Fielden Centre"
    assert revision.after["name"] == "Fielden Centre & Café"
    assert revision.user_id == resident.user_id  # the author of the edit, approved by a worker


def test_second_save_on_the_same_version_is_a_conflict(session, people):
    worker1, worker2 = people["worker1"], people["worker2"]
    hall = assets.create(session, HALL, worker1)
    version = hall.version
    assets.update(session, hall.id, {"description": "Bigger hall", "version": version}, worker1)
    with pytest.raises(Conflict, match="changed by someone else"):
        assets.update(session, hall.id, {"description": "Small hall", "version": version},
                      worker2)
    details = assets.conflict_details(session, hall.id)
    assert details["changes"]["description"] == ["Big hall", "Bigger hall"]
    assert session.get(Asset, hall.id).description == "Bigger hall"


def test_an_edit_without_a_version_is_refused(session, people):
    hall = assets.create(session, HALL, people["worker1"])
    with pytest.raises(InvalidInput, match="version"):
        assets.update(session, hall.id, {"name": "Other"}, people["worker1"])


def test_revert_to_any_revision(session, people):
    worker = people["worker1"]
    hall = assets.create(session, HALL, worker)
    first = assets.history(session, hall.id)[0].id
    assets.update(session, hall.id, {"name": "Renamed", "version": hall.version}, worker)
    assets.update(session, hall.id, {"description": "Gone", "version": hall.version}, worker)
    assets.revert(session, hall.id, first, worker)
    hall = session.get(Asset, hall.id)
    assert (hall.name, hall.description) == ("Fielden Centre", "Big hall")
    assert [r.action for r in assets.history(session, hall.id)] == [
        "revert", "update", "update", "create"]
    with pytest.raises(Forbidden):
        assets.revert(session, hall.id, first, people["resident1"])


def test_archive_hides_and_keeps(session, people):
    worker, resident = people["worker1"], people["resident1"]
    hall = assets.create(session, HALL, worker)
    with pytest.raises(Forbidden):
        assets.set_status(session, hall.id, "archived", resident)
    assets.set_status(session, hall.id, "archived", worker)
    assert visible_names(session, ANONYMOUS) == set()
    assert session.get(Asset, hall.id) is not None  # archived, not deleted
    with pytest.raises(NotFound):
        assets.get_visible(session, hall.id, resident)


def test_skills_are_never_shown_individually(session, people):
    worker = people["worker1"]
    assets.create(session, {**HALL, "kind": "skill", "category": "learning",
                            "name": "Bookkeeping"}, worker)
    assert visible_names(session, ANONYMOUS) == set()
    assert visible_names(session, people["resident1"]) == set()


def test_contacts_only_for_signed_in_people(session, people):
    hall = assets.create(session, {**HALL, "contact": "hall@example.org"}, people["worker1"])
    anonymous = mapdata.assets_in_view(session, ANONYMOUS)["features"][0]["properties"]
    assert "contact" not in anonymous
    signed_in = mapdata.assets_in_view(session, people["resident1"])["features"][0]
    assert signed_in["properties"]["contact"] == "hall@example.org"
    assert hall.id == signed_in["id"]


def test_links_are_moderated_and_checked(session, people):
    worker, resident = people["worker1"], people["resident1"]
    hall = assets.create(session, HALL, worker)
    club = assets.create(session, {**HALL, "kind": "group", "category": "older_people",
                                   "name": "Lunch Club"}, worker)
    link = links.create(session, {"from_asset_id": club.id, "to_asset_id": hall.id,
                                  "type": "meets_at", "started": "2024-01-01"}, resident)
    assert link.status == "pending" and link.directed is True
    assert links.links_of(session, hall.id, ANONYMOUS) == []
    links.set_status(session, link.id, "published", worker)
    assert [row[0].id for row in links.links_of(session, hall.id, ANONYMOUS)] == [link.id]
    with pytest.raises(InvalidInput, match="already linked"):
        links.create(session, {"from_asset_id": hall.id, "to_asset_id": club.id,
                               "type": "meets_at"}, resident)
    with pytest.raises(InvalidInput, match="itself"):
        links.create(session, {"from_asset_id": hall.id, "to_asset_id": hall.id,
                               "type": "partners_with"}, resident)
    with pytest.raises(InvalidInput, match="unknown value 'knows'"):
        links.create(session, {"from_asset_id": hall.id, "to_asset_id": club.id,
                               "type": "knows"}, resident)
    with pytest.raises(InvalidInput, match="no asset 999999"):
        links.create(session, {"from_asset_id": hall.id, "to_asset_id": 999999,
                               "type": "funds"}, resident)
    assets.set_status(session, club.id, "archived", worker)
    with pytest.raises(InvalidInput, match="archived"):
        links.create(session, {"from_asset_id": hall.id, "to_asset_id": club.id,
                               "type": "funds"}, worker)
    assert links.links_of(session, hall.id, ANONYMOUS) == []  # an end is archived now


def test_likely_duplicates_nearby(session, people):
    assets.create(session, HALL, people["worker1"])
    found = mapdata.likely_duplicates(session, people["resident1"], category="community_space",
                                      lon=-2.0991, lat=53.7141, name="fielden centre")
    assert [d["name"] for d in found] == ["Fielden Centre"] and found[0]["distance_m"] < 20
    far = mapdata.likely_duplicates(session, people["resident1"], category="community_space",
                                    lon=-2.0900, lat=53.7140, name="Fielden Centre")
    assert far == []


def test_bbox_filters_and_limits(session, people):
    worker = people["worker1"]
    for i in range(5):
        assets.create(session, {**HALL, "name": f"Hall {i}", "lon": -2.10 + i * 0.01}, worker)
    inside = mapdata.assets_in_view(session, ANONYMOUS, bbox=(-2.105, 53.7, -2.085, 53.72))
    assert sorted(f["properties"]["name"] for f in inside["features"]) == ["Hall 0", "Hall 1"]
    limited = mapdata.assets_in_view(session, ANONYMOUS, limit=3)
    assert len(limited["features"]) == 3 and limited["truncated"] is True
    assert session.scalar(select(AssetChange.id)) is None
