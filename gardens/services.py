"""Writes for one-foot gardens.

A space is scarce for a season: adopting locks the space row (core.races.locked), looks
for an active adoption of that season under the lock and only then writes; the unique
constraint one_household_per_space_per_season stands behind it, and its IntegrityError
becomes the same friendly refusal. Lock order: building -> space -> household.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from activities.models import Shift, Task
from activities.services import add_shifts
from buildings.models import Building, Resident, User
from buildings.notify import Message, notify
from core.races import locked, pause, set_lock_timeout
from gardens.models import Adoption, GardenSpace
from gardens.seasons import current_season, next_season, season_label

MAX_TURNS_AT_ONCE = 26


def adoptable_seasons() -> list[date]:
    """This season and the next: a household may plan one season ahead."""
    season = current_season()
    return [season, next_season(season)]


@transaction.atomic
def list_space(
    *,
    building: Building,
    created_by: User,
    name: str,
    place: str,
    notes: str = "",
    photo=None,
) -> GardenSpace:
    """A new space with its (empty) care rota, a volunteer task of kind garden."""
    rota = Task.objects.create(
        building=building,
        created_by=created_by,
        kind=Task.Kind.GARDEN,
        title=name.strip(),
        description=notes.strip(),
        place=place.strip(),
    )
    return GardenSpace.objects.create(
        building=building,
        created_by=created_by,
        name=name.strip(),
        place=place.strip(),
        notes=notes.strip(),
        photo=photo or "",
        rota=rota,
    )


@transaction.atomic
def update_space(*, space: GardenSpace, name: str, place: str, notes: str, photo=None):
    """Change what the space is called, where it is and its notes (the rota follows)."""
    space.name, space.place, space.notes = name.strip(), place.strip(), notes.strip()
    fields = ["name", "place", "notes", "updated_at"]
    if photo is not None:  # False clears the photo, a file replaces it
        space.photo = photo or ""
        fields.append("photo")
    space.save(update_fields=fields)
    if space.rota_id:
        Task.objects.filter(pk=space.rota_id).update(
            title=space.name, place=space.place, description=space.notes
        )
    return space


def _lock_space(space: GardenSpace) -> GardenSpace:
    set_lock_timeout()
    return locked(GardenSpace.objects.filter(pk=space.pk)).get()


@transaction.atomic
def adopt_space(
    *, space: GardenSpace, resident: Resident, season: date, shown_as: str
) -> Adoption:
    """The resident's household adopts the space for the season; one household a season."""
    if season not in adoptable_seasons():
        raise ValidationError(_("Please choose this season or the next one."))
    if shown_as not in Resident.PublicDisplay.values:
        raise ValidationError(_("Please choose how your household appears."))
    if not resident.is_adult:
        raise ValidationError(_("An adult of the household adopts a garden."))
    space = _lock_space(space)
    taken = (
        Adoption.objects.in_season(season)
        .filter(space=space)
        .select_related("household", "adopted_by")
        .first()
    )
    if taken is not None:
        if taken.household_id == resident.household_id:
            raise ValidationError(
                _("Your household has already adopted it for %(season)s.")
                % {"season": season_label(season)}
            )
        raise ValidationError(
            _(
                "%(who)s has already adopted it for %(season)s. "
                "Please choose another space or season."
            )
            % {"who": taken.public_name(), "season": season_label(season)}
        )
    pause()
    try:
        with transaction.atomic():
            return Adoption.objects.create(
                space=space,
                household_id=resident.household_id,
                season=season,
                adopted_by=resident,
                shown_as=shown_as,
            )
    except IntegrityError:
        raise ValidationError(
            _(
                "Another household adopted it a moment ago for %(season)s. "
                "Please choose another space or season."
            )
            % {"season": season_label(season)}
        ) from None


@transaction.atomic
def set_shown_as(*, adoption: Adoption, shown_as: str) -> Adoption:
    """How the household appears on the garden's page."""
    if shown_as not in Resident.PublicDisplay.values:
        raise ValidationError(_("Please choose how your household appears."))
    adoption.shown_as = shown_as
    adoption.save(update_fields=["shown_as"])
    return adoption


@transaction.atomic
def give_up(*, adoption: Adoption, actor: User) -> Adoption:
    """End an adoption; the space is free for the season again."""
    _lock_space(adoption.space)
    adoption = Adoption.objects.select_related("adopted_by__user", "space").get(
        pk=adoption.pk
    )
    if not adoption.is_active:
        raise ValidationError(_("This adoption has already been given up."))
    adoption.status = Adoption.Status.GIVEN_UP
    adoption.ended_at = timezone.now()
    adoption.ended_by = actor
    adoption.save(update_fields=["status", "ended_at", "ended_by"])
    adopter = adoption.adopted_by
    by_household = Resident.objects.approved().filter(
        user=actor, household_id=adoption.household_id
    )
    if adopter is not None and adopter.user_id and not by_household.exists():
        notify(
            recipient=adopter.user,
            kind="garden_given_up",
            text=Message(
                gettext_noop(
                    "The building leader ended your household's adoption of "
                    "%(space)s for %(season)s."
                ),
                space=adoption.space.name,
                season=adoption.season_label,
            ),
            link=adoption.space.get_absolute_url(),
        )
    return adoption


@transaction.atomic
def add_care_turns(
    *,
    space: GardenSpace,
    actor: User,
    first_starts_at: datetime,
    duration_minutes: int,
    weeks: int,
) -> list[Shift]:
    """Weekly care turns on the space's rota; reminders come from the shift reminders."""
    if not 1 <= weeks <= MAX_TURNS_AT_ONCE:
        raise ValidationError(
            _("Between 1 and %(max)s weeks, please.") % {"max": MAX_TURNS_AT_ONCE}
        )
    if not 10 <= duration_minutes <= 720:
        raise ValidationError(_("A care turn lasts between 10 and 720 minutes."))
    if first_starts_at <= timezone.now():
        raise ValidationError(_("The first turn must be in the future."))
    space = _lock_space(space)
    if space.rota_id is None:
        space.rota = Task.objects.create(
            building_id=space.building_id,
            created_by=actor,
            kind=Task.Kind.GARDEN,
            title=space.name,
            description=space.notes,
            place=space.place,
        )
        space.save(update_fields=["rota"])
    return add_shifts(
        task=space.rota,
        first_starts_at=first_starts_at,
        duration_minutes=duration_minutes,
        weeks=weeks,
    )
