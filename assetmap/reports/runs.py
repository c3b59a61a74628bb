"""Importing this registers every report runner with `assetmap.jobs`."""

from __future__ import annotations

import importlib
import importlib.util

RUNNER_MODULES = ("assetmap.reports.gaps_run", "assetmap.reports.network_run")

for _name in RUNNER_MODULES:
    if importlib.util.find_spec(_name) is not None:
        importlib.import_module(_name)
