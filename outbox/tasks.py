"""The work the task worker does: deliveries and the periodic jobs."""

import io

from django.core.management import call_command
from django_tasks import task

from outbox import services


@task()
def send_delivery(delivery_id: int) -> str:
    return services.attempt(delivery_id)


@task()
def run_job(name: str) -> str:
    """Run one periodic job (see outbox.schedule.JOBS) and return what it printed."""
    from outbox.schedule import JOBS

    job = JOBS[name]
    out = io.StringIO()
    call_command(job.command, stdout=out, stderr=out)
    return out.getvalue()[:1000]
