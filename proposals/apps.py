from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Issues and decisions")

    def ready(self):
        from proposals.deliberation_audit import register_deliberation_models

        register_deliberation_models()
