"""Synthetic data at district scale: python manage.py generate_district [--scale 0.01]."""

from django.core.management.base import BaseCommand, CommandError

from buildings.synthetic import district as gen


class Command(BaseCommand):
    help = (
        "Generate a synthetic district (565 communities, ~480,000 households, ~650,000 "
        "residents and a year of activity) for load tests. Refuses to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Share of the full district, e.g. 0.01 for 6 communities (default 1).",
        )
        parser.add_argument(
            "--communities",
            type=int,
            help="Exact number of communities (overrides --scale).",
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--quiet", action="store_true", help="No progress bar on stderr."
        )

    def handle(self, *args, **options):
        communities = options["communities"]
        if communities is None:
            if not 0 < options["scale"] <= 10:
                raise CommandError("--scale must be more than 0 and at most 10.")
            communities = max(1, round(gen.FULL_COMMUNITIES * options["scale"]))
        if communities < 1:
            raise CommandError("--communities must be at least 1.")
        district = gen.District(
            communities=communities,
            seed=options["seed"],
            progress=gen.Progress(stream=self.stderr._out, quiet=options["quiet"]),
        )
        try:
            counts = gen.generate(district)
        except gen.AlreadyGenerated as error:
            raise CommandError(
                f"{error} Generate into an empty database (or drop it and migrate again)."
            ) from error
        width = max(len(label) for label in counts)
        for label, count in sorted(counts.items()):
            self.stdout.write(f"  {label:<{width}}  {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {communities} communities, {sum(counts.values()):,} rows "
                f"in {district.seconds:.0f} s."
            )
        )
