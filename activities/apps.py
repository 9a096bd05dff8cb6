from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from auditlog.registry import auditlog

        from activities import models
        from buildings.extensions import register_nav_link, register_resident_link
        from buildings.notify import register_kinds

        register_nav_link("activities:index", _("Activities"), "calendar")
        register_resident_link(
            "activities:resident-hours", _("Volunteer hours statement")
        )
        register_kinds(
            {
                "waitlist_promoted": _("I got a place from the waiting list"),
                "activity_changed": _(
                    "An activity I signed up for changes time or place"
                ),
                "activity_cancelled": _("An activity I signed up for is cancelled"),
                "shift_reminder": _("Reminders of my volunteer shifts"),
                "shift_swapped": _("Someone swaps a volunteer shift with me"),
            }
        )

        auditlog.register(models.Activity)
        auditlog.register(models.Registration)
        auditlog.register(models.RecapPhoto)
        auditlog.register(models.Task)
        auditlog.register(models.Shift)
