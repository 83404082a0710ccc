"""The task queue's backend comes from the environment: SQLite under var/ by default, Redis when
HUEY_URL names one; a task queued through the configured Redis queue is pulled back and run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
REDIS_TEST_URL = os.environ.get("BIOPLAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _run(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh process with the production settings and `env` (not the test settings)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"BIOPLAN_TESTING", "DEBUG", "HUEY_URL", "HUEY_NAME", "HUEY_IMMEDIATE"}
    }
    base.update(
        DJANGO_SETTINGS_MODULE="bioplan.settings",
        PYTHONPATH=str(REPO / "src"),
        BIOPLAN_VAR_DIR=str(tmp_path),
        SECRET_KEY="x" * 50,
        **env,
    )
    return subprocess.run([sys.executable, "-c", code], env=base, capture_output=True, text=True, timeout=120)


def _huey_settings(tmp_path: Path, **env: str) -> dict[str, object]:
    out = _run(
        "import json; from django.conf import settings; print(json.dumps(settings.HUEY))", tmp_path, **env
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_without_huey_url_the_queue_is_an_sqlite_file_under_var(tmp_path):
    huey = _huey_settings(tmp_path)
    assert huey == {
        "huey_class": "huey.SqliteHuey",
        "filename": str(tmp_path / "huey.sqlite3"),
        "name": "bioplan",
        "immediate": False,
    }


def test_huey_url_with_redis_picks_redis_huey(tmp_path):
    huey = _huey_settings(tmp_path, HUEY_URL="redis://127.0.0.1:6379/1", HUEY_NAME="bioplan-staging")
    assert huey == {
        "huey_class": "huey.RedisHuey",
        "url": "redis://127.0.0.1:6379/1",
        "name": "bioplan-staging",
        "immediate": False,
    }


def test_huey_url_of_another_kind_refuses_to_start(tmp_path):
    out = _run("import django; django.setup()", tmp_path, HUEY_URL="amqp://127.0.0.1:5672/")
    assert out.returncode != 0
    assert "ImproperlyConfigured" in out.stderr and "HUEY_URL" in out.stderr


def _redis_reachable(url: str) -> str:
    """'' when a Redis server answers PING at `url`, else why not."""
    try:
        import redis
    except ImportError:
        return "the redis package is not installed"
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            pass
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except (OSError, redis.RedisError) as exc:
        return f"no Redis answers at {url}: {exc}"
    return ""


ROUND_TRIP = """
import json, django
django.setup()
from huey.contrib.djhuey import HUEY
from bioplan.tracking.tasks import reminder_email

assert type(HUEY).__name__ == "RedisHuey", type(HUEY)
HUEY.flush()

@HUEY.task()
def add(a, b):
    return a + b

result = add(2, 3)                      # queued in Redis, not run here
queued_before = HUEY.pending_count()
HUEY.execute(HUEY.dequeue())            # what one consumer step does: pull from Redis, run
value = result.get(blocking=True, timeout=5)

reminder_email(12345)                   # a project task serialises into the same queue
message = HUEY.dequeue()
print(json.dumps({"queued": queued_before, "value": value, "left": HUEY.pending_count(),
                  "task": message.name, "args": list(message.args)}))
HUEY.flush()
"""


def test_a_task_queued_on_redis_is_pulled_back_and_run(tmp_path):
    why_not = _redis_reachable(REDIS_TEST_URL)
    if why_not:
        pytest.skip(f"Redis round trip not run: {why_not} (set BIOPLAN_TEST_REDIS_URL)")
    out = _run(ROUND_TRIP, tmp_path, HUEY_URL=REDIS_TEST_URL, HUEY_NAME=f"bioplan-test-{uuid.uuid4().hex}")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {
        "queued": 1,
        "value": 5,
        "left": 0,
        "task": "reminder_email",
        "args": [12345],
    }
