"""Rounds and proposals: who may open them, what they accept, how proposals are moderated."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assetmap.errors import Conflict, Forbidden, InvalidInput, NotFound, NotSignedIn
from assetmap.store import assets, ballots, rounds
from assetmap.store.visibility import ANONYMOUS

from .conftest import INSIDE, NOW, propose, round_data


def test_worker_opens_a_round_for_two_areas(session, areas, worker):
    rnd = rounds.create_round(session, round_data(areas, hide_totals="on"), worker)
    assert rnd.mode == "points" and rnd.budget == 10 and rnd.hide_totals is True
    assert rounds.area_ids(session, rnd.id) == sorted([areas["Central"].id,
                                                       areas["Eastwood"].id])
    assert rounds.state(rnd, NOW) == "open"
    assert rounds.state(rnd, NOW - timedelta(days=2)) == "upcoming"
    assert rounds.state(rnd, NOW + timedelta(days=7)) == "closed"  # closing time is exclusive


def test_naive_times_are_utc(session, areas, worker):
    rnd = rounds.create_round(session, round_data(
        areas, opens_at="2026-05-09T12:00", closes_at="2026-05-17T12:00Z"), worker)
    assert rnd.opens_at == NOW - timedelta(days=1)
    assert rnd.closes_at == NOW + timedelta(days=7)


def test_residents_and_anonymous_cannot_open_rounds(session, areas, people):
    with pytest.raises(Forbidden, match="only workers"):
        rounds.create_round(session, round_data(areas), people["ann"])
    with pytest.raises(NotSignedIn):
        rounds.create_round(session, round_data(areas), ANONYMOUS)


@pytest.mark.parametrize("overrides, field", [
    ({"title": "  "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": 7}, "title"),
    ({"mode": "lottery"}, "mode"),
    ({"budget": None}, "budget"),
    ({"budget": 0}, "budget"),
    ({"budget": 2.5}, "budget"),
    ({"budget": True}, "budget"),
    ({"opens_at": "next tuesday"}, "opens_at"),
    ({"closes_at": None}, "closes_at"),
    ({"closes_at": NOW - timedelta(days=1)}, "closes_at"),  # equal to opens_at
    ({"area_ids": []}, "area_ids"),
    ({"area_ids": [999999]}, "area_ids"),
    ({"area_ids": ["abc"]}, "area_ids"),
    ({"hide_totals": "maybe"}, "hide_totals"),
])
def test_bad_rounds_name_the_field(session, areas, worker, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        rounds.create_round(session, round_data(areas, **overrides), worker)
    assert caught.value.field == field


def test_ranking_rounds_need_no_budget(session, ranking_round):
    assert ranking_round.mode == "ranking" and ranking_round.budget is None


def test_close_early_then_refuse_to_close_again(session, points_round, worker, people):
    with pytest.raises(Forbidden):
        rounds.close_round(session, points_round.id, people["ann"], now=NOW)
    closed = rounds.close_round(session, points_round.id, worker, now=NOW)
    assert closed.closed_early_at == NOW and rounds.state(closed, NOW) == "closed"
    with pytest.raises(Conflict, match="closed already"):
        rounds.close_round(session, points_round.id, worker, now=NOW)
    with pytest.raises(NotFound):
        rounds.close_round(session, 999999, worker, now=NOW)


def test_proposal_area_comes_from_its_point(session, points_round, people, worker, areas):
    east = propose(session, points_round.id, people["ann"], "Skills swap", where="Eastwood")
    assert east.area_id == areas["Eastwood"].id and east.status == "pending"
    # On the shared edge between Central and Eastwood: the lower id wins, deterministically.
    edge = rounds.create_proposal(session, points_round.id,
                                  {"title": "Edge", "lon": -2.09, "lat": 53.71}, worker,
                                  now=NOW)
    assert edge.area_id == min(areas["Central"].id, areas["Eastwood"].id)
    assert edge.status == "published"  # a worker's own proposal needs no review


def test_proposal_outside_the_rounds_areas_is_refused(session, points_round, people):
    with pytest.raises(InvalidInput, match=r"outside this round's areas \(Central, Eastwood\)"):
        propose(session, points_round.id, people["nia"], "Far away", where="Northfield")


@pytest.mark.parametrize("data, field", [
    ({"title": "", "lon": -2.1, "lat": 53.71}, "title"),
    ({"title": "A"}, "lon"),
    ({"title": "A", "lon": "west", "lat": 53.71}, "lon"),
    ({"title": "A", "lon": float("nan"), "lat": 53.71}, "lon"),
    ({"title": "A", "lon": 500, "lat": 53.71}, "lon"),
    ({"title": "A", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}},
     "geometry"),
    ({"title": "A", "lon": -2.1, "lat": 53.71, "asset_ids": [999999]}, "asset_ids"),
    ({"title": "A", "lon": -2.1, "lat": 53.71, "asset_ids": "x y"}, "asset_ids"),
    ({"title": "A", "lon": -2.1, "lat": 53.71, "asset_ids": {"a": 1}}, "asset_ids"),
    ({"title": "A", "lon": -2.1, "lat": 53.71, "description": "d" * 5001}, "description"),
])
def test_bad_proposals_name_the_field(session, points_round, people, data, field):
    with pytest.raises(InvalidInput) as caught:
        rounds.create_proposal(session, points_round.id, data, people["ann"], now=NOW)
    assert caught.value.field == field


def test_proposals_tie_to_visible_assets_only(session, points_round, people, worker):
    lon, lat = INSIDE["Central"]
    hall = assets.create(session, {"kind": "venue", "category": "community_space",
                                   "name": "Hall", "lon": lon, "lat": lat}, worker)
    private = assets.create(session, {"kind": "venue", "category": "community_space",
                                      "name": "Back room", "lon": lon, "lat": lat,
                                      "visibility": "private"}, worker)
    made = propose(session, points_round.id, people["ann"], "Youth club at the hall",
                   asset_ids=[hall.id])
    assert made.asset_ids == [hall.id]
    with pytest.raises(InvalidInput, match=f"no asset {private.id} that you can see"):
        propose(session, points_round.id, people["ann"], "Back room club",
                asset_ids=[hall.id, private.id])


def test_closed_round_takes_no_proposals(session, points_round, people):
    with pytest.raises(Conflict, match="no more proposals"):
        rounds.create_proposal(session, points_round.id,
                               {"title": "Late", "lon": -2.1, "lat": 53.71}, people["ann"],
                               now=NOW + timedelta(days=8))
    with pytest.raises(NotSignedIn):
        rounds.create_proposal(session, points_round.id, {"title": "x"}, ANONYMOUS, now=NOW)


def test_moderation_of_proposals(session, points_round, people, worker):
    mine = propose(session, points_round.id, people["ann"], "Repair café")
    other = propose(session, points_round.id, people["bob"], "Book swap")
    rid = points_round.id
    # Only the author and workers see a pending proposal.
    seen_by = {name: [p.title for p, _, _ in rounds.proposals(session, rid, people[name])]
               for name in ("ann", "eve")}
    assert seen_by == {"ann": ["Repair café"], "eve": []}
    assert [p.title for p, *_ in rounds.proposals(session, rid, ANONYMOUS)] == []
    assert [p.title for p, *_ in rounds.proposals(session, rid, worker)] == [
        "Repair café", "Book swap"]
    with pytest.raises(Forbidden):
        rounds.set_proposal_status(session, rid, mine.id, "published", people["ann"])
    with pytest.raises(InvalidInput, match="give a reason"):
        rounds.set_proposal_status(session, rid, mine.id, "rejected", worker, reason=" ")
    with pytest.raises(InvalidInput) as caught:
        rounds.set_proposal_status(session, rid, mine.id, "maybe", worker)
    assert caught.value.field == "status"
    with pytest.raises(NotFound):
        rounds.set_proposal_status(session, rid + 1000, mine.id, "published", worker)
    with pytest.raises(Conflict, match="version 7"):
        rounds.set_proposal_status(session, rid, mine.id, "published", worker, version=7)
    approved = rounds.set_proposal_status(session, rid, mine.id, "published", worker,
                                          version=mine.version)
    assert approved.status == "published"
    rejected = rounds.set_proposal_status(session, rid, other.id, "rejected", worker,
                                          reason="Already runs weekly")
    assert rejected.reason == "Already runs weekly"
    assert [p.title for p, *_ in rounds.proposals(session, rid, ANONYMOUS)] == ["Repair café"]
    # An author may withdraw their own pending proposal, but not a published one.
    third = propose(session, rid, people["bob"], "Community fridge")
    assert rounds.set_proposal_status(session, rid, third.id, "archived",
                                      people["bob"]).status == "archived"
    with pytest.raises(Forbidden):
        rounds.set_proposal_status(session, rid, mine.id, "archived", people["ann"])
    assert [p.title for p in rounds.pending_proposals(session, rid)] == []


def test_home_area_is_set_and_cleared(session, areas, people):
    hal = people["hal"]
    assert ballots.home_area_id(session, hal) is None
    assert ballots.set_home_area(session, hal, str(areas["Eastwood"].id)) == areas["Eastwood"].id
    assert ballots.home_area_id(session, hal) == areas["Eastwood"].id
    assert ballots.set_home_area(session, hal, "") is None
    with pytest.raises(InvalidInput) as caught:
        ballots.set_home_area(session, hal, 999999)
    assert caught.value.field == "area_id"
    with pytest.raises(InvalidInput):
        ballots.set_home_area(session, hal, "Central")
    with pytest.raises(NotSignedIn):
        ballots.set_home_area(session, ANONYMOUS, areas["Central"].id)


def test_gap_scores_are_the_need_index_for_now(session, areas):
    scores = rounds.area_gap_scores(session)
    # Northfield has no need index, so it has no score.
    assert {k: v for k, v in scores.items() if k in {a.id for a in areas.values()}} == {
        areas["Central"].id: 0.62, areas["Eastwood"].id: 0.35}
