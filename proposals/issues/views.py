"""Issue report pages (诉求): thin views over proposals.issues.services.

Longer than 500 lines on purpose: the issue pages (hub, list, report, detail and its
actions, edit, print, overdue list) share the lookup and cached-page helpers at the top;
splitting them by page would scatter those helpers.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buildings.permissions import PARTICIPATE, VIEW, get_access_or_404
from buildings.services import wechat_text
from core.pagecache import cached_page
from core.qr import qr_svg
from proposals.issues import permissions as rules
from proposals.issues import services, transitions
from proposals.issues.forms import (
    CommentForm,
    FeedbackForm,
    IssueEditForm,
    IssueFilterForm,
    IssueForm,
    StatusForm,
    residents_for_proxy,
)
from proposals.issues.models import (
    Issue,
    IssueComment,
    IssuePhoto,
    IssueSupport,
    median_response_hours,
)

PAGE_SIZE = 20


def _first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return _("Please check what you entered.")


def _issue_or_404(access, pk, queryset=None):
    """Issues are always looked up through the building (a forged id gives 404)."""
    queryset = queryset if queryset is not None else Issue.objects.all()
    return get_object_or_404(queryset, building=access.building, pk=pk)


def _is_supporter(access, issue) -> bool:
    return (
        access.resident is not None
        and IssueSupport.objects.filter(issue=issue, resident=access.resident).exists()
    )


def _response_summary(building) -> dict:
    """How quickly this building answers: median hours over the last 100 answered
    problems (as the dashboard counts them: no merged duplicates, no hidden reports)."""
    pairs = list(
        Issue.objects.in_building(building)
        .problems()
        .filter(first_response_at__isnull=False)
        .order_by("-created_at")
        .values_list("created_at", "first_response_at")[:100]
    )
    if not pairs:
        return {"answered": 0, "median_hours": None, "within_deadline": 0}
    hours = sorted(
        (answered - reported).total_seconds() / 3600 for reported, answered in pairs
    )
    deadline = settings.LOUZU_ISSUE_RESPONSE_HOURS
    return {
        "answered": len(hours),
        "median_hours": median_response_hours(hours),
        "within_deadline": sum(1 for h in hours if h <= deadline),
    }


def _issue_list_personal(request, building_pk, *, access=None):
    """The issue list's own part for this person: which issues they said "me too" to
    (as text: the list's personal blocks get the issue's id as text)."""
    if access is None:
        access = get_access_or_404(request.user, building_pk, VIEW)
    supported = set()
    if access.resident is not None:
        supported = {
            str(pk)
            for pk in IssueSupport.objects.filter(
                resident=access.resident, issue__building=access.building
            ).values_list("issue_id", flat=True)
        }
    return {"supported": supported}


@cached_page(
    personal=_issue_list_personal,
    unless=lambda request: bool(request.GET.get("mine")),  # the list itself is theirs
)
def issue_list(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    building = access.building
    form = IssueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status") or "open"
    issues = Issue.objects.in_building(building).for_list()
    if filters.get("mine") and access.resident is not None:
        # A reporter still finds their own report after a leader hid it.
        issues = issues.filter(Q(hidden_at__isnull=True) | Q(reporter=access.resident))
    else:
        issues = issues.shown()
    if status == "open":
        issues = issues.open()
    elif status == "overdue":
        issues = issues.overdue()
    elif status != "all":
        issues = issues.filter(status=status)
    if filters.get("category"):
        issues = issues.filter(category=filters["category"])
    if filters.get("mine") and access.resident is not None:
        issues = issues.filter(
            Q(reporter=access.resident) | Q(supports__resident=access.resident)
        ).distinct()
    if filters.get("sort") == "support":
        issues = issues.order_by("-support_count", "-created_at")
    else:
        issues = issues.order_by("-created_at")
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    supported = _issue_list_personal(request, building_pk, access=access)["supported"]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "proposals/issue_list.html",
        {
            "building": building,
            "access": access,
            "page": page,
            "form": form,
            "filters": filters,
            "status": status,
            "supported": supported,
            "query": query.urlencode(),
            "overdue_count": Issue.objects.in_building(building).overdue().count(),
            "summary": _response_summary(building),
            "can_report": rules.can_report(access),
            "can_see_overdue_list": rules.can_see_overdue_list(access),
            "deadline_hours": settings.LOUZU_ISSUE_RESPONSE_HOURS,
        },
    )


def issue_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    building = access.building
    on_behalf_choices = (
        residents_for_proxy(building) if rules.can_report_on_behalf(access) else None
    )
    category = request.POST.get("category") or request.GET.get("category") or ""
    if category not in Issue.Category.values:
        category = ""
    form = IssueForm(
        request.POST or None,
        request.FILES or None,
        initial={"category": category, "location": Issue.Location.LOBBY},
        on_behalf_choices=on_behalf_choices,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reporter = data.get("on_behalf_of") or access.resident
        try:
            issue = services.report_issue(
                building=building,
                reporter=reporter,
                entered_by=request.user,
                category=data["category"],
                title=data["title"],
                text=data["text"],
                location=data["location"],
                floor=data.get("floor"),
                anonymous=data["anonymous"],
                photos=data["photos"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _(
                    "Thank you! Your issue has been reported; the team will answer soon."
                ),
            )
            return redirect(issue)
    elif request.method == "POST":
        messages.error(request, _("Please correct the errors below."))
    similar = []
    if category:
        similar = list(
            Issue.objects.similar_to(building=building, category=category).order_by(
                "-created_at"
            )[:5]
        )
    return render(
        request,
        "proposals/issue_form.html",
        {
            "building": building,
            "form": form,
            "category": category,
            "categories": Issue.Category.choices,
            "similar": similar,
            "can_report_on_behalf": on_behalf_choices is not None,
        },
        status=400 if request.method == "POST" else 200,
    )


def _issue_personal(request, building_pk, pk, *, access=None, issue=None):
    """The issue page's own part for this person: their "me too", report and forms."""
    if access is None:
        access = get_access_or_404(request.user, building_pk, VIEW)
    if issue is None:
        issue = Issue.objects.filter(building=access.building, pk=pk).first()
        if issue is None:
            raise Http404
        issue.building = access.building
    if issue.is_hidden and not rules.can_see_hidden(access, issue):
        raise Http404
    is_supporter = _is_supporter(access, issue)
    return {
        "building": access.building,
        "access": access,
        "issue": issue,
        "can_moderate": rules.can_moderate(access, issue),
        "is_supporter": is_supporter,
        "is_reporter": rules.is_reporter(access, issue),
        "can_support": rules.can_support(access, issue),
        "can_comment": rules.can_comment(access, issue, is_supporter=is_supporter),
        "can_give_feedback": rules.can_give_feedback(
            access, issue, is_supporter=is_supporter
        ),
        "can_edit": rules.can_edit(access, issue, request.user),
        "comment_form": CommentForm(),
        "feedback_form": FeedbackForm(),
    }


