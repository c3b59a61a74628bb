"""The priority score: min-max factors, weights and contributions, worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from assetmap.errors import InvalidInput
from assetmap.gaps import analyse_gaps
from assetmap.gaps.priority import check_weights, minmax, priority_scores

from . import local

NEED = np.array([10.0, 20.0, 40.0])
ACCESS = np.array([0.002, 0.001, 0.004])
BRIDGING = np.array([0.5, -0.5, 0.0])


def test_minmax():
    np.testing.assert_allclose(minmax(np.array([10.0, 20.0, 40.0])), [0, 1 / 3, 1])
    assert np.isnan(minmax(np.array([1.0, np.nan, 3.0]))[1])
    np.testing.assert_array_equal(minmax(np.array([5.0, 5.0])), [0, 0])


def test_score_and_contributions_by_hand():
    # need factor  = minmax(need)        = (0, 10/30, 30/30)          = 0, 1/3, 1
    # access factor = 1 - minmax(access): minmax = (1/3, 0, 1)       -> 2/3, 1, 0
    # bridging factor = 1 - minmax(b):    minmax = (1, 0, 0.5)       -> 0, 1, 0.5
    # weights need 2, access 1, bridging 1: sum 4.
    # contributions: need 2f/4 = 0, 1/6, 1/2; access f/4 = 1/6, 1/4, 0; bridging f/4 = 0, 1/4, 1/8
    # scores: A = 1/6, B = 1/6 + 1/4 + 1/4 = 2/3, C = 1/2 + 1/8 = 5/8 -> ranks A 3, B 1, C 2
    table, notes, used = priority_scores(NEED, ACCESS, BRIDGING, check_weights({"need": 2}))
    np.testing.assert_allclose(table["factor_need"], [0, 1 / 3, 1])
    np.testing.assert_allclose(table["factor_access"], [2 / 3, 1, 0])
    np.testing.assert_allclose(table["factor_bridging"], [0, 1, 0.5])
    np.testing.assert_allclose(table["contrib_need"], [0, 1 / 6, 1 / 2])
    np.testing.assert_allclose(table["contrib_access"], [1 / 6, 1 / 4, 0])
    np.testing.assert_allclose(table["contrib_bridging"], [0, 1 / 4, 1 / 8])
    np.testing.assert_allclose(table["priority"], [1 / 6, 2 / 3, 5 / 8])
    assert table["rank"].tolist() == [3, 1, 2]
    contributions = table[["contrib_need", "contrib_access", "contrib_bridging"]].sum(axis=1)
    np.testing.assert_allclose(contributions, table["priority"])
    assert used == {"need": 2.0, "access": 1.0, "bridging": 1.0}
    assert notes == []


def test_missing_need_uses_the_other_factors():
    # A has no need value: its score is the mean of access (2/3) and bridging (0) with
    # weights 1 and 1 -> 1/3. B and C still use all three (need now scaled over 20..40).
    need = np.array([np.nan, 20.0, 40.0])
    table, notes, _ = priority_scores(need, ACCESS, BRIDGING, check_weights(None))
    assert np.isnan(table.loc[0, "contrib_need"])
    assert table.loc[0, "priority"] == pytest.approx(1 / 3)
    # B: need 0, access 1, bridging 1 -> 2/3; C: need 1, access 0, bridging 0.5 -> 1.5/3
    np.testing.assert_allclose(table["priority"][1:], [2 / 3, 0.5])
    assert any("1 area(s) have no need value" in n for n in notes)


def test_bridging_left_out_when_not_given():
    table, notes, used = priority_scores(NEED, ACCESS, None, check_weights(None))
    assert used["bridging"] == 0
    assert table["contrib_bridging"].isna().all()
    # need and access weigh 1 each: A = (0 + 2/3)/2, B = (1/3 + 1)/2, C = (1 + 0)/2
    np.testing.assert_allclose(table["priority"], [1 / 3, 2 / 3, 1 / 2])
    assert any("Bridging ties were not given" in n for n in notes)


def test_weights_are_checked():
    with pytest.raises(InvalidInput, match="unknown priority weight 'cost'"):
        check_weights({"cost": 1})
    with pytest.raises(InvalidInput, match="zero or more"):
        check_weights({"need": -1})
    with pytest.raises(InvalidInput, match="at least one"):
        check_weights({"need": 0, "access": 0, "bridging": 0})
    with pytest.raises(InvalidInput, match="every factor with data has weight 0"):
        priority_scores(NEED, ACCESS, None, check_weights({"need": 0, "access": 0}))


def test_bridging_through_analyse_gaps_is_keyed_by_area_name():
    areas = local.areas(
        [
            ("North", 1000, 5.0, local.square(0, 1000, 1000)),
            ("South", 1000, 5.0, local.square(0, 0, 1000)),
        ]
    )
    assets = local.assets([(1, "food", 500, 500)])
    result = analyse_gaps(areas, None, assets, bridging={"South": 0.9, "North": -0.2})
    out = result.areas.set_index("name")
    assert out.loc["North", "bridging"] == -0.2
    # North has the weaker ties (factor 1), South the stronger (factor 0).
    assert out.loc["North", "factor_bridging"] == 1.0
    assert out.loc["South", "factor_bridging"] == 0.0
    with pytest.raises(InvalidInput, match="'East', which is not an area"):
        analyse_gaps(areas, None, assets, bridging={"East": 0.1})
    with pytest.raises(InvalidInput, match="not a number"):
        analyse_gaps(areas, None, assets, bridging={"North": "high"})
