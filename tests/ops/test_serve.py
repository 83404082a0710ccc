"""`bioplan serve` (what `make demo` and `make serve` run): web server and background worker start
together, the worker runs queued jobs, and Ctrl-C stops both. Real processes on a scratch SQLite file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bioplan.ops.serve import commands


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"BIOPLAN_TESTING", "HUEY_URL", "REDIS_URL"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "bioplan.settings",
        "SECRET_KEY": "test-serve-" + "x" * 40,
        "BIOPLAN_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'serve.sqlite3'}",
    }
    return env


BIOPLAN = [sys.executable, "-m", "bioplan"]


def _start_serve(var_dir: Path) -> tuple[dict[str, str], int, subprocess.Popen[bytes]]:
    """Migrate a scratch SQLite database, then start `bioplan serve` on a free port."""
    env = _env(var_dir)
    subprocess.run([*BIOPLAN, "manage", "migrate", "--no-input", "-v", "0"], env=env, check=True, timeout=300)
    port = _free_port()
    proc = subprocess.Popen(
        [*BIOPLAN, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    return env, port, proc


def test_commands_run_gunicorn_and_the_huey_worker_with_this_interpreter() -> None:
    argv = commands(host="127.0.0.1", port=8123, workers=2, task_workers=1)
    assert argv["web"][:4] == [sys.executable, "-m", "gunicorn", "bioplan.wsgi"]
    assert "127.0.0.1:8123" in argv["web"]
    assert argv["worker"][:5] == [sys.executable, "-m", "bioplan", "manage", "run_huey"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_serve_runs_web_and_worker_and_ctrl_c_stops_both(tmp_path: Path) -> None:
    env, port, proc = _start_serve(tmp_path)
    try:
        body = b""
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = response.read()
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.2)
        assert b'"status": "ok"' in body, proc.stdout.read() if proc.poll() is not None else body  # type: ignore[union-attr]

        # A job queued by another process is run by the worker that `serve` started.
        job = subprocess.run(
            [
                *BIOPLAN,
                "manage",
                "shell",
                "-c",
                "from bioplan.tracking.tasks import reminder_email as t; "
                "print('RESULT', t(0).get(blocking=True, timeout=60))",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "RESULT 0" in job.stdout, job.stdout + job.stderr

        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        out = proc.stdout.read().decode()  # type: ignore[union-attr]
        assert "Ctrl-C" in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # Nothing is left listening on the port once serve has returned.
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_children_stop_when_serve_itself_is_killed(tmp_path: Path) -> None:
    _env_unused, _port, proc = _start_serve(tmp_path)
    children: list[int] = []
    for _ in range(300):
        children = [
            int(pid)
            for pid in subprocess.run(
                ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True
            ).stdout.split()
        ]
        if len(children) == 2:
            break
        time.sleep(0.2)
    assert len(children) == 2
    proc.kill()  # SIGKILL: serve cannot stop its children itself
    proc.wait()
    deadline = time.monotonic() + 30
    alive = children
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
        time.sleep(0.2)
    assert alive == []


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0]
    except (OSError, IndexError):
        return "Z"
