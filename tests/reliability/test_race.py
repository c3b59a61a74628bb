"""20 editors save the same asset at the same moment, over HTTP, each on its own connection:
no update is lost. Every save carries the version it was made against; exactly the saves
that got in are in the history, and every other one is told it is in conflict (409)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

from sqlalchemy import select

from assetmap.store.db import make_engine
from assetmap.store.models import Asset, Revision

EDITORS = 20


def _request(live, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(live["url"] + path, data=data, method=method, headers={
        "Authorization": f"Bearer {live['token']}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def _edit_all_at_once(live, asset_id, *, retry: bool) -> list[tuple[int, str, int]]:
    """Each editor reads the asset, waits for the others, then saves its own name; with
    `retry`, an editor told of a conflict reads again and saves again. Returns
    (editor, outcome, conflicts seen) for each."""
    barrier = threading.Barrier(EDITORS)
    results = []
    lock = threading.Lock()

    def editor(n):
        conflicts = 0
        _, feature = _request(live, "GET", f"/api/v1/assets/{asset_id}")
        barrier.wait()
        while True:
            status, body = _request(live, "PATCH", f"/api/v1/assets/{asset_id}", {
                "name": f"Editor {n} was here", "version": feature["properties"]["version"]})
            if status == 409:
                assert "changed by someone else" in body["error"]
                conflicts += 1
                if retry:
                    _, feature = _request(live, "GET", f"/api/v1/assets/{asset_id}")
                    continue
                outcome = "conflict"
            else:
                assert status == 200, body
                outcome = "saved"
            with lock:
                results.append((n, outcome, conflicts))
            return

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == EDITORS
    return results


def _history_names(url, asset_id) -> list[str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(Revision.after).where(
            Revision.entity == "asset", Revision.entity_id == asset_id,
            Revision.action == "update").order_by(Revision.id)).scalars().all()
        version = conn.execute(select(Asset.version).where(Asset.id == asset_id)).scalar()
    engine.dispose()
    return [after["name"] for after in rows], version


def test_twenty_simultaneous_saves_one_wins_the_rest_conflict(live_world):
    asset_id = live_world["world"].ids["published"]
    before_names, before_version = _history_names(live_world["world"].url, asset_id)
    results = _edit_all_at_once(live_world, asset_id, retry=False)
    saved = [n for n, outcome, _ in results if outcome == "saved"]
    # All twenty edited the same version, so exactly one save can be accepted.
    assert len(saved) == 1
    assert sum(outcome == "conflict" for _, outcome, _ in results) == EDITORS - 1
    names, version = _history_names(live_world["world"].url, asset_id)
    assert names[len(before_names):] == [f"Editor {saved[0]} was here"]
    assert version == before_version + 1


def test_twenty_editors_who_retry_all_get_their_change_in(live_world):
    asset_id = live_world["world"].ids["mine"]
    before_names, before_version = _history_names(live_world["world"].url, asset_id)
    results = _edit_all_at_once(live_world, asset_id, retry=True)
    assert all(outcome == "saved" for _, outcome, _ in results)
    names, version = _history_names(live_world["world"].url, asset_id)
    new = names[len(before_names):]
    # Every editor's change is in the history exactly once; none overwrote another unseen.
    assert sorted(new) == sorted(f"Editor {n} was here" for n in range(EDITORS))
    assert version == before_version + EDITORS
    # Contention really happened: the editors between them met conflicts.
    assert sum(conflicts for _, _, conflicts in results) >= EDITORS - 1
