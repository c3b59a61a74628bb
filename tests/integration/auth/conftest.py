"""An app on the test's rolled-back transaction, with mail written to a temporary outbox."""

from __future__ import annotations

import pytest

from assetmap.web import create_app


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture
def make_app(database_url, sessions, outbox):
    """Build an app sharing the test's transaction; `overrides` change its config."""

    def build(**overrides):
        config = {"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test-key",
                  "MAIL_OUTBOX": str(outbox), **overrides}
        app = create_app(config)
        app.extensions["assetmap.sessions"] = sessions
        return app

    return build


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()
