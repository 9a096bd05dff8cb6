"""Who may do what with an issue report: pure predicates over buildings.permissions.Access.

Views and templates use these; services re-check the rules that depend on state.
"""

from buildings.permissions import Access
from proposals.issues.models import Issue


def is_reporter(access: Access, issue: Issue) -> bool:
    """The person whose issue it is (never revealed to others when anonymous)."""
    return access.resident is not None and issue.reporter_id == access.resident.pk


def is_entered_by(user, issue: Issue) -> bool:
    return user.is_authenticated and issue.entered_by_id == user.pk


def can_report(access: Access) -> bool:
    return access.can_participate


def can_report_on_behalf(access: Access) -> bool:
    """Leaders and staff write down what a resident told them in person."""
    return access.can_manage


def can_support(access: Access, issue: Issue) -> bool:
    """Residents of the building may say "me too" on an open issue that is not theirs."""
    return (
        access.resident is not None and issue.is_open and not is_reporter(access, issue)
    )


def can_change_status(access: Access, issue: Issue) -> bool:
    """Leaders, the team and staff move issues along (the issue text names all three)."""
    return access.can_organise


def can_comment(access: Access, issue: Issue, *, is_supporter: bool) -> bool:
    """The reporter, supporters, and those who answer (team, leaders, staff)."""
    return access.can_organise or is_reporter(access, issue) or is_supporter


def can_give_feedback(access: Access, issue: Issue, *, is_supporter: bool) -> bool:
    """Once resolved, the reporter and supporters are asked: is it fixed?"""
    if issue.status != Issue.Status.RESOLVED or access.resident is None:
        return False
    return is_reporter(access, issue) or is_supporter


def can_edit(access: Access, issue: Issue, user) -> bool:
    """The reporter (or whoever wrote it down for them) may fix typos until it is answered."""
    if issue.status != Issue.Status.SUBMITTED:
        return False
    return is_reporter(access, issue) or is_entered_by(user, issue)


def can_see_overdue_list(access: Access) -> bool:
    """The community-wide list of unanswered issues is a branch staff tool."""
    return access.is_staff


def can_moderate(access: Access, issue: Issue) -> bool:
    """The building's leader (or staff) re-categorises, merges or hides a report."""
    return access.can_manage and not issue.is_hidden and issue.merged_into_id is None


def can_see_hidden(access: Access, issue: Issue) -> bool:
    """A hidden report: its leader and staff, and its own reporter; no other resident."""
    return access.can_manage or is_reporter(access, issue)
