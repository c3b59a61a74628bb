"""Flask's signed-cookie sessions, with a shortcut for requests that carry no session cookie."""

from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    """The same sessions as Flask's. A request without a session cookie (the map's API
    requests, most anonymous visits) gets an empty session without building the signer
    first: there is nothing to verify."""

    def open_session(self, app, request):
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)
