"""Audit trail for 议事 (django-auditlog).

A secret poll's choices are counters on PollOption: their changes are never logged,
because a log entry (actor, time) next to a counter bump would tie a voter to a choice.
"""


def register_deliberation_models() -> None:
    from auditlog.registry import auditlog

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
