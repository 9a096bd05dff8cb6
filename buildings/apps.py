from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuildingsConfig(AppConfig):
    name = "buildings"
    verbose_name = _("Buildings and residents")

    def ready(self):
        from buildings import audit
        from buildings.extensions import register_private_media
        from core.registry import register_restore_check

        audit.register_models()
        # Until proposals registers these itself (its command and its ballot slips).
        register_restore_check("recount_polls")
        register_private_media("ballot-slips", "proposals.view_ballot")
