"""Rows out as CSV text, a batch at a time; the geometry travels as a WKT column."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):  # dates and date-times alike, ISO 8601
        return value.isoformat()
    return value


def iter_csv(header: Sequence[str], batches: Iterable[Sequence[Sequence]]) -> Iterator[str]:
    """CSV text (RFC 4180, CRLF line ends) for `header` and then every row of `batches`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield buffer.getvalue()
    for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_cell(v) for v in row] for row in batch)
        yield buffer.getvalue()
