"""GDAL, as QGIS uses it, against the app served on 127.0.0.1: OAPIF, GeoJSON, MVT."""

from __future__ import annotations

import math
import subprocess

from tests.integration.interop.conftest import PUBLIC


def _ogrinfo(*args) -> str:
    result = subprocess.run(["ogrinfo", "-ro", *args], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_oapif_lists_the_collections(live_url):
    info = _ogrinfo(f"OAPIF:{live_url}/ogc")
    assert "1: assets (title: Community assets)" in info
    assert "2: links (title: Links between assets) (Line String)" in info
    assert "3: services (title: Public services) (Point)" in info
    assert "4: areas (title: Neighbourhoods) (Multi Polygon)" in info


def test_oapif_reads_a_collection(live_url):
    info = _ogrinfo("-al", "-so", f"OAPIF:{live_url}/ogc", "assets")
    assert "Feature Count: 3" in info
    # Lunch Club, Allotment Society and Fielden Centre's corners.
    assert "Extent: (-2.100000, 53.705000) - (-2.080000, 53.714600)" in info
    assert "contact: String" not in info
    features = _ogrinfo("-al", "-q", f"OAPIF:{live_url}/ogc", "assets")
    assert sorted(line.split(" = ")[1] for line in features.splitlines()
                  if line.strip().startswith("name (String)")) == sorted(PUBLIC)


def test_oapif_with_a_planner_token(live_url, ids):
    header = f"Authorization: Bearer {ids['tokens']['planner']}"
    info = _ogrinfo("--config", "GDAL_HTTP_HEADERS", header, "-al", "-so",
                    f"OAPIF:{live_url}/ogc", "assets")
    assert "Feature Count: 4" in info  # and Members Choir
    assert "contact: String" in info


def test_oapif_filters_like_qgis_does(live_url):
    # QGIS passes the map view as a spatial filter: only Lunch Club is in this box.
    info = _ogrinfo("-al", "-so", "-spat", "-2.101", "53.709", "-2.097", "53.711",
                    f"OAPIF:{live_url}/ogc", "assets")
    assert "Feature Count: 1" in info


def test_geojson_download_over_http(live_url):
    info = _ogrinfo("-al", "-so", f"{live_url}/export/links.geojson")
    assert "Feature Count: 2" in info and "Geometry: Line String" in info


def test_vector_tile_read_by_gdal(live_url):
    # The zoom-14 tile holding Lunch Club (-2.1, 53.71), by the slippy-map formulas.
    lat = math.radians(53.71)
    x = int((-2.1 + 180) / 360 * 2 ** 14)
    y = int((1 - math.asinh(math.tan(lat)) / math.pi) / 2 * 2 ** 14)
    info = _ogrinfo("-al", f"MVT:{live_url}/tiles/assets/14/{x}/{y}.mvt")
    names = sorted(line.split(" = ")[1] for line in info.splitlines()
                   if line.strip().startswith("name (String)"))
    # The tile spans lon -2.1094..-2.0874: Allotment Society (-2.08) is in the next one.
    assert (x, y) == (8096, 5282)
    assert names == ["Fielden Centre", "Lunch Club"]
