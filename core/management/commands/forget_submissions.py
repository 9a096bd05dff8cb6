from django.core.management.base import BaseCommand

from core.submissions import forget_old


class Command(BaseCommand):
    help = "Forget forms sent over a day ago (kept to answer a form sent twice)."

    def handle(self, *args, **options):
        self.stdout.write(f"{forget_old()} forms forgotten.")
