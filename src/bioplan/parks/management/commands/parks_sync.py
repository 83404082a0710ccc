from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bioplan.core.choices import RegionLevel
from bioplan.core.models import Region
from bioplan.parks.services import park_sync_from_plans


class Command(BaseCommand):
    help = "Register in the park registry every park the plans of a district (or of all districts) name."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", default="", help="district name; default: every district")

    def handle(self, *args: Any, **options: Any) -> None:
        districts = Region.objects.filter(level=RegionLevel.DISTRICT).order_by("name")
        if options["district"]:
            districts = districts.filter(name=options["district"])
            if not districts.exists():
                raise CommandError(f"no district called {options['district']}")
        for district in districts:
            parks = park_sync_from_plans(district=district)
            self.stdout.write(f"{district.name}: {len(parks)} parks registered")
