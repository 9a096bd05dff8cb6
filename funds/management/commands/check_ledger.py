from django.core.management.base import BaseCommand, CommandError

from funds.checks import check_all
from funds.models import Fund


class Command(BaseCommand):
    help = "Verify every fund's ledger (digest chain, balances, reversals, statements, goods); exit 1 on a violation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--building",
            type=int,
            help="Check only the fund of this building (its id).",
        )

    def handle(self, *args, **options):
        funds = Fund.objects.select_related("building")
        if options["building"]:
            funds = funds.filter(building_id=options["building"])
        fund_count, entry_count, problems = check_all(funds)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} ledger problem(s) found.", returncode=1
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Ledger OK: {fund_count} fund(s), {entry_count} entries checked."
            )
        )
