"""Every write to the fund: rules, campaigns, the ledger, receipts and goods.

Longer than 500 lines on purpose: every money write takes the same lock (the fund row)
and extends the same digest chain, and the checks an expense, a reversal and a grant
make against the balance are one set of rules; one module keeps them side by side.

Money writes lock the fund row first (core.races.locked), so the balance an
expense is checked against cannot change before it is written, and the digest chain
of the ledger is extended by one writer at a time.
"""

import uuid
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings.models import Building, Resident, User
from buildings.notify import Message, notify
from core.races import locked, pause, set_lock_timeout
from funds.blur import blur_image
from funds.models import (
    Campaign,
    CampaignNeed,
    Fund,
    GoodsDonation,
    LedgerEntry,
    Pledge,
    ProjectCategory,
    PublicName,
    Receipt,
    RuleSet,
    StockMovement,
    UsageRule,
)
from funds.money import format_money, to_money
from proposals.models import Proposal

Kind = LedgerEntry.Kind


# --- Reads the writes depend on ------------------------------------------------------


def current_ruleset(fund: Fund) -> RuleSet | None:
    """The latest adopted version of the usage rules, or None."""
    return fund.rulesets.order_by("-version").first()


def current_version() -> Subquery:
    """The number of that version, for a query of funds (None where there is none)."""
    return Subquery(
        RuleSet.objects.filter(fund=OuterRef("pk"))
        .order_by("-version")
        .values("version")[:1]
    )


def matching_room(fund: Fund, totals: dict) -> Decimal:
    """How much matching money the fund may still receive (ratio × raised, up to the cap)."""
    if not fund.offers_matching:
        return Decimal("0.00")
    entitled = min(
        fund.matching_cap,
        to_money(fund.matching_ratio * max(totals["raised"], Decimal("0"))),
    )
    return max(to_money(entitled - totals["matched"]), Decimal("0.00"))


# --- Fund and rules ------------------------------------------------------------------


@transaction.atomic
def open_fund(*, building: Building) -> Fund:
    """Open the building's fund (once; opening again returns the same fund)."""
    fund, _created = Fund.objects.get_or_create(building=building)
    return fund


def _lines(text_or_list) -> list[str]:
    if isinstance(text_or_list, str):
        text_or_list = text_or_list.splitlines()
    return [
        line.strip().lstrip("-·•*").strip()
        for line in text_or_list
        if line.strip().lstrip("-·•*").strip()
    ]


@transaction.atomic
def adopt_rules(
    *,
    fund: Fund,
    allowed,
    forbidden,
    categories,
    adopted_on: date,
    adopted_how: str,
    introduction: str = "",
    by: User,
) -> RuleSet:
    """Adopt a new version of the usage rules and project categories (older versions stay)."""
    allowed, forbidden, categories = (
        _lines(allowed),
        _lines(forbidden),
        _lines(categories),
    )
    if not allowed:
        raise ValidationError(_("Write at least one thing the fund may pay for."))
    if not categories:
        raise ValidationError(_("Write at least one project category."))
    if adopted_on > timezone.localdate():
        raise ValidationError(_("The adoption date cannot be in the future."))
    set_lock_timeout()
    fund = locked(Fund.objects.filter(pk=fund.pk)).get()
    version = (fund.rulesets.aggregate(top=Max("version"))["top"] or 0) + 1
    ruleset = RuleSet.objects.create(
        fund=fund,
        version=version,
        adopted_on=adopted_on,
        adopted_how=adopted_how.strip(),
        introduction=introduction.strip(),
        created_by=by,
    )
    UsageRule.objects.bulk_create(
        [
            UsageRule(ruleset=ruleset, position=i, text=text[:200], allowed=True)
            for i, text in enumerate(allowed)
        ]
        + [
            UsageRule(ruleset=ruleset, position=i, text=text[:200], allowed=False)
            for i, text in enumerate(forbidden)
        ]
    )
    ProjectCategory.objects.bulk_create(
        [
            ProjectCategory(ruleset=ruleset, position=i, name=name[:80])
            for i, name in enumerate(categories)
        ]
    )
    return ruleset


# --- Campaigns ------------------------------------------------------------------------


