"""The job worker's part of the health check (core.health): tasks that have
waited past their time mean that no worker runs, and imports would never end."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from core.health import Check, register

#: A task due this long ago and not yet claimed: the worker polls every second.
OVERDUE = timedelta(minutes=2)


@register
def jobs() -> Check:
    due_before = timezone.now() - OVERDUE
    overdue = DBTaskResult.objects.filter(
        # A task to run at once has the greatest date as its time.
        Q(run_after=get_date_max(), enqueued_at__lte=due_before)
        | Q(run_after__lte=due_before),
        status=TaskResultStatus.READY,
    )
    count = overdue.count()
    if not count:
        return Check("jobs", "ok")
    return Check("jobs", "no worker", details={"overdue_tasks": count})
