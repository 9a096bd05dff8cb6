"""The issue status machine: which moves are allowed, and which need a reason.

submitted -> acknowledged -> deliberating -> in_progress -> resolved | declined.
Moving forward may skip steps (a leader can fix a loose door handle the same day).
Moving backward is allowed only where a real situation calls for it, and always needs a
reason that goes on the public timeline.
"""

SUBMITTED, ACKNOWLEDGED, DELIBERATING, IN_PROGRESS, RESOLVED, DECLINED = (
    "submitted",
    "acknowledged",
    "deliberating",
    "in_progress",
    "resolved",
    "declined",
)
ORDER = [SUBMITTED, ACKNOWLEDGED, DELIBERATING, IN_PROGRESS, RESOLVED]

FORWARD = {
    SUBMITTED: {ACKNOWLEDGED, DELIBERATING, IN_PROGRESS, RESOLVED, DECLINED},
    ACKNOWLEDGED: {DELIBERATING, IN_PROGRESS, RESOLVED, DECLINED},
    DELIBERATING: {IN_PROGRESS, RESOLVED, DECLINED},
    IN_PROGRESS: {RESOLVED, DECLINED},
    RESOLVED: set(),
    DECLINED: set(),
}

# Backward moves, each with the situation that justifies it.
BACKWARD = {
    (
        DELIBERATING,
        ACKNOWLEDGED,
    ),  # taken off the council agenda: a leader can handle it
    (IN_PROGRESS, ACKNOWLEDGED),  # work paused (waiting for the property company)
    (
        IN_PROGRESS,
        DELIBERATING,
    ),  # it turns out to need a council decision (money, rules)
    (RESOLVED, IN_PROGRESS),  # it was not really fixed
    (DECLINED, ACKNOWLEDGED),  # reconsidered after new facts
}


def allowed_targets(current: str) -> list[str]:
    """Every status an issue may move to from `current`, in display order."""
    targets = set(FORWARD.get(current, set())) | {
        to for (frm, to) in BACKWARD if frm == current
    }
    return [status for status in [*ORDER, DECLINED] if status in targets]


def is_allowed(current: str, target: str) -> bool:
    return target in allowed_targets(current)


def is_backward(current: str, target: str) -> bool:
    return (current, target) in BACKWARD


def needs_reason(current: str, target: str) -> bool:
    """Declining and every backward move must be explained."""
    return target == DECLINED or is_backward(current, target)
