"""Writes for the building convention: adopting a new version, signing it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings.models import Household, Resident, User
from buildings.notify import Message
from buildings.services import record_proxy_act
from core.races import locked, pause, set_lock_timeout
from proposals.deliberation.conventions.models import Convention, ConventionSignature
from proposals.deliberation.origin import Origin


def adopt_convention(*, proposal, poll=None) -> Convention:
    """An adopted convention proposal becomes the building's next convention version."""
    latest = Convention.objects.filter(building=proposal.building).aggregate(
        v=Max("version")
    )
    return Convention.objects.create(
        building=proposal.building,
        version=(latest["v"] or 0) + 1,
        title=proposal.title,
        text=proposal.body,
        proposal=proposal,
        adopted_by_poll=poll,
        adopted_at=timezone.now(),
    )


@transaction.atomic
def sign_convention(
    *,
    convention: Convention,
    resident: Resident | None = None,
    household: Household | None = None,
    signer_name: str = "",
    entered_by: User | None = None,
) -> ConventionSignature:
    """A household promises to keep the convention, online or on paper (one per household)."""
    paper = entered_by is not None
    if household is None:
        household = resident.household
    set_lock_timeout()
    household = locked(Household.objects.filter(pk=household.pk)).get()
    if household.building_id != convention.building_id:
        raise ValidationError(_("This household does not belong to this building."))
    current = Convention.objects.current_for(household.building)
    if current is None or current.pk != convention.pk:
        raise ValidationError(_("Only the current convention can be signed."))
    name = (resident.name if resident else signer_name).strip()
    if not name:
        raise ValidationError(_("Write the name of the person who signed."))
    existing = ConventionSignature.objects.filter(
        convention=convention, household=household
    ).first()
    if existing is not None:
        raise ValidationError(
            _("Room %(room)s has already signed (%(name)s).")
            % {"room": household.room, "name": existing.signer_name}
        )
    pause()
    try:
        with transaction.atomic():
            signature = ConventionSignature.objects.create(
                convention=convention,
                household=household,
                resident=resident,
                signer_name=name[:40],
                origin=Origin.PAPER if paper else Origin.ONLINE,
                entered_by=entered_by,
            )
    except IntegrityError as exc:
        raise ValidationError(_("This household has already signed.")) from exc
    if paper and resident is not None:
        record_proxy_act(
            resident=resident,
            actor=entered_by,
            action=Message(
                gettext_noop("Recorded a paper signature of the building convention")
            ),
            link=reverse(
                "proposals:convention", args=[convention.building_id, convention.pk]
            ),
        )
    return signature
