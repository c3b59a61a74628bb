"""Two submissions of one resident's ballot at the same moment (a double-click, two tabs):
exactly one ballot counts and every attempt is in the audit trail. This needs real
concurrent transactions, so it runs on a committed database of its own."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from assetmap.store import ballots, rounds
from assetmap.store.db import make_engine, make_sessionmaker, upgrade
from assetmap.store.models import Area, Ballot, BallotChange
from tests.conftest import fresh_database

from .conftest import add_areas, add_person, propose, round_data

ATTEMPTS = 6  # pairs of simultaneous submissions


@pytest.fixture(scope="module")
def factory():
    engine = make_engine(fresh_database("assetmap_rounds_race"), pool_size=4)
    upgrade(engine)
    yield make_sessionmaker(engine)
    engine.dispose()


def test_simultaneous_ballots_count_once(factory):
    now = datetime.now(UTC)
    with factory() as session, session.begin():
        areas = add_areas(session)
        worker = add_person(session, "race-worker@example.org", "worker")
        voter = add_person(session, "race-voter@example.org", home=areas["Central"])
        rnd = rounds.create_round(session, round_data(
            areas, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=1)),
            worker)
        ids = [propose(session, rnd.id, worker, t, "Central").id for t in ("A", "B")]
        round_id = rnd.id

    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def submit(choices):
        try:
            with factory() as session:
                barrier.wait(timeout=10)
                ballots.cast_ballot(session, round_id, choices, voter, now=now)
                session.commit()
        except BaseException as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)

    for attempt in range(ATTEMPTS):
        threads = [threading.Thread(target=submit, args=({ids[0]: attempt + 1},)),
                   threading.Thread(target=submit, args=({ids[1]: attempt + 1},))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []

    with factory() as session:
        counted = session.scalars(select(Ballot).where(Ballot.round_id == round_id)).all()
        changes = session.scalars(select(BallotChange).where(BallotChange.round_id == round_id)
                                  .order_by(BallotChange.id)).all()
        assert len(counted) == 1
        assert len(changes) == 2 * ATTEMPTS
        # The ballot that counts is the one written last, i.e. the newest audit row.
        assert counted[0].choices == changes[-1].choices
        # The results count that one ballot once: its single proposal has attempt-count points.
        totals = {p.id: p.total for p in ballots.results(session, round_id, now=now).proposals}
        last_pid, last_points = next(iter(changes[-1].choices.items()))
        assert totals[int(last_pid)] == last_points == ATTEMPTS
        assert sum(totals.values()) == ATTEMPTS
        assert session.scalar(select(func.count()).select_from(Ballot)) == 1


def test_a_ballot_racing_the_close_waits_and_is_refused(factory):
    """A worker's close, not yet committed, holds the round: a ballot cast meanwhile waits for
    it and then sees the round closed — it is never counted after the close."""
    from assetmap.errors import Conflict

    now = datetime.now(UTC)
    with factory() as session, session.begin():
        areas = {a.name: a for a in session.scalars(select(Area))}
        worker = add_person(session, "close-worker@example.org", "worker")
        voter = add_person(session, "close-voter@example.org", home=areas["Central"])
        rnd = rounds.create_round(session, round_data(
            areas, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=1)),
            worker)
        pid = propose(session, rnd.id, worker, "A", "Central").id
        round_id = rnd.id

    closing = factory()
    rounds.close_round(closing, round_id, worker)  # holds the row lock until commit
    outcome: list = []

    def vote():
        with factory() as session:
            try:
                ballots.cast_ballot(session, round_id, {pid: 1}, voter)
                session.commit()
                outcome.append("counted")
            except Conflict as exc:
                outcome.append(exc.message)

    thread = threading.Thread(target=vote)
    thread.start()
    thread.join(timeout=1.0)
    assert thread.is_alive() and outcome == []  # waiting for the close to finish
    closing.commit()
    closing.close()
    thread.join(timeout=10)
    assert len(outcome) == 1 and "no longer be cast" in outcome[0]
    with factory() as session:
        assert ballots.ballot_count(session, round_id) == 0
        assert ballots.audit_count(session, round_id) == 0
