"""The leader's page for one report: re-categorise, merge into another, hide (issues.moderation)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buildings.forms import ReasonForm
from buildings.permissions import MANAGE, get_access_or_404
from proposals.issues import moderation
from proposals.issues import permissions as rules
from proposals.issues.forms import MergeForm, RecategoriseForm
from proposals.issues.models import Issue
from proposals.issues.views import _issue_or_404

MAX_TARGETS = 50


def _issue_to_moderate(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    issue = _issue_or_404(access, pk)
    if not rules.can_moderate(access, issue):
        raise PermissionDenied(_("This report was merged or hidden already."))
    return access, issue


def _merge_targets(access, issue):
    """The reports a duplicate may be merged into: the building's latest, shown ones."""
    return (
        Issue.objects.in_building(access.building)
        .shown()
        .filter(merged_into__isnull=True)
        .exclude(pk=issue.pk)
        .order_by("-created_at")
        .only("pk", "title")[:MAX_TARGETS]
    )


def issue_manage(request, building_pk, pk):
    access, issue = _issue_to_moderate(request, building_pk, pk)
    return render(
        request,
        "proposals/issue_manage.html",
        {
            "building": access.building,
            "issue": issue,
            "category_form": RecategoriseForm(initial={"category": issue.category}),
            "merge_form": MergeForm(targets=_merge_targets(access, issue)),
            "hide_form": ReasonForm(),
        },
    )


def _done(request, issue, call, success: str):
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("proposals:issue-manage", issue.building_id, issue.pk)
    messages.success(request, success)
    return redirect(issue)


@require_POST
def issue_recategorise(request, building_pk, pk):
    access, issue = _issue_to_moderate(request, building_pk, pk)
    form = RecategoriseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a category from the list."))
        return redirect("proposals:issue-manage", building_pk, pk)
    return _done(
        request,
        issue,
        lambda: moderation.recategorise_issue(
            issue=issue, access=access, actor=request.user, **form.cleaned_data
        ),
        _("The category is changed."),
    )


@require_POST
def issue_merge(request, building_pk, pk):
    access, issue = _issue_to_moderate(request, building_pk, pk)
    targets = list(_merge_targets(access, issue))
    form = MergeForm(request.POST, targets=targets)
    if not form.is_valid():
        messages.error(
            request, next(iter(form.errors.values()))[0] if form.errors else ""
        )
        return redirect("proposals:issue-manage", building_pk, pk)
    into = next(t for t in targets if t.pk == form.cleaned_data["into"])
    return _done(
        request,
        issue,
        lambda: moderation.merge_issue(
            duplicate=issue,
            into=into,
            access=access,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        ),
        _("The report is merged; its “me too”s moved over."),
    )


@require_POST
def issue_hide(request, building_pk, pk):
    access, issue = _issue_to_moderate(request, building_pk, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("proposals:issue-manage", building_pk, pk)
    return _done(
        request,
        issue,
        lambda: moderation.hide_issue(
            issue=issue,
            access=access,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        ),
        _("The report is hidden from residents; staff keep it in the admin."),
    )
