from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bioplan.ops.services import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace every database row and every uploaded file with those of a `backup` archive, in one "
        "transaction. Needs --yes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", metavar="FILE", help="archive written by `backup`")
        parser.add_argument(
            "--yes", action="store_true", help="confirm: the database's current contents will be replaced"
        )
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                "restore replaces every row of the database and every uploaded file with the archive's; "
                "run it again with --yes to confirm (make a backup of the current state first)"
            )
        try:
            summary = backup_restore(path=Path(options["archive"]), database=options["database"])
        except BackupError as exc:
            raise CommandError(f"restore failed, nothing was changed: {exc}") from exc
        self.stdout.write(
            f"restored: {summary.path} (made {summary.manifest.get('created_at')} on "
            f"{summary.manifest.get('database_vendor')}; {summary.rows} rows; {summary.media_files} media files)"
        )
