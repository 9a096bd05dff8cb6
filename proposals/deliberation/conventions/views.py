"""Building convention pages: the current one, signing online and on paper, the poster."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buildings.permissions import MANAGE, PARTICIPATE, VIEW, get_access_or_404
from buildings.services import find_household, wechat_text
from core.qr import qr_svg
from proposals.deliberation.conventions import permissions as perms
from proposals.deliberation.conventions import services
from proposals.deliberation.conventions.forms import PaperSignatureForm
from proposals.deliberation.conventions.models import Convention
from proposals.deliberation.polls.services import poll_results
from proposals.deliberation.tally import percent
from proposals.deliberation.views import T, full_url, show_error


def convention_current(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    convention = Convention.objects.current_for(access.building)
    if convention is not None:
        return redirect(convention)
    return render(
        request,
        T + "convention_none.html",
        {"building": access.building, "can_organise": access.can_organise},
    )


def _get_convention(access, pk) -> Convention:
    return get_object_or_404(
        Convention.objects.filter(building=access.building).select_related(
            "adopted_by_poll", "proposal"
        ),
        pk=pk,
    )


def _convention_context(access, convention):
    signatures = convention.signatures.select_related("household")
    household_count = access.building.households.count()
    poll = convention.adopted_by_poll
    current = Convention.objects.current_for(access.building)
    return {
        "building": access.building,
        "convention": convention,
        "is_current": current is not None and current.pk == convention.pk,
        "signatures": signatures,
        "signature_count": len(signatures),
        "household_count": household_count,
        "signature_percent": percent(len(signatures), household_count),
        "poll_results": poll_results(poll) if poll else None,
    }


def convention_detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    convention = _get_convention(access, pk)
    context = _convention_context(access, convention)
    signed = (
        access.resident is not None
        and convention.signatures.filter(household_id=access.resident.household_id)
        .select_related("household")
        .first()
    )
    context.update(
        {
            "my_signature": signed or None,
            "can_sign": perms.can_sign_convention(access)
            and not signed
            and context["is_current"],
            "can_record_paper": access.can_manage and context["is_current"],
            "paper_form": PaperSignatureForm(),
            "wechat_text": wechat_text(
                heading=_("Building convention"),
                title=str(convention),
                body=convention.text,
                url=full_url(convention),
            ),
        }
    )
    return render(request, T + "convention_detail.html", context)


@require_POST
def convention_sign(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    convention = _get_convention(access, pk)
    if not perms.can_sign_convention(access):
        messages.error(request, _("Only adult residents of this building sign."))
        return redirect(convention)
    try:
        services.sign_convention(convention=convention, resident=access.resident)
    except ValidationError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Your household has signed. Thank you!"))
    return redirect(convention)


@require_POST
def convention_paper(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    convention = _get_convention(access, pk)
    form = PaperSignatureForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the room and the name on the paper."))
        return redirect(convention)
    try:
        household = find_household(
            building=access.building, room=form.cleaned_data["room"]
        )
        name = form.cleaned_data["signer_name"].strip()
        resident = household.residents.approved().filter(name=name).first()
        services.sign_convention(
            convention=convention,
            household=household,
            resident=resident,
            signer_name=name,
            entered_by=request.user,
        )
    except ValidationError as error:
        show_error(request, error)
    else:
        messages.success(
            request,
            _("The paper signature of room %(room)s is recorded.")
            % {"room": household.room},
        )
    return redirect(convention)


def convention_poster(request, building_pk, pk):
    """Printable A4 lobby poster: text, date, turnout, signatures and a QR code."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    convention = _get_convention(access, pk)
    context = _convention_context(access, convention)
    context["qr"] = qr_svg(full_url(convention), scale=4)
    context["live_url"] = full_url(convention)
    return render(request, T + "convention_poster.html", context)
