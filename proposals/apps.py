from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Issues and decisions")

    def ready(self):
        from auditlog.registry import auditlog

        from proposals import models

        # The reporter is never written to the audit log: it would reveal anonymous reporters.
        auditlog.register(models.Issue, exclude_fields=["reporter", "updated_at"])
        auditlog.register(models.IssueComment, exclude_fields=["author"])
        auditlog.register(models.IssueSupport)

        from proposals.deliberation.audit import register_deliberation_models

        register_deliberation_models()
