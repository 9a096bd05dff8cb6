"""Count every poll whose closing time has passed and apply its decision (run from cron)."""

from django.core.management.base import BaseCommand

from core import pagecache
from proposals.deliberation.polls.services import close_due_polls, remind_closing_polls


class Command(BaseCommand):
    help = (
        "Remind households that have not voted a day before a poll closes; close polls "
        "whose closing time has passed, count them and apply the result."
    )

    def handle(self, *args, **options):
        reminded = remind_closing_polls()
        closed = close_due_polls()
        pagecache.bump_all()  # rows were changed in bulk, outside any request
        self.stdout.write(f"{reminded} poll(s) reminded, {closed} poll(s) closed.")
