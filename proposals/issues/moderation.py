"""A leader tidies the building's issue reports: re-categorise, merge a duplicate, hide abuse.

Anonymity (docs/architecture.md, "Privacy rules"): a merge moves the duplicate's "me too"
rows to the other report one by one, the same way whoever wrote them, and adds the
duplicate's reporter as a neighbour with the same problem only when that report was not
anonymous; nothing here writes who filed an anonymous report anywhere it can be read.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings import changes
from buildings.models import User
from buildings.notify import Message, notify
from buildings.permissions import Access
from core import races
from proposals.issues.models import Issue, IssueEvent, IssueSupport
from proposals.issues.services import FOLLOWED_KIND, _tell_participants, role_of


def _event(issue: Issue, access: Access, actor: User, kind: str, reason: str):
    return IssueEvent.objects.create(
        issue=issue,
        kind=kind,
        actor=actor,
        actor_name=actor.name,
        actor_role=role_of(access),
        reason=reason,
    )


def _lock(issue: Issue, access: Access) -> Issue:
    races.set_lock_timeout()
    issue = races.locked(Issue.objects.filter(pk=issue.pk)).get()
    if issue.building_id != access.building.pk:
        raise ValidationError(_("This issue belongs to another building."))
    if issue.is_hidden:
        raise ValidationError(_("This report is hidden."))
    if issue.merged_into_id is not None:
        raise ValidationError(_("This report was merged into another one."))
    return issue


@transaction.atomic
def recategorise_issue(
    *, issue: Issue, access: Access, actor: User, category: str, reason: str = ""
) -> Issue:
    """Put a report under the right category; the timeline says so."""
    if category not in Issue.Category.values:
        raise ValidationError(_("Please choose a category from the list."))
    reason = " ".join((reason or "").split())
    if len(reason) > changes.REASON_MAX:
        raise ValidationError(
            _("The reason can be at most %(max)d characters long.")
            % {"max": changes.REASON_MAX}
        )
    issue = _lock(issue, access)
    if issue.category == category:
        raise ValidationError(_("The report is already in this category."))
    before = issue.category
    issue.category = category
    issue.save(update_fields=["category", "updated_at"])
    event = _event(issue, access, actor, IssueEvent.Kind.RECATEGORISED, reason)
    event.from_category, event.to_category = before, category
    event.save(update_fields=["from_category", "to_category"])
    return issue


@transaction.atomic
def merge_issue(
    *, duplicate: Issue, into: Issue, access: Access, actor: User, reason: str
) -> Issue:
    """Merge a duplicate report into another; its "me too"s move over, counted once."""
    reason = changes.clean_reason(reason)
    if duplicate.pk == into.pk:
        raise ValidationError(_("A report cannot be merged into itself."))
    # Both rows locked, lower id first, so two merges never wait on each other.
    first, second = sorted([duplicate, into], key=lambda issue: issue.pk)
    locked = {first.pk: _lock(first, access), second.pk: _lock(second, access)}
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    # Told first, while the duplicate still has its supporters.
    _tell_participants(
        duplicate,
        exclude_user_id=actor.pk,
        kind="issue_status",
        text=Message(
            gettext_noop("“%(title)s” was merged into “%(into)s”: follow it there."),
            title=duplicate.title,
            into=into.title,
        ),
    )
    already = set(
        IssueSupport.objects.filter(issue=into).values_list("resident_id", flat=True)
    )
    # A named reporter never says "me too" to their own report; an anonymous one is
    # treated like anyone, or the merge would show who they are.
    if into.reporter_id and not into.is_anonymous:
        already.add(into.reporter_id)
    for support in IssueSupport.objects.filter(issue=duplicate).order_by("pk"):
        if support.resident_id in already:
            support.delete()  # counted on the other report already
            continue
        support.issue = into
        support.save(update_fields=["issue"])
        already.add(support.resident_id)
    # Skipped for the reporter of a named `into` only: skipping the reporter of an
    # anonymous one would tell whose it is (their named duplicate left no "me too").
    if (
        duplicate.reporter_id
        and not duplicate.is_anonymous
        and duplicate.reporter_id not in already
    ):
        IssueSupport.objects.create(issue=into, resident_id=duplicate.reporter_id)
    duplicate.merged_into = into
    duplicate.save(update_fields=["merged_into", "updated_at"])
    _event(duplicate, access, actor, IssueEvent.Kind.MERGED, reason)
    _event(
        into, access, actor, IssueEvent.Kind.MERGED_IN, f"{duplicate.title} · {reason}"
    )
    return duplicate


@transaction.atomic
def hide_issue(*, issue: Issue, access: Access, actor: User, reason: str) -> Issue:
    """Hide an abusive report from residents; it stays, with the reason, for staff."""
    reason = changes.clean_reason(reason)
    issue = _lock(issue, access)
    issue.hidden_at = timezone.now()
    issue.hidden_reason = reason
    issue.hidden_by = actor
    issue.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
    changes.record_change(
        obj=issue, by=actor, reason=reason, action=changes.ChangeNote.Action.HIDDEN
    )
    reporter = issue.reporter.user if issue.reporter_id else None
    if reporter is not None and reporter.pk != actor.pk:
        # Only the reporter is told (supporters can no longer open it); an anonymous
        # reporter gets the usual message that names nothing.
        if issue.is_anonymous:
            notify(
                recipient=reporter,
                kind=FOLLOWED_KIND,
                text=Message(
                    gettext_noop(
                        "There is news on an issue you follow. Open “mine” in the issue list."
                    )
                ),
                link=reverse("proposals:issues", args=[issue.building_id]) + "?mine=on",
            )
        else:
            notify(
                recipient=reporter,
                kind="issue_status",
                text=Message(
                    gettext_noop(
                        "“%(title)s” was hidden by the building leader: %(reason)s"
                    ),
                    title=issue.title,
                    reason=reason,
                ),
                link=issue.get_absolute_url(),
            )
    return issue
