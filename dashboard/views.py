from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buildings.models import Community, Town
from buildings.permissions import is_staff_for, staff_communities
from buildings.rooms import room_key
from core.pagecache import cached_page
from core.templatetags.words import duration
from dashboard import charts, metrics
from dashboard import figures as dashboard_figures
from dashboard.templatetags.dashboard_tags import share_percent
from funds.money import format_money
from proposals.issues.models import response_deadline_hours
from proposals.models import Issue


def staff_required(view):
    """Branch staff only; residents and leaders get 403 (visitors are sent to log in)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied(_("Only branch staff can open the dashboard."))
        return view(request, *args, **kwargs)

    return wrapper


def community_staff_required(view):
    """Staff of this community (its own or its town's) or a superuser; other staff 403."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        if not is_staff_for(request.user, pk):
            raise PermissionDenied(
                _("Only the staff of this community can open its dashboard.")
            )
        return view(request, pk, *args, **kwargs)

    return wrapper


@staff_required
def home(request):
    """The communities and towns a staff member answers for (a superuser: all)."""
    communities = list(staff_communities(request.user).select_related("town"))
    towns = {c.town for c in communities if c.town is not None}
    town_staff = request.user.staff_posts.filter(town__isnull=False).exists()
    if len(communities) == 1 and not town_staff:  # town staff land on their towns
        return redirect("dashboard:community", communities[0].pk)
    return render(
        request,
        "dashboard/home.html",
        {
            "communities": communities,
            "towns": sorted(towns, key=lambda town: (town.district, town.name)),
        },
    )


@staff_required
def town(request, pk):
    """The town's communities side by side (those the person answers for): one row per
    community, summed from the building figures of the community dashboard."""
    town = get_object_or_404(Town, pk=pk)
    communities = list(
        staff_communities(request.user).filter(town=town).order_by("name")
    )
    if not communities:
        raise PermissionDenied(
            _("Only the staff of this town or of one of its communities can open this.")
        )
    rows, computed_at = dashboard_figures.read_town(communities)
    overdue_counts = sum(row.issues_overdue for row in rows)
    return render(
        request,
        "dashboard/town.html",
        {
            "town": town,
            "rows": sorted(rows, key=lambda row: -row.index),
            "overdue_total": overdue_counts,
            "weights": metrics.WEIGHTS,
            "window_days": metrics.WINDOW_DAYS,
            "computed_at": computed_at,
        },
    )


def _charts(rows: list[metrics.BuildingRow]) -> list[charts.BarChart]:
    def chart(title, value, text):
        return charts.bar_chart(
            title,
            [
                (row.building.number, value(row), text(row), row.building.is_pilot)
                for row in rows
            ],
        )

    return [
        chart(_("Vitality index"), lambda r: r.index, lambda r: f"{r.index}"),
        chart(
            _("Households joined"),
            lambda r: 100 * r.joined_share,
            lambda r: f"{share_percent(r.joined_share)} ({r.joined}/{r.households})",
        ),
        chart(_("Issues open"), lambda r: r.issues_open, lambda r: str(r.issues_open)),
        chart(
            _("Issues overdue"),
            lambda r: r.issues_overdue,
            lambda r: str(r.issues_overdue),
        ),
        chart(
            _("Median time to first response"),
            lambda r: r.median_response_hours,
            lambda r: duration(r.median_response_hours),
        ),
        chart(
            _("Resolution rate"),
            lambda r: None if r.resolution_rate is None else 100 * r.resolution_rate,
            lambda r: share_percent(r.resolution_rate),
        ),
        chart(
            _("Satisfied with the fix"),
            lambda r: None if r.satisfaction is None else 100 * r.satisfaction,
            lambda r: share_percent(r.satisfaction),
        ),
        chart(
            _("Money raised by residents"),
            lambda r: r.raised,
            lambda r: format_money(r.raised),
        ),
        chart(
            _("Added by matching grants"),
            lambda r: r.matched,
            lambda r: format_money(r.matched),
        ),
        chart(_("Money spent"), lambda r: r.spent, lambda r: format_money(r.spent)),
        chart(
            _("Fund balance"), lambda r: r.balance, lambda r: format_money(r.balance)
        ),
        chart(
            _("Activities held"),
            lambda r: r.activities_held,
            lambda r: str(r.activities_held),
        ),
        chart(
            _("Activity participants"),
            lambda r: r.participants,
            lambda r: str(r.participants),
        ),
        chart(
            _("Volunteer hours"),
            lambda r: r.volunteer_hours,
            lambda r: str(r.volunteer_hours),
        ),
        chart(_("Polls decided"), lambda r: r.polls, lambda r: str(r.polls)),
        chart(
            _("Average turnout (households)"),
            lambda r: None if r.turnout is None else 100 * r.turnout,
            lambda r: share_percent(r.turnout),
        ),
    ]


@staff_required
@community_staff_required
@cached_page
def community(request, pk):
    community = get_object_or_404(Community, pk=pk)
    rows, figures = dashboard_figures.read(community)
    rows = sorted(rows, key=lambda row: room_key(row.building.number))
    rows_by_index = sorted(
        rows, key=lambda row: -row.index
    )  # ties stay in number order
    for row in rows:
        row.sparkline = charts.sparkline(row.trend)
    overdue = (
        Issue.objects.filter(building__community=community)
        .overdue()
        .select_related("building")
        .order_by("created_at")[:50]
    )
    labels = {
        "index": _("Vitality index"),
        "joined": _("Households joined (%)"),
        "responsive": _("Answered in time (%)"),
        "resolved": _("Resolution rate (%)"),
        "turnout": _("Average turnout (%)"),
        "participants": _("Activity participants"),
        "hours": _("Volunteer hours"),
        "raised": _("Money raised (¥)"),
    }
    comparison = [
        {**item, "label": labels[item["key"]]} for item in metrics.compare_pilots(rows)
    ]
    return render(
        request,
        "dashboard/community.html",
        {
            "community": community,
            "ranking": rows_by_index,
            "rows": rows,
            "charts": _charts(rows),
            "comparison": comparison,
            "overdue": overdue,
            "weights": metrics.WEIGHTS,
            "full": metrics.FULL_PER_HOUSEHOLD,
            "deadline_hours": response_deadline_hours(),
            "window_days": metrics.WINDOW_DAYS,
            "months": metrics.month_starts_for_display(),
            "computed_at": figures.computed_at,
            "refreshing": figures.refresh_requested_at is not None,
        },
    )


@staff_required
@community_staff_required
@require_POST
def refresh(request, pk):
    """ "Refresh now": the worker computes the figures again; this returns at once."""
    community = get_object_or_404(Community, pk=pk)
    dashboard_figures.request_refresh(community)
    messages.info(
        request,
        _(
            "The figures are being computed again by the background worker; "
            "reload this page in a minute to see them."
        ),
    )
    return redirect("dashboard:community", community.pk)
