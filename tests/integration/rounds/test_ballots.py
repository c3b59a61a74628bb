"""Ballots: every refusal, changes kept for audit, results against a hand count, Borda."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from assetmap.errors import Conflict, Forbidden, InvalidInput, NotSignedIn
from assetmap.store import ballots, rounds
from assetmap.store.models import Ballot, BallotChange
from assetmap.store.visibility import ANONYMOUS

from .conftest import NOW, propose, round_data


@pytest.fixture
def ideas(session, points_round, worker, people):
    """Three published proposals and one pending, in the points round."""
    rid = points_round.id
    return {
        "youth": propose(session, rid, worker, "Youth club", "Central"),
        "swap": propose(session, rid, worker, "Skills swap", "Eastwood"),
        "repair": propose(session, rid, worker, "Repair café", "Central"),
        "pending": propose(session, rid, people["ann"], "Community fridge", "Central"),
    }


def vote(session, rnd, viewer, choices, now=NOW):
    return ballots.cast_ballot(session, rnd.id, choices, viewer, now=now)


def test_points_results_match_a_hand_count(session, points_round, ideas, people, areas):
    y, s, r = ideas["youth"].id, ideas["swap"].id, ideas["repair"].id
    vote(session, points_round, people["ann"], {str(y): 6, str(s): 4})
    vote(session, points_round, people["ann"], {str(y): 3, str(r): 7})  # changes her mind
    vote(session, points_round, people["bob"], {str(y): 5, str(s): 5, str(r): 0})
    vote(session, points_round, people["eve"], {s: 10})  # integer keys are accepted too
    # By hand, counting only each person's last ballot:
    #   Youth club  = ann 3 + bob 5          = 8,  from 2 voters
    #   Skills swap = bob 5 + eve 10         = 15, from 2 voters
    #   Repair café = ann 7 (bob's 0 dropped) = 7,  from 1 voter
    got = ballots.results(session, points_round.id, gap_scores={areas["Central"].id: 0.62},
                          now=NOW)
    assert [(p.title, p.total, p.voters, p.place) for p in got.proposals] == [
        ("Skills swap", 15, 2, 1), ("Youth club", 8, 2, 2), ("Repair café", 7, 1, 3)]
    assert got.method == "points" and got.ballots == 3 and got.state == "open"
    # The gap score sits beside each proposal's area (Eastwood was given none here).
    assert {p.title: p.gap_score for p in got.proposals} == {
        "Skills swap": None, "Youth club": 0.62, "Repair café": 0.62}
    # Turnout: Central has 2 ballots from its 2 residents (of 2,400 people); Eastwood 1 of 1.
    turnout = {t.name: (t.ballots, t.residents, t.population) for t in got.turnout}
    assert turnout == {"Central": (2, 2, 2400), "Eastwood": (1, 1, 1800)}
    central = next(t for t in got.turnout if t.name == "Central")
    assert central.of_residents == 1.0 and central.of_population == pytest.approx(2 / 2400)
    # Four ballots were cast; three count; ann's both attempts are kept for audit.
    assert ballots.audit_count(session, points_round.id) == 4
    assert ballots.ballot_count(session, points_round.id) == 3
    ann_changes = session.scalars(select(BallotChange.choices).where(
        BallotChange.user_id == people["ann"].user_id).order_by(BallotChange.id)).all()
    assert ann_changes == [{str(y): 6, str(s): 4}, {str(y): 3, str(r): 7}]


def test_borda_count_on_a_hand_worked_example(session, ranking_round, worker, people):
    rid = ranking_round.id
    a = propose(session, rid, worker, "A", "Central").id
    b = propose(session, rid, worker, "B", "Eastwood").id
    c = propose(session, rid, worker, "C", "Central").id
    vote(session, ranking_round, people["ann"], {a: 1, b: 2, c: 3})
    vote(session, ranking_round, people["bob"], {b: 1, a: 2})
    vote(session, ranking_round, people["eve"], {c: 1})
    # n = 3 proposals, so rank r is worth 3 - r + 1: first 3, second 2, third 1.
    #   A = ann 3 + bob 2 = 5;  B = ann 2 + bob 3 = 5;  C = ann 1 + eve 3 = 4
    # A and B tie for first place; C is third.
    got = ballots.results(session, rid, now=NOW)
    assert got.method == "borda"
    assert [(p.title, p.total, p.voters, p.place) for p in got.proposals] == [
        ("A", 5, 2, 1), ("B", 5, 2, 1), ("C", 4, 2, 3)]


def test_a_later_ballot_replaces_the_earlier_one(session, points_round, ideas, people):
    first = vote(session, points_round, people["ann"], {ideas["youth"].id: 10})
    second = vote(session, points_round, people["ann"], {ideas["swap"].id: 2})
    assert first.id == second.id and second.choices == {str(ideas["swap"].id): 2}
    assert ballots.my_ballot(session, points_round.id, people["ann"]).choices == {
        str(ideas["swap"].id): 2}
    # Nobody else's ballot is returned to another person.
    assert ballots.my_ballot(session, points_round.id, people["bob"]) is None
    assert ballots.my_ballot(session, points_round.id, ANONYMOUS) is None
    rows = session.scalar(select(func.count()).select_from(Ballot)
                          .where(Ballot.round_id == points_round.id))
    assert rows == 1


def test_closed_round_refuses_ballots(session, points_round, ideas, people, worker):
    choice = {ideas["youth"].id: 1}
    with pytest.raises(Conflict, match="closed .* no longer be cast"):
        vote(session, points_round, people["ann"], choice, now=NOW + timedelta(days=30))
    with pytest.raises(Conflict, match="voting opens at"):
        vote(session, points_round, people["ann"], choice, now=NOW - timedelta(days=2))
    vote(session, points_round, people["ann"], choice)
    rounds.close_round(session, points_round.id, worker, now=NOW)
    with pytest.raises(Conflict, match="closed"):
        vote(session, points_round, people["ann"], {ideas["youth"].id: 2},
             now=NOW + timedelta(minutes=1))
    assert ballots.my_ballot(session, points_round.id, people["ann"]).choices == {
        str(ideas["youth"].id): 1}


def test_residents_outside_the_areas_are_refused(session, points_round, ideas, people):
    with pytest.raises(Forbidden, match="residents of Central, Eastwood; your home area is "
                                        "Northfield") as caught:
        vote(session, points_round, people["nia"], {ideas["youth"].id: 1})
    assert caught.value.field == "home_area"
    with pytest.raises(Forbidden, match="home area"):
        vote(session, points_round, people["hal"], {ideas["youth"].id: 1})
    with pytest.raises(NotSignedIn):
        vote(session, points_round, ANONYMOUS, {ideas["youth"].id: 1})
    assert ballots.audit_count(session, points_round.id) == 0


@pytest.mark.parametrize("make_choices, message", [
    (lambda i: {i["youth"].id: 6, i["swap"].id: 5}, "spends 11 points but the budget is 10"),
    (lambda i: {i["youth"].id: -1}, "must be a whole number of 0 or more"),
    (lambda i: {i["youth"].id: 2.5}, "whole number"),
    (lambda i: {i["youth"].id: True}, "whole number"),
    (lambda i: {i["youth"].id: "three"}, "whole number"),
    (lambda i: {i["youth"].id: None}, "whole number"),
    (lambda i: {"abc": 1}, "'abc' is not a proposal id"),
    (lambda i: {999999: 1}, "proposal 999999 is not part of this round"),
    (lambda i: {i["pending"].id: 1}, "is not published (pending)"),
    (lambda i: {}, "the ballot is empty"),
    (lambda i: {i["youth"].id: 0}, "the ballot is empty"),
    (lambda i: [1, 2], "choices must map proposal ids"),
    (lambda i: "all of them", "choices must map proposal ids"),
    (lambda i: {str(n): 0 for n in range(501)}, "at most 500"),
    (lambda i: {str(i["youth"].id): 1, i["youth"].id: 2}, "appears twice"),
])
def test_bad_points_ballots_are_refused_naming_the_problem(session, points_round, ideas, people,
                                                            make_choices, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")) \
            as caught:
        vote(session, points_round, people["ann"], make_choices(ideas))
    assert caught.value.field == "choices"
    assert ballots.audit_count(session, points_round.id) == 0


def test_proposal_from_another_round_is_refused(session, areas, worker, points_round, ideas,
                                                people):
    other = rounds.create_round(session, round_data(areas, title="Another"), worker)
    elsewhere = propose(session, other.id, worker, "Elsewhere", "Central")
    with pytest.raises(InvalidInput, match=f"proposal {elsewhere.id} is not part of this round"):
        vote(session, points_round, people["ann"], {elsewhere.id: 1})


@pytest.mark.parametrize("ranks, message", [
    ((1, 1), "rank 1 is given to more than one proposal"),
    ((1, 3), "rank 2 is missing"),
    ((2,), "rank 1 is missing"),
    ((0, 1), "ranks start at 1"),
    ((1, -2), "whole number of 0 or more"),
])
def test_bad_rankings_are_refused(session, ranking_round, worker, people, ranks, message):
    ids = [propose(session, ranking_round.id, worker, f"P{n}", "Central").id
           for n in range(len(ranks))]
    with pytest.raises(InvalidInput, match=message):
        vote(session, ranking_round, people["ann"], dict(zip(ids, ranks, strict=True)))


def test_totals_visibility(session, areas, worker, people, points_round):
    hidden, shown = points_round, rounds.create_round(
        session, round_data(areas, hide_totals=False), worker)
    ann = people["ann"]
    assert not ballots.totals_visible(hidden, ann, NOW)
    assert ballots.totals_visible(hidden, worker, NOW)  # workers always
    assert ballots.totals_visible(hidden, ann, NOW + timedelta(days=8))  # after close
    assert ballots.totals_visible(shown, ANONYMOUS, NOW)
    with pytest.raises(Forbidden, match="hidden until it closes"):
        ballots.require_totals_visible(hidden, ann, NOW)


def test_withdrawn_proposal_stops_counting(session, ranking_round, worker, people):
    rid = ranking_round.id
    a, b, c = (propose(session, rid, worker, t, "Central").id for t in "ABC")
    vote(session, ranking_round, people["ann"], {a: 1, b: 2, c: 3})
    rounds.set_proposal_status(session, rid, a, "archived", worker)
    # Two published proposals now (n = 2): B ranked 2nd earns 2 - 2 + 1 = 1; C ranked 3rd, past
    # n, earns nothing (never a negative score).
    got = ballots.results(session, rid, now=NOW)
    assert [(p.title, p.total) for p in got.proposals] == [("B", 1), ("C", 0)]
