#!/bin/sh
# Wait for the database, apply migrations, optionally load the demo data, then run the app.
set -eu
: "${DATABASE_URL:?DATABASE_URL must point at a PostGIS database}"
tries=0
until assetmap db upgrade; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then echo "database not reachable; giving up" >&2; exit 1; fi
  sleep 2
done
if [ "${LOAD_DEMO:-0}" = "1" ]; then
  assetmap import areas geodata/demo/areas.geojson
  assetmap import services geodata/demo/services.geojson
  assetmap import assets geodata/demo/assets.geojson
  assetmap import links geodata/demo/links.csv
fi
exec "$@"
