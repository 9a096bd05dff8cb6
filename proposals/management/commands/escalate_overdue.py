"""Run every few minutes (cron): escalate issues nobody answered in time to branch staff."""

from django.core.management.base import BaseCommand

from core import pagecache
from proposals.issues.services import escalate_overdue_issues


class Command(BaseCommand):
    help = (
        "Tell branch staff about issues with no response past the deadline (once each)."
    )

    def handle(self, *args, **options):
        count = escalate_overdue_issues()
        pagecache.bump_all()  # rows were changed in bulk, outside any request
        self.stdout.write(f"{count} issue(s) escalated.")
