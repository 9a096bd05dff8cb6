"""Writes for raised matters (举手): raising one, co-signing it, the building's threshold.

Lock order: building -> proposal -> household (core/races.py). A co-signature locks
the proposal row: one household signs once (constraint proposal_cosigned_once_per_household
behind it), and the matter reaches the council agenda exactly once, with exactly the
co-signatures it needed.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings.models import Building, Resident, User
from buildings.notify import At, Message, notify_many
from core.races import locked, pause, set_lock_timeout
from proposals.deliberation.meetings.models import Meeting
from proposals.deliberation.proposals.models import Proposal
from proposals.deliberation.proposals.services import notify_followers
from proposals.deliberation.raising.categories import fund_categories
from proposals.deliberation.raising.models import (
    DEFAULT_THRESHOLD,
    ProposalCosign,
    ProposalPhoto,
    RaiseRule,
)

MAX_THRESHOLD = 50


def threshold_for(building: Building) -> int:
    """Households that must co-sign a matter raised in the building (the proposer's too)."""
    rule = RaiseRule.objects.filter(building=building).only("threshold").first()
    return rule.threshold if rule else DEFAULT_THRESHOLD


@transaction.atomic
def set_threshold(*, building: Building, threshold: int, set_by: User) -> RaiseRule:
    """The leader sets how many households must co-sign; matters already raised keep theirs."""
    if not 1 <= threshold <= MAX_THRESHOLD:
        raise ValidationError(
            _("Choose between 1 and %(max)d households.") % {"max": MAX_THRESHOLD}
        )
    rule, created = RaiseRule.objects.update_or_create(
        building=building, defaults={"threshold": threshold, "updated_by": set_by}
    )
    return rule


def _check_raiser(resident: Resident) -> None:
    if resident is None or not resident.is_approved:
        raise ValidationError(_("Only residents of this building raise matters."))
    if not resident.is_adult:
        raise ValidationError(_("Only adult residents raise and co-sign matters."))


@transaction.atomic
def raise_matter(
    *,
    resident: Resident,
    title: str,
    body: str,
    budget: Decimal | None = None,
    fund_category: str = "",
    photos: list[ContentFile] = (),
) -> Proposal:
    """A resident raises a matter; their household is its first co-signature."""
    _check_raiser(resident)
    building = resident.household.building
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ValidationError(_("Give the matter a title and say what and why."))
    if budget is not None and budget < 0:
        raise ValidationError(_("The cost estimate cannot be negative."))
    fund_category = fund_category.strip()
    if fund_category and fund_category not in fund_categories(building):
        raise ValidationError(_("Please choose one of the fund's categories."))
    photos = list(photos)
    if len(photos) > ProposalPhoto.MAX:
        raise ValidationError(
            _("At most %(max)d photos, please.") % {"max": ProposalPhoto.MAX}
        )
    proposal = Proposal.objects.create(
        building=building,
        author=resident.user,
        kind=Proposal.Kind.FUND_USE if budget else Proposal.Kind.GENERAL,
        title=title,
        body=body,
        budget=budget,
        fund_category=fund_category,
        status=Proposal.Status.GATHERING,
        raised=True,
        cosigns_needed=threshold_for(building),
    )
    for content in photos:
        photo = ProposalPhoto(proposal=proposal)
        photo.image.save(content.name, content, save=False)
        photo.save()
    ProposalCosign.objects.create(
        proposal=proposal, household=resident.household, resident=resident
    )
    _tell_the_team(
        building,
        Message(
            gettext_noop("%(name)s raised a matter: %(title)s"),
            name=resident.name,
            title=title,
        ),
        proposal,
    )
    if proposal.cosigns_needed <= 1:
        _reach_agenda(proposal)
    return proposal


@transaction.atomic
def cosign(*, proposal: Proposal, resident: Resident) -> ProposalCosign:
    """One household co-signs a raised matter; enough of them put it on the agenda."""
    _check_raiser(resident)
    set_lock_timeout()
    proposal = locked(Proposal.objects.filter(pk=proposal.pk)).get()
    if resident.household.building_id != proposal.building_id:
        raise ValidationError(_("Only residents of this building co-sign its matters."))
    if not proposal.raised:
        raise ValidationError(_("Only matters raised by residents are co-signed."))
    if not proposal.is_gathering:
        raise ValidationError(
            _("“%(title)s” is already past co-signing: it is %(status)s.")
            % {"title": proposal.title, "status": proposal.get_status_display()}
        )
    existing = (
        ProposalCosign.objects.filter(proposal=proposal, household=resident.household)
        .select_related("resident", "household")
        .first()
    )
    if existing is not None:
        raise ValidationError(_already_signed(existing))
    pause()
    try:
        with transaction.atomic():
            signature = ProposalCosign.objects.create(
                proposal=proposal, household=resident.household, resident=resident
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("Room %(room)s has already co-signed. One co-signature per household.")
            % {"room": resident.household.room}
        ) from exc
    signed = ProposalCosign.objects.filter(proposal=proposal).count()
    if signed >= proposal.cosigns_needed:
        _reach_agenda(proposal)
    else:
        notify_followers(
            proposal=proposal,
            text=Message(
                gettext_noop(
                    "“%(title)s”: %(signed)d of %(needed)d households have co-signed."
                ),
                title=proposal.title,
                signed=signed,
                needed=proposal.cosigns_needed,
            ),
        )
    return signature


def _already_signed(existing: ProposalCosign) -> str:
    day = date_format(timezone.localtime(existing.created_at), "MONTH_DAY_FORMAT")
    return _(
        "Room %(room)s has already co-signed (%(name)s, %(day)s). "
        "One co-signature per household."
    ) % {"room": existing.household.room, "name": existing.resident.name, "day": day}


def _reach_agenda(proposal: Proposal) -> None:
    """Enough households: the matter is in discussion and on the next meeting's agenda."""
    proposal.status = Proposal.Status.DISCUSSION
    proposal.agenda_reached_at = timezone.now()
    proposal.save(update_fields=["status", "agenda_reached_at", "updated_at"])
    meeting = (
        Meeting.objects.filter(building_id=proposal.building_id).upcoming().first()
    )
    values = {"title": proposal.title, "needed": proposal.cosigns_needed}
    if meeting is not None:
        meeting.agenda.add(proposal)
        text = Message(
            gettext_noop(
                "“%(title)s” has the co-signatures of %(needed)d households. "
                "It is on the agenda of “%(meeting)s” (%(when)s)."
            ),
            **values,
            meeting=meeting.title,
            when=At(meeting.starts_at),
        )
    else:
        text = Message(
            gettext_noop(
                "“%(title)s” has the co-signatures of %(needed)d households. "
                "It will be on the agenda of the next council meeting."
            ),
            **values,
        )
    notify_followers(proposal=proposal, text=text)
    _tell_the_team(proposal.building, text, proposal)


def _tell_the_team(building: Building, text: Message, proposal: Proposal) -> None:
    team = Resident.objects.team().in_building(building).filter(user__isnull=False)
    notify_many(
        recipients=[member.user for member in team.select_related("user")],
        kind="proposal_raised",
        text=text,
        link=proposal.get_absolute_url(),
    )
