import logging
import os
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from outbox.schedule import queue_due_jobs

logger = logging.getLogger("outbox")


def schedule_forever(interval: float, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            queue_due_jobs()
        except Exception:  # a busy database must not stop the schedule
            logger.exception("Could not queue the periodic jobs")
        stop.wait(interval)


class Command(BaseCommand):
    help = (
        "Run the task worker: deliveries (SMS, WeCom) and the periodic jobs on their "
        "schedule, on the database queue or (LOUZU_TASKS=rq) on Redis."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule-only",
            action="store_true",
            help="Only queue the periodic jobs when due (another worker runs them).",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Only run queued tasks (another process queues the periodic jobs).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at the queue when it is empty.",
        )

    def handle(self, *args, **options):
        stop = threading.Event()
        if options["schedule_only"]:
            try:
                schedule_forever(5, stop)
            except KeyboardInterrupt:
                pass
            return
        # In development db_worker reloads on code changes: the schedule runs in the
        # reloaded child that works the queue, not in the watching parent too.
        watching_parent = (
            settings.DEBUG
            and settings.LOUZU_TASKS == "db"
            and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        if not options["no_schedule"] and not watching_parent:
            threading.Thread(
                target=schedule_forever, args=(5, stop), daemon=True
            ).start()
        try:
            if settings.LOUZU_TASKS == "rq":
                # RQ's worker with its scheduler, which queues the delayed retries when due.
                call_command(
                    "rqworker",
                    "default",
                    job_class="django_tasks_rq.Job",
                    with_scheduler=True,
                    verbosity=0,
                )
            else:
                call_command("db_worker", interval=options["interval"], verbosity=0)
        finally:
            stop.set()
