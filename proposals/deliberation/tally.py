"""Counting a poll: pure functions, so the rule can be checked against any recount."""

from dataclasses import dataclass

ADOPTED, REJECTED, NO_QUORUM = "adopted", "rejected", "no_quorum"


@dataclass(frozen=True)
class OptionCount:
    option_id: int
    label: str
    kind: str  # candidate / yes / no / abstain
    votes: int


@dataclass(frozen=True)
class Decision:
    outcome: str
    winner_id: int | None
    quorum_needed: int
    quorum_met: bool


def quorum_needed(*, household_count: int, quorum_percent: int) -> int:
    """Households that must take part: the share, rounded up, in integers only."""
    return (household_count * quorum_percent + 99) // 100


def decide(
    *,
    counts: list[OptionCount],
    households_voted: int,
    household_count: int,
    quorum_percent: int,
) -> Decision:
    """The rule: quorum first; then more yes than no, or one clear top candidate."""
    needed = quorum_needed(
        household_count=household_count, quorum_percent=quorum_percent
    )
    met = households_voted >= needed and households_voted > 0
    if not met:
        return Decision(NO_QUORUM, None, needed, False)
    candidates = [c for c in counts if c.kind == "candidate"]
    if candidates:
        top = max(c.votes for c in candidates)
        leaders = [c for c in candidates if c.votes == top]
        if top > 0 and len(leaders) == 1:
            return Decision(ADOPTED, leaders[0].option_id, needed, True)
        return Decision(REJECTED, None, needed, True)
    yes = [c for c in counts if c.kind == "yes"]
    yes_votes = sum(c.votes for c in yes)
    no_votes = sum(c.votes for c in counts if c.kind == "no")
    if yes and yes_votes > no_votes:
        return Decision(ADOPTED, yes[0].option_id, needed, True)
    return Decision(REJECTED, None, needed, True)


def percent(part: int, whole: int) -> int:
    """Whole percent, rounded half up, for bars and labels."""
    if whole <= 0:
        return 0
    return (part * 200 + whole) // (whole * 2)
