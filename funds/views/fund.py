"""The fund page (its balance, flows, campaigns and latest entries), opening the fund,
its settings, and the usage rules (every version, adopting a new one)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buildings.permissions import MANAGE, ORGANISE, VIEW, get_access_or_404
from funds import permissions, services
from funds.forms import FundSettingsForm, RulesForm
from funds.models import CampaignNeed, Fund
from funds.statements import flow_chart, month_starts, overview
from funds.views.common import _fund_or_404

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
        try:
            number = int(wanted)
        except ValueError:  # more digits than Python reads (4300)
            raise Http404 from None
        shown = next(
            (ruleset for ruleset in versions if ruleset.version == number), None
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
