"""One-foot gardens: the list, a space's page, listing and editing, adopting and giving up,
care turns. The care rota itself (claim, give back, swap) is activities' task page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from activities.models import Shift
from buildings.permissions import MANAGE, PARTICIPATE, VIEW, get_access_or_404
from gardens import permissions, services
from gardens.forms import AdoptForm, ShownAsForm, SpaceForm, TurnsForm
from gardens.models import Adoption
from gardens.seasons import current_season, season_label

ADOPT_REFUSAL = gettext_lazy("Only an adult resident of this building can adopt.")
GIVE_UP_REFUSAL = gettext_lazy(
    "Only the adopting household or the building leader can give it up."
)
TURNS_REFUSAL = gettext_lazy(
    "Only the adopting household, the team or the building leader can add care turns."
)
HISTORY = 8  # past adoptions shown on a space's page
TURNS_SHOWN = 8


def _error(request, error: ValidationError) -> None:
    messages.error(request, error.messages[0])


def index(request, building_pk):
    """The building's spaces, who adopted each this season, and my household's."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    season = current_season()
    this_season = Adoption.objects.in_season(season).select_related(
        "household", "adopted_by"
    )
    spaces = list(
        access.building.garden_spaces.prefetch_related(
            Prefetch("adoptions", queryset=this_season, to_attr="this_season")
        )
    )
    mine = []
    if access.resident is not None:
        mine = list(
            Adoption.objects.active()
            .filter(household_id=access.resident.household_id, season__gte=season)
            .select_related("space")
            .order_by("season", "pk")
        )
    return render(
        request,
        "gardens/index.html",
        {
            "building": access.building,
            "spaces": spaces,
            "season": season_label(season),
            "mine": mine,
            "adopted": sum(1 for space in spaces if space.this_season),
            "can_list": permissions.can_list_spaces(access),
        },
    )


def detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    space = permissions.get_space_or_404(access, pk)
    seasons = services.adoptable_seasons()
    adoptions = list(
        space.adoptions.active()
        .filter(season__in=seasons)
        .select_related("household", "adopted_by")
        .order_by("season")
    )
    for adoption in adoptions:
        adoption.may_give_up = permissions.can_give_up(access, adoption)
        adoption.is_ours = permissions.is_of_household(access, adoption)
        adoption.shown_as_form = (
            ShownAsForm(initial={"shown_as": adoption.shown_as}, prefix=adoption.pk)
            if adoption.is_ours
            else None
        )
    history = list(
        space.adoptions.active()
        .filter(season__lt=seasons[0])
        .select_related("household", "adopted_by")
        .order_by("-season")[:HISTORY]
    )
    free = [s for s in seasons if s not in {a.season for a in adoptions}]
    current = next((a for a in adoptions if a.season == seasons[0]), None)
    turns = []
    if space.rota_id:
        turns = list(
            Shift.objects.filter(task_id=space.rota_id, ends_at__gte=timezone.now())
            .select_related("volunteer")
            .order_by("starts_at", "pk")[:TURNS_SHOWN]
        )
    adopt_form = None
    if free and permissions.can_adopt(access):
        adopt_form = AdoptForm()
        adopt_form.fields["season"].choices = [
            choice
            for choice in adopt_form.fields["season"].choices
            if choice[0] in {s.isoformat() for s in free}
        ]
        adopt_form.fields["season"].initial = free[0].isoformat()
    may_add_turns = permissions.can_add_turns(access, current)
    return render(
        request,
        "gardens/detail.html",
        {
            "building": access.building,
            "space": space,
            "adoptions": adoptions,
            "history": history,
            "turns": turns,
            "adopt_form": adopt_form,
            "turns_form": TurnsForm() if may_add_turns else None,
            "can_edit": permissions.can_list_spaces(access),
        },
    )


def create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    form = SpaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        space = services.list_space(
            building=access.building,
            created_by=request.user,
            name=data["name"],
            place=data["place"],
            notes=data["notes"],
            photo=form.photo_value() or None,
        )
        messages.success(
            request, _("The space is listed. Households can adopt it now.")
        )
        return redirect(space)
    return render(
        request,
        "gardens/form.html",
        {"building": access.building, "form": form, "space": None},
    )


def edit(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    space = permissions.get_space_or_404(access, pk)
    form = SpaceForm(request.POST or None, request.FILES or None, instance=space)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_space(
            space=space,
            name=data["name"],
            place=data["place"],
            notes=data["notes"],
            photo=form.photo_value(),
        )
        messages.success(request, _("Saved."))
        return redirect(space)
    return render(
        request,
        "gardens/form.html",
        {"building": access.building, "form": form, "space": space},
    )


@require_POST
def adopt(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    space = permissions.get_space_or_404(access, pk)
    if not permissions.can_adopt(access):
        raise PermissionDenied(ADOPT_REFUSAL)
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Please choose a season and how your household appears.")
        )
        return redirect(space)
    try:
        adoption = services.adopt_space(
            space=space,
            resident=access.resident,
            season=form.cleaned_data["season"],
            shown_as=form.cleaned_data["shown_as"],
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("Thank you! Your household looks after %(space)s in %(season)s.")
            % {"space": space.name, "season": adoption.season_label},
        )
    return redirect(space)


@require_POST
def shown_as(request, building_pk, pk, adoption_pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    space = permissions.get_space_or_404(access, pk)
    adoption = permissions.get_adoption_or_404(access, space, adoption_pk)
    if not (adoption.is_active and permissions.is_of_household(access, adoption)):
        raise PermissionDenied(_("Only the adopting household can change this."))
    form = ShownAsForm(request.POST, prefix=adoption.pk)
    if not form.is_valid():
        messages.error(request, _("Please choose how your household appears."))
        return redirect(space)
    services.set_shown_as(adoption=adoption, shown_as=form.cleaned_data["shown_as"])
    messages.success(request, _("Saved."))
    return redirect(space)


@require_POST
def give_up(request, building_pk, pk, adoption_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    space = permissions.get_space_or_404(access, pk)
    adoption = permissions.get_adoption_or_404(access, space, adoption_pk)
    if not permissions.can_give_up(access, adoption):
        raise PermissionDenied(GIVE_UP_REFUSAL)
    try:
        services.give_up(adoption=adoption, actor=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("Given up. Another household can adopt it for %(season)s.")
            % {"season": adoption.season_label},
        )
    return redirect(space)


@require_POST
def add_turns(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    space = permissions.get_space_or_404(access, pk)
    current = (
        space.adoptions.in_season(current_season()).select_related("household").first()
    )
    if not permissions.can_add_turns(access, current):
        raise PermissionDenied(TURNS_REFUSAL)
    form = TurnsForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
            break
        return redirect(space)
    data = form.cleaned_data
    try:
        turns = services.add_care_turns(
            space=space,
            actor=request.user,
            first_starts_at=data["first_starts_at"],
            duration_minutes=data["duration_minutes"],
            weeks=data["weeks"],
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s care turn added. Neighbours can raise a hand now.",
                "%(count)s care turns added. Neighbours can raise a hand now.",
                len(turns),
            )
            % {"count": len(turns)},
        )
    return redirect(space)
