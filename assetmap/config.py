"""Settings from the environment, with defaults that make the demo work with no set-up.

DATABASE_URL    any PostgreSQL with PostGIS; unset means the embedded cluster under instance/
SECRET_KEY      signs sessions; unset means a random key kept in instance/secret_key
ASSETMAP_INSTANCE  folder for the embedded cluster and other local state (default ./instance)
TILE_URL, TILE_ATTRIBUTION  the base map shown under every map
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "&copy; OpenStreetMap contributors"


def instance_dir() -> Path:
    """The folder for local state: $ASSETMAP_INSTANCE or ./instance."""
    return Path(os.environ.get("ASSETMAP_INSTANCE", "instance")).resolve()


def _secret_key(folder: Path) -> str:
    # A stable key per instance, so sessions survive a restart of the demo.
    path = folder / "secret_key"
    if path.exists():
        return path.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


@dataclass
class Settings:
    """Everything configurable, read once at start."""

    database_url: str | None = None
    secret_key: str = ""
    instance: Path = field(default_factory=instance_dir)
    tile_url: str = DEFAULT_TILE_URL
    tile_attribution: str = DEFAULT_ATTRIBUTION

    @classmethod
    def from_env(cls) -> Settings:
        """Read the settings from environment variables."""
        folder = instance_dir()
        return cls(
            database_url=os.environ.get("DATABASE_URL") or None,
            secret_key=os.environ.get("SECRET_KEY") or _secret_key(folder),
            instance=folder,
            tile_url=os.environ.get("TILE_URL", DEFAULT_TILE_URL),
            tile_attribution=os.environ.get("TILE_ATTRIBUTION", DEFAULT_ATTRIBUTION),
        )

    def resolved_database_url(self) -> str:
        """DATABASE_URL, or the embedded cluster's URL (starting it when needed)."""
        if self.database_url:
            return normalise_url(self.database_url)
        from assetmap.store.localdb import LocalCluster

        return LocalCluster(self.instance).ensure_running()


def normalise_url(url: str) -> str:
    """Make plain postgres:// URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
