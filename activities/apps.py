from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from auditlog.registry import auditlog

        from activities import models

        auditlog.register(models.Activity)
        auditlog.register(models.Registration)
        auditlog.register(models.RecapPhoto)
        auditlog.register(models.Task)
        auditlog.register(models.Shift)
