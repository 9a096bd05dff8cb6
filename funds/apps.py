from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Building fund")

    def ready(self):
        from auditlog.registry import auditlog

        from funds import models

        for model in [
            models.Fund,
            models.RuleSet,
            models.Campaign,
            models.CampaignNeed,
            models.Pledge,
            models.LedgerEntry,
            models.Receipt,
            models.GoodsDonation,
            models.StockMovement,
        ]:
            auditlog.register(model)
