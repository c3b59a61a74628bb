"""Bounded load test of the map's viewport API and vector tiles: 50 concurrent users.

    .venv/bin/python bench/load_bench.py [--assets 20000] [--seconds 20] [--connections 50]

A fresh database with `--assets` generated assets (common.py's generator, as in
viewport_bench.py, over the same part of the Pennines), served by `assetmap serve`
(gunicorn, 2 workers) on 127.0.0.1 only; wrk drives it with `--connections` open
connections (each one a user that asks again as soon as it is answered) for `--seconds`,
first random ~1 km viewports of `/api/v1/assets?bbox=...`, then random zoom-14 tiles
`/tiles/assets/14/x/y.mvt` over the same area (when the app has tiles). Writes
bench/results_load.md. Nothing is asserted here: the record says what happened, errors
included.
"""

from __future__ import annotations

import argparse
import math
import re
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, free_port, fresh_database, generate_assets, start, stop, wait_for

WEST, SOUTH, EAST, NORTH = -2.35, 53.35, -1.85, 53.65
TIMEOUT = "10s"  # a request unanswered after this counts as an error


def tile_range(zoom: int) -> tuple[int, int, int, int]:
    """x0, x1, y0, y1 of the zoom-`zoom` tiles covering the generated area (Web Mercator)."""
    def xy(lon, lat):
        n = 2 ** zoom
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        return x, y

    x0, y1 = xy(WEST, SOUTH)
    x1, y0 = xy(EAST, NORTH)
    return x0, x1, y0, y1


def tiles_script(zoom: int = 14) -> Path:
    x0, x1, y0, y1 = tile_range(zoom)
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(f"""math.randomseed(7)
request = function()
  local x = math.random({x0}, {x1})
  local y = math.random({y0}, {y1})
  return wrk.format("GET", "/tiles/assets/{zoom}/" .. x .. "/" .. y .. ".mvt")
end
""")
    return script


def run_wrk(url: str, script: Path, seconds: int, connections: int) -> dict:
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", TIMEOUT,
            "--latency", "-s", str(script), url]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout

    def ms(label):
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Socket errors: (.*)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "p50": ms("50%"), "p75": ms("75%"), "p90": ms("90%"), "p99": ms("99%"),
            "errors": errors.group(1) if errors else "none",
            "non_2xx": int(non2xx.group(1)) if non2xx else 0}


def has_tiles(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/tiles/assets.json", timeout=10) as response:
            return response.status == 200
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    url = fresh_database("assetmap_bench_load")
    generate_assets(url, args.assets)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = start([str(ROOT / ".venv/bin/assetmap"), "serve", "--port", str(port), "--workers",
                 str(args.workers)], env={"DATABASE_URL": url, "RATELIMIT_ENABLED": "false"})
    results = {}
    try:
        wait_for(base + "/healthz")
        results["viewport"] = run_wrk(base, ROOT / "bench/viewport.lua", args.seconds,
                                      args.connections)
        if has_tiles(base):
            time.sleep(2)
            results["tiles z14"] = run_wrk(base, tiles_script(), args.seconds,
                                           args.connections)
    finally:
        stop(app)

    lines = [
        "## Load: viewport API and tiles, 50 concurrent users (issue 8)",
        "",
        f"Command: `.venv/bin/python bench/load_bench.py --assets {args.assets} --seconds "
        f"{args.seconds} --connections {args.connections}`",
        "",
        f"{args.assets:,} generated assets; `assetmap serve` (gunicorn, {args.workers} sync "
        f"workers) on 127.0.0.1; wrk, 2 threads, {args.connections} connections, "
        f"{args.seconds} s each, request timeout {TIMEOUT}; viewports: random ~1 km boxes "
        "(`limit=200`), tiles: random zoom-14 tiles over the same area. Machine: 2 shared "
        "cores, database on the same machine.",
        "",
        "| endpoint | requests | requests/s | p50 ms | p75 ms | p90 ms | p99 ms | socket errors "
        "| non-2xx |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for name, r in results.items():
        lines.append(f"| {name} | {r['requests']} | {r['rps']:.0f} | {r['p50']:.1f} | "
                     f"{r['p75']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} | {r['errors']} | "
                     f"{r['non_2xx']} |")
    if "tiles z14" not in results:
        lines += ["", "Tiles: /tiles/assets.json did not answer, so tiles were not loaded."]
    (ROOT / "bench/results_load.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
