"""Count every poll whose closing time has passed and apply its decision (run from cron)."""

from django.core.management.base import BaseCommand

from proposals.deliberation_services import close_due_polls


class Command(BaseCommand):
    help = "Close polls whose closing time has passed, count them and apply the result."

    def handle(self, *args, **options):
        closed = close_due_polls()
        self.stdout.write(f"{closed} poll(s) closed.")
