"""Read, validate and store one file: all of it in one transaction, or nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from assetmap.errors import InvalidInput
from assetmap.ingest.osm import read_osm
from assetmap.ingest.readers import detect_format, read_layer
from assetmap.ingest.validate import validate_layer
from assetmap.store.db import transaction
from assetmap.store.importing import ImportSummary, write_records

LAYERS = ("assets", "services", "areas", "links")
PROGRESS_FROM = 1000  # rows: smaller imports finish before a bar would be worth drawing


def read_and_validate(layer: str, path: Path, *, fmt: str | None = None,
                      crs: str | None = None) -> tuple[list[dict], list[str]]:
    """Clean records from a file, and notes for the user (e.g. skipped OSM objects)."""
    if layer not in LAYERS:
        raise InvalidInput(f"unknown layer {layer!r}; expected one of {', '.join(LAYERS)}")
    path = Path(path)
    notes = []
    if (fmt or detect_format(path)) == "osm":
        raw, unnamed = read_osm(path, layer)
        if unnamed:
            notes.append(f"{unnamed} OpenStreetMap object(s) without a name were skipped")
    else:
        raw = read_layer(path, fmt=fmt, crs=crs)
    return validate_layer(layer, raw.rows, name=path.name), notes


def import_file(factory: sessionmaker[Session], layer: str, path: Path, *,
                source: str | None = None, fmt: str | None = None, crs: str | None = None,
                asset_source: str | None = None, user_id: int | None = None,
                show_progress: bool = False) -> ImportSummary:
    """Import `path` into `layer`; raises ImportRejected (nothing written) on any bad row."""
    path = Path(path)
    records, notes = read_and_validate(layer, path, fmt=fmt, crs=crs)
    source = source or path.name
    bar = tqdm(total=len(records), desc=f"importing {layer}", unit="row",
               disable=not show_progress or len(records) < PROGRESS_FROM)
    with bar, transaction(factory) as session:
        summary = write_records(session, layer, records, source=source,
                                asset_source=asset_source, user_id=user_id,
                                progress=bar.update)
    summary.notes.extend(notes)
    return summary
