import io
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from buildings.models import ChangeNote
from buildings.notices import posting_notice
from buildings.permissions import MANAGE, ORGANISE, PARTICIPATE, VIEW, get_access_or_404
from buildings.services import wechat_text
from core.exports import csv_writer, spreadsheet_row
from core.pagecache import cached_page
from core.qr import qr_svg
from funds import permissions, services
from funds.blur import GRID_COLUMNS, cell_region, grid_cells
from funds.forms import (
    BlurForm,
    CampaignForm,
    ConfirmReceiptForm,
    DonationForm,
    ExpenseForm,
    FundSettingsForm,
    GoodsForm,
    MatchingForm,
    NeedFormSet,
    PeriodForm,
    PledgeForm,
    ReversalForm,
    RulesForm,
    UseGoodsForm,
)
from funds.models import (
    Campaign,
    CampaignNeed,
    Fund,
    GoodsDonation,
    LedgerEntry,
    Pledge,
    Receipt,
)
from funds.money import format_money
from funds.statements import build_statement, flow_chart, month_starts, overview

STATEMENT_PAGE_SIZE = 100


def _fund_or_404(access) -> Fund:
    # order_by(): the fund's default order (by building, in counting order) would join
    # the building and community tables to sort the one row there is.
    fund = Fund.objects.filter(building=access.building).order_by().first()
    if fund is None:
        raise Http404
    return fund


def _entry_or_404(fund: Fund, pk: int) -> LedgerEntry:
    return get_object_or_404(fund.entries.for_detail(), pk=pk)


# --- The fund page -----------------------------------------------------------------


