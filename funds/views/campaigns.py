"""Crowdfunding campaigns: starting one, its page, closing it, and residents pledging
to (or withdrawing from) its needs."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buildings.models import ChangeNote
from buildings.permissions import ORGANISE, PARTICIPATE, VIEW, get_access_or_404
from buildings.services import wechat_text
from funds import permissions, services
from funds.forms import CampaignForm, NeedFormSet, PledgeForm
from funds.models import Campaign, CampaignNeed, Pledge
from funds.views.common import _fund_or_404


def campaign_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    fund = _fund_or_404(access)
    ruleset = services.current_ruleset(fund)
    categories = ruleset.categories.all() if ruleset else fund.rulesets.none()
    form = CampaignForm(request.POST or None, categories=categories)
    needs = NeedFormSet(request.POST or None, prefix="needs")
    if request.method == "POST" and form.is_valid() and needs.is_valid():
        data = form.cleaned_data
        asked = [
            {
                "kind": need["kind"] or "goods",
                "description": need["description"],
                "quantity": need["quantity"],
                "unit": need.get("unit", ""),
            }
            for need in needs.cleaned_data
            if need.get("description")
        ]
        try:
            campaign = services.create_campaign(
                fund=fund,
                title=data["title"],
                purpose=data["purpose"],
                category=data["category"],
                goal=data["goal"] or 0,
                deadline=data["deadline"],
                approval_text=data["approval_text"],
                needs=asked,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The campaign has started."))
            return redirect(campaign)
    return render(
        request,
        "funds/campaign_form.html",
        {"access": access, "building": access.building, "form": form, "needs": needs},
    )


def campaign_detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    # The fund comes with its campaign (a building without a fund has no campaign).
    campaign = get_object_or_404(
        Campaign.objects.filter(fund__building=access.building)
        .with_progress()
        .select_related("category", "fund"),
        pk=pk,
    )
    fund = campaign.fund
    needs = list(
        campaign.needs.with_progress().prefetch_related(
            Prefetch(
                "pledges", queryset=Pledge.objects.select_related("resident__household")
            )
        )
    )
    mine = {}
    if access.resident is not None:
        mine = {
            p.need_id: p
            for need in needs
            for p in need.pledges.all()
            if p.resident_id == access.resident.pk
        }
    household_id = access.resident.household_id if access.resident else None
    for need in needs:
        need.my_pledge = mine.get(need.pk)
        # What the rest of my household pledged (already read with the pledges).
        need.household_pledges = [
            p
            for p in need.pledges.all()
            if p.resident.household_id == household_id
            and p.resident_id != access.resident.pk
        ]
        need.form = PledgeForm(
            initial={"quantity": need.my_pledge.quantity if need.my_pledge else 1}
        )
    entries = (
        fund.entries.filter(campaign=campaign)
        .for_list()
        .order_by("-occurred_on", "-pk")[:50]
    )
    url = settings.SITE_URL + campaign.get_absolute_url()
    context = {
        "access": access,
        "building": access.building,
        "fund": fund,
        "campaign": campaign,
        "needs": needs,
        "entries": entries,
        "can_pledge": permissions.can_pledge(access) and campaign.is_open,
        "can_log": permissions.can_log_money(access),
        "can_close": permissions.can_start_campaign(access)
        and campaign.status == Campaign.Status.OPEN,
        "can_change": access.can_manage
        and campaign.status == Campaign.Status.OPEN
        and not campaign.is_cancelled,
        "notes": list(ChangeNote.objects.about(campaign)),
        "wechat_text": wechat_text(
            heading=_("Building crowdfunding"),
            title=campaign.title,
            body=campaign.purpose,
            url=url,
        ),
    }
    return render(request, "funds/campaign_detail.html", context)


@require_POST
def campaign_close(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    fund = _fund_or_404(access)
    campaign = get_object_or_404(fund.campaigns, pk=pk)
    services.close_campaign(campaign=campaign)
    messages.success(request, _("The campaign is closed."))
    return redirect(campaign)


def _need_or_404(access, pk) -> CampaignNeed:
    return get_object_or_404(
        CampaignNeed.objects.select_related("campaign__fund"),
        pk=pk,
        campaign__fund__building=access.building,
    )


@require_POST
def need_pledge(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    need = _need_or_404(access, pk)
    if not permissions.can_pledge(access):
        raise PermissionDenied(_("Only residents of this building can pledge."))
    form = PledgeForm(request.POST)
    if form.is_valid():
        try:
            services.pledge(
                need=need,
                resident=access.resident,
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Thank you! Your pledge is recorded."))
    else:
        # Each refusal with the field it is about: a long note is not a bad quantity.
        for name, errors in form.errors.items():
            messages.error(
                request,
                _("%(field)s: %(error)s")
                % {"field": form.fields[name].label, "error": errors[0]},
            )
    return redirect(need.campaign)


@require_POST
def need_withdraw(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    need = _need_or_404(access, pk)
    if not permissions.can_pledge(access):
        raise PermissionDenied(_("Only residents of this building can pledge."))
    services.withdraw_pledge(need=need, resident=access.resident)
    messages.success(request, _("Your pledge is withdrawn."))
    return redirect(need.campaign)
