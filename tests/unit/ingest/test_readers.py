"""Readers and validation on real files, no database."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from assetmap.errors import ImportRejected, InvalidInput
from assetmap.ingest.pipeline import read_and_validate


def problems_of(excinfo) -> list[tuple]:
    return excinfo.value.problems


def test_geojson_assets_keep_ids_extras_and_geometry(data_dir):
    records, _ = read_and_validate("assets", data_dir / "assets.geojson")
    by_id = {r["source_id"]: r for r in records}
    assert set(by_id) == {"G1", "V1", "V2", "G2"}  # G1 comes from the feature-level id
    assert by_id["G1"]["extra"] == {"volunteers": 12, "languages": ["en", "ur"]}
    assert by_id["G1"]["status"] == "published"  # imports are curated data
    assert by_id["G2"]["status"] == "pending"
    assert by_id["V2"]["geom"].geom_type == "Polygon"
    assert by_id["V1"]["geom"].equals(shapely.Point(-2.0990, 53.7140))


def test_csv_lon_lat(data_dir):
    records, _ = read_and_validate("assets", data_dir / "assets.csv")
    assert [r["source_id"] for r in records] == ["C1", "C2", "C3"]
    assert records[0]["description"] == "Sings, badly, on Thursdays"
    assert records[1]["visibility"] == "private"
    assert records[0]["geom"].x == pytest.approx(-2.0985)


def test_csv_wkt_in_british_national_grid_is_reprojected(data_dir):
    records, _ = read_and_validate("assets", data_dir / "assets_bng.csv", crs="EPSG:27700")
    fridge = records[0]["geom"]
    # Independent check: pyproj via geopandas on the same coordinates.
    expected = gpd.GeoSeries([shapely.Point(393800, 424500)], crs=27700).to_crs(4326)[0]
    assert fridge.x == pytest.approx(expected.x, abs=1e-9)
    assert fridge.y == pytest.approx(expected.y, abs=1e-9)
    assert 53.6 < fridge.y < 53.8 and -2.2 < fridge.x < -2.0  # Todmorden, not the Atlantic
    assert records[1]["geom"].geom_type == "Polygon"


def test_geopackage_in_another_crs(tmp_path, data_dir):
    frame = gpd.read_file(data_dir / "areas.geojson").to_crs(27700)
    path = tmp_path / "areas.gpkg"
    frame.to_file(path, driver="GPKG")
    records, _ = read_and_validate("areas", path)
    assert [r["name"] for r in records] == ["Central", "Eastwood"]
    assert records[0]["population"] == 2400 and records[0]["need_index"] == pytest.approx(0.62)
    assert records[1]["need_index"] is None
    assert records[0]["geom"].geom_type == "MultiPolygon"
    minx, miny, maxx, maxy = records[0]["geom"].bounds
    assert (minx, miny, maxx, maxy) == pytest.approx((-2.11, 53.70, -2.09, 53.72), abs=1e-7)


def test_osm_extract_maps_tags_to_assets_and_services(data_dir):
    assets, notes = read_and_validate("assets", data_dir / "town.osm")
    by_id = {r["source_id"]: r for r in assets}
    assert set(by_id) == {"node/1", "node/4", "way/100"}
    assert by_id["node/1"]["category"] == "community_space"
    assert by_id["node/1"]["opening_times"] == "Mo-Fr 09:00-21:00"
    assert by_id["node/1"]["accessibility"] == "wheelchair: yes"
    assert by_id["node/4"]["kind"] == "group" and by_id["node/4"]["category"] == "sport_leisure"
    assert by_id["way/100"]["geom"].geom_type == "MultiPolygon"  # a venue keeps its footprint
    assert notes == ["1 OpenStreetMap object(s) without a name were skipped"]
    services, _ = read_and_validate("services", data_dir / "town.osm")
    assert {(r["source_id"], r["service_type"]) for r in services} == {
        ("node/2", "health"), ("way/101", "library")}
    assert all(r["geom"].geom_type == "Point" for r in services)


def test_osm_pbf_is_read_too(tmp_path, data_dir):
    import osmium

    pbf = tmp_path / "town.osm.pbf"
    with osmium.SimpleWriter(str(pbf)) as writer:
        for obj in osmium.FileProcessor(str(data_dir / "town.osm")):
            writer.add(obj)
    records, _ = read_and_validate("assets", pbf)
    assert {r["source_id"] for r in records} == {"node/1", "node/4", "way/100"}


def test_broken_json_names_line_and_column(data_dir):
    with pytest.raises(ImportRejected) as excinfo:
        read_and_validate("assets", data_dir / "broken.geojson")
    (row, field, reason), = problems_of(excinfo)
    assert "line 3" in reason and "column" in reason


def test_missing_and_blank_names_are_listed_by_row(data_dir):
    with pytest.raises(ImportRejected) as excinfo:
        read_and_validate("assets", data_dir / "missing_name.geojson")
    assert problems_of(excinfo) == [(2, "name", "is missing or empty"),
                                    (3, "name", "is missing or empty")]


def test_unknown_category_and_kind_are_listed_by_csv_line(data_dir):
    with pytest.raises(ImportRejected) as excinfo:
        read_and_validate("assets", data_dir / "unknown_category.csv")
    found = [(row, field) for row, field, _ in problems_of(excinfo)]
    assert found == [(3, "category"), (4, "kind")]
    assert "'knitting'" in problems_of(excinfo)[0][2]


def test_invalid_malformed_and_missing_geometries(data_dir):
    with pytest.raises(ImportRejected) as excinfo:
        read_and_validate("assets", data_dir / "invalid_geometry.geojson")
    rows = problems_of(excinfo)
    assert [(r, f) for r, f, _ in rows] == [(1, "geometry"), (2, "geometry"), (3, "geometry")]
    assert "Self-intersection" in rows[0][2]
    assert rows[1][2].startswith("malformed geometry")
    assert rows[2][2] == "is missing"


def test_out_of_range_and_non_numeric_coordinates(data_dir):
    with pytest.raises(ImportRejected) as excinfo:
        read_and_validate("assets", data_dir / "out_of_range.csv")
    rows = problems_of(excinfo)
    assert [(r, f) for r, f, _ in rows] == [(3, "geometry"), (4, "geometry")]
    assert "out of range" in rows[0][2] and "--crs" in rows[0][2]
    assert "must be numbers" in rows[1][2]


def test_wrong_column_types(data_dir):
    with pytest.raises(ImportRejected) as excinfo:
        read_and_validate("areas", data_dir / "wrong_types_areas.csv")
    assert [(r, f) for r, f, _ in problems_of(excinfo)] == [
        (2, "population"), (3, "need_index"), (4, "population")]


def test_links_validation(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text(
        "id,from_id,to_id,type,weight,started,ended\n"
        "1,A,A,meets_at,1,,\n"
        "2,A,B,knows,1,,\n"
        "3,A,B,funds,-2,2024-01-01,2023-01-01\n"
        "4,A,B,funds,heavy,someday,\n"
    )
    with pytest.raises(ImportRejected) as excinfo:
        read_and_validate("links", path)
    assert [(r, f) for r, f, _ in problems_of(excinfo)] == [
        (2, "to_id"), (3, "type"), (4, "weight"), (4, "ended"), (5, "weight"), (5, "started")]


def test_duplicate_ids_in_one_file(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("id,kind,category,name,lon,lat\n"
                    "D,group,food,One,-2.09,53.71\nD,group,food,Two,-2.09,53.71\n")
    with pytest.raises(ImportRejected) as excinfo:
        read_and_validate("assets", path)
    assert problems_of(excinfo) == [(3, "id", "duplicate id 'D' (also row 2)")]


def test_overlong_name(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(f"id,kind,category,name,lon,lat\nL,group,food,{'x' * 10_000},-2.09,53.71\n")
    with pytest.raises(ImportRejected) as excinfo:
        read_and_validate("assets", path)
    assert problems_of(excinfo) == [(2, "name", "is 10000 characters long; the limit is 200")]


def test_empty_file_and_unknown_things(tmp_path):
    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(ImportRejected, match="problem"):
        read_and_validate("assets", empty)
    with pytest.raises(InvalidInput, match="no such file"):
        read_and_validate("assets", tmp_path / "nope.geojson")
    with pytest.raises(InvalidInput, match="unknown coordinate reference system"):
        read_and_validate("assets", empty, crs="EPSG:999999")
    not_fc = tmp_path / "list.geojson"
    not_fc.write_text("[1, 2]")
    with pytest.raises(InvalidInput, match="not a GeoJSON FeatureCollection"):
        read_and_validate("assets", not_fc)
