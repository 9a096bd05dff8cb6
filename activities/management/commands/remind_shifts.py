from django.core.management.base import BaseCommand

from activities.services import send_shift_reminders
from core import pagecache


class Command(BaseCommand):
    help = (
        "Remind volunteers of their shifts in the next 24 hours (run hourly from cron)."
    )

    def handle(self, *args, **options):
        sent = send_shift_reminders()
        pagecache.bump_all()  # rows were changed in bulk, outside any request
        self.stdout.write(f"{sent} shift reminders sent.")