@transaction.atomic
def create_campaign(
    *,
    fund: Fund,
    title: str,
    purpose: str,
    category: ProjectCategory | None,
    goal: Decimal,
    deadline: date,
    approval_text: str = "",
    needs: list[dict] = (),
    by: User,
) -> Campaign:
    """Start a campaign asking for money, goods and/or hands."""
    goal = to_money(goal or 0)
    if goal < 0:
        raise ValidationError(_("The money goal cannot be negative."))
    if deadline < timezone.localdate():
        raise ValidationError(_("The deadline has already passed."))
    if goal == 0 and not needs:
        raise ValidationError(
            _(
                "Ask for money, goods or hands: set a money goal or add at least one need."
            )
        )
    if category is not None and category.ruleset.fund_id != fund.pk:
        raise ValidationError(_("Choose a category from this building's guide."))
    campaign = Campaign.objects.create(
        fund=fund,
        title=title.strip(),
        purpose=purpose.strip(),
        category=category,
        goal=goal,
        deadline=deadline,
        approval_text=approval_text.strip(),
        created_by=by,
    )
    for need in needs:
        CampaignNeed.objects.create(campaign=campaign, **need)
    return campaign


@transaction.atomic
def close_campaign(*, campaign: Campaign) -> Campaign:
    """Close a campaign: no more pledges; money already given stays in the fund."""
    campaign.status = Campaign.Status.CLOSED
    campaign.save(update_fields=["status"])
    return campaign


@transaction.atomic
def pledge(
    *, need: CampaignNeed, resident: Resident, quantity: int, note: str = ""
) -> Pledge:
    """Promise goods or hands for a need; pledging again changes the number.

    The campaign row is locked for the check, so a pledge never lands after the campaign
    was closed or cancelled (whose pledgers are told: funds.changes.cancel_campaign)."""
    set_lock_timeout()
    campaign = locked(Campaign.objects.filter(pk=need.campaign_id)).get()
    if not campaign.is_open:
        raise ValidationError(_("This campaign is closed."))
    if resident.household.building_id != need.campaign.fund.building_id:
        raise ValidationError(_("Only residents of this building can pledge."))
    if quantity < 1:
        raise ValidationError(_("Pledge at least one."))
    if quantity > need.quantity:
        raise ValidationError(
            _("The campaign asks for %(count)s in all; please pledge at most that.")
            % {"count": need.quantity}
        )
    pause()  # test-only: widen the window between the check and the write
    found, _created = Pledge.objects.update_or_create(
        need=need,
        resident=resident,
        defaults={"quantity": quantity, "note": note.strip()[:120]},
    )
    return found


@transaction.atomic
def withdraw_pledge(*, need: CampaignNeed, resident: Resident) -> None:
    """Take back one's own pledge."""
    Pledge.objects.filter(need=need, resident=resident).delete()


# --- The ledger -------------------------------------------------------------------------


def _check_date(occurred_on: date) -> None:
    if occurred_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))


def _lock_fund(fund: Fund) -> Fund:
    set_lock_timeout()
    return locked(Fund.objects.filter(pk=fund.pk)).get()


def _existing(token, fund: Fund, model=LedgerEntry):
    """The entry (or goods) a form's token already saved, None if none; a token saved
    for another fund is refused."""
    if token is None:
        return None
    entry = model.objects.filter(token=token).first()
    if entry is not None and entry.fund_id != fund.pk:
        raise ValidationError(
            _("This form was already used for another fund. Please open it again.")
        )
    return entry


def _append(*, fund: Fund, token, **fields) -> tuple[LedgerEntry, bool]:
    """Append one entry, chained to the fund's last digest. The fund row must be locked."""
    previous = (
        fund.entries.order_by("-pk").values_list("digest", flat=True).first() or ""
    )
    entry = LedgerEntry(
        fund=fund, token=token or uuid.uuid4(), recorded_at=timezone.now(), **fields
    )
    entry.amount = to_money(entry.amount)
    entry.digest = entry.compute_digest(previous)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # A twin submission with the same form token won the race: return its entry.
        existing = LedgerEntry.objects.filter(token=entry.token).first()
        if existing is None:
            raise
        return existing, False
    return entry, True


def _attach_receipt(entry: LedgerEntry, image: ContentFile | None) -> None:
    if image is not None:
        Receipt.objects.create(entry=entry, original=image)


PUBLICITY = {PublicName.ANONYMOUS: 0, PublicName.ROOM: 1, PublicName.REAL_NAME: 2}


