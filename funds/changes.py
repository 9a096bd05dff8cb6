"""A leader corrects or cancels a crowdfunding campaign with a reason; pledgers are told.

Money already given stays in the fund: the ledger is append-only, and a cancelled
campaign keeps its entries and pledges on its page.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings import changes
from buildings.models import User
from buildings.notify import Message, notify_many
from core.races import locked, set_lock_timeout
from funds.models import Campaign, Fund, Pledge
from funds.money import to_money


def _lock_open(campaign: Campaign) -> Campaign:
    set_lock_timeout()
    # The fund first, as every ledger write does: a gift to this campaign holds the fund
    # and then refers to the campaign, so taking them the other way round deadlocks.
    locked(Fund.objects.filter(pk=campaign.fund_id)).get()
    campaign = (
        locked(Campaign.objects.filter(pk=campaign.pk)).select_related("fund").get()
    )
    if campaign.is_cancelled:
        raise ValidationError(_("This campaign was cancelled."))
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(
            _("This campaign is closed: it can no longer be changed.")
        )
    return campaign


def _tell_pledgers(campaign: Campaign, text: Message) -> int:
    pledges = Pledge.objects.filter(need__campaign=campaign).select_related(
        "resident__user"
    )
    return notify_many(
        recipients=[pledge.resident.user for pledge in pledges],
        kind="campaign_cancelled",
        text=text,
        link=campaign.get_absolute_url(),
    )


@transaction.atomic
def edit_campaign(
    *,
    campaign: Campaign,
    by: User,
    title: str,
    purpose: str,
    goal: Decimal,
    deadline: date,
    reason: str,
) -> Campaign:
    """Change what an open campaign asks for and until when; pledgers are told."""
    reason = changes.clean_reason(reason)
    campaign = _lock_open(campaign)
    goal = to_money(goal or 0)
    if goal < 0:
        raise ValidationError(_("The money goal cannot be negative."))
    if deadline < timezone.localdate():
        raise ValidationError(_("The deadline has already passed."))
    campaign.title = " ".join(title.split())
    campaign.purpose = purpose.strip()
    campaign.goal = goal
    campaign.deadline = deadline
    campaign.save(update_fields=["title", "purpose", "goal", "deadline"])
    changes.record_change(
        obj=campaign, by=by, reason=reason, building=campaign.fund.building
    )
    _tell_pledgers(
        campaign,
        Message(
            gettext_noop(
                "The campaign “%(title)s” you pledged to was changed: %(reason)s"
            ),
            title=campaign.title,
            reason=reason,
        ),
    )
    return campaign


@transaction.atomic
def cancel_campaign(*, campaign: Campaign, by: User, reason: str) -> int:
    """Call a campaign off: no more pledges; pledgers are told; money given stays."""
    reason = changes.clean_reason(reason)
    campaign = _lock_open(campaign)
    campaign.status = Campaign.Status.CLOSED
    campaign.save(update_fields=["status"])
    changes.cancel(obj=campaign, by=by, reason=reason, building=campaign.fund.building)
    return _tell_pledgers(
        campaign,
        Message(
            gettext_noop(
                "The campaign “%(title)s” you pledged to is cancelled: %(reason)s"
            ),
            title=campaign.title,
            reason=reason,
        ),
    )
