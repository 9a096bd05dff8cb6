"""Audit trail for 议事 (django-auditlog).

A secret poll's choices are counters on PollOption: their changes are never logged,
because a log entry (actor, time) next to a counter bump would tie a voter to a choice.
A secret poll's ballots are not logged either: a log entry carries its time, and when
each household voted, next to counts seen at two moments, would tell which way the
households that voted in between chose (the ballot admin hides the same times). The
ballot row itself still says who voted and who entered a paper ballot.
"""


def register_deliberation_models() -> None:
    from auditlog.registry import auditlog
    from auditlog.signals import pre_log

    from proposals import models as m

    for model in [
        m.Proposal,
        m.Meeting,
        m.MeetingAttendance,
        m.MeetingTask,
        m.Consultation,
        m.Question,
        m.Poll,
        m.Convention,
        m.ConventionSignature,
        m.ProposalCosign,
        m.RaiseRule,
    ]:
        auditlog.register(model)
    # Ballots are logged without their choice; options without their secret counter.
    auditlog.register(m.Ballot, exclude_fields=["option", "slip_photo"])
    auditlog.register(m.PollOption, exclude_fields=["secret_count"])
    pre_log.connect(
        _skip_secret_ballots, sender=m.Ballot, dispatch_uid="audit-secret-ballots"
    )


def _skip_secret_ballots(sender, instance, **kwargs):
    """No log entry, hence no time, for a ballot of a secret poll (returning False
    tells django-auditlog not to write one)."""
    if instance.poll.is_secret:
        return False
    return None
