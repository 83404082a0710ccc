"""Background jobs of tracking (huey): reminder e-mails, queued in transaction.on_commit; the daily
refresh of reminders and the nightly warm-up of the dashboard."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def reminder_email(reminder_id: int) -> int:
    """E-mail a 催办 reminder to the liaisons of its department who have an address; returns how many.

    Sent only when BIOPLAN_REMINDER_EMAILS is on (default on) and the reminder is still open; the
    reminder is always listed on the liaison's start page whatever happens here."""
    from bioplan.tracking.models import Reminder

    reminder = (
        Reminder.objects.select_related("department", "cycle").filter(pk=reminder_id, resolved=False).first()
    )
    if reminder is None or not getattr(settings, "BIOPLAN_REMINDER_EMAILS", True):
        return 0
    addresses = sorted({u.email for u in reminder.department.users.filter(is_active=True) if u.email})
    if not addresses:
        return 0
    send_mail(
        subject=f"【催办】{reminder.cycle.label}任务进展报送",
        message=reminder.message,
        from_email=None,
        recipient_list=addresses,
        fail_silently=False,
    )
    Reminder.objects.filter(pk=reminder.pk).update(emailed_at=timezone.now())
    return len(addresses)


@db_periodic_task(crontab(hour="8", minute="30"))
def reminders_daily() -> int:
    """Every morning: refresh the 催办 reminders of every open cycle past its deadline (each new or
    changed reminder queues its e-mail). Returns the number of open reminders."""
    from bioplan.tracking.models import ReportingCycle
    from bioplan.tracking.services import reminders_queue

    today = timezone.localdate()
    total = 0
    for cycle in ReportingCycle.objects.open().filter(deadline__lt=today).select_related("region"):
        total += len(reminders_queue(cycle=cycle, today=today, user=None))
    return total


@db_periodic_task(crontab(hour="0", minute="5"))
def dashboard_warm_daily() -> int:
    """Just after midnight (the dashboard's parts are keyed by the day): compute every district's
    dashboard part ahead of the first visitor. Returns the number of districts."""
    from bioplan.tracking.selectors import dashboard_warm

    return dashboard_warm()
