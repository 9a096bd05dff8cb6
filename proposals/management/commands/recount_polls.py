from django.core.management.base import BaseCommand, CommandError

from proposals.deliberation.polls.models import Poll
from proposals.deliberation.polls.services import poll_results


class Command(BaseCommand):
    help = (
        "Count every closed poll again from its ballots (or secret counters) and "
        "compare with the stored outcome and winner; exit 1 on a difference."
    )

    def handle(self, *args, **options):
        closed = Poll.objects.filter(closed_at__isnull=False).order_by("pk")
        problems = []
        for poll in closed:
            results = poll_results(poll)
            if (results.outcome, results.winner_id) != (poll.outcome, poll.winner_id):
                problems.append(
                    f"Poll {poll.pk} ({poll.question}): stored {poll.outcome}, "
                    f"winner {poll.winner_id}; recount gives {results.outcome}, "
                    f"winner {results.winner_id}."
                )
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} poll(s) do not recount to their stored outcome.",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(f"Polls OK: {len(closed)} closed poll(s) recounted.")
        )
