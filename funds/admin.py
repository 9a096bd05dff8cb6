from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from buildings.admin import ReadOnlyAdmin
from core.templatetags.words import yuan
from funds.models import (
    Campaign,
    CampaignNeed,
    Fund,
    GoodsDonation,
    LedgerEntry,
    Pledge,
    ProjectCategory,
    Receipt,
    RuleSet,
    StockMovement,
    UsageRule,
)


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = [
        "building",
        "threshold",
        "matching_source",
        "matching_ratio",
        "cap",
        "created_at",
    ]
    list_filter = ["building__community"]
    search_fields = ["building__number", "building__name"]
    date_hierarchy = "created_at"
    list_select_related = ["building"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(
        description=Fund._meta.get_field("approval_threshold").verbose_name,
        ordering="approval_threshold",
    )
    def threshold(self, fund):
        return yuan(fund.approval_threshold)

    @admin.display(
        description=Fund._meta.get_field("matching_cap").verbose_name,
        ordering="matching_cap",
    )
    def cap(self, fund):
        return yuan(fund.matching_cap)


class UsageRuleInline(admin.TabularInline):
    model = UsageRule
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


class ProjectCategoryInline(UsageRuleInline):
    model = ProjectCategory


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ["fund", "version", "adopted_on", "adopted_how", "created_by"]
    list_filter = ["fund__building__community"]
    search_fields = ["fund__building__number", "adopted_how"]
    date_hierarchy = "adopted_on"
    list_select_related = ["fund__building", "created_by"]
    inlines = [UsageRuleInline, ProjectCategoryInline]


class CampaignNeedInline(admin.TabularInline):
    model = CampaignNeed
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "fund", "money_goal", "deadline", "status", "created_at"]
    list_filter = ["status", "fund__building__community"]
    search_fields = ["title", "purpose", "fund__building__number"]
    date_hierarchy = "created_at"
    list_select_related = ["fund__building"]
    raw_id_fields = ["fund", "category", "created_by"]
    inlines = [CampaignNeedInline]

    @admin.display(
        description=Campaign._meta.get_field("goal").verbose_name, ordering="goal"
    )
    def money_goal(self, campaign):
        return yuan(campaign.goal)


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["resident", "need", "quantity", "created_at"]
    list_filter = ["need__kind"]
    search_fields = ["resident__name", "need__description", "need__campaign__title"]
    date_hierarchy = "created_at"
    list_select_related = ["resident__household__building", "need__campaign"]
    raw_id_fields = ["resident", "need"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Append-only: browsable, never changed or deleted, not even by staff."""

    list_display = [
        "pk",
        "fund",
        "kind",
        "money_in",
        "money_out",
        "occurred_on",
        "payee",
        "donor_name",
        "recorded_by",
        "recorded_at",
    ]
    list_filter = ["kind", "paid_by", "fund__building__community"]
    search_fields = [
        "payee",
        "purpose",
        "donor_name",
        "receipt_number",
        "note",
        "approval_text",
    ]
    date_hierarchy = "occurred_on"
    list_select_related = ["fund__building", "recorded_by"]
    actions = None

    # Money as the ledger's pages write it: in or out, never a signed number.
    @admin.display(description=_("Money in"), ordering="amount")
    def money_in(self, entry):
        return yuan(entry.money_in)

    @admin.display(description=_("Money out"), ordering="amount")
    def money_out(self, entry):
        return yuan(entry.money_out)


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["entry", "confirmed_by", "confirmed_at", "created_at"]
    list_filter = ["confirmed_at"]
    search_fields = ["entry__payee", "entry__receipt_number"]
    date_hierarchy = "created_at"
    list_select_related = ["entry__fund__building", "confirmed_by"]


@admin.register(GoodsDonation)
class GoodsDonationAdmin(ReadOnlyAdmin):
    list_display = [
        "item",
        "quantity",
        "unit",
        "fund",
        "received_on",
        "donor_name",
        "recorded_by",
    ]
    list_filter = ["fund__building__community"]
    search_fields = ["item", "donor_name", "note"]
    date_hierarchy = "received_on"
    list_select_related = ["fund__building", "recorded_by"]
    actions = None


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ["goods", "quantity", "used_for", "occurred_on", "recorded_by"]
    search_fields = ["goods__item", "used_for"]
    list_filter = ["goods__fund__building__community"]
    date_hierarchy = "occurred_on"
    list_select_related = ["goods", "recorded_by"]
    actions = None
