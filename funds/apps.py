from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Building fund")

    def ready(self):
        from auditlog.registry import auditlog

        from buildings.extensions import register_nav_link, register_private_media
        from buildings.notify import register_kinds
        from core.registry import register_restore_check
        from funds import models

        # Receipt photos are shown by funds' own views; /media/ only to admin viewers.
        register_private_media("receipts", "funds.view_receipt")
        register_restore_check("check_ledger")
        register_nav_link("funds:index", _("Fund"), "coin")
        register_kinds(
            {
                "fund_donation": _("My donation to the building fund is recorded"),
                "campaign_cancelled": _(
                    "A campaign I pledged to is changed or cancelled"
                ),
            }
        )

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
