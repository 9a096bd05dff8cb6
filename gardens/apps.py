from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GardensConfig(AppConfig):
    name = "gardens"
    verbose_name = _("One-foot gardens")

    def ready(self):
        from auditlog.registry import auditlog

        from buildings.notify import register_kinds
        from gardens import models

        register_kinds(
            {"garden_given_up": _("The leader ends my household's garden adoption")}
        )
        auditlog.register(models.GardenSpace)
        auditlog.register(models.Adoption)
