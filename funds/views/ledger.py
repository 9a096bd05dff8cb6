"""Logging money (donations, expenses, matching grants), one ledger entry and
reversing it, and the receipts: blurring, confirming and serving the photos."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buildings.permissions import MANAGE, VIEW, get_access_or_404
from funds import permissions, services
from funds.blur import GRID_COLUMNS, cell_region, grid_cells
from funds.forms import (
    BlurForm,
    ConfirmReceiptForm,
    DonationForm,
    ExpenseForm,
    MatchingForm,
    ReversalForm,
)
from funds.models import Fund, LedgerEntry, Receipt
from funds.money import format_money
from funds.views.common import _fund_or_404, _saved_message


def _entry_or_404(fund: Fund, pk: int) -> LedgerEntry:
    return get_object_or_404(fund.entries.for_detail(), pk=pk)


# --- Logging money ---------------------------------------------------------------------


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
            try:
                services.blur_receipt(receipt=found, regions=form.regions())
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
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
    try:
        file = field.open("rb")
    except OSError as exc:  # gone from storage (restored without media): as /media/
        raise Http404 from exc
    response = FileResponse(file, content_type="image/jpeg")
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
