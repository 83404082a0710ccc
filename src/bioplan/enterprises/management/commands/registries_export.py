from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bioplan.core.choices import RegionLevel
from bioplan.core.models import Region
from bioplan.sheets import export_workbook, registered_sheets, sheet_spec


class Command(BaseCommand):
    help = "Export a registry sheet of a district to .xlsx (the same layout the import reads)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(registered_sheets()))
        parser.add_argument("file", type=Path)
        parser.add_argument("--district", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        district = Region.objects.filter(name=options["district"], level=RegionLevel.DISTRICT).first()
        if district is None:
            raise CommandError(f"no district called {options['district']}")

        class System:  # the command reads as the system: every row of the district
            is_superuser = True
            is_authenticated = True

        options["file"].write_bytes(
            export_workbook(sheet_spec(options["kind"]), user=System(), region=district)
        )
        self.stdout.write(f"wrote {options['file']}")
