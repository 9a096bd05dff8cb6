"""A leader changes or cancels a crowdfunding campaign (funds.changes)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buildings.permissions import MANAGE, get_access_or_404
from buildings.views.changes import confirm_with_reason
from funds import changes
from funds.forms import CampaignEditForm
from funds.models import Campaign
from funds.views.common import _fund_or_404


def _campaign_to_change(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    campaign = get_object_or_404(_fund_or_404(access).campaigns, pk=pk)
    allowed = campaign.status == Campaign.Status.OPEN and not campaign.is_cancelled
    if not allowed:
        messages.error(
            request, _("This campaign is closed or cancelled: it cannot be changed.")
        )
    return access, campaign, allowed


def campaign_edit(request, building_pk, pk):
    access, campaign, allowed = _campaign_to_change(request, building_pk, pk)
    if not allowed:
        return redirect(campaign)
    form = CampaignEditForm(
        request.POST or None,
        initial={
            "title": campaign.title,
            "purpose": campaign.purpose,
            "goal": campaign.goal,
            "deadline": campaign.deadline,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            changes.edit_campaign(
                campaign=campaign, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The campaign is changed; pledgers are told."))
            return redirect(campaign)
    return render(
        request,
        "funds/campaign_edit.html",
        {"building": access.building, "form": form, "campaign": campaign},
    )


def campaign_cancel(request, building_pk, pk):
    access, campaign, allowed = _campaign_to_change(request, building_pk, pk)
    if not allowed:
        return redirect(campaign)
    return confirm_with_reason(
        request,
        act=lambda reason: changes.cancel_campaign(
            campaign=campaign, by=request.user, reason=reason
        ),
        done=lambda told: (
            ngettext(
                "The campaign is cancelled; %(count)s pledger was told.",
                "The campaign is cancelled; %(count)s pledgers were told.",
                told,
            )
            % {"count": told}
        ),
        back_url=campaign.get_absolute_url(),
        back_label=campaign.title,
        heading=_("Cancel the campaign"),
        explanation=_(
            "No more pledges are taken; money already given stays in the fund and on the statement. The campaign stays on its page with your reason; pledgers are told."
        ),
        button=_("Cancel the campaign"),
    )
