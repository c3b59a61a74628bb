"""Security headers on every response, and cookie settings.

Cookies are `Secure` (sent over HTTPS only) unless one of these says otherwise:
- the app config `SECURE_COOKIES` (True/False), else the environment's
  `SESSION_COOKIE_SECURE` (true/false) — an explicit choice always wins;
- otherwise cookies are secure except under TESTING or for the plain-HTTP local demo
  (app config `PLAIN_HTTP`, or `ASSETMAP_PLAIN_HTTP=1` in the environment).
Strict-Transport-Security is sent only when cookies are secure, i.e. when the site is
served over HTTPS.
"""

from __future__ import annotations

import os
from datetime import timedelta

from flask import Flask

CSP = (
    "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
HSTS = "max-age=31536000; includeSubDomains"
PERMISSIONS = "camera=(), microphone=(), payment=(), geolocation=(self)"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_flag(name: str) -> bool | None:
    """True/False for a yes/no environment variable, None when unset or blank."""
    value = os.environ.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value:
        raise ValueError(f"{name} must be true or false, not {value!r}")
    return None


def cookies_secure(app: Flask) -> bool:
    """Whether the session and remember-me cookies are marked Secure (see module notes)."""
    explicit = app.config.get("SECURE_COOKIES")
    if explicit is None:
        explicit = env_flag("SESSION_COOKIE_SECURE")
    if explicit is not None:
        return bool(explicit)
    plain_http = app.config.get("PLAIN_HTTP")
    if plain_http is None:
        plain_http = env_flag("ASSETMAP_PLAIN_HTTP")
    return not (app.testing or plain_http)


def register(app: Flask) -> None:
    """Set cookie flags and add the headers every page should carry."""
    secure = cookies_secure(app)
    app.config.update(
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE=app.config.get("SESSION_COOKIE_SAMESITE") or "Lax",
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
    )
    app.config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=14))

    every_response = [
        ("Content-Security-Policy", CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", PERMISSIONS),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ] + ([("Strict-Transport-Security", HSTS)] if secure else [])

    @app.after_request
    def headers(response):
        # A view may set its own (the reports' CSP); one pass over the response's headers.
        present = {name.lower() for name, _value in response.headers}
        for name, value in every_response:
            if name.lower() not in present:
                response.headers.add(name, value)
        return response
