"""Demo data: python manage.py seed_demo (safe to run again).

The root's part is buildings/synthetic/demo.py; every app adds its own through
`<app>/synthetic/demo.py` `seed_demo(community)`.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from buildings.extensions import feature_modules
from buildings.synthetic.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_community


class Command(BaseCommand):
    help = "Load the demo community 宝欣苑第一居民区 (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        community = seed_community()
        for _app, demo in feature_modules("synthetic.demo"):
            demo.seed_demo(community)

        self.stdout.write(self.style.SUCCESS("Demo data is ready: 宝欣苑第一居民区."))
        self.stdout.write(
            f"Log in at http://127.0.0.1:8000/accounts/login/password/ with password {DEMO_PASSWORD}"
            " (or by code at /accounts/login/: the code is printed by the server):"
        )
        for role, phone in DEMO_LOGINS:
            self.stdout.write(f"  {role:<16} {phone}")
        self.stdout.write(
            "  (13800000008 is waiting for 8号楼's leader to approve them.)"
        )
