"""An app on the test's rolled-back transaction with the rounds blueprint, and signed-in
clients for tests of the rounds pages and API."""

from __future__ import annotations

import re

from flask_login import FlaskLoginClient

from assetmap.store.models import User
from assetmap.store.users import as_account
from assetmap.web import create_app
from assetmap.web.access import SignedInUser
from assetmap.web.rounds import blueprint

META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def build_app(database_url, sessions):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test-key",
                      "RATELIMIT_ENABLED": False})
    app.extensions["assetmap.sessions"] = sessions
    # Signs test clients in directly (Flask-Login's test client), skipping password hashing;
    # the browser test signs in through the real form.
    app.test_client_class = FlaskLoginClient
    if "rounds" not in app.blueprints:  # until the app factory registers it
        app.register_blueprint(blueprint)
    return app


class Client:
    """A test client that carries its CSRF token on every unsafe request."""

    def __init__(self, app, user: SignedInUser | None = None):
        self.raw = app.test_client(user=user) if user else app.test_client()
        self.token = None

    def refresh_token(self):
        html = self.raw.get("/rounds").get_data(as_text=True)
        self.token = META.search(html).group(1)

    def get(self, *args, **kwargs):
        return self.raw.get(*args, **kwargs)

    def form(self, path, data, **kwargs):
        self.refresh_token()
        return self.raw.post(path, data={"csrf_token": self.token, **data}, **kwargs)

    def send(self, method, path, json=None, **kwargs):
        self.refresh_token()
        return self.raw.open(path, method=method, json=json,
                             headers={"X-CSRFToken": self.token}, **kwargs)


def person(app, sessions, email, role="resident", home=None) -> tuple[Client, int]:
    """A signed-in client for a new account with `role` and home area `home` (an Area)."""
    with sessions() as session, session.begin():
        user = User(email=email, display_name=email.split("@")[0], role=role, active=True,
                    home_area_id=home.id if home is not None else None)
        session.add(user)
        session.flush()
        account = as_account(user)
    return Client(app, SignedInUser(account)), account.id
