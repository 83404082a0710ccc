from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bioplan.audit.registry import tracked
from bioplan.audit.services import RestoreError, record_restore
from bioplan.core.models import User


class Command(BaseCommand):
    help = (
        "Restore a deleted record from its history (with the records deleted in the same cascade), "
        "recorded as 恢复 by --user, who must be an office admin of the record's region."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model", help="app_label.model, e.g. plans.task")
        parser.add_argument("pk", type=int, help="the deleted record's id")
        parser.add_argument("--user", required=True, help="username the restore is recorded for")
        parser.add_argument(
            "--no-cascade", action="store_true", help="restore only this record, not its children"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        entry = tracked(options["model"])
        if entry is None:
            raise CommandError(f"{options['model']} has no restorable history (e.g. plans.task)")
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user called {options['user']}")
        try:
            result = record_restore(
                model=entry.model, pk=options["pk"], user=user, with_cascade=not options["no_cascade"]
            )
        except (RestoreError, PermissionDenied) as exc:
            raise CommandError(getattr(exc, "message", None) or str(exc)) from exc
        except ObjectDoesNotExist as exc:
            raise CommandError(
                f"{options['model']} #{options['pk']}: not found within {user}'s reach"
            ) from exc
        for restored in result.restored:
            self.stdout.write(
                f"restored {restored.entry.key} #{restored.instance.pk} {restored.entry.title(restored.instance)}"
            )
        for title, reason in result.skipped:
            self.stdout.write(f"not restored {title}: {reason}")
        for note in result.notes:
            self.stdout.write(note)
