"""Load-test the map's viewport API over 200,000 stored assets, beside a bare Flask endpoint.

    .venv/bin/python bench/viewport_bench.py [--assets 200000] [--seconds 15] [--connections 50]

Both servers run under gunicorn with the same number of workers on 127.0.0.1, one after the
other, driven by the same wrk command (random ~1 km viewports, up to 200 assets each).
Writes bench/results_viewport.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.request

from common import ROOT, free_port, fresh_database, start, stop, wait_for, wrk

GENERATE = """
INSERT INTO asset (kind, category, name, description, geom, contact, website, opening_times,
                   accessibility, visibility, status, source, source_id, extra, version)
SELECT (ARRAY['group','venue','group','other'])[1 + (i %% 4)],
       (SELECT slug FROM category WHERE scope = 'asset' ORDER BY slug
        OFFSET (i %% 13) LIMIT 1),
       'Asset ' || i, 'A community asset made for the benchmark, number ' || i,
       ST_SetSRID(ST_MakePoint(-2.35 + random() * 0.5, 53.35 + random() * 0.3), 4326),
       '', '', '', '', CASE WHEN i %% 20 = 0 THEN 'members' ELSE 'public' END,
       CASE WHEN i %% 50 = 0 THEN 'pending' ELSE 'published' END,
       'bench', i::text, '{}'::jsonb, 1
FROM generate_series(1, %(n)s) AS i
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=200_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    url = fresh_database("assetmap_bench_viewport")
    import psycopg
    from sqlalchemy import make_url

    u = make_url(url)
    conninfo = (f"host={u.query['host']} user={u.username} dbname={u.database}"
                if "host" in u.query else u.set(drivername="postgresql").render_as_string(
                    hide_password=False))
    started = time.time()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(GENERATE, {"n": args.assets})
        conn.execute("ANALYZE asset")
    print(f"generated {args.assets} assets in {time.time() - started:.1f} s", flush=True)

    results = {}
    venv = ROOT / ".venv" / "bin"
    port = free_port()
    bare = start([str(venv / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
                  "--chdir", str(ROOT / "bench"), "bare_app:app"])
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        results["bare"] = wrk(f"http://127.0.0.1:{port}", seconds=args.seconds,
                              connections=args.connections, script=ROOT / "bench/viewport.lua")
    finally:
        stop(bare)
    port = free_port()
    app = start([str(venv / "assetmap"), "serve", "--port", str(port), "--workers",
                 str(args.workers)], env={"DATABASE_URL": url, "RATELIMIT_ENABLED": "false"})
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        sample = json.load(urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/v1/assets?limit=200&bbox=-2.2,53.5,-2.185,53.509"))
        results["assetmap"] = wrk(f"http://127.0.0.1:{port}", seconds=args.seconds,
                                  connections=args.connections,
                                  script=ROOT / "bench/viewport.lua")
    finally:
        stop(app)

    ratio = results["assetmap"]["rps"] / results["bare"]["rps"]
    command = "  ".join(["python", *sys.argv])
    lines = [
        "## Viewport API under load (issue: resident web map)",
        "",
        f"Command: `.venv/bin/python bench/viewport_bench.py --assets {args.assets} "
        f"--seconds {args.seconds} --connections {args.connections}`",
        "",
        f"{args.assets:,} assets stored; wrk, 2 threads, {args.connections} connections, "
        f"{args.seconds} s, random ~1 km viewports (`limit=200`); gunicorn with {args.workers} "
        f"sync workers for both servers; one sample viewport returned "
        f"{len(sample['features'])} features.",
        "",
        "| server | requests/s | p50 ms | p90 ms | p99 ms | errors | non-2xx |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for name, r in results.items():
        lines.append(f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p90']:.1f} | "
                     f"{r['p99']:.1f} | {r['errors']} | {r['non_2xx']} |")
    lines += ["", f"assetmap serves **{ratio:.0%}** of the bare endpoint's requests per second "
              "(target: at least 30 %).", ""]
    (ROOT / "bench" / "results_viewport.md").write_text("\n".join(lines))
    print("\n".join(lines))
    del command


if __name__ == "__main__":
    main()