def respect_donor_choice(public_name: str, donor_resident: Resident | None) -> str:
    """The more private of the leader's choice and the donor's own (on their page)."""
    preferred = donor_resident.public_display if donor_resident is not None else ""
    if preferred and PUBLICITY[preferred] < PUBLICITY[public_name]:
        return preferred
    return public_name


def _check_donor(
    fund: Fund, donor_resident: Resident | None, donor_name: str, public_name: str
) -> None:
    if donor_resident is not None:
        if (
            donor_resident.household.building_id != fund.building_id
            or not donor_resident.is_approved
        ):
            raise ValidationError(_("Choose a resident of this building as the donor."))
        if donor_name:
            raise ValidationError(
                _("Choose a resident or write an outside name, not both.")
            )
    if public_name == PublicName.ROOM and donor_resident is None:
        raise ValidationError(
            _("Only a resident of the building can be shown by room.")
        )
    if (
        public_name == PublicName.REAL_NAME
        and donor_resident is None
        and not donor_name
    ):
        raise ValidationError(
            _("To show a real name, say who gave: a resident or an outside name.")
        )


@transaction.atomic
def record_donation(
    *,
    fund: Fund,
    amount: Decimal,
    occurred_on: date,
    by: User,
    donor_resident: Resident | None = None,
    donor_name: str = "",
    public_name: str = PublicName.ANONYMOUS,
    paid_by: str = LedgerEntry.PaidBy.CASH,
    receipt_number: str = "",
    campaign: Campaign | None = None,
    note: str = "",
    token=None,
    receipt_image: ContentFile | None = None,
) -> tuple[LedgerEntry, bool]:
    """Log a donation of money; a repeated form token returns the first entry (created=False)."""
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    _check_date(occurred_on)
    donor_name = donor_name.strip()
    public_name = respect_donor_choice(public_name, donor_resident)
    _check_donor(fund, donor_resident, donor_name, public_name)
    if campaign is not None and campaign.fund_id != fund.pk:
        raise ValidationError(_("Choose a campaign of this building."))
    fund = _lock_fund(fund)
    existing = _existing(token, fund)
    if existing is not None:
        return existing, False
    if campaign is not None:
        # Locked after the fund, as cancelling does (closing locks only the campaign):
        # a gift never lands on a campaign that was just closed or cancelled.
        campaign = locked(Campaign.objects.filter(pk=campaign.pk)).get()
        if not campaign.is_open:
            raise ValidationError(_("This campaign is closed."))
        pause()  # test-only: widen the window between the check and the write
    entry, created = _append(
        fund=fund,
        token=token,
        kind=Kind.DONATION,
        amount=amount,
        occurred_on=occurred_on,
        donor_resident=donor_resident,
        donor_name=donor_name,
        public_name=public_name,
        paid_by=paid_by,
        receipt_number=receipt_number.strip(),
        campaign=campaign,
        note=note.strip(),
        recorded_by=by,
    )
    if created:
        _attach_receipt(entry, receipt_image)
        if (
            donor_resident is not None
            and donor_resident.user_id
            and donor_resident.user_id != by.pk
        ):
            notify(
                recipient=donor_resident.user,
                kind="fund_donation",
                text=Message(
                    gettext_noop(
                        "Thank you! Your donation of %(amount)s to the building fund is recorded."
                    ),
                    amount=format_money(amount),
                ),
                link=entry.get_absolute_url(),
            )
    return entry, created


