"""`bioplan manage history_restore <app.model> <pk> --user USERNAME`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bioplan.core.services import record_delete
from bioplan.plans.models import Assignment, Task

pytestmark = pytest.mark.django_db


def test_history_restore_restores_the_record_and_its_cascade_as_the_user(world):
    pk = world.task.pk
    record_delete(instance=world.task, user=world.office, reason="误删")
    out = io.StringIO()

    call_command("history_restore", "plans.task", str(pk), "--user", "office", stdout=out)

    task = Task.objects.get(pk=pk)
    assert task.history.first().history_user == world.office
    assert Assignment.objects.filter(task=task).count() == 1
    assert f"restored plans.task #{pk}" in out.getvalue()
    assert "restored plans.assignment" in out.getvalue()


def test_history_restore_no_cascade_restores_only_the_record(world):
    pk = world.task.pk
    record_delete(instance=world.task, user=world.office, reason="误删")

    call_command(
        "history_restore", "plans.task", str(pk), "--user", "office", "--no-cascade", stdout=io.StringIO()
    )

    assert Assignment.objects.filter(task_id=pk).count() == 0


@pytest.mark.parametrize(
    ("model", "user", "message"),
    [
        ("plans.nothing", "office", "no restorable history"),
        ("plans.task", "nobody", "no user called nobody"),
        ("plans.task", "liaison", "只有产业办管理员"),
        ("plans.task", "other_office", "not found within other_office's reach"),
    ],
)
def test_history_restore_refuses_with_a_clear_error(world, model, user, message):
    pk = world.task.pk
    record_delete(instance=world.task, user=world.office, reason="误删")

    with pytest.raises(CommandError, match=message):
        call_command("history_restore", model, str(pk), "--user", user, stdout=io.StringIO())
    assert not Task.objects.filter(pk=pk).exists()


def test_history_restore_of_an_existing_record_is_an_error(world):
    with pytest.raises(CommandError, match="现已存在"):
        call_command(
            "history_restore", "plans.task", str(world.task.pk), "--user", "office", stdout=io.StringIO()
        )
