"""The `bioplan check | status | report` verbs.

`register(subparsers)` adds them to the main `bioplan` parser (bioplan/cli.py). `check FILE.json`
reads a contract-format JSON file and needs no database and no Django; `check PLAN_ID`, `status` and
`report` set Django up and delegate to the management commands tracking_check, tracking_status and
report_quarterly (bioplan.reports).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, TextIO


def register(subparsers: Any) -> None:
    """Add the check, status and report verbs to an argparse subparsers object."""
    check = subparsers.add_parser(
        "check",
        help="print the consistency findings of a plan (JSON file or stored plan id); exit 1 on any failure",
    )
    check.add_argument("plan", help="a contract-format .json file, or the id of a stored plan")
    check.add_argument("--quiet", action="store_true", help="print failures only")
    check.set_defaults(func=run_check)

    status = subparsers.add_parser("status", help="print each target's actual, expected, status and forecast")
    status.add_argument("plan", help="the id of a stored plan")
    status.add_argument(
        "--as-of", dest="as_of", default="", help="period such as 2024Q2 (default: latest data)"
    )
    status.set_defaults(func=run_status)

    report = subparsers.add_parser("report", help="write the quarterly report (.docx) of a stored plan")
    report.add_argument("plan", help="the id of a stored plan")
    report.add_argument("--quarter", required=True, help="such as 2024Q2")
    report.add_argument("--docx", required=True, help="output .docx path")
    report.set_defaults(func=run_report)


def check_file(path: Path, *, out: TextIO, quiet: bool = False) -> int:
    """Print the findings of a contract-format JSON file; 0 when nothing fails, 1 otherwise, 2 if unreadable."""
    from bioplan.ingest.draft import PlanDraft
    from bioplan.ingest.errors import DraftInvalid
    from bioplan.tracking.consistency import facts_from_draft, plan_findings

    try:
        draft = PlanDraft.from_json_file(path)
    except DraftInvalid as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    findings = plan_findings(facts_from_draft(draft))
    return print_findings(findings, out=out, title=draft.plan.title or path.name, quiet=quiet)


def print_findings(findings: list[Any], *, out: Any, title: str, quiet: bool = False) -> int:
    """Write one line per finding (a text stream or a command's OutputWrapper); 1 if any failed."""
    failed = [f for f in findings if f.failed]
    lines = [f"# {title}"]
    lines += [f.line() for f in findings if not quiet or f.failed]
    lines.append(
        f"# {len(findings)} 项校核，{len(failed)} 项不一致" + ("" if findings else "（没有可校核的目标组合）")
    )
    for line in lines:
        out.write(line + "\n")
    return 1 if failed else 0


def setup_django() -> None:
    """Use the lead's `bioplan.cli.setup_django` when present, else the default settings module."""
    import importlib

    try:
        lead_setup = getattr(importlib.import_module("bioplan.cli"), "setup_django", None)
    except ImportError:
        lead_setup = None
    if callable(lead_setup):
        lead_setup()
        return
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bioplan.settings")
    django.setup()


def run_check(args: argparse.Namespace) -> int:
    path = Path(args.plan)
    if path.suffix.lower() == ".json" or path.exists():
        if not path.exists():
            print(f"error: {path} does not exist", file=sys.stderr)
            return 2
        return check_file(path, out=sys.stdout, quiet=args.quiet)
    return _delegate("tracking_check", args.plan, *(["--quiet"] if args.quiet else []))


def run_status(args: argparse.Namespace) -> int:
    extra = ["--as-of", args.as_of] if args.as_of else []
    return _delegate("tracking_status", args.plan, *extra)


def run_report(args: argparse.Namespace) -> int:
    return _delegate("report_quarterly", args.plan, "--quarter", args.quarter, "--docx", args.docx)


def _delegate(command: str, *argv: str) -> int:
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command(command, *argv)
    except CommandError as exc:
        # Commands signal "a check failed" with returncode 1 and real errors with 2.
        print(f"error: {exc}", file=sys.stderr)
        return exc.returncode
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point (python -m bioplan.tracking.cli), same verbs as `bioplan`."""
    parser = argparse.ArgumentParser(prog="bioplan")
    register(parser.add_subparsers(dest="verb", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
