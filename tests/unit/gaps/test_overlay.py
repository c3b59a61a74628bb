"""Public services with no community asset of a chosen category nearby, by hand."""

from __future__ import annotations

import math

import pytest

from assetmap.errors import InvalidInput
from assetmap.gaps import analyse_gaps
from assetmap.gaps.overlay import overlay_plan

from . import local

AREAS = local.areas([("Town", 5000, 1.0, local.square(-1000, -1000, 7000))])
SERVICES = local.services(
    [
        ("GP One", "health", 0, 0),
        ("GP Two", "health", 5000, 0),
        ("Library", "library", 2500, 5000),
    ]
)
ASSETS = local.assets(
    [
        (1, "mutual_aid", 300, 400),  # 500 m from GP One
        (2, "health_wellbeing", 5000, 900),  # 900 m from GP Two
    ]
)


def test_services_missing_chosen_categories_for_social_prescribing():
    result = analyse_gaps(
        AREAS,
        SERVICES,
        ASSETS,
        overlay_categories={"health": ["mutual_aid", "health_wellbeing"]},
        overlay_m=800,
    )
    table = result.services_without_assets
    got = {(r.service_name, r.category): round(r.nearest_asset_m, 2) for r in table.itertuples()}
    # GP One has mutual aid 500 m away (fine) but its nearest health and wellbeing asset is
    # at (5000, 900): sqrt(5000^2 + 900^2) = 5,080.35 m. GP Two's mutual aid is at
    # sqrt(4700^2 + 400^2) = 4,716.99 m and its health and wellbeing asset 900 m away, both
    # beyond 800 m. The library is not checked: the mapping names only health.
    assert got == {
        ("GP One", "health_wellbeing"): round(math.hypot(5000, 900), 2),
        ("GP Two", "health_wellbeing"): 900.0,
        ("GP Two", "mutual_aid"): round(math.hypot(4700, 400), 2),
    }
    row = table[(table.service_name == "GP One")].iloc[0]
    assert row.nearest_asset_name == "Asset 2"
    assert table.crs.to_epsg() == 4326


def test_default_overlay_looks_for_any_asset_around_every_service():
    result = analyse_gaps(AREAS, SERVICES, ASSETS, overlay_m=800)
    table = result.services_without_assets
    # GP One: 500 m to an asset, fine. GP Two: 900 m, missing. Library at (2500, 5000):
    # nearest is (5000, 900) at sqrt(2500^2 + 4100^2) = 4,802.08 m, missing.
    assert list(table.service_name) == ["GP Two", "Library"]
    assert set(table.category) == {"any"}
    assert table.nearest_asset_m.tolist() == pytest.approx([900, math.hypot(2500, 4100)])
    # The overlay distance defaults to the walk distance.
    wider = analyse_gaps(AREAS, SERVICES, ASSETS, walk_m=1000).services_without_assets
    assert list(wider.service_name) == ["Library"]


def test_category_with_no_assets_anywhere_has_no_distance():
    result = analyse_gaps(AREAS, SERVICES, ASSETS, overlay_categories=["faith"])
    table = result.services_without_assets
    assert len(table) == 3
    assert table.nearest_asset_m.isna().all()
    assert table.nearest_asset_name.isna().all()


def test_overlay_specification_is_checked():
    with pytest.raises(InvalidInput, match="unknown asset category 'choir'"):
        overlay_plan(["choir"])
    with pytest.raises(InvalidInput, match="unknown service type 'gp'"):
        overlay_plan({"gp": ["mutual_aid"]})
    with pytest.raises(InvalidInput, match="no asset categories"):
        overlay_plan([])
    assert overlay_plan("food")["library"] == ["food"]
