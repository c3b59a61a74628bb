"""Importers against PostGIS: good files land, bad files change nothing, re-imports update."""

from __future__ import annotations

import json

import pytest
from geoalchemy2.shape import to_shape
from sqlalchemy import func, select

from assetmap.errors import ImportRejected
from assetmap.export.geojson import write_feature_collection
from assetmap.ingest.pipeline import import_file
from assetmap.store.features import iter_layer, layer_counts
from assetmap.store.models import Area, Asset, Link, Revision, Service


def counts(session) -> dict:
    out = layer_counts(session)
    out["revisions"] = session.scalar(select(func.count()).select_from(Revision))
    return out


def load_basics(sessions, data_dir):
    import_file(sessions, "areas", data_dir / "areas.geojson")
    import_file(sessions, "services", data_dir / "services.geojson")
    import_file(sessions, "assets", data_dir / "assets.geojson")


def test_each_layer_imports(sessions, session, data_dir):
    load_basics(sessions, data_dir)
    summary = import_file(sessions, "links", data_dir / "links.csv")
    assert (summary.created, summary.updated) == (3, 0)
    assert counts(session) == {"assets": 4, "links": 3, "services": 2, "areas": 2,
                               "revisions": 7}
    tuesday = session.scalars(select(Asset).where(Asset.source_id == "G1")).one()
    assert tuesday.source == "assets.geojson" and tuesday.extra["volunteers"] == 12
    link = session.scalars(select(Link).where(Link.source_id == "L2")).one()
    assert link.from_asset.name == "Incredible Edible Growers"
    assert link.directed is True  # 'meets_at' is directed by default
    assert str(link.ended) == "2024-01-31"
    central = session.scalars(select(Area).where(Area.name == "Central")).one()
    assert to_shape(central.geom).geom_type == "MultiPolygon"
    assert session.scalar(select(func.ST_SRID(Service.geom)).limit(1)) == 4326


def test_csv_osm_and_geopackage_land_in_4326(sessions, session, data_dir):
    import_file(sessions, "assets", data_dir / "assets_bng.csv", crs="EPSG:27700")
    import_file(sessions, "assets", data_dir / "town.osm")
    import_file(sessions, "services", data_dir / "town.osm")
    lat = session.scalar(select(func.ST_Y(Asset.geom)).where(Asset.source_id == "B1"))
    assert 53.6 < lat < 53.8
    osm = session.scalars(select(Asset).where(Asset.source == "town.osm")).all()
    assert {a.source_id for a in osm} == {"node/1", "node/4", "way/100"}
    assert session.scalar(select(func.count()).select_from(Service)) == 2


