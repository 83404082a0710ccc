from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bioplan.ingest.draft import PlanDraft
from bioplan.ingest.errors import IngestError
from bioplan.plans import services
from bioplan.plans.models import Plan


class Command(BaseCommand):
    help = "Import contract-format plan JSON files; a plan already stored gets a new version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+")
        parser.add_argument("--version-of", type=int, dest="version_of")

    def handle(self, *args: Any, **options: Any) -> None:
        version_of = None
        if options.get("version_of"):
            version_of = Plan.objects.filter(pk=options["version_of"]).first()
            if version_of is None:
                raise CommandError(f"no plan with id {options['version_of']}")
        failed = 0
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                self.stderr.write(f"{name}: no such file")
                failed += 1
                continue
            try:
                draft = PlanDraft.from_json_file(path)
                result = services.plan_import(draft=draft, source_file=path.name, version_of=version_of)
            except IngestError as exc:
                self.stderr.write(str(exc))
                failed += 1
                continue
            except ValidationError as exc:
                self.stderr.write(f"{name}: {'; '.join(exc.messages)}")
                failed += 1
                continue
            plan = result.plan
            verb = "imported" if result.created else "unchanged"
            self.stdout.write(
                f"{verb}: #{plan.pk} {plan.region.name} {plan.title} v{plan.version} "
                f"({plan.targets.count()} targets, {plan.tasks.count()} tasks, {plan.parks.count()} parks)"
            )
            if result.carried_summary:
                self.stdout.write(f"  {result.carried_summary}:")
                for t in result.unmatched_targets:
                    self.stdout.write(f"    目标 {t.code} {t.metric}（{t.scope}，{t.year or '—'}）")
                for task in result.unmatched_tasks:
                    self.stdout.write(f"    任务 {task.number}. {task.title}")
        if failed:
            raise CommandError(f"{failed} of {len(options['files'])} file(s) not imported")
