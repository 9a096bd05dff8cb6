"""Delete one-time codes older than two days: python manage.py prune_codes.

The limits look back one day at most, so older rows only keep phone numbers and
addresses longer than needed. Run it daily (cron or the task worker's schedule).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from buildings.models import PhoneCode

KEEP = timedelta(days=2)


class Command(BaseCommand):
    help = "Delete one-time codes older than two days."

    def handle(self, *args, **options):
        deleted, _ = PhoneCode.objects.filter(
            created_at__lt=timezone.now() - KEEP
        ).delete()
        self.stdout.write(f"{deleted} old codes deleted.")
