"""The bridge from the store to the analyses: records filtered by area and by date."""

from datetime import date

import pytest

from assetmap.errors import InvalidInput
from assetmap.ingest.pipeline import import_file
from assetmap.store.analysis_inputs import gap_layers, link_date_range, network_records


@pytest.fixture
def loaded(sessions, data_dir):
    for layer, name in (("areas", "areas.geojson"), ("services", "services.geojson"),
                        ("assets", "assets.geojson"), ("links", "links.csv")):
        import_file(sessions, layer, data_dir / name)


def test_network_records_carry_areas_and_points(session, loaded):
    assets, links = network_records(session)
    by_name = {a["name"]: a for a in assets}
    assert "Incredible Edible Growers" not in by_name  # pending, so not in the network
    assert by_name["Tuesday Lunch Club"]["area"] == "Central"
    assert by_name["Tuesday Lunch Club"]["lon"] == pytest.approx(-2.0971)
    # L2 and L3 touch the pending asset G2, so only L1 remains.
    assert [(link["type"], link["weight"]) for link in links] == [("meets_at", 3.0)]


def test_filters_by_area_and_date(session, loaded):
    assets, _ = network_records(session, area="Eastwood")
    assert assets == []
    _, links = network_records(session, on=date(2020, 1, 1))
    assert links == []  # L1 started in 2021
    _, links = network_records(session, on=date(2021, 3, 1))
    assert len(links) == 1
    assert link_date_range(session) == (date(2021, 3, 1), date(2024, 1, 31))


def test_unknown_area_names_the_known_ones(session, loaded):
    with pytest.raises(InvalidInput, match="no area called 'Atlantis' .*Central, Eastwood"):
        network_records(session, area="Atlantis")


def test_gap_layers(session, loaded):
    areas, services, assets = gap_layers(session)
    assert list(areas["name"]) == ["Central", "Eastwood"]
    assert areas.crs.to_epsg() == 4326 and services.crs.to_epsg() == 4326
    assert len(services) == 2 and len(assets) == 3
    assert set(assets.geometry.geom_type) == {"Point"}
