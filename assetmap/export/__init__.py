"""Exports: GeoJSON and other formats, written from the store."""
