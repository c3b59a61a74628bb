"""Rate limits on what changes things: sign-in and account forms, and every other submission.

Counted with the `limits` library (fixed windows) per view and per client address, in
RATELIMIT_STORAGE_URI (memory:// by default; redis://... so every worker shares the counts).
Only unsafe requests (POST, PUT, PATCH, DELETE) are looked at: reading is never limited, and
a GET pays nothing for the limits, which matters for the map's viewport requests.

If the storage cannot be reached, counting falls back to this process's memory rather than
refusing people or failing the request.
"""

from __future__ import annotations

import math
import time

from flask import Flask, after_this_request, current_app, request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RateLimited(TooManyRequests):
    """A request over its limit; `limit` reads like "10 per 1 minute"."""

    def __init__(self, limit: RateLimitItem, retry_after: int):
        super().__init__(description=str(limit), retry_after=retry_after)
        self.limit = limit


class SubmissionLimits:
    """The limits of one app: a default for every view, and stricter ones per blueprint."""

    def __init__(self, app: Flask, client_key):
        self.enabled = bool(app.config["RATELIMIT_ENABLED"])
        self.client_key = client_key
        self.default = app.config["SUBMISSION_RATE_LIMIT"]
        self.per_blueprint: dict[str, str] = {}
        self.counter = FixedWindowRateLimiter(
            storage_from_string(app.config["RATELIMIT_STORAGE_URI"]))
        self.fallback = FixedWindowRateLimiter(MemoryStorage())

    def limit_blueprint(self, name: str, limit: str) -> None:
        """Count the unsafe requests to blueprint `name` against `limit` instead of the
        default."""
        self.per_blueprint[name] = limit

    def check(self) -> None:
        """Count this request if it is unsafe; raise RateLimited when it is over."""
        if not self.enabled or request.method not in UNSAFE_METHODS:
            return
        limit = parse(self.per_blueprint.get(request.blueprint or "", self.default))
        keys = (request.endpoint or request.path, self.client_key())
        try:
            allowed = self.counter.hit(limit, *keys)
            reset_at, remaining = self.counter.get_window_stats(limit, *keys)
        except Exception as exc:  # the storage is away: count here rather than fail
            current_app.logger.warning("rate limit storage unreachable (%s); counting in "
                                       "memory", exc)
            allowed = self.fallback.hit(limit, *keys)
            reset_at, remaining = self.fallback.get_window_stats(limit, *keys)

        @after_this_request
        def add_headers(response):
            # On counted requests only: a GET carries no rate-limit headers, and no hook.
            response.headers["X-RateLimit-Limit"] = str(limit.amount)
            response.headers["X-RateLimit-Remaining"] = str(remaining)
            response.headers["X-RateLimit-Reset"] = str(math.ceil(reset_at))
            return response

        if not allowed:
            raise RateLimited(limit, retry_after=max(1, math.ceil(reset_at - time.time())))


def install(app: Flask, client_key) -> SubmissionLimits:
    """Check the limits before every request of `app`; returns them for per-blueprint
    limits."""
    limits = SubmissionLimits(app, client_key)
    app.before_request(limits.check)
    app.extensions["assetmap.rate_limits"] = limits
    return limits
