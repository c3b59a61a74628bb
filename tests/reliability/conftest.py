import threading

import pytest
from werkzeug.serving import make_server

from assetmap.store.db import make_engine, make_sessionmaker, transaction
from assetmap.store.tokens import create_token
from tests.security.world import build_world, make_app


@pytest.fixture(scope="module")
def live_world():
    """A committed world served on 127.0.0.1 by a threaded server, and an admin's API token."""
    world = build_world("assetmap_reliability")
    engine = make_engine(world.url)
    with transaction(make_sessionmaker(engine)) as session:
        _, token = create_token(session, "admin@example.org", "race")
    engine.dispose()
    app = make_app(world, RATELIMIT_ENABLED=False)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "token": token, "world": world}
    server.shutdown()
