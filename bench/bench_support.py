"""Helpers shared by the database benchmarks (imported by the bench_*.py scripts, run from bench/)."""

from __future__ import annotations

from pathlib import Path


def migrated() -> bool:
    """Whether the bench database already has bioplan's tables."""
    from django.db import connection

    return "plans_plan" in connection.introspection.table_names()


def reset_database(engine: str) -> None:
    """Empty the bench database: delete the SQLite file (and its WAL), or recreate PostgreSQL's schema."""
    from django.db import connection

    if engine == "sqlite":
        connection.close()
        path = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