@cached_page(personal=_issue_personal)
def issue_detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    issue = _issue_or_404(
        access,
        pk,
        Issue.objects.with_support_count().select_related(
            "building", "reporter", "merged_into"
        ),
    )
    mine = _issue_personal(request, building_pk, pk, access=access, issue=issue)
    photos = list(issue.photos.all())
    events = list(issue.events.all())
    comments = list(issue.comments.all())
    replies = {}
    for comment in comments:
        if comment.reply_to_id:
            replies.setdefault(comment.reply_to_id, []).append(comment)
    for comment in comments:
        comment.reply_list = replies.get(comment.pk, [])
    timeline = sorted(
        [("event", e.created_at, e) for e in events]
        + [("comment", c.created_at, c) for c in comments if not c.reply_to_id],
        key=lambda item: item[1],
    )
    targets = transitions.allowed_targets(issue.status)
    can_status = rules.can_change_status(access, issue)
    text = wechat_text(
        heading=_("Issue in %(building)s") % {"building": access.building.number},
        title=issue.title,
        body=f"{issue.get_status_display()} · {issue.place} · {issue.text}",
        url=settings.SITE_URL + issue.get_absolute_url(),
    )
    return render(
        request,
        "proposals/issue_detail.html",
        {
            **mine,
            "before_photos": [p for p in photos if p.kind == IssuePhoto.Kind.BEFORE],
            "after_photos": [p for p in photos if p.kind == IssuePhoto.Kind.AFTER],
            "timeline": timeline,
            "can_change_status": can_status and bool(targets),
            "status_form": StatusForm(targets=targets) if can_status else None,
            "backward_targets": [
                t for t in targets if transitions.needs_reason(issue.status, t)
            ],
            "wechat_text": text,
        },
    )


