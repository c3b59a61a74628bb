"""What every `assetmap` command shares: settings and, once asked for, the database."""

from __future__ import annotations

import click

from assetmap.config import Settings


class State:
    """Settings and, once asked for, the database engine."""

    def __init__(self):
        self.settings = Settings.from_env()
        self._engine = None

    @property
    def url(self) -> str:
        return self.settings.resolved_database_url()

    @property
    def engine(self):
        if self._engine is None:
            from assetmap.store.db import make_engine

            self._engine = make_engine(self.url)
        return self._engine

    @property
    def sessions(self):
        from assetmap.store.db import make_sessionmaker

        return make_sessionmaker(self.engine)



pass_state = click.make_pass_decorator(State, ensure=True)
