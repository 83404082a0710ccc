"""The `bioplan` command line: one entry point for everything an operator scripts.

Verbs that only read documents (`extract`, `check FILE.json`) run without Django or a database;
the others set Django up and delegate to management commands, so they behave exactly like
`manage.py <command>` and share the services the web pages use.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence


def setup_django() -> None:
    """Configure Django once (settings from DJANGO_SETTINGS_MODULE, default bioplan.settings)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bioplan.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _call(command: str, *args: str, **options: object) -> int:
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command(command, *args, **options)
    except CommandError as exc:
        print(f"bioplan: {exc}", file=sys.stderr)
        return getattr(exc, "returncode", 1) or 1
    return 0


def _plans(args: argparse.Namespace) -> int:
    if args.plans_verb == "import":
        options: dict[str, object] = {}
        if args.version_of:
            options["version_of"] = args.version_of
        return _call("plans_import", *args.files, **options)
    return _call("plans_list", all_versions=args.all)


def _demo(args: argparse.Namespace) -> int:
    return _call("demo_load", reset=args.reset)


def _backup(args: argparse.Namespace) -> int:
    return _call("backup", args.file, overwrite=args.overwrite)


def _restore(args: argparse.Namespace) -> int:
    return _call("restore", args.file, yes=args.yes)


def _manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["bioplan manage", *args.rest])
    except SystemExit as exc:  # Django exits on errors; keep the code for the shell
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bioplan", description="生物医药产业行动方案管理平台 — bioplan")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    sub.required = True

    from bioplan.ingest import cli as ingest_cli

    extract = sub.add_parser("extract", help="read plan documents and write contract-format JSON")
    ingest_cli.add_arguments(extract)
    extract.set_defaults(func=ingest_cli.run)

    plans = sub.add_parser("plans", help="import and list plans")
    plans_sub = plans.add_subparsers(dest="plans_verb", metavar="ACTION")
    plans_sub.required = True
    imp = plans_sub.add_parser(
        "import", help="import contract-format JSON files (a new version when the plan exists)"
    )
    imp.add_argument("files", nargs="+", metavar="FILE.json")
    imp.add_argument("--version-of", type=int, metavar="PLAN_ID", help="store as a new version of this plan")
    lst = plans_sub.add_parser("list", help="list stored plans")
    lst.add_argument("--all", action="store_true", help="include superseded versions")
    plans.set_defaults(func=_plans)

    demo = sub.add_parser("demo", help="load the demo: the four district plans, the paper, demo users")
    demo.add_argument("--reset", action="store_true", help="delete existing plans first")
    demo.set_defaults(func=_demo)

    from bioplan.ops import serve as serve_cli

    serve = sub.add_parser(
        "serve", help="run the web server and the background worker together (Ctrl-C stops both)"
    )
    serve_cli.add_arguments(serve)
    serve.set_defaults(func=serve_cli.run)

    backup = sub.add_parser("backup", help="write the database and uploaded files to FILE (.zip or .tar.gz)")
    backup.add_argument("file", metavar="FILE")
    backup.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    backup.set_defaults(func=_backup)

    restore = sub.add_parser("restore", help="replace the database and uploaded files with a backup's")
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--yes", action="store_true", help="confirm that current contents are replaced")
    restore.set_defaults(func=_restore)

    manage = sub.add_parser("manage", help="run a Django management command (migrate, createsuperuser, …)")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=_manage)

    # Verbs contributed by other apps (tracking: check, status, report).
    for module_name in ("bioplan.tracking.cli",):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The output went into `head` or `less`, which stopped reading: not an error to report.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    raise SystemExit(main())