def issue_edit(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    issue = _issue_or_404(access, pk, Issue.objects.select_related("reporter"))
    if not rules.can_edit(access, issue, request.user):
        raise PermissionDenied(
            _("Only the reporter can edit an issue, and only until it is answered.")
        )
    form = IssueEditForm(request.POST or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_issue(
                issue=issue,
                access=access,
                editor=request.user,
                category=data["category"],
                title=data["title"],
                text=data["text"],
                location=data["location"],
                floor=data.get("floor"),
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(issue)
    issue.refresh_from_db()
    return render(
        request,
        "proposals/issue_edit.html",
        {"building": access.building, "issue": issue, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def issue_support(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    issue = _issue_or_404(access, pk)
    if access.resident is None:
        messages.error(request, _("Only residents of this building can say “me too”."))
        return redirect(issue)
    try:
        services.support_issue(issue=issue, resident=access.resident)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Counted: you have the same problem. You will hear when it moves."),
        )
    return redirect(issue)


@require_POST
def issue_unsupport(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    issue = _issue_or_404(access, pk)
    if access.resident is None:
        raise PermissionDenied(_("Only residents of this building can do this."))
    try:
        services.withdraw_support(issue=issue, resident=access.resident)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your “me too” has been withdrawn."))
    return redirect(issue)


@require_POST
def issue_status(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    issue = _issue_or_404(access, pk)
    if not rules.can_change_status(access, issue):
        raise PermissionDenied(
            _("Only the building leader or the self-governance team can do this.")
        )
    form = StatusForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(issue)
    try:
        services.change_issue_status(
            issue=issue,
            access=access,
            actor=request.user,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
            after_photos=form.cleaned_data["after_photos"],
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The status has been changed; the reporter and neighbours are told."),
        )
    return redirect(issue)


@require_POST
def issue_comment(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    issue = _issue_or_404(access, pk, Issue.objects.select_related("building"))
    is_supporter = _is_supporter(access, issue)
    if not rules.can_comment(access, issue, is_supporter=is_supporter):
        raise PermissionDenied(
            _("Press “me too” first: then you can comment on this issue.")
        )
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(issue)
    reply_to = None
    if form.cleaned_data.get("reply_to"):
        reply_to = IssueComment.objects.filter(
            issue=issue, pk=form.cleaned_data["reply_to"]
        ).first()
        if reply_to is None:
            messages.error(request, _("That comment no longer exists."))
            return redirect(issue)
    try:
        services.comment_on_issue(
            issue=issue,
            access=access,
            author=request.user,
            text=form.cleaned_data["text"],
            is_supporter=is_supporter,
            reply_to=reply_to,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your comment has been posted."))
    return redirect(issue)


@require_POST
def issue_feedback(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    issue = _issue_or_404(access, pk)
    is_supporter = _is_supporter(access, issue)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(issue)
    try:
        services.give_issue_feedback(
            issue=issue,
            access=access,
            author=request.user,
            fixed=form.cleaned_data["fixed"],
            reason=form.cleaned_data["reason"],
            is_supporter=is_supporter,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if form.cleaned_data["fixed"]:
            messages.success(request, _("Thank you for confirming!"))
        else:
            messages.success(
                request, _("The issue has been reopened with your reason.")
            )
    return redirect(issue)


def issue_print(request, building_pk):
    """A4 list of open issues for the council meeting (议事会)."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    building = access.building
    issues = list(
        Issue.objects.in_building(building)
        .open()
        .with_support_count()
        .order_by("status", "-support_count", "created_at")
    )
    today = timezone.localdate()
    for issue in issues:
        issue.days_open = (today - timezone.localtime(issue.created_at).date()).days
    live_url = settings.SITE_URL + reverse("proposals:issues", args=[building.pk])
    return render(
        request,
        "proposals/issue_print.html",
        {
            "building": building,
            "issues": issues,
            "today": today,
            "qr_svg": qr_svg(live_url),
            "live_url": live_url,
        },
    )


def index(request, building_pk):
    """议事 hub: what is on the table for the next council meeting."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    building = access.building
    base = Issue.objects.in_building(building).shown().filter(merged_into__isnull=True)
    deliberating = list(
        base.filter(status=Issue.Status.DELIBERATING)
        .for_list()
        .order_by("-support_count")[:20]
    )
    candidates = list(
        base.filter(status__in=[Issue.Status.SUBMITTED, Issue.Status.ACKNOWLEDGED])
        .for_list()
        .filter(support_count__gte=1)
        .order_by("-support_count", "created_at")[:5]
    )
    counts = {
        row["status"]: row["n"]
        for row in base.open().values("status").annotate(n=Count("pk"))
    }
    recently_resolved = list(
        base.filter(
            status=Issue.Status.RESOLVED,
            resolved_at__gte=timezone.now() - timedelta(days=30),
        )
        .for_list()
        .order_by("-resolved_at")[:5]
    )
    return render(
        request,
        "proposals/index.html",
        {
            "building": building,
            "access": access,
            "deliberating": deliberating,
            "candidates": candidates,
            "recently_resolved": recently_resolved,
            "status_counts": [
                (Issue.Status(s).label, s, counts.get(s, 0))
                for s in transitions.ORDER[:-1]
            ],
            "overdue_count": base.overdue().count(),
        },
    )


def overdue_list(request, building_pk):
    """Branch staff: every unanswered issue in this building's community, oldest first."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    if not rules.can_see_overdue_list(access):
        raise PermissionDenied(_("Only branch staff can see this list."))
    issues = (
        Issue.objects.filter(building__community=access.building.community)
        .overdue()
        .for_list()
        .order_by("created_at")
    )
    page = Paginator(issues, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/overdue_list.html",
        {
            "building": access.building,
            "community": access.building.community,
            "page": page,
            "deadline_hours": settings.LOUZU_ISSUE_RESPONSE_HOURS,
        },
    )
