"""Rounds' results show the latest saved gap analysis's priority beside each proposal's area,
and the need index (saying so) when no analysis has been saved."""

from __future__ import annotations

import pytest

from assetmap.ingest.pipeline import import_file
from assetmap.reports.gaps_run import run_gaps, save_snapshot
from assetmap.store.models import Area
from assetmap.web import create_app


@pytest.fixture
def app(database_url, sessions):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True})
    app.extensions["assetmap.sessions"] = sessions
    return app


def test_need_index_until_an_analysis_is_saved_then_its_priorities(app, sessions, session,
                                                                   data_dir):
    from assetmap.web.rounds import _gap_scores

    for layer, name in (("areas", "areas.geojson"), ("services", "services.geojson"),
                        ("assets", "assets.geojson")):
        import_file(sessions, layer, data_dir / name)
    central = session.query(Area).filter_by(name="Central").one()
    with app.test_request_context():
        scores, note = _gap_scores(session)
        assert scores == {central.id: pytest.approx(0.62)}  # Eastwood has no need index
        assert "need index" in note and "no gap analysis has been saved" in note

        result = run_gaps(session)
        save_snapshot(session, result, {"walk_m": 800}, user_id=None)
        scores, note = _gap_scores(session)
        expected = {int(a): float(p) for a, p in zip(result.areas["area_id"],
                                                     result.areas["priority"], strict=True)}
        assert scores == pytest.approx(expected) and set(scores) == {
            a.id for a in session.query(Area)}
        assert "priority" in note and "saved on" in note
