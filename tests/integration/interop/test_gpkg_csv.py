"""GeoPackage and CSV downloads of the same layers, read back by GDAL, pyogrio and csv."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date

import geopandas as gpd
import pyogrio

from tests.integration.interop.conftest import PUBLIC, bearer


def _ogrinfo(*args) -> str:
    return subprocess.run(["ogrinfo", "-ro", *args], capture_output=True, text=True,
                          check=True).stdout


def test_geopackage_of_assets(client, tmp_path):
    response = client.get("/export/assets.gpkg")
    assert response.status_code == 200
    assert response.content_type == "application/geopackage+sqlite3"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=assetmap-assets-{date.today().isoformat()}.gpkg")
    path = tmp_path / "assets.gpkg"
    path.write_bytes(response.get_data())
    info = _ogrinfo("-al", "-so", str(path))
    assert "Layer name: assets" in info and "Feature Count: 3" in info
    assert "EPSG" in info and "4326" in info
    assert "contact:" not in info  # anonymous: no contact column at all
    frame = gpd.read_file(path)
    assert sorted(frame["name"]) == sorted(PUBLIC)
    fielden = frame[frame["name"] == "Fielden Centre"].geometry.iloc[0]
    assert fielden.geom_type == "Polygon" and round(fielden.area, 10) == round(0.001 * 0.0006, 10)
    assert frame["id"].dtype.kind == "i"


def test_geopackage_with_a_planner_token_has_contacts(client, ids, tmp_path):
    path = tmp_path / "assets.gpkg"
    path.write_bytes(client.get("/export/assets.gpkg",
                                headers=bearer(ids["tokens"]["planner"])).get_data())
    frame = pyogrio.read_dataframe(path)
    assert sorted(frame["name"]) == sorted([*PUBLIC, "Members Choir"])
    contacts = dict(zip(frame["name"], frame["contact"], strict=True))
    assert contacts["Members Choir"] == "choir@example.org"
    assert contacts["Lunch Club"] == "lunch@example.org"


def test_geopackage_of_links_areas_and_an_empty_filter(client, tmp_path):
    links = tmp_path / "links.gpkg"
    links.write_bytes(client.get("/export/links.gpkg").get_data())
    info = _ogrinfo("-al", "-so", str(links))
    assert "Geometry: Line String" in info and "Feature Count: 2" in info
    areas = tmp_path / "areas.gpkg"
    areas.write_bytes(client.get("/export/areas.gpkg").get_data())
    frame = pyogrio.read_dataframe(areas)
    assert sorted(frame["name"]) == ["Central", "Eastwood"]
    # Each area is a 0.02 x 0.02 degree square.
    assert [round(g.area, 8) for g in frame.geometry] == [0.0004, 0.0004]
    # Nothing matches: still a layer with its columns.
    empty = tmp_path / "empty.gpkg"
    empty.write_bytes(client.get("/export/services.gpkg?category=housing").get_data())
    info = _ogrinfo("-al", "-so", str(empty))
    assert "Feature Count: 0" in info and "service_type: String" in info


def test_csv_of_assets(client, tmp_path):
    response = client.get("/export/assets.csv?kind=group")
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].endswith('.csv"')
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["name"] for r in rows) == ["Allotment Society", "Lunch Club"]
    lunch = next(r for r in rows if r["name"] == "Lunch Club")
    assert lunch["wkt"] == "POINT(-2.1 53.71)" and lunch["kind"] == "group"
    assert "contact" not in rows[0]
    # GDAL reads the WKT column as the geometry.
    path = tmp_path / "assets.csv"
    path.write_text(text, encoding="utf-8")
    info = _ogrinfo("-al", "-so", "-oo", "GEOM_POSSIBLE_NAMES=wkt", "-oo", "KEEP_GEOM_COLUMNS=NO",
                    str(path))
    assert "Feature Count: 2" in info
    # Lunch Club (-2.1, 53.71) and Allotment Society (-2.08, 53.705).
    assert "Extent: (-2.100000, 53.705000) - (-2.080000, 53.710000)" in info


def test_csv_of_links_has_typed_cells(client, ids):
    text = client.get("/export/links.csv?type=partners_with").get_data(as_text=True)
    [row] = list(csv.DictReader(io.StringIO(text)))
    # Only Allotment Society - Lunch Club is public among the partnerships.
    assert int(row["from_id"]) == ids["assets"]["Allotment Society"]
    assert row["directed"] == "false"
    assert (row["started"], row["ended"]) == ("2022-05-01", "2024-01-31")
    assert row["wkt"].startswith("LINESTRING(-2.08 53.705")


def test_geopackage_download_has_a_length_and_ranges(client):
    whole = client.get("/export/areas.gpkg")
    size = int(whole.headers["Content-Length"])
    assert size == len(whole.get_data()) and whole.get_data()[:16] == b"SQLite format 3\x00"
    assert whole.headers["Accept-Ranges"] == "bytes"
    part = client.get("/export/areas.gpkg", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.get_data()) == 100
    assert part.headers["Content-Range"] == f"bytes 0-99/{size}"