@transaction.atomic
def record_expense(
    *,
    fund: Fund,
    amount: Decimal,
    occurred_on: date,
    payee: str,
    purpose: str,
    usage_rule: UsageRule | None,
    by: User,
    approval_text: str = "",
    approving_proposal: Proposal | None = None,
    paid_by: str = LedgerEntry.PaidBy.CASH,
    receipt_number: str = "",
    campaign: Campaign | None = None,
    note: str = "",
    token=None,
    receipt_image: ContentFile | None = None,
) -> tuple[LedgerEntry, bool]:
    """Log money spent; never takes the balance below zero (the fund row is locked)."""
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    _check_date(occurred_on)
    if not payee.strip() or not purpose.strip():
        raise ValidationError(_("Say who was paid and what for."))
    if usage_rule is None:
        raise ValidationError(_("Name the usage rule this expense falls under."))
    if usage_rule.ruleset.fund_id != fund.pk or not usage_rule.allowed:
        raise ValidationError(_("Choose one of the things this fund may pay for."))
    approval_text = approval_text.strip()
    if approving_proposal is not None:
        # Asked of proposals, the app that owns decisions (funds may import proposals).
        if (
            approving_proposal.building_id != fund.building_id
            or not approving_proposal.is_adopted
        ):
            raise ValidationError(
                _("Choose a proposal of this building that was adopted.")
            )
        approval_text = approval_text or approving_proposal.decision_reference
    if amount > fund.approval_threshold and not approval_text:
        raise ValidationError(
            _(
                "Expenses above %(limit)s need the decision that approved them (for example: 2026-11-20 council decision item 3)."
            )
            % {"limit": format_money(fund.approval_threshold)}
        )
    if campaign is not None and campaign.fund_id != fund.pk:
        raise ValidationError(_("Choose a campaign of this building."))
    fund = _lock_fund(fund)
    existing = _existing(token, fund)
    if existing is not None:
        return existing, False
    if usage_rule.ruleset_id != current_ruleset(fund).pk:
        raise ValidationError(
            _("The usage rules have changed; choose a rule of the current version.")
        )
    balance = fund.entries.balance()
    pause()  # test-only: widen the window between the check and the write
    if amount > balance:
        raise ValidationError(
            _(
                "The fund holds %(balance)s; an expense of %(amount)s would take it below zero."
            )
            % {"balance": format_money(balance), "amount": format_money(amount)}
        )
    entry, created = _append(
        fund=fund,
        token=token,
        kind=Kind.EXPENSE,
        amount=-amount,
        occurred_on=occurred_on,
        payee=payee.strip(),
        purpose=purpose.strip(),
        usage_rule=usage_rule,
        approval_text=approval_text,
        approving_proposal=approving_proposal,
        paid_by=paid_by,
        receipt_number=receipt_number.strip(),
        campaign=campaign,
        note=note.strip(),
        recorded_by=by,
    )
    if created:
        _attach_receipt(entry, receipt_image)
    return entry, created


@transaction.atomic
def record_matching_grant(
    *,
    fund: Fund,
    amount: Decimal,
    occurred_on: date,
    by: User,
    paid_by: str = LedgerEntry.PaidBy.BANK,
    receipt_number: str = "",
    note: str = "",
    token=None,
) -> tuple[LedgerEntry, bool]:
    """Log money added by the matching source (e.g. the sub-district), within ratio and cap."""
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    _check_date(occurred_on)
    fund = _lock_fund(fund)
    existing = _existing(token, fund)
    if existing is not None:
        return existing, False
    room = matching_room(fund, fund.entries.totals())
    if amount > room:
        raise ValidationError(
            _(
                "The matching rule allows %(room)s more at this point (%(ratio)s per yuan raised, at most %(cap)s)."
            )
            % {
                "room": format_money(room),
                "ratio": fund.matching_ratio,
                "cap": format_money(fund.matching_cap),
            }
        )
    return _append(
        fund=fund,
        token=token,
        kind=Kind.MATCHING,
        amount=amount,
        occurred_on=occurred_on,
        donor_name=fund.matching_source,
        public_name=PublicName.REAL_NAME,
        paid_by=paid_by,
        receipt_number=receipt_number.strip(),
        note=note.strip(),
        recorded_by=by,
    )


