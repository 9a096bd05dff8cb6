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
        from proposals.deliberation.raising.categories import (
            register_category_source,
        )

        # A resident raising a matter may name one of the fund's project categories.
        register_category_source(category_names)

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


def category_names(building) -> list[str]:
    """The project categories of the building fund's current usage rules."""
    from funds.models import ProjectCategory, RuleSet

    ruleset = (
        RuleSet.objects.filter(fund__building=building).order_by("-version").first()
    )
    if ruleset is None:
        return []
    return list(
        ProjectCategory.objects.filter(ruleset=ruleset).values_list("name", flat=True)
    )
