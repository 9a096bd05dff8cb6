"""The building fund: rules, campaigns, an append-only money ledger and goods in stock.

Longer than 500 lines on purpose: the ledger's QuerySet holds the one definition of
every money figure (raised, matched, spent, reversed, balance, goods in stock), which the
fund, campaign and goods models read; one module keeps the figures beside what they sum.
"""

import hashlib
import uuid
from datetime import UTC, date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Abs, Coalesce, Round
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from buildings.models import Cancellable
from funds.money import format_money, to_money

MONEY = {"max_digits": 12, "decimal_places": 2}

# --- The money figures, each defined once --------------------------------------------
# Raised (by residents), matched (added by the matching source), spent, reversed and the
# balance. Pages, statements, exports, charts and the branch dashboard all read them
# through LedgerEntryQuerySet.totals() / totals_by(), never with sums of their own.
# A reversal (冲正) counts against the figure of the entry it reverses, on its own date:
# reversing a ¥150 gift lowers "raised" by ¥150 in the period of the reversal; it is
# never "spent". "reversed" is the amount corrected that way (already netted above).
FIGURE_KINDS = {"raised": "donation", "matched": "matching", "spent": "expense"}


def exact(total, places: int = 2):
    """A sum (or difference) of amounts with two decimals, rounded back to them in the
    query, and 0 for no rows. SQLite adds decimals as floating-point numbers (0.1 + 0.2 -
    0.3 is not 0 there) and Django does not round an aggregate back to the field's places;
    on PostgreSQL the rounding changes nothing."""
    return Round(Coalesce(total, Decimal("0")), places)


def figure_filter(figure: str, prefix: str = "") -> Q:
    """The ledger rows (reached through the relation prefix) that make up one figure."""
    if figure == "reversed":
        return Q(**{f"{prefix}kind": "reversal"})
    kind = FIGURE_KINDS[figure]
    return Q(**{f"{prefix}kind": kind}) | Q(
        **{f"{prefix}kind": "reversal", f"{prefix}reverses__kind": kind}
    )


def figure_sums(prefix: str = "") -> dict:
    """The aggregate expressions behind the figures (for aggregate() or annotate())."""
    amount = f"{prefix}amount"
    sums = {
        figure: Sum(amount, filter=figure_filter(figure, prefix))
        for figure in FIGURE_KINDS
    }
    sums["reversed"] = Sum(Abs(amount), filter=figure_filter("reversed", prefix))
    sums["balance"] = Sum(amount)
    sums["entries"] = Count(f"{prefix}pk")
    return sums


def figures(sums: dict) -> dict:
    """Rounded figures from the sums of figure_sums(); money out is shown positive."""
    totals = {key: to_money(sums.get(key)) for key in (*FIGURE_KINDS, "reversed")}
    totals["spent"] = -totals["spent"]
    totals["balance"] = to_money(sums.get("balance"))
    totals["money_in"] = totals["raised"] + totals["matched"]
    totals["money_out"] = totals["spent"]
    totals["entries"] = sums.get("entries") or 0
    return totals


def added(groups) -> dict:
    """The figures of several groups (of totals_by()) as one: every figure is a sum."""
    total = figures({})
    for group in groups:
        for key in total:
            total[key] += group[key]
    return total


def receipt_upload_to(instance, filename):
    return f"receipts/{uuid.uuid4().hex}.jpg"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete a row of an append-only table."""


class AppendOnlyQuerySet(models.QuerySet):
    """Rows can be added and read, never changed or deleted in bulk."""

    def update(self, **kwargs):
        raise AppendOnlyError(
            f"{self.model.__name__} rows are append-only: record a correction instead."
        )

    def delete(self):
        raise AppendOnlyError(
            f"{self.model.__name__} rows are append-only: record a correction instead."
        )

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(
            f"{self.model.__name__} rows are append-only: record a correction instead."
        )


class AppendOnlyModel(models.Model):
    """A row that can be written once and never again."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(
                f"{type(self).__name__} rows are append-only: record a correction instead."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(
            f"{type(self).__name__} rows are append-only: record a correction instead."
        )


