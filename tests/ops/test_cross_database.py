"""An archive made from the test database restores onto another database of either kind.

The restore runs in a separate `bioplan` process pointed at a fresh SQLite file (always) and at a
fresh PostgreSQL database (when the suite itself runs on PostgreSQL); a backup of that database is
then compared row by row with the original archive.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from tests.ops.conftest import media_snapshot

from bioplan.ops.services import backup_write

pytestmark = pytest.mark.django_db


def _bioplan(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "bioplan", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result


def _rows(archive: Path) -> list[dict[str, Any]]:
    with zipfile.ZipFile(archive) as zf, zf.open("data.jsonl") as data:
        return [json.loads(line) for line in data]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway database on the suite's PostgreSQL server."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL target: the suite runs on SQLite (set DATABASE_URL to a postgres:// URL)")
    import psycopg

    s = connection.settings_dict
    name = f"bioplan_restore_{uuid.uuid4().hex[:10]}"
    params = {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432, "user": s["USER"]}
    if s["PASSWORD"]:
        params["password"] = s["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    try:
        yield f"postgres://{auth}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_archive_restores_onto_a_fresh_database_of_either_kind(
    populated, media_root, tmp_path, target, request
):
    source = tmp_path / "source.zip"
    backup_write(path=source)
    url = (
        f"sqlite:///{tmp_path / 'target.sqlite3'}"
        if target == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    target_media = tmp_path / "target-media"
    env = {
        **os.environ,
        "BIOPLAN_TESTING": "1",
        "DATABASE_URL": url,
        "BIOPLAN_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(target_media),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    _bioplan(env, "manage", "migrate", "--no-input", "-v", "0")
    restored = _bioplan(env, "restore", str(source), "--yes")
    _bioplan(env, "backup", str(tmp_path / "again.zip"))

    assert f"on {connection.vendor}" in restored.stdout
    assert _rows(tmp_path / "again.zip") == _rows(source)
    assert media_snapshot(target_media) == media_snapshot(media_root)
    manifests = [
        json.loads(zipfile.ZipFile(p).read("manifest.json")) for p in (source, tmp_path / "again.zip")
    ]
    assert manifests[0]["counts"] == manifests[1]["counts"]
    assert manifests[1]["database_vendor"] == target


# A SQLite database holding what SQLite takes and PostgreSQL refuses: NUL in a text, a year beyond a
# smallint, a text longer than its column. Written with QuerySet.create, which skips full_clean (as
# an older bioplan, a raw SQL edit or a bulk write could have).
HOSTILE = """
from bioplan.core.models import Region
from bioplan.tracking.models import Indicator, Observation
r = Region.objects.create(name="甲\\x00区", level="district")
i = Indicator.objects.create(name="产值", unit="亿元", aggregation="sum")
Observation.objects.create(indicator=i, region=r, year=70000, value=1, source="tax", note="x" * 600)
"""


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_a_sqlite_backup_with_hostile_values_is_refused_before_writing_naming_the_rows(
    tmp_path, target, request
):
    def env_for(url: str, name: str) -> dict[str, str]:
        env = {
            **os.environ,
            "BIOPLAN_TESTING": "1",
            "DATABASE_URL": url,
            "BIOPLAN_VAR_DIR": str(tmp_path / f"var-{name}"),
            "MEDIA_ROOT": str(tmp_path / f"media-{name}"),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        return env

    source = env_for(f"sqlite:///{tmp_path / 'source.sqlite3'}", "source")
    _bioplan(source, "manage", "migrate", "--no-input", "-v", "0")
    _bioplan(source, "manage", "shell", "-c", HOSTILE)
    _bioplan(source, "backup", str(tmp_path / "hostile.zip"))

    url = (
        f"sqlite:///{tmp_path / 'target.sqlite3'}"
        if target == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    env = env_for(url, "target")
    _bioplan(env, "manage", "migrate", "--no-input", "-v", "0")
    _bioplan(
        env,
        "manage",
        "shell",
        "-c",
        "from bioplan.core.models import Region; Region.objects.create(name='乙区')",
    )
    result = subprocess.run(
        [sys.executable, "-m", "bioplan", "restore", str(tmp_path / "hostile.zip"), "--yes"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode != 0
    message = result.stderr
    assert "nothing was changed" in message and "would not fit the database" in message
    assert "core.region #1 name: 文本含有不可见的控制字符（U+0000）" in message
    assert "tracking.historicalobservation #1 year" in message  # the history tables hold the values too
    assert "tracking.observation #1 year: 数值 70000 超出允许范围" in message
    assert "tracking.observation #1 note:" in message  # 600 characters in a 300-character column
    names = _bioplan(
        env,
        "manage",
        "shell",
        "-c",
        "from bioplan.core.models import Region; print(list(Region.objects.values_list('name', flat=True)))",
    )
    assert names.stdout.strip().splitlines()[-1] == "['乙区']"
