from django.core.management.base import BaseCommand

from dashboard import figures


class Command(BaseCommand):
    help = "Compute every community's dashboard figures ahead (the worker runs it every 5 minutes)."

    def handle(self, *args, **options):
        count = figures.compute_all()
        self.stdout.write(f"Computed the dashboard figures of {count} communities.")
