from django.core.management.base import BaseCommand

from outbox.services import release_held


class Command(BaseCommand):
    help = "Queue the SMS held for the quiet hours (21:00-08:00) once they are over."

    def handle(self, *args, **options):
        self.stdout.write(f"{release_held()} held SMS queued.")
