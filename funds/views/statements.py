"""The fund's statement for a period: the page (through the page cache), the printable
notice with its QR code, and the CSV and XLSX exports."""

import io
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from buildings.notices import posting_notice
from buildings.permissions import VIEW, get_access_or_404
from buildings.services import wechat_text
from core.exports import csv_writer, spreadsheet_row
from core.pagecache import cached_page
from core.qr import qr_svg
from funds.forms import PeriodForm
from funds.models import LedgerEntry
from funds.money import format_money
from funds.statements import build_statement
from funds.views.common import _fund_or_404

STATEMENT_PAGE_SIZE = 100
# Amounts in the XLSX are numbers shown as every page writes them: 1,454.40, not
# 1454.4 (a spreadsheet shows a number without a format with as few decimals as it can).
XLSX_MONEY = "#,##0.00"


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
                limit=None,
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
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, Decimal):
                cell.number_format = XLSX_MONEY
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