def index(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    fund = (
        Fund.objects.filter(building=access.building)
        .annotate(rules_version=services.current_version())
        .order_by()
        .first()
    )
    if fund is None:
        return render(
            request,
            "funds/not_open.html",
            {
                "access": access,
                "building": access.building,
                "can_open": permissions.can_log_money(access),
            },
        )
    today = timezone.localdate()
    months = month_starts(
        date(today.year - (today.month <= 11), (today.month - 12) % 12 + 1, 1), today
    )
    totals, flows = overview(fund, months)
    campaigns = (
        fund.campaigns.with_progress()
        .select_related("category")
        .prefetch_related(
            Prefetch("needs", queryset=CampaignNeed.objects.with_progress())
        )
        .order_by("-status", "-created_at")[:10]
    )
    context = {
        "access": access,
        "building": access.building,
        "fund": fund,
        "totals": totals,
        "matching_room": services.matching_room(fund, totals),
        "chart": flow_chart(flows),
        "campaigns": campaigns,
        "entries": fund.entries.for_list().order_by("-occurred_on", "-pk")[:10],
        "can_log": permissions.can_log_money(access),
        "can_start_campaign": permissions.can_start_campaign(access),
        "can_adopt_rules": permissions.can_adopt_rules(access),
    }
    return render(request, "funds/index.html", context)


@require_POST
def fund_open(request, building_pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    services.open_fund(building=access.building)
    messages.success(
        request,
        _("The building fund is open. Next: write down its usage rules with the team."),
    )
    return redirect("funds:index", access.building.pk)


def fund_settings(request, building_pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    fund = _fund_or_404(access)
    form = FundSettingsForm(request.POST or None, instance=fund)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Fund settings saved."))
        return redirect(fund)
    return render(
        request,
        "funds/settings.html",
        {"access": access, "building": access.building, "form": form},
    )


# --- Usage rules --------------------------------------------------------------------


def rules(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    fund = _fund_or_404(access)
    versions = list(
        fund.rulesets.select_related("created_by").prefetch_related(
            "rules", "categories"
        )
    )
    shown = versions[0] if versions else None
    wanted = request.GET.get("version", "")
    if wanted.isdecimal():
        shown = next(
            (ruleset for ruleset in versions if ruleset.version == int(wanted)), None
        )
        if shown is None:
            raise Http404
    return render(
        request,
        "funds/rules.html",
        {
            "access": access,
            "building": access.building,
            "fund": fund,
            "versions": versions,
            "shown": shown,
            "is_current": bool(versions) and shown == versions[0],
            "can_adopt": permissions.can_adopt_rules(access),
        },
    )


def rules_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    fund = _fund_or_404(access)
    current = services.current_ruleset(fund)
    initial = {}
    if current is not None:
        rows = list(current.rules.all())
        initial = {
            "allowed": "\n".join(rule.text for rule in rows if rule.allowed),
            "forbidden": "\n".join(rule.text for rule in rows if not rule.allowed),
            "categories": "\n".join(
                category.name for category in current.categories.all()
            ),
            "introduction": current.introduction,
        }
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ruleset = services.adopt_rules(
                fund=fund,
                allowed=data["allowed"],
                forbidden=data["forbidden"],
                categories=data["categories"],
                adopted_on=data["adopted_on"],
                adopted_how=data["adopted_how"],
                introduction=data["introduction"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Version %(version)s of the usage rules is adopted.")
                % {"version": ruleset.version},
            )
            return redirect("funds:rules", access.building.pk)
    return render(
        request,
        "funds/rules_form.html",
        {
            "access": access,
            "building": access.building,
            "form": form,
            "current": current,
        },
    )


# --- Campaigns ------------------------------------------------------------------------


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


# --- Logging money ---------------------------------------------------------------------


def _saved_message(request, created: bool, text: str) -> None:
    if created:
        messages.success(request, text)
    else:
        messages.info(
            request,
            _(
                "This was already saved (the button was pressed twice); nothing was added."
            ),
        )


def donation_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    fund = _fund_or_404(access)
    initial = DonationForm.repeat_initial(request.GET)
    form = DonationForm(
        request.POST or None, request.FILES or None, fund=fund, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry, created = services.record_donation(
                fund=fund,
                amount=data["amount"],
                occurred_on=data["occurred_on"],
                by=request.user,
                donor_resident=data["donor_resident"],
                donor_name=data["donor_name"],
                public_name=data["public_name"],
                paid_by=data["paid_by"],
                receipt_number=data["receipt_number"],
                campaign=data["campaign"],
                note=data["note"],
                token=data["token"],
                receipt_image=data["receipt_photo"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _saved_message(
                request,
                created,
                _("Donation of %(amount)s saved.")
                % {"amount": format_money(data["amount"])},
            )
            return redirect(entry)
    return render(
        request,
        "funds/entry_form.html",
        {
            "access": access,
            "building": access.building,
            "form": form,
            "heading": _("Log a donation"),
            "button": _("Save donation"),
        },
    )


def expense_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    fund = _fund_or_404(access)
    ruleset = services.current_ruleset(fund)
    if ruleset is None or not ruleset.rules.filter(allowed=True).exists():
        messages.error(
            request, _("Before spending, the team must adopt the fund's usage rules.")
        )
        return redirect("funds:rules", access.building.pk)
    form = ExpenseForm(
        request.POST or None, request.FILES or None, fund=fund, ruleset=ruleset
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry, created = services.record_expense(
                fund=fund,
                amount=data["amount"],
                occurred_on=data["occurred_on"],
                payee=data["payee"],
                purpose=data["purpose"],
                usage_rule=data["usage_rule"],
                approval_text=data["approval_text"],
                approving_proposal=data["approving_proposal"],
                paid_by=data["paid_by"],
                receipt_number=data["receipt_number"],
                campaign=data["campaign"],
                note=data["note"],
                token=data["token"],
                receipt_image=data["receipt_photo"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _saved_message(
                request,
                created,
                _(
                    "Expense of %(amount)s saved. Now blur names and phone numbers on the receipt."
                )
                % {"amount": format_money(data["amount"])},
            )
            return (
                redirect("funds:receipt", access.building.pk, entry.pk)
                if created
                else redirect(entry)
            )
    return render(
        request,
        "funds/entry_form.html",
        {
            "access": access,
            "building": access.building,
            "form": form,
            "heading": _("Log an expense"),
            "button": _("Save expense"),
            "balance": fund.entries.balance(),
            "threshold": fund.approval_threshold,
        },
    )


def matching_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    fund = _fund_or_404(access)
    form = MatchingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry, created = services.record_matching_grant(
                fund=fund,
                amount=data["amount"],
                occurred_on=data["occurred_on"],
                paid_by=data["paid_by"],
                receipt_number=data["receipt_number"],
                note=data["note"],
                token=data["token"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _saved_message(request, created, _("Matching grant saved."))
            return redirect(entry)
    return render(
        request,
        "funds/entry_form.html",
        {
            "access": access,
            "building": access.building,
            "form": form,
            "heading": _("Log a matching grant from %(source)s")
            % {"source": fund.matching_source or _("the sub-district")},
            "button": _("Save matching grant"),
            "matching_room": services.matching_room(fund, fund.entries.totals()),
        },
    )


def _another_donation_url(entry) -> str:
    """ "Log another": the donation form starting from this gift's date, how it was paid
    and its campaign (the donor and amount start empty)."""
    if entry.kind != "donation":
        return ""
    query = {"occurred_on": entry.occurred_on.isoformat(), "paid_by": entry.paid_by}
    if entry.campaign_id:
        query["campaign"] = entry.campaign_id
    url = reverse("funds:donation-create", args=[entry.fund.building_id])
    return f"{url}?{urlencode(query)}"


def entry_detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    fund = _fund_or_404(access)
    entry = _entry_or_404(fund, pk)
    reversed_by = getattr(entry, "reversed_by", None)
    receipt = getattr(entry, "receipt", None)
    return render(
        request,
        "funds/entry_detail.html",
        {
            "access": access,
            "building": access.building,
            "entry": entry,
            "reversed_by": reversed_by,
            "receipt": receipt,
            "show_receipt": receipt is not None
            and permissions.can_see_receipt(access, receipt)
            and bool(receipt.blurred),
            "can_log": permissions.can_log_money(access),
            "another_url": _another_donation_url(entry),
            "can_reverse": permissions.can_reverse(
                access, entry, reversed_by is not None
            ),
        },
    )


def entry_reverse(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    fund = _fund_or_404(access)
    entry = _entry_or_404(fund, pk)
    form = ReversalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal, created = services.reverse_entry(
                entry=entry,
                reason=form.cleaned_data["reason"],
                by=request.user,
                token=form.cleaned_data["token"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _saved_message(
                request,
                created,
                _("The entry is reversed; both stay visible in the ledger."),
            )
            return redirect(reversal)
    return render(
        request,
        "funds/entry_reverse.html",
        {
            "access": access,
            "building": access.building,
            "entry": entry,
            "form": form,
        },
    )


# --- Receipts -------------------------------------------------------------------------


def _receipt_or_404(fund: Fund, pk: int) -> Receipt:
    return get_object_or_404(
        Receipt.objects.select_related("entry", "confirmed_by"),
        entry__fund=fund,
        entry_id=pk,
    )


def receipt(request, building_pk, pk):
    """The leader blurs names and phone numbers, checks the result and confirms it."""
    access = get_access_or_404(request.user, building_pk, MANAGE)
    fund = _fund_or_404(access)
    found = _receipt_or_404(fund, pk)
    form = BlurForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.blur_receipt(receipt=found, regions=form.regions())
            messages.success(
                request, _("Blurred. Check the result below, then confirm.")
            )
            return redirect("funds:receipt", access.building.pk, pk)
    if form.is_bound:
        selected = set(form.data.getlist("cells"))
    else:  # show the squares blurred last time
        selected = {
            cell for cell in grid_cells() if list(cell_region(cell)) in found.regions
        }
    return render(
        request,
        "funds/receipt.html",
        {
            "access": access,
            "building": access.building,
            "receipt": found,
            "entry": found.entry,
            "form": form,
            "cells": grid_cells(),
            "selected": selected,
            "grid_columns": GRID_COLUMNS,
            "confirm_form": ConfirmReceiptForm(),
        },
    )


@require_POST
def receipt_confirm(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    fund = _fund_or_404(access)
    found = _receipt_or_404(fund, pk)
    form = ConfirmReceiptForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Tick the box to confirm that no names or phone numbers can be read."),
        )
        return redirect("funds:receipt", access.building.pk, pk)
    try:
        services.confirm_receipt(receipt=found, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("funds:receipt", access.building.pk, pk)
    messages.success(request, _("The blurred receipt is now visible to the building."))
    return redirect(found.entry)


def _photo_response(field):
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def receipt_photo(request, building_pk, pk):
    """The blurred photo: the building sees it once confirmed; leaders see it to check it."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    fund = _fund_or_404(access)
    found = _receipt_or_404(fund, pk)
    if not found.blurred or not permissions.can_see_receipt(access, found):
        raise Http404
    return _photo_response(found.blurred)


def receipt_original(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    fund = _fund_or_404(access)
    found = _receipt_or_404(fund, pk)
    if not permissions.can_see_original_receipt(access):
        raise PermissionDenied(
            _("Only the building leader can see the receipt before it is blurred.")
        )
    return _photo_response(found.original)


# --- Goods ----------------------------------------------------------------------------


def goods(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    fund = _fund_or_404(access)
    items = (
        GoodsDonation.objects.filter(fund=fund)
        .with_stock()
        .prefetch_related("movements")
        .order_by("-received_on", "-pk")[:200]
    )
    return render(
        request,
        "funds/goods.html",
        {
            "access": access,
            "building": access.building,
            "fund": fund,
            "items": items,
            "can_log": permissions.can_log_money(access),
            "use_form": UseGoodsForm(),
        },
    )


def goods_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    fund = _fund_or_404(access)
    form = GoodsForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item, created = services.record_goods(
                fund=fund,
                item=data["item"],
                quantity=data["quantity"],
                unit=data["unit"],
                received_on=data["received_on"],
                donor_resident=data["donor_resident"],
                donor_name=data["donor_name"],
                public_name=data["public_name"],
                need=data["need"],
                note=data["note"],
                token=data["token"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _saved_message(request, created, _("Goods saved into stock."))
            return redirect(item)
    return render(
        request,
        "funds/entry_form.html",
        {
            "access": access,
            "building": access.building,
            "form": form,
            "heading": _("Log goods received"),
            "button": _("Save goods"),
        },
    )


def goods_use(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    fund = _fund_or_404(access)
    item = get_object_or_404(GoodsDonation.objects.filter(fund=fund), pk=pk)
    form = UseGoodsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.use_goods(
                goods=item,
                quantity=data["quantity"],
                used_for=data["used_for"],
                occurred_on=data["occurred_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved: goods taken out of stock."))
            return redirect(item)
    return render(
        request,
        "funds/entry_form.html",
        {
            "access": access,
            "building": access.building,
            "form": form,
            "heading": _("Use goods: %(item)s") % {"item": item},
            "button": _("Save"),
        },
    )


# --- Statements -------------------------------------------------------------------------


def _period(request):
    today = timezone.localdate()
    default = {"start": today.replace(day=1), "end": today}
    form = PeriodForm(request.GET if "start" in request.GET else None, initial=default)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, default["start"], default["end"]


def _statement_context(request, access, fund, start, end):
    statement = build_statement(fund, start, end)
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    live_url = (
        settings.SITE_URL
        + reverse("funds:statement", args=[access.building.pk])
        + "?"
        + query
    )
    return statement, query, live_url


@never_cache  # statements and their exports stay out of shared and browser caches
@cached_page
def statement(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    fund = _fund_or_404(access)
    form, start, end = _period(request)
    report, query, live_url = _statement_context(request, access, fund, start, end)
    page = Paginator(report.entries, STATEMENT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    last_month_end = today.replace(day=1).toordinal() - 1
    last_month_end = date.fromordinal(last_month_end)
    shortcuts = [
        (_("This month"), today.replace(day=1), today),
        (_("Last month"), last_month_end.replace(day=1), last_month_end),
        (_("This year"), today.replace(month=1, day=1), today),
    ]
    return render(
        request,
        "funds/statement.html",
        {
            "access": access,
            "building": access.building,
            "fund": fund,
            "form": form,
            "statement": report,
            "page": page,
            "query": query,
            "shortcuts": [
                (label, urlencode({"start": s.isoformat(), "end": e.isoformat()}))
                for label, s, e in shortcuts
            ],
            "wechat_text": wechat_text(
                heading=_("Fund statement"),
                title=f"{access.building.display_name} {start:%Y-%m-%d} – {end:%Y-%m-%d}",
                body=_(
                    "Opening %(opening)s, in %(money_in)s, out %(money_out)s, closing %(closing)s."
                )
                % {
                    "opening": format_money(report.opening),
                    "money_in": format_money(report.money_in),
                    "money_out": format_money(report.money_out),
                    "closing": format_money(report.closing),
                },
                url=live_url,
            ),
        },
    )


@never_cache
def statement_print(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    fund = _fund_or_404(access)
    _form, start, end = _period(request)
    report, query, live_url = _statement_context(request, access, fund, start, end)
    return render(
        request,
        "funds/statement_print.html",
        {
            "access": access,
            "building": access.building,
            "fund": fund,
            "statement": report,
            "qr_svg": qr_svg(live_url),
            "live_url": live_url,
            "printed_on": timezone.localdate(),
            "notice": posting_notice(access.building),
        },
    )


def _statement_rows(report):
    yield [
        _("Date"),
        _("Kind"),
        _("Money in (¥)"),
        _("Money out (¥)"),
        _("Donor / paid to"),
        _("What for"),
        _("Usage rule"),
        _("How paid"),
        _("Receipt number"),
        _("Approved by"),
        _("Entry number"),
        _("Reverses"),
    ]
    for entry in report.entries:
        yield [
            entry.occurred_on.isoformat(),
            entry.get_kind_display(),
            entry.money_in if entry.is_money_in else "",
            entry.money_out if not entry.is_money_in else "",
            entry.public_donor()
            or entry.payee
            or (entry.donor_name if entry.kind == LedgerEntry.Kind.MATCHING else ""),
            entry.purpose or entry.note,
            entry.usage_rule.text if entry.usage_rule_id else "",
            entry.get_paid_by_display(),
            entry.receipt_number,
            entry.approval_text,
            str(entry.pk),
            entry.reversal_label(),
        ]


def _statement_summary(report):
    """The period's figures, as on the statement page (reversals already netted in)."""
    return [
        [_("Opening balance"), report.opening],
        [_("Money in"), report.money_in],
        [_("Raised by residents"), report.raised],
        [_("Added by matching grants"), report.matched],
        [_("Money out"), report.money_out],
        [_("Corrections (冲正), already counted above"), report.reversed],
        [_("Closing balance"), report.closing],
    ]


def _filename(access, start, end, extension):
    return f"fund-{access.building.pk}-{start:%Y%m%d}-{end:%Y%m%d}.{extension}"


@never_cache
def statement_csv(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    fund = _fund_or_404(access)
    _form, start, end = _period(request)
    report = build_statement(fund, start, end)
    out = io.StringIO()
    out.write("\ufeff")  # so spreadsheet programs read the Chinese text as UTF-8
    writer = csv_writer(out)  # every text cell neutralised
    writer.writerow(
        [access.building.display_name, f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"]
    )
    for row in _statement_summary(report):
        writer.writerow(row)
    writer.writerow([])
    for row in _statement_rows(report):
        writer.writerow(row)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(access, start, end, "csv")}"'
    )
    return response


@never_cache
def statement_xlsx(request, building_pk):
    from openpyxl import Workbook

    access = get_access_or_404(request.user, building_pk, VIEW)
    fund = _fund_or_404(access)
    _form, start, end = _period(request)
    report = build_statement(fund, start, end)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statement")[:31]
    sheet.append(
        spreadsheet_row(
            [access.building.display_name, f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"]
        )
    )
    for label, value in _statement_summary(report):
        sheet.append(spreadsheet_row([label, value]))
    sheet.append([])
    for row in _statement_rows(report):
        sheet.append(spreadsheet_row(row))
    goods_sheet = workbook.create_sheet(_("Goods")[:31])
    goods_sheet.append(
        spreadsheet_row(
            [_("Date"), _("Item"), _("In"), _("Out"), _("Unit"), _("Donor / used for")]
        )
    )
    for item in report.goods_in:
        goods_sheet.append(
            spreadsheet_row(
                [
                    item.received_on.isoformat(),
                    item.item,
                    f"{item.quantity.normalize():f}",
                    "",
                    item.unit,
                    item.public_donor(),
                ]
            )
        )
    for move in report.goods_out:
        goods_sheet.append(
            spreadsheet_row(
                [
                    move.occurred_on.isoformat(),
                    move.goods.item,
                    "",
                    f"{move.quantity.normalize():f}",
                    move.goods.unit,
                    move.used_for,
                ]
            )
        )
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(access, start, end, "xlsx")}"'
    )
    return response
