"""Periodic jobs, queued by the worker on a schedule (no cron needed).

`queue_due_jobs` runs in the worker every few seconds; a ScheduledRun row per job, locked
while it is checked, makes sure that several workers queue each job once per period.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from outbox.models import ScheduledRun


@dataclass(frozen=True)
class Job:
    command: str  # a management command
    every: timedelta
    description: str


JOBS = {
    job.command: job
    for job in (
        # Every 20 s: a closing reminder goes out within a minute of being due, even
        # when the provider fails twice (10 + 20 s of back-off).
        Job(
            "close_due_polls", timedelta(seconds=20), "closing reminders, then results"
        ),
        Job("send_held_sms", timedelta(minutes=1), "SMS held for the quiet hours"),
        Job("escalate_overdue", timedelta(minutes=10), "unanswered issues to staff"),
        Job("remind_shifts", timedelta(minutes=10), "volunteer shift reminders"),
        Job("check_ledger", timedelta(days=1), "verify every fund's ledger"),
        Job("post_statements", timedelta(hours=6), "last month's statement to groups"),
        Job("compute_dashboards", timedelta(minutes=5), "the dashboard's figures"),
        Job("forget_submissions", timedelta(hours=1), "forms sent a day ago"),
    )
}


def queue_due_jobs(now: datetime | None = None) -> list[str]:
    """Queue every job whose period has passed since it was last queued."""
    from outbox.tasks import run_job

    now = now or timezone.now()
    queued = []
    for name, job in JOBS.items():
        with transaction.atomic():
            run, created = ScheduledRun.objects.select_for_update().get_or_create(
                name=name, defaults={"last_queued_at": now}
            )
            if not created and run.last_queued_at + job.every > now:
                continue
            run.last_queued_at = now
            run.save(update_fields=["last_queued_at"])
            transaction.on_commit(lambda name=name: run_job.enqueue(name))
        queued.append(name)
    return queued
