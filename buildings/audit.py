"""Audit trail: every change by a leader or staff member, with before/after values.

django-auditlog records the diffs (its middleware names the actor); this module says
which models are tracked and keeps secrets out of the log.
"""


def register_models() -> None:
    from auditlog.registry import auditlog

    from buildings import models

    auditlog.register(models.User, exclude_fields=["password", "last_login"])
    auditlog.register(models.Community)
    auditlog.register(models.Building)
    auditlog.register(models.Household)
    auditlog.register(models.Resident)
    auditlog.register(models.Talent)
    auditlog.register(models.Announcement)
    auditlog.register(models.ChangeNote)
    auditlog.register(models.TalentInvitation)
    auditlog.register(models.TeamEvent)
