"""`bioplan serve`: the web server (gunicorn) and the background worker (huey) as one foreground command.

Both run as child processes of this one. Ctrl-C (SIGINT) or SIGTERM stops both; when either child
dies the other is stopped too and the exit code says which. This is what `make demo` and `make serve`
run; a production server runs the two under systemd instead (docs/operations.md).

Written by hand rather than with a Procfile runner (honcho): two fixed children and a clean stop are
about forty lines, and operators get the same verb on every machine without another dependency.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

STOP_GRACE_SECONDS = 15.0


def commands(*, host: str, port: int, workers: int, task_workers: int) -> dict[str, list[str]]:
    """The two child command lines (run with this interpreter, so the virtualenv is the same)."""
    return {
        "web": [
            sys.executable,
            "-m",
            "gunicorn",
            "bioplan.wsgi",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        "worker": [
            sys.executable,
            "-m",
            "bioplan",
            "manage",
            "run_huey",
            "--workers",
            str(task_workers),
            "--flush-locks",
        ],
    }


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the child gets SIGTERM if this process dies without stopping it (kill -9, OOM killer),
    so a web server or worker is never left running alone. Elsewhere a no-op."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _stop(children: dict[str, subprocess.Popen[bytes]]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def serve(*, host: str, port: int, workers: int, task_workers: int) -> int:
    """Run web server and worker until Ctrl-C/SIGTERM or until one of them exits. Returns an exit code."""
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for name, argv in commands(host=host, port=port, workers=workers, task_workers=task_workers).items():
            # Own process group: a terminal's Ctrl-C reaches this process, which stops the children in
            # order, instead of every process receiving SIGINT at once.
            children[name] = subprocess.Popen(
                argv, env=os.environ.copy(), start_new_session=True, preexec_fn=_die_with_parent
            )
        print(
            f"bioplan serve: web http://{host}:{port}/ (pid {children['web'].pid}), "
            f"worker (pid {children['worker'].pid}); Ctrl-C stops both",
            flush=True,
        )
        code = 0
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    print(f"bioplan serve: {name} exited with {child.returncode}; stopping", file=sys.stderr)
                    code = child.returncode or 1
                    stopping = True
                    break
            time.sleep(0.2)
        return code
    finally:
        _stop(children)
        for s, handler in previous.items():
            signal.signal(s, handler)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=2, help="web worker processes (default 2)")
    parser.add_argument("--task-workers", type=int, default=1, help="background task threads (default 1)")


def run(args: argparse.Namespace) -> int:
    return serve(host=args.host, port=args.port, workers=args.workers, task_workers=args.task_workers)


def main(argv: Sequence[str] | None = None) -> int:  # pragma: no cover - convenience for python -m
    parser = argparse.ArgumentParser(prog="bioplan serve")
    add_arguments(parser)
    return run(parser.parse_args(argv))
