"""RFC 7946 GeoJSON, written one feature at a time so large layers never sit in memory."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TextIO


def iter_feature_collection(features: Iterable[dict]) -> Iterator[str]:
    """The text of a FeatureCollection, in chunks (no `crs` member: RFC 7946 is WGS 84)."""
    yield '{"type": "FeatureCollection", "features": [\n'
    first = True
    for feature in features:
        if not first:
            yield ",\n"
        yield json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        first = False
    yield "\n]}\n"


def write_feature_collection(features: Iterable[dict], out: TextIO) -> int:
    """Write a FeatureCollection to `out`; returns how many features were written."""
    count = 0

    def counted():
        nonlocal count
        for feature in features:
            count += 1
            yield feature

    for chunk in iter_feature_collection(counted()):
        out.write(chunk)
    return count