def test_reimport_updates_instead_of_duplicating(sessions, session, data_dir, tmp_path):
    import_file(sessions, "assets", data_dir / "assets.csv")
    again = import_file(sessions, "assets", data_dir / "assets.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = tmp_path / "assets.csv"
    changed.write_text((data_dir / "assets.csv").read_text().replace("badly", "beautifully"))
    third = import_file(sessions, "assets", changed)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    choir = session.scalars(select(Asset).where(Asset.source_id == "C1")).one()
    assert choir.description == "Sings, beautifully, on Thursdays"
    assert choir.version == 2
    history = session.scalars(select(Revision).where(Revision.entity_id == choir.id)
                              .order_by(Revision.id)).all()
    assert [r.action for r in history] == ["import", "import-update"]
    assert history[1].before["description"] == "Sings, badly, on Thursdays"
    assert history[1].after["description"] == "Sings, beautifully, on Thursdays"
    assert session.scalar(select(func.count()).select_from(Asset)) == 3


@pytest.mark.parametrize("layer, name", [
    ("assets", "broken.geojson"),
    ("assets", "missing_name.geojson"),
    ("assets", "unknown_category.csv"),
    ("assets", "invalid_geometry.geojson"),
    ("assets", "out_of_range.csv"),
    ("areas", "wrong_types_areas.csv"),
])
def test_bad_files_change_nothing(sessions, session, data_dir, layer, name):
    load_basics(sessions, data_dir)
    before = counts(session)
    with pytest.raises(ImportRejected) as excinfo:
        import_file(sessions, layer, data_dir / name)
    assert excinfo.value.problems
    assert all(row is not None for row, _, _ in excinfo.value.problems
               if name != "broken.geojson")
    assert counts(session) == before


def test_links_to_unknown_or_archived_assets_are_rejected(sessions, session, data_dir,
                                                          tmp_path):
    load_basics(sessions, data_dir)
    session.scalars(select(Asset).where(Asset.source_id == "V2")).one().status = "archived"
    session.flush()
    path = tmp_path / "links.csv"
    path.write_text("id,from_id,to_id,type\nL1,G1,V1,meets_at\nL2,G1,NOPE,meets_at\n"
                    "L3,G2,V2,meets_at\n")
    before = counts(session)
    with pytest.raises(ImportRejected) as excinfo:
        import_file(sessions, "links", path)
    assert excinfo.value.problems == [(3, "to_id", "no asset with id 'NOPE'"),
                                      (4, "to_id", "asset 'V2' is archived")]
    assert counts(session) == before


def test_a_failure_while_writing_rolls_back_everything(sessions, session, data_dir,
                                                       monkeypatch):
    before = counts(session)
    from assetmap.store import importing

    calls = {"n": 0}
    real = importing.revisions.snapshot

    def fail_on_third(*args, **kwargs):
        # Called for each imported asset's revision, after its row went to the database.
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(importing.revisions, "snapshot", fail_on_third)
    with pytest.raises(RuntimeError):
        import_file(sessions, "assets", data_dir / "assets.geojson")
    assert counts(session) == before


def test_geojson_round_trip_keeps_every_feature_and_property(sessions, session, data_dir,
                                                            tmp_path):
    import_file(sessions, "assets", data_dir / "assets.geojson")
    out = tmp_path / "out.geojson"
    with open(out, "w") as handle:
        write_feature_collection(iter_layer(session, "assets"), handle)
    exported = json.loads(out.read_text())
    original = json.loads((data_dir / "assets.geojson").read_text())
    assert "crs" not in exported
    assert len(exported["features"]) == len(original["features"])
    by_id = {f["id"]: f for f in exported["features"]}
    for feature in original["features"]:
        fid = feature.get("id") or feature["properties"]["id"]
        mine = by_id[fid]
        for key, value in feature["properties"].items():
            assert mine["properties"][key] == value, (fid, key)
        assert mine["geometry"] == feature["geometry"]
    # Re-importing the export under the same source changes nothing.
    again = import_file(sessions, "assets", out, source="assets.geojson")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_polygons_are_exported_counter_clockwise(sessions, session, data_dir, tmp_path):
    clockwise = tmp_path / "cw.geojson"
    ring = [[-2.10, 53.71], [-2.10, 53.72], [-2.09, 53.72], [-2.09, 53.71], [-2.10, 53.71]]
    clockwise.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"id": "P", "kind": "venue", "category": "faith", "name": "Chapel"}}]}))
    import_file(sessions, "assets", clockwise)
    feature = next(iter_layer(session, "assets"))
    import shapely

    exterior = shapely.geometry.shape(feature["geometry"]).exterior
    assert exterior.is_ccw


def test_links_export_as_lines(sessions, session, data_dir):
    load_basics(sessions, data_dir)
    import_file(sessions, "links", data_dir / "links.csv")
    lines = list(iter_layer(session, "links"))
    assert [f["geometry"]["type"] for f in lines] == ["LineString"] * 3
    first = next(f for f in lines if f["id"] == "L1")
    assert first["geometry"]["coordinates"] == [[-2.0971, 53.7132], [-2.099, 53.714]]
    assert first["properties"]["from_id"] == "G1" and first["properties"]["to_id"] == "V1"


def test_every_imported_asset_gets_its_revision_across_batches(sessions, session, data_dir,
                                                                monkeypatch):
    from assetmap.store import importing

    monkeypatch.setattr(importing, "BATCH", 2)  # several batches and a partial last one
    summary = import_file(sessions, "assets", data_dir / "assets.geojson")
    assert summary.created >= 3
    imported = session.scalars(select(Asset).where(Asset.source == "assets.geojson")).all()
    revisions = session.scalars(select(Revision).where(
        Revision.entity == "asset", Revision.entity_id.in_([a.id for a in imported]))).all()
    assert sorted(r.entity_id for r in revisions) == sorted(a.id for a in imported)
    by_id = {a.id: a for a in imported}
    for revision in revisions:
        assert revision.action == "import" and revision.before is None
        assert revision.reason == "imported from assets.geojson"
        assert revision.after["name"] == by_id[revision.entity_id].name
        assert revision.after["version"] == 1