# --- Fund and its rules -----------------------------------------------------------


class FundQuerySet(models.QuerySet):
    def with_balance(self):
        return self.annotate(balance_sum=exact(Sum("entries__amount")))


class Fund(models.Model):
    """One per building: the self-governance fund (楼组自治金)."""

    building = models.OneToOneField(
        "buildings.Building",
        on_delete=models.PROTECT,
        related_name="fund",
        verbose_name=_("building"),
    )
    approval_threshold = models.DecimalField(
        _("approval needed above (¥)"),
        **MONEY,
        default=Decimal("500.00"),
        help_text=_(
            "An expense above this amount must cite the decision that approved it."
        ),
    )
    matching_source = models.CharField(
        _("who adds matching money"),
        max_length=60,
        blank=True,
        default="街道",
        help_text=_("For example the sub-district office (街道)."),
    )
    matching_ratio = models.DecimalField(
        _("matching: yuan added per yuan raised"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0.00"),
    )
    matching_cap = models.DecimalField(
        _("matching: at most (¥)"), **MONEY, default=Decimal("0.00")
    )
    created_at = models.DateTimeField(
        _("opened at"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("building fund")
        verbose_name_plural = _("building funds")
        ordering = ["building"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approval_threshold__gte=0),
                name="fund_threshold_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(matching_ratio__gte=0),
                name="fund_matching_ratio_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(matching_cap__gte=0), name="fund_matching_cap_not_negative"
            ),
        ]

    def __str__(self):
        return str(_("Fund of %(building)s") % {"building": self.building.display_name})

    def get_absolute_url(self):
        return reverse("funds:index", args=[self.building_id])

    @property
    def offers_matching(self) -> bool:
        return self.matching_ratio > 0 and self.matching_cap > 0


class RuleSet(models.Model):
    """One version of the fund's usage rules and project categories, adopted by the team."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="rulesets", verbose_name=_("fund")
    )
    version = models.PositiveIntegerField(_("version"))
    adopted_on = models.DateField(_("adopted on"))
    adopted_how = models.CharField(
        _("how it was adopted"),
        max_length=200,
        help_text=_(
            "For example: 2026-03-02 council meeting, 12 of 14 households agreed."
        ),
    )
    introduction = models.TextField(_("introduction"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("usage rules version")
        verbose_name_plural = _("usage rules versions")
        ordering = ["fund", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "version"], name="ruleset_version_unique"
            )
        ]

    def __str__(self):
        return str(_("Usage rules v%(version)s") % {"version": self.version})

    def get_absolute_url(self):
        return (
            reverse("funds:rules", args=[self.fund.building_id])
            + f"?version={self.version}"
        )


class UsageRule(models.Model):
    """One line of the usage rules: what the fund may, or may not, pay for."""

    ruleset = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="rules", verbose_name=_("rules")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("rule"), max_length=200)
    allowed = models.BooleanField(_("the fund may pay for this"), default=True)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("usage rule")
        verbose_name_plural = _("usage rules")
        ordering = ["ruleset", "-allowed", "position"]

    def __str__(self):
        return self.text


class ProjectCategory(models.Model):
    """One category of the project classification guide."""

    ruleset = models.ForeignKey(
        RuleSet,
        on_delete=models.PROTECT,
        related_name="categories",
        verbose_name=_("rules"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("category"), max_length=80)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("project category")
        verbose_name_plural = _("project categories")
        ordering = ["ruleset", "position"]

    def __str__(self):
        return self.name


# --- Campaigns --------------------------------------------------------------------


class CampaignQuerySet(models.QuerySet):
    def with_progress(self):
        """Money raised for the campaign: the fund's "raised" figure, for its entries."""
        return self.annotate(
            raised_sum=exact(
                Sum("entries__amount", filter=figure_filter("raised", "entries__"))
            )
        )

    def open(self):
        """Campaigns still taking pledges and gifts, as Campaign.is_open says."""
        return self.filter(
            status=Campaign.Status.OPEN,
            cancelled_at__isnull=True,
            deadline__gte=timezone.localdate(),
        )


class Campaign(Cancellable):
    """A crowdfunding campaign (众筹): money, goods and hands, each with its progress."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("campaign", "Open")
        CLOSED = "closed", pgettext_lazy("campaign", "Closed")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("fund")
    )
    title = models.CharField(_("title"), max_length=80)
    purpose = models.TextField(_("purpose"), max_length=2000)
    category = models.ForeignKey(
        ProjectCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("category"),
    )
    goal = models.DecimalField(
        _("money goal (¥)"),
        **MONEY,
        default=Decimal("0.00"),
        help_text=_("0 if you ask only for goods or hands."),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.OPEN
    )
    approval_text = models.CharField(
        _("approved by"),
        max_length=200,
        blank=True,
        help_text=_(
            "The decision that approved this campaign, for example 2026-11-20 council decision item 3."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__gte=0), name="campaign_goal_not_negative"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funds:campaign", args=[self.fund.building_id, self.pk])

    @property
    def is_open(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.cancelled_at is None
            and self.deadline >= timezone.localdate()
        )


class CampaignNeedQuerySet(models.QuerySet):
    def with_progress(self):
        """Pledged (promised) and received (goods logged in stock for the need) so far.

        Subqueries, not two joined sums: joining pledges and goods would multiply both."""
        pledged = (
            Pledge.objects.filter(need=OuterRef("pk"))
            .order_by()
            .values("need")
            .annotate(total=Sum("quantity"))
            .values("total")
        )
        received = (
            GoodsDonation.objects.filter(need=OuterRef("pk"))
            .order_by()
            .values("need")
            .annotate(total=Sum("quantity"))
            .values("total")
        )
        return self.annotate(
            pledged_sum=Coalesce(Subquery(pledged), 0),
            received_sum=Coalesce(
                Subquery(received, output_field=models.DecimalField()),
                Decimal("0"),
                output_field=models.DecimalField(),
            ),
        )


class CampaignNeed(models.Model):
    """Goods or hands a campaign asks for: "20 flower pots", "2 people to water on Saturdays"."""

    class Kind(models.TextChoices):
        GOODS = "goods", _("Goods")
        HANDS = "hands", _("Hands")

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="needs",
        verbose_name=_("campaign"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    description = models.CharField(_("what"), max_length=80)
    quantity = models.PositiveIntegerField(_("how many"))
    unit = models.CharField(
        _("unit"), max_length=10, blank=True, help_text=_("For example 盆, 袋, 人.")
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    objects = CampaignNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign need")
        verbose_name_plural = _("campaign needs")
        ordering = ["campaign", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="need_quantity_positive"
            )
        ]

    def __str__(self):
        return f"{self.description} × {self.quantity}{self.unit}"


class Pledge(models.Model):
    """A resident promises goods or hands for a campaign need (one pledge per resident and need)."""

    need = models.ForeignKey(
        CampaignNeed,
        on_delete=models.CASCADE,
        related_name="pledges",
        verbose_name=_("need"),
    )
    resident = models.ForeignKey(
        "buildings.Resident",
        on_delete=models.CASCADE,
        related_name="pledges",
        verbose_name=_("resident"),
    )
    quantity = models.PositiveIntegerField(_("how many"))
    note = models.CharField(_("note"), max_length=120, blank=True)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "resident"], name="pledge_one_per_resident_and_need"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="pledge_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.resident.name}: {self.quantity} × {self.need.description}"

    def public_pledger(self) -> str:
        """The pledger as the building sees them, by their own choice of how they appear
        (needs resident__household selected); no preference shows room and name."""
        choice = self.resident.public_display
        if not choice:
            return f"{self.resident.household.room} · {self.resident.name}"
        return public_label(choice, self.resident)


# --- The money ledger --------------------------------------------------------------


class PublicName(models.TextChoices):
    """How a donor appears in public."""

    REAL_NAME = "name", _("Real name")
    ROOM = "room", _("Room only (某室)")
    ANONYMOUS = "anonymous", _("Anonymous")


def public_label(public_name: str, resident=None, outside_name: str = "") -> str:
    """A giver as the public sees them: a name, a room (某室) or "Anonymous".

    `resident` needs its household selected when shown by room."""
    if public_name == PublicName.REAL_NAME:
        if resident is not None:
            return resident.name
        if outside_name:
            return outside_name
    if public_name == PublicName.ROOM and resident is not None:
        return str(_("Room %(room)s") % {"room": resident.household.room})
    return str(_("Anonymous"))


class LedgerEntryQuerySet(AppendOnlyQuerySet):
    def for_display(self):
        """What a statement's entries show. Joining all ten tables cost PostgreSQL ~12 ms
        to plan at district scale (20 times the query itself), so whether an expense has
        a receipt is asked in a subquery (`has_receipt`); the entry page adds what only
        it shows (for_detail)."""
        return self.select_related(
            "fund",
            "donor_resident__household",
            "usage_rule",
            "campaign",
        ).annotate(
            reversed_kind=F("reverses__kind"),
            has_receipt=Exists(Receipt.objects.filter(entry=OuterRef("pk"))),
        )

    def for_list(self):
        """A list of one fund's entries read through `fund.entries` (which sets each
        entry's fund without a join), as the fund and campaign pages show them: no usage
        rule and no receipt. Each join costs PostgreSQL planning time (the fund and usage-rule
        joins of for_display() ~4-10 ms of the fund page's, the query itself <1 ms).
        Whether an entry was reversed is asked in the same query (`is_reversed`: a
        subquery plans in half the time of a join, and saves a query of its own)."""
        return self.select_related("donor_resident__household", "campaign").annotate(
            reversed_kind=F("reverses__kind"),
            is_reversed=Exists(LedgerEntry.objects.filter(reverses=OuterRef("pk"))),
        )

    def for_detail(self):
        """One entry's page: also the entry that reverses it, the one it reverses, its
        receipt and who recorded it."""
        return self.for_display().prefetch_related(
            "reversed_by", "receipt", "reverses", "recorded_by"
        )

    def balance(self) -> Decimal:
        """The balance figure alone (what the services check an expense against)."""
        return to_money(self.aggregate(balance=figure_sums()["balance"])["balance"])

    def before(self, day: date):
        """Entries dated before the day: their balance is the opening balance of that day."""
        return self.filter(occurred_on__lt=day)

    def between(self, start: date, end: date):
        """Entries dated in the period, both days included."""
        return self.filter(occurred_on__gte=start, occurred_on__lte=end)

    def totals(self) -> dict:
        """Raised, matched, spent, reversed, money in/out and the balance, in one query."""
        return figures(self.aggregate(**figure_sums()))

    def totals_by(self, *fields) -> list[tuple[dict, dict]]:
        """The same figures per group of the given fields: [(group values, figures)]."""
        rows = self.order_by().values(*fields).annotate(**figure_sums())
        return [({key: row[key] for key in fields}, figures(row)) for row in rows]


class LedgerEntry(AppendOnlyModel):
    """One line of the fund's money ledger; never edited, never deleted.

    `amount` is signed: money in is positive, money out negative, and a reversal carries
    the opposite of the entry it reverses, so the balance is simply the sum of amounts.
    Each entry also stores a SHA-256 digest chained to the previous entry of its fund,
    so `manage.py check_ledger` notices a row changed behind the application's back.
    """

    class Kind(models.TextChoices):
        DONATION = "donation", _("Donation")
        EXPENSE = "expense", _("Expense")
        MATCHING = "matching", _("Matching grant")
        REVERSAL = "reversal", _("Reversal (冲正)")

    class PaidBy(models.TextChoices):
        CASH = "cash", _("Cash")
        WECHAT = "wechat", _("WeChat transfer")
        ALIPAY = "alipay", _("Alipay")
        BANK = "bank", _("Bank transfer")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("fund")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    amount = models.DecimalField(_("amount (¥)"), **MONEY)
    occurred_on = models.DateField(_("date"))
    donor_resident = models.ForeignKey(
        "buildings.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("donor (resident)"),
    )
    donor_name = models.CharField(
        _("donor (name from outside)"), max_length=60, blank=True
    )
    public_name = models.CharField(
        _("shown in public as"),
        max_length=10,
        choices=PublicName,
        default=PublicName.ANONYMOUS,
    )
    paid_by = models.CharField(_("how paid"), max_length=10, choices=PaidBy, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    payee = models.CharField(_("paid to"), max_length=80, blank=True)
    purpose = models.CharField(_("what for"), max_length=200, blank=True)
    usage_rule = models.ForeignKey(
        UsageRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("usage rule"),
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("campaign"),
    )
    # The approving decision: an adopted proposal of the building, or (for decisions
    # taken before Louzu, e.g. a paper council record) a citation as text.
    approving_proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_entries",
        verbose_name=_("approving decision"),
    )
    approval_text = models.CharField(
        _("approved by (decision)"), max_length=200, blank=True
    )
    note = models.CharField(_("note / reason"), max_length=300, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(
        _("recorded at"), default=timezone.now, editable=False
    )
    token = models.UUIDField(
        _("form token"), default=uuid.uuid4, unique=True, editable=False
    )
    digest = models.CharField(_("digest"), max_length=64, editable=False)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["occurred_on", "pk"]
        indexes = [
            models.Index(fields=["fund", "occurred_on"], name="ledger_fund_date_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["donation", "matching"], amount__gt=0)
                    | Q(kind="expense", amount__lt=0)
                    | (Q(kind="reversal") & ~Q(amount=0))
                ),
                name="ledger_amount_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | Q(~Q(kind="reversal"), reverses__isnull=True),
                name="ledger_reversal_names_its_entry",
            ),
        ]

    def __str__(self):
        amount = self.money_in if self.is_money_in else self.money_out
        return f"#{self.pk} {self.get_kind_display()} {format_money(amount)}"

    def get_absolute_url(self):
        return reverse("funds:entry", args=[self.fund.building_id, self.pk])

    @property
    def is_money_in(self) -> bool:
        """Which column the entry belongs to: gifts and grants, and their reversals, are
        money in; expenses and theirs are money out (the sign of a reversal says which)."""
        if self.kind == self.Kind.REVERSAL:
            return self.amount < 0
        return self.kind in (self.Kind.DONATION, self.Kind.MATCHING)

    @property
    def money_in(self) -> Decimal | None:
        """The entry in the money-in column; a reversed gift shows here as a negative."""
        return self.amount if self.is_money_in else None

    @property
    def money_out(self) -> Decimal | None:
        """The entry in the money-out column; a reversed expense shows here as a negative."""
        return None if self.is_money_in else -self.amount

    def reversal_label(self) -> str:
        """What a reversal corrects, e.g. "reverses donation #7" (for_display or
        for_detail must have been used, so the reversed kind is at hand)."""
        if self.kind != self.Kind.REVERSAL:
            return ""
        kind = getattr(self, "reversed_kind", None) or self.reverses.kind
        labels = {
            self.Kind.DONATION: _("reverses donation #%(pk)s"),
            self.Kind.MATCHING: _("reverses matching grant #%(pk)s"),
            self.Kind.EXPENSE: _("reverses expense #%(pk)s"),
        }
        return str(labels[kind] % {"pk": self.reverses_id})

    def public_donor(self) -> str:
        """The donor as the public sees them (needs donor_resident__household selected)."""
        if self.kind != self.Kind.DONATION:
            return ""
        return public_label(self.public_name, self.donor_resident, self.donor_name)

    def compute_digest(self, previous: str) -> str:
        """SHA-256 over the previous digest and every field that carries meaning."""
        parts = [
            previous,
            self.fund_id,
            self.kind,
            f"{to_money(self.amount):.2f}",
            self.occurred_on.isoformat(),
            self.donor_resident_id or "",
            self.donor_name,
            self.public_name,
            self.paid_by,
            self.receipt_number,
            self.payee,
            self.purpose,
            self.usage_rule_id or "",
            self.campaign_id or "",
            self.approval_text,
            self.approving_proposal_id or "",
            self.note,
            self.reverses_id or "",
            self.recorded_by_id,
            self.recorded_at.astimezone(UTC).isoformat(),
            str(self.token),
        ]
        return hashlib.sha256(
            "\x1f".join(str(part) for part in parts).encode()
        ).hexdigest()


class Receipt(models.Model):
    """The photo of a receipt. Public only after a leader has blurred names and phone numbers."""

    entry = models.OneToOneField(
        LedgerEntry,
        on_delete=models.PROTECT,
        related_name="receipt",
        verbose_name=_("ledger entry"),
    )
    original = models.ImageField(_("original photo"), upload_to=receipt_upload_to)
    blurred = models.ImageField(
        _("blurred photo"), upload_to=receipt_upload_to, blank=True
    )
    regions = models.JSONField(_("blurred areas (percent)"), default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("receipt photo")
        verbose_name_plural = _("receipt photos")
        ordering = ["-created_at"]

    def __str__(self):
        return str(_("Receipt of entry #%(pk)s") % {"pk": self.entry_id})

    def get_absolute_url(self):
        return reverse(
            "funds:receipt", args=[self.entry.fund.building_id, self.entry_id]
        )

    @property
    def is_public(self) -> bool:
        return self.confirmed_at is not None and bool(self.blurred)


# --- Goods -------------------------------------------------------------------------


class GoodsDonationQuerySet(AppendOnlyQuerySet):
    def with_stock(self):
        """Each gift with what was used of it (used_sum) and what is left (in_stock)."""
        return (
            self.annotate(used_sum=exact(Sum("movements__quantity")))
            .annotate(in_stock=exact(F("quantity") - F("used_sum")))
            .select_related("donor_resident__household", "need__campaign")
        )


class GoodsDonation(AppendOnlyModel):
    """An in-kind gift: item, quantity and unit. Never part of the money balance."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="goods", verbose_name=_("fund")
    )
    item = models.CharField(_("item"), max_length=80)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(
        _("unit"), max_length=10, help_text=_("For example 盆, 袋, 把.")
    )
    received_on = models.DateField(_("received on"))
    donor_resident = models.ForeignKey(
        "buildings.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("donor (resident)"),
    )
    donor_name = models.CharField(
        _("donor (name from outside)"), max_length=60, blank=True
    )
    public_name = models.CharField(
        _("shown in public as"),
        max_length=10,
        choices=PublicName,
        default=PublicName.ANONYMOUS,
    )
    need = models.ForeignKey(
        CampaignNeed,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goods",
        verbose_name=_("for the campaign need"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(
        _("recorded at"), default=timezone.now, editable=False
    )
    token = models.UUIDField(
        _("form token"), default=uuid.uuid4, unique=True, editable=False
    )

    objects = GoodsDonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("goods donation")
        verbose_name_plural = _("goods donations")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="goods_quantity_positive"
            )
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity.normalize():f}{self.unit}"

    def get_absolute_url(self):
        return (
            reverse("funds:goods", args=[self.fund.building_id]) + f"#goods-{self.pk}"
        )

    def public_donor(self) -> str:
        return public_label(self.public_name, self.donor_resident, self.donor_name)


class StockMovement(AppendOnlyModel):
    """Goods taken out of stock: used for something, or written off with a reason."""

    goods = models.ForeignKey(
        GoodsDonation,
        on_delete=models.PROTECT,
        related_name="movements",
        verbose_name=_("goods"),
    )
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    used_for = models.CharField(_("used for"), max_length=200)
    occurred_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(
        _("recorded at"), default=timezone.now, editable=False
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="stock_movement_quantity_positive"
            )
        ]

    def __str__(self):
        return f"{self.goods.item} −{self.quantity.normalize():f}: {self.used_for}"
