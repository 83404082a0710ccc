from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bioplan.ops.services import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write every database row and every uploaded file into one archive (.zip, .tar.gz or .tgz); "
        "`restore` reads it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "archive", metavar="FILE", help="archive to write: NAME.zip, NAME.tar.gz or NAME.tgz"
        )
        parser.add_argument("--database", default="default", help="database alias (default: default)")
        parser.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_write(
                path=Path(options["archive"]), database=options["database"], overwrite=options["overwrite"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = summary.path.stat().st_size
        self.stdout.write(
            f"backup written: {summary.path} ({size / 2**20:.1f} MB; {summary.rows} rows in "
            f"{sum(1 for n in summary.counts.values() if n)} tables; {summary.media_files} media files)"
        )
