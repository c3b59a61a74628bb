"""Readers for GeoJSON, CSV, GeoPackage and OpenStreetMap, and validation into clean records."""
