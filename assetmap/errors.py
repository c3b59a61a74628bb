"""Domain errors. They say what is wrong in words a user can act on; only `web/` maps them
to HTTP status codes and only `cli.py` to exit codes."""

from __future__ import annotations


class AssetmapError(Exception):
    """Base of every error the application raises on purpose."""

    status = 500

    def __init__(self, message: str, *, field: str | None = None, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.row = row

    def to_dict(self) -> dict:
        """A JSON-ready description: message plus the field and row at fault, when known."""
        out: dict = {"error": self.message}
        if self.field is not None:
            out["field"] = self.field
        if self.row is not None:
            out["row"] = self.row
        return out


class InvalidInput(AssetmapError, ValueError):
    """Input that cannot be accepted as given."""

    status = 400


class NotFound(AssetmapError, LookupError):
    """The thing asked for does not exist (or is not visible to the asker)."""

    status = 404


class Conflict(AssetmapError):
    """The change was made against an out-of-date version; `details` shows the other change."""

    status = 409

    def __init__(self, message: str, *, details: dict | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.details = details

    def to_dict(self) -> dict:
        out = super().to_dict()
        if self.details is not None:
            out["their_change"] = self.details
        return out


class Forbidden(AssetmapError):
    """The asker's role does not allow this."""

    status = 403


class NotSignedIn(Forbidden):
    """The asker must sign in first."""

    status = 401


class EnvironmentProblem(AssetmapError):
    """Something missing from the machine (PostgreSQL, PostGIS...), with what to install."""

    status = 503


class ImportRejected(InvalidInput):
    """A file failed validation; `problems` lists every row-level reason."""

    def __init__(self, message: str, problems: list[tuple[int | None, str | None, str]]):
        super().__init__(message)
        self.problems = problems

    def to_dict(self) -> dict:
        out = super().to_dict()
        out["problems"] = [
            {"row": row, "field": field, "reason": reason} for row, field, reason in self.problems
        ]
        return out
