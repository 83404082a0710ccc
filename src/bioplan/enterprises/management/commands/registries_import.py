from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bioplan.core.choices import RegionLevel
from bioplan.core.models import Region, User
from bioplan.enterprises.services import require_importer
from bioplan.sheets import import_file, registered_sheets, sheet_spec


class Command(BaseCommand):
    help = "Import a registry sheet (.xlsx) into a district, printing progress; nothing is saved if any row has a problem."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(registered_sheets()), help="which sheet")
        parser.add_argument("file", type=Path)
        parser.add_argument("--district", required=True, help="district name, e.g. 青浦区")
        parser.add_argument(
            "--user", default="", help="username the change is recorded for (default: system)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        district = Region.objects.filter(name=options["district"], level=RegionLevel.DISTRICT).first()
        if district is None:
            raise CommandError(f"no district called {options['district']}")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user called {options['user']}")
            try:
                require_importer(user, region=district)
            except PermissionDenied as exc:
                raise CommandError(f"{options['user']}: {exc}") from exc
        if not options["file"].exists():
            raise CommandError(f"no file {options['file']}")
        started = time.perf_counter()
        names = {"parse": "校验", "check": "核对", "save": "保存"}

        def progress(done: int, total: int, phase: str) -> None:
            percent = 100 * done // total if total else 100
            self.stdout.write(
                f"{names.get(phase, phase)} {done}/{total} ({percent}%) {time.perf_counter() - started:.1f}s"
            )
            self.stdout.flush()

        outcome = import_file(
            sheet_spec(options["kind"]), options["file"], region=district, user=user, progress=progress
        )
        elapsed = time.perf_counter() - started
        if not outcome.ok:
            for problem in outcome.problems:
                self.stderr.write(str(problem))
            self.stderr.write(f"{len(outcome.problems)} 处问题，未保存任何数据。")
            sys.exit(1)
        rate = outcome.total / elapsed if elapsed else 0
        self.stdout.write(
            f"完成：{outcome.total} 行，新增 {outcome.created}，更新 {outcome.updated}，用时 {elapsed:.1f}s（{rate:.0f} 行/秒）"
        )
