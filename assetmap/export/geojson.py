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


def iter_feature_texts(batches: Iterable[Iterable[str]]) -> Iterator[str]:
    """A FeatureCollection from Features already written as JSON text, a batch per chunk.

    PostgreSQL writes each Feature (see `store.layers.feature_text`); joining a batch into one
    chunk keeps the number of writes to the client small.
    """
    yield '{"type":"FeatureCollection","features":[\n'
    first = True
    for batch in batches:
        text = ",\n".join(batch)
        if not text:
            continue
        yield text if first else ",\n" + text
        first = False
    yield "\n]}\n"
