"""Run every benchmark of bench/ on SQLite and, when PostgreSQL answers, on PostgreSQL too.

Usage (from the repository root): .venv/bin/python bench/run_all.py [--only NAME]
Each script prints a Markdown table; copy the figures into bench/README.md with the date.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
# Scripts that build a database; the others (ingest) need none.
DATABASE_BENCHES = {"bench_dashboard", "bench_registries"}


def postgres_available() -> bool:
    if not shutil.which("pg_isready"):
        return False
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run only this script (e.g. bench_ingest)")
    args = parser.parse_args()
    failed = 0
    for script in sorted(BENCH.glob("bench_*.py")):
        if args.only and script.stem != args.only:
            continue
        targets: list[tuple[str, dict[str, str]]] = [("", {})]
        if script.stem in DATABASE_BENCHES:
            targets = [
                ("SQLite", {"DATABASE_URL": f"sqlite:///{BENCH.parent / 'var' / (script.stem + '.sqlite3')}"})
            ]
            if postgres_available():
                # A throwaway database per script; "already exists" is fine.
                subprocess.run(
                    ["createdb", "-h", "127.0.0.1", "-U", "postgres", script.stem],
                    check=False,
                    capture_output=True,
                )
                targets.append(("PostgreSQL", {"DATABASE_URL": PG_URL.format(name=script.stem)}))
        for label, env in targets:
            print(f"\n## {script.stem} {label}".rstrip(), flush=True)
            result = subprocess.run([sys.executable, str(script)], env={**os.environ, **env}, check=False)
            failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
