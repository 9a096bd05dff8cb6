from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuildingsConfig(AppConfig):
    name = "buildings"
    verbose_name = _("Buildings and residents")

    def ready(self):
        from buildings import audit

        audit.register_models()