@transaction.atomic
def reverse_entry(
    *, entry: LedgerEntry, reason: str, by: User, token=None
) -> tuple[LedgerEntry, bool]:
    """Correct a mistake with a reversal (冲正) entry carrying the opposite amount and a reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Say why this entry is reversed; everyone will see the reason.")
        )
    fund = _lock_fund(entry.fund)
    existing = _existing(token, fund)
    if existing is not None:
        return existing, False
    entry = LedgerEntry.objects.get(pk=entry.pk)
    if entry.kind == Kind.REVERSAL:
        raise ValidationError(
            _("A reversal cannot be reversed. Record the entry again instead.")
        )
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))
    balance = fund.entries.balance()
    pause()
    if balance - entry.amount < 0:
        raise ValidationError(
            _(
                "Reversing this would take the balance below zero (the fund holds %(balance)s)."
            )
            % {"balance": format_money(balance)}
        )
    return _append(
        fund=fund,
        token=token,
        kind=Kind.REVERSAL,
        amount=-entry.amount,
        occurred_on=timezone.localdate(),
        reverses=entry,
        campaign=entry.campaign,
        note=reason[:300],
        recorded_by=by,
    )


# --- Receipts ------------------------------------------------------------------------------


@transaction.atomic
def blur_receipt(
    *, receipt: Receipt, regions: list[tuple[float, float, float, float]]
) -> Receipt:
    """Blur the given areas (percent of width/height) of the original; public again only once confirmed."""
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    try:
        original = receipt.original.open("rb")
    except OSError:  # gone from storage (a database restored without its media)
        raise ValidationError(
            _(
                "The photo of this receipt is no longer on the server. To show a "
                "receipt, reverse the entry and log it again with its photo."
            )
        ) from None
    with original:
        blurred = blur_image(original, regions)
    old = receipt.blurred.name if receipt.blurred else ""
    receipt.blurred.save(blurred.name, blurred, save=False)
    receipt.regions = [list(region) for region in regions]
    receipt.confirmed_by = None
    receipt.confirmed_at = None
    receipt.save(update_fields=["blurred", "regions", "confirmed_by", "confirmed_at"])
    if old:
        transaction.on_commit(lambda: receipt.blurred.storage.delete(old))
    return receipt


@transaction.atomic
def confirm_receipt(*, receipt: Receipt, by: User) -> Receipt:
    """The leader confirms names and phone numbers are unreadable: the blurred photo becomes public."""
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    if not receipt.blurred:
        raise ValidationError(
            _("Blur the photo first (even if you mark no areas), then confirm.")
        )
    receipt.confirmed_by = by
    receipt.confirmed_at = timezone.now()
    receipt.save(update_fields=["confirmed_by", "confirmed_at"])
    return receipt


# --- Goods ---------------------------------------------------------------------------------


@transaction.atomic
def record_goods(
    *,
    fund: Fund,
    item: str,
    quantity: Decimal,
    unit: str,
    received_on: date,
    by: User,
    donor_resident: Resident | None = None,
    donor_name: str = "",
    public_name: str = PublicName.ANONYMOUS,
    need: CampaignNeed | None = None,
    note: str = "",
    token=None,
) -> tuple[GoodsDonation, bool]:
    """Log an in-kind gift into stock (never into the money balance)."""
    if quantity is None or quantity <= 0:
        raise ValidationError(_("The quantity must be more than zero."))
    _check_date(received_on)
    donor_name = donor_name.strip()
    public_name = respect_donor_choice(public_name, donor_resident)
    _check_donor(fund, donor_resident, donor_name, public_name)
    if need is not None and need.campaign.fund_id != fund.pk:
        raise ValidationError(_("Choose a campaign of this building."))
    existing = _existing(token, fund, GoodsDonation)
    if existing is not None:
        return existing, False
    if need is not None and not Campaign.objects.get(pk=need.campaign_id).is_open:
        raise ValidationError(_("This campaign is closed."))
    try:
        with transaction.atomic():
            goods = GoodsDonation.objects.create(
                fund=fund,
                item=item.strip(),
                quantity=quantity,
                unit=unit.strip(),
                received_on=received_on,
                donor_resident=donor_resident,
                donor_name=donor_name,
                public_name=public_name,
                need=need,
                note=note.strip(),
                recorded_by=by,
                token=token or uuid.uuid4(),
            )
    except IntegrityError:
        existing = GoodsDonation.objects.filter(token=token, fund=fund).first()
        if existing is None:
            raise
        return existing, False
    return goods, True


@transaction.atomic
def use_goods(
    *,
    goods: GoodsDonation,
    quantity: Decimal,
    used_for: str,
    occurred_on: date,
    by: User,
) -> StockMovement:
    """Take goods out of stock for a use; never more than remains."""
    if quantity is None or quantity <= 0:
        raise ValidationError(_("The quantity must be more than zero."))
    if not used_for.strip():
        raise ValidationError(_("Say what the goods were used for."))
    _check_date(occurred_on)
    set_lock_timeout()
    goods = locked(GoodsDonation.objects.filter(pk=goods.pk)).get()
    remaining = GoodsDonation.objects.with_stock().get(pk=goods.pk).in_stock
    pause()
    if quantity > remaining:
        raise ValidationError(
            _("Only %(remaining)s %(unit)s left in stock.")
            % {"remaining": f"{remaining.normalize():f}", "unit": goods.unit}
        )
    return StockMovement.objects.create(
        goods=goods,
        quantity=quantity,
        used_for=used_for.strip(),
        occurred_on=occurred_on,
        recorded_by=by,
    )
