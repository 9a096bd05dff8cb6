"""Writes for issue reports. Every rule that depends on state is checked here.

Anonymity: when the reporter of an anonymous issue acts (reports, comments, answers
"is it fixed?"), nothing that names them is written outside Issue.reporter: the event or
comment keeps no author, and the audit log is switched off for that write (its actor
would be the reporter).

Longer than 500 lines on purpose: every write of an issue goes through the same
anonymity guard (_quiet_if) and the same rules on who is told (_tell_participants,
_answerers); one module keeps those rules in one place.
"""

import contextlib

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings.models import Building, Resident, User
from buildings.notify import Message, notify, notify_many
from buildings.permissions import Access, is_staff_for, staff_by_community
from buildings.services import record_proxy_act
from core import races
from proposals.issues import transitions
from proposals.issues.models import (
    Issue,
    IssueComment,
    IssueEvent,
    IssuePhoto,
    IssueReporterLook,
    IssueSupport,
    response_deadline_hours,
)
from proposals.issues.permissions import can_change_status, is_reporter

Role = IssueEvent.Role
ANSWERING_ROLES = {Role.TEAM, Role.LEADER, Role.STAFF}
# The one message an anonymous reporter gets about their issue. It names nothing, and
# the admin never lists it (buildings.admin.UNLISTED_NOTIFICATION_KINDS): written next
# to the supporters' messages of the same moment, it would single the reporter out.
FOLLOWED_KIND = "issue_followed"


def _quiet_if(anonymous: bool):
    """Switch the audit log off while an anonymous reporter writes (it would name them)."""
    return disable_auditlog() if anonymous else contextlib.nullcontext()


def role_of(access: Access) -> str:
    """The role someone acts in, as shown on the timeline."""
    return {"staff": Role.STAFF, "leader": Role.LEADER, "team": Role.TEAM}.get(
        access.role, Role.RESIDENT
    )


def _tell_participants(
    issue: Issue, *, exclude_user_id, kind: str, text: Message
) -> None:
    """Tell the reporter (if they have an account) and everyone who said "me too".

    The reporter of an anonymous issue gets a message that does not name the issue, of
    a kind the admin never lists: the notification table lists recipients, and must not
    pair them with the issue.
    """
    supporters = issue.supports.select_related("resident__user")
    users = {
        s.resident.user_id: s.resident.user for s in supporters if s.resident.user_id
    }
    reporter = (
        issue.reporter.user if issue.reporter_id and issue.reporter.user_id else None
    )
    if reporter is not None and not issue.is_anonymous:
        users[reporter.pk] = reporter
    users.pop(exclude_user_id, None)
    for user in users.values():
        notify(recipient=user, kind=kind, text=text, link=issue.get_absolute_url())
    if reporter is not None and issue.is_anonymous and reporter.pk != exclude_user_id:
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


def _answerers(building: Building, *, exclude_user_id=None) -> list[User]:
    """Leaders and team of the building: the people who answer issues."""
    residents = Resident.objects.team().in_building(building).select_related("user")
    return [r.user for r in residents if r.user_id and r.user_id != exclude_user_id]


def _check_texts(*, title: str, text: str) -> tuple[str, str]:
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise ValidationError(_("Please say in a few words what is wrong."))
    if len(title) > 80:
        raise ValidationError(_("The title is too long (at most 80 characters)."))
    if len(text) > 2000:
        raise ValidationError(
            _("The description is too long (at most 2000 characters).")
        )
    return title, text


def _check_choices(*, category: str, location: str, floor: int | None) -> None:
    if category not in Issue.Category.values:
        raise ValidationError(_("Please choose a category from the list."))
    if location not in Issue.Location.values:
        raise ValidationError(_("Please choose where in the building it is."))
    if floor is not None and not -5 <= floor <= 200:
        raise ValidationError(_("Please give a real floor number."))


def _add_photos(issue: Issue, photos: list[ContentFile], kind: str) -> None:
    existing = issue.photos.filter(kind=kind).count()
    if existing + len(photos) > IssuePhoto.MAX_PER_KIND:
        raise ValidationError(
            _("At most %(max)d photos can be attached here.")
            % {"max": IssuePhoto.MAX_PER_KIND}
        )
    for content in photos:
        photo = IssuePhoto(issue=issue, kind=kind)
        photo.image.save(content.name, content, save=False)
        photo.save()


@transaction.atomic
def report_issue(
    *,
    building: Building,
    reporter: Resident | None,
    entered_by: User,
    category: str,
    title: str,
    text: str,
    location: str,
    floor: int | None = None,
    anonymous: bool = False,
    photos: list[ContentFile] = (),
) -> Issue:
    """File an issue; a leader may file it for a resident who told them in person."""
    title, text = _check_texts(title=title, text=text)
    _check_choices(category=category, location=location, floor=floor)
    if reporter is None and not is_staff_for(entered_by, building.community_id):
        raise ValidationError(_("Please say which resident this issue is for."))
    if reporter is not None and (
        reporter.household.building_id != building.pk or not reporter.is_approved
    ):
        raise ValidationError(_("This resident does not live in this building."))
    on_behalf = reporter is None or reporter.user_id != entered_by.pk
    if location != Issue.Location.CORRIDOR:
        floor = None
    with _quiet_if(anonymous and not on_behalf):
        issue = Issue.objects.create(
            building=building,
            reporter=reporter,
            entered_by=entered_by if on_behalf else None,
            is_anonymous=anonymous,
            category=category,
            title=title,
            text=text,
            location=location,
            floor=floor,
        )
        _add_photos(issue, list(photos), IssuePhoto.Kind.BEFORE)
        if on_behalf:
            # The one who wrote it down is named; the resident they wrote for is not.
            IssueEvent.objects.create(
                issue=issue,
                kind=IssueEvent.Kind.REPORTED,
                to_status=issue.status,
                actor=entered_by,
                actor_name=entered_by.name,
                actor_role=_role_for_user(entered_by, building),
                on_behalf=reporter is not None,
            )
        else:
            IssueEvent.objects.create(
                issue=issue,
                kind=IssueEvent.Kind.REPORTED,
                to_status=issue.status,
                actor=None if anonymous else entered_by,
                actor_name="" if anonymous else reporter.name,
                actor_role=Role.REPORTER,
            )
    if reporter is not None and on_behalf and not anonymous:
        # 代录 is recorded for named reports only: a ProxyAct names the resident, so
        # for an anonymous report the record is Issue.entered_by (admin, audited look).
        record_proxy_act(
            resident=reporter,
            actor=entered_by,
            action=Message(
                gettext_noop("Filed the issue report “%(title)s” for this resident"),
                title=title,
            ),
            link=issue.get_absolute_url(),
        )
    # The one who filed it is not told of their own issue, unless they filed it
    # anonymously: then they are told like every other answerer, for leaving out the
    # one team member who reported would name them.
    quiet_reporter = anonymous and not on_behalf
    notify_many(  # one query for mutes, one insert, however big the team
        recipients=_answerers(
            building, exclude_user_id=None if quiet_reporter else entered_by.pk
        ),
        kind="issue_new",
        text=Message(
            gettext_noop("New issue in %(building)s: %(title)s"),
            building=building.number,
            title=title,
        ),
        link=issue.get_absolute_url(),
    )
    return issue


def _role_for_user(user: User, building: Building) -> str:
    if is_staff_for(user, building.community_id):
        return Role.STAFF
    resident = (
        Resident.objects.approved().in_building(building).filter(user=user).first()
    )
    return {"leader": Role.LEADER, "team": Role.TEAM}.get(
        getattr(resident, "role", ""), Role.RESIDENT
    )


@transaction.atomic
def edit_issue(
    *,
    issue: Issue,
    access: Access,
    editor: User,
    category: str,
    title: str,
    text: str,
    location: str,
    floor=None,
) -> Issue:
    """The reporter fixes their report while nobody has answered it yet."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    mine = is_reporter(access, issue) or issue.entered_by_id == editor.pk
    if not mine:
        raise ValidationError(_("Only the person who reported this issue can edit it."))
    if issue.status != Issue.Status.SUBMITTED:
        raise ValidationError(
            _("This issue has been answered already; add a comment instead.")
        )
    title, text = _check_texts(title=title, text=text)
    _check_choices(category=category, location=location, floor=floor)
    issue.category, issue.title, issue.text, issue.location = (
        category,
        title,
        text,
        location,
    )
    issue.floor = floor if location == Issue.Location.CORRIDOR else None
    hide = issue.is_anonymous and is_reporter(access, issue)
    with _quiet_if(hide):
        issue.save(
            update_fields=[
                "category",
                "title",
                "text",
                "location",
                "floor",
                "updated_at",
            ]
        )
        IssueEvent.objects.create(
            issue=issue,
            kind=IssueEvent.Kind.EDITED,
            actor=None if hide else editor,
            actor_name="" if hide else editor.name,
            actor_role=Role.REPORTER if is_reporter(access, issue) else role_of(access),
        )
    return issue


@transaction.atomic
def support_issue(*, issue: Issue, resident: Resident) -> IssueSupport:
    """我也遇到: one per resident; the issue row is locked, the constraint backs it up."""
    races.set_lock_timeout()
    issue = races.locked(Issue.objects.filter(pk=issue.pk)).get()
    if not issue.is_open:
        raise ValidationError(
            _("This issue is closed; report it again if it came back.")
        )
    if resident.household.building_id != issue.building_id or not resident.is_approved:
        raise ValidationError(_("Only residents of this building can say “me too”."))
    if issue.reporter_id == resident.pk:
        raise ValidationError(_("You reported this issue yourself."))
    if IssueSupport.objects.filter(issue=issue, resident=resident).exists():
        raise ValidationError(_("You already said “me too” on this issue."))
    races.pause()
    try:
        with transaction.atomic():
            return IssueSupport.objects.create(issue=issue, resident=resident)
    except IntegrityError as exc:  # the constraint caught a concurrent duplicate
        raise ValidationError(_("You already said “me too” on this issue.")) from exc


@transaction.atomic
def withdraw_support(*, issue: Issue, resident: Resident) -> None:
    """Take back one's own "me too"."""
    races.set_lock_timeout()
    issue = races.locked(Issue.objects.filter(pk=issue.pk)).get()
    deleted, _details = IssueSupport.objects.filter(
        issue=issue, resident=resident
    ).delete()
    if not deleted:
        raise ValidationError(_("You had not said “me too” on this issue."))


@transaction.atomic
def change_issue_status(
    *,
    issue: Issue,
    access: Access,
    actor: User,
    to_status: str,
    reason: str = "",
    after_photos=(),
) -> Issue:
    """Move an issue along the status machine; the move goes on the public timeline."""
    if not can_change_status(access, issue):
        raise ValidationError(
            _("Only the building leader, the team or staff can change the status.")
        )
    races.set_lock_timeout()
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.building_id != access.building.pk:
        raise ValidationError(_("This issue belongs to another building."))
    if to_status not in Issue.Status.values:
        raise ValidationError(_("Please choose a status from the list."))
    current = issue.status
    if not transitions.is_allowed(current, to_status):
        raise ValidationError(
            _("An issue that is “%(current)s” cannot be moved to “%(target)s”.")
            % {
                "current": Issue.Status(current).label,
                "target": Issue.Status(to_status).label,
            }
        )
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise ValidationError(_("The reason is too long (at most 1000 characters)."))
    if transitions.needs_reason(current, to_status) and not reason:
        if to_status == Issue.Status.DECLINED:
            raise ValidationError(
                _("Please say why the issue is declined: residents will read it.")
            )
        raise ValidationError(
            _("Moving an issue back needs a reason: residents will read it.")
        )
    after_photos = list(after_photos)
    if after_photos and to_status != Issue.Status.RESOLVED:
        raise ValidationError(
            _("“After” photos can be added when the issue is resolved.")
        )
    now = timezone.now()
    issue.status = to_status
    fields = ["status", "updated_at"]
    if issue.first_response_at is None:
        issue.first_response_at = now
        fields.append("first_response_at")
    if to_status == Issue.Status.RESOLVED:
        issue.resolved_at = now
        issue.satisfaction = Issue.Satisfaction.NONE
        fields += ["resolved_at", "satisfaction"]
    elif current == Issue.Status.RESOLVED:
        issue.resolved_at = None
        fields.append("resolved_at")
    issue.save(update_fields=fields)
    _add_photos(issue, after_photos, IssuePhoto.Kind.AFTER)
    IssueEvent.objects.create(
        issue=issue,
        kind=IssueEvent.Kind.STATUS,
        from_status=current,
        to_status=to_status,
        actor=actor,
        actor_name=actor.name,
        actor_role=role_of(access),
        reason=reason,
    )
    if to_status == Issue.Status.RESOLVED:
        text = Message(
            gettext_noop(
                "“%(title)s” is marked resolved. Is it really fixed? Please tell us."
            ),
            title=issue.title,
        )
        kind = "issue_fixed_check"
    else:
        text = Message(
            gettext_noop("“%(title)s” is now: %(status)s."),
            title=issue.title,
            status=Issue.Status(to_status).label,
        )
        kind = "issue_status"
    _tell_participants(issue, exclude_user_id=actor.pk, kind=kind, text=text)
    return issue


@transaction.atomic
def comment_on_issue(
    *,
    issue: Issue,
    access: Access,
    author: User,
    text: str,
    is_supporter: bool,
    reply_to: IssueComment | None = None,
) -> IssueComment:
    """A public reply on the timeline; an answer from the team counts as a first response."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("The comment is empty."))
    if len(text) > 1000:
        raise ValidationError(_("The comment is too long (at most 1000 characters)."))
    if reply_to is not None and reply_to.issue_id != issue.pk:
        raise ValidationError(_("You can only reply to a comment on this issue."))
    if reply_to is not None and reply_to.reply_to_id is not None:
        reply_to = reply_to.reply_to  # one level of replies keeps the thread readable
    reporter = is_reporter(access, issue)
    hide = issue.is_anonymous and reporter
    if hide:
        # An anonymous reporter on the team writes as the reporter: a reply counted as
        # the team's first response, or told to supporters as the team's, would say
        # the reporter is on the team.
        role = Role.REPORTER
    elif access.can_organise:
        role = role_of(access)
    elif reporter:
        role = Role.REPORTER
    elif is_supporter:
        role = Role.SUPPORTER
    else:
        raise ValidationError(
            _("Press “me too” first to join the conversation on this issue.")
        )
    with _quiet_if(hide):
        comment = IssueComment.objects.create(
            issue=issue,
            author=None if hide else author,
            author_name="" if hide else author.name,
            author_role=Role.REPORTER if reporter else role,
            reply_to=reply_to,
            text=text,
        )
        if role in ANSWERING_ROLES and issue.first_response_at is None:
            issue.first_response_at = comment.created_at
            issue.save(update_fields=["first_response_at", "updated_at"])
    short = text if len(text) <= 60 else text[:60] + "…"
    message = Message(
        gettext_noop("New reply on “%(title)s”: %(text)s"),
        title=issue.title,
        text=short,
    )
    if role in ANSWERING_ROLES:
        _tell_participants(
            issue, exclude_user_id=author.pk, kind="issue_comment", text=message
        )
    else:
        # An anonymous reporter who is on the team is told of their own comment like
        # the rest of the team: leaving only them out would name them.
        skip = None if hide else author.pk
        for user in _answerers(issue.building, exclude_user_id=skip):
            notify(
                recipient=user,
                kind="issue_comment",
                text=message,
                link=issue.get_absolute_url(),
            )
    return comment


@transaction.atomic
def give_issue_feedback(
    *,
    issue: Issue,
    access: Access,
    author: User,
    fixed: bool,
    reason: str = "",
    is_supporter: bool,
) -> Issue:
    """Reporter or supporter answers "is it fixed?"; "not fixed" reopens the issue."""
    races.set_lock_timeout()
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    reporter = is_reporter(access, issue)
    if access.resident is None or not (reporter or is_supporter):
        raise ValidationError(
            _("Only the reporter and neighbours who said “me too” are asked this.")
        )
    if issue.status != Issue.Status.RESOLVED:
        raise ValidationError(_("This issue is not marked resolved at the moment."))
    answered = issue.events.filter(
        kind__in=[IssueEvent.Kind.FIXED, IssueEvent.Kind.NOT_FIXED],
        created_at__gte=issue.resolved_at,
    )
    answered = (
        answered.filter(actor_role=Role.REPORTER)
        if reporter
        else answered.filter(actor=author)
    )
    if answered.exists():
        raise ValidationError(_("You already answered. Thank you!"))
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise ValidationError(_("The reason is too long (at most 1000 characters)."))
    if not fixed and not reason:
        raise ValidationError(
            _("Please say what is still wrong, so the team knows what to do.")
        )
    hide = issue.is_anonymous and reporter
    event = {
        "issue": issue,
        "actor": None if hide else author,
        "actor_name": "" if hide else access.resident.name,
        "actor_role": Role.REPORTER if reporter else Role.SUPPORTER,
        "reason": reason,
    }
    with _quiet_if(hide):
        if fixed:
            issue.satisfaction = Issue.Satisfaction.SATISFIED
            issue.save(update_fields=["satisfaction", "updated_at"])
            IssueEvent.objects.create(
                kind=IssueEvent.Kind.FIXED, to_status=issue.status, **event
            )
        else:
            issue.status = Issue.Status.IN_PROGRESS
            issue.resolved_at = None
            issue.satisfaction = Issue.Satisfaction.NOT_SATISFIED
            issue.save(
                update_fields=["status", "resolved_at", "satisfaction", "updated_at"]
            )
            IssueEvent.objects.create(
                kind=IssueEvent.Kind.NOT_FIXED,
                from_status=Issue.Status.RESOLVED,
                to_status=Issue.Status.IN_PROGRESS,
                **event,
            )
    if not fixed:
        skip = None if hide else author.pk  # see comment_on_issue
        for user in _answerers(issue.building, exclude_user_id=skip):
            notify(
                recipient=user,
                kind="issue_reopened",
                text=Message(
                    gettext_noop(
                        "“%(title)s” is not fixed, a neighbour says: %(reason)s"
                    ),
                    title=issue.title,
                    reason=reason[:80],
                ),
                link=issue.get_absolute_url(),
            )
    return issue


def record_reporter_look(*, issue: Issue, viewer: User) -> IssueReporterLook:
    """Audit trail: staff looked at who filed an anonymous issue."""
    return IssueReporterLook.objects.create(issue=issue, viewer=viewer)


# Stored in notifications sent by earlier releases; kept so they still read translated.
gettext_noop("No response for %(hours)d hours: %(building)s, “%(title)s”")


def deadline_words(hours: int) -> Message:
    """The response deadline as people say it: "3 天" / "3 days" for whole days (never
    "72 小时"), else hours; stored as a message so each reader reads their language."""
    if hours % 24 == 0 and hours >= 48:
        return Message(gettext_noop("%(days)d days"), days=hours // 24)
    if hours == 24:
        return Message(gettext_noop("a day"))
    if hours == 1:
        return Message(gettext_noop("an hour"))
    return Message(gettext_noop("%(hours)d hours"), hours=hours)


@transaction.atomic
def escalate_overdue_issues(*, now=None) -> int:
    """Tell the staff of the issue's community (its own and its town's) once about each
    issue that went unanswered past the deadline."""
    now = now or timezone.now()
    overdue = list(
        Issue.objects.overdue(now=now)
        .filter(escalated_at__isnull=True)
        .select_related("building__community")
        .select_for_update(of=("self",))
    )
    if not overdue:
        return 0
    staff = staff_by_community({issue.building.community_id for issue in overdue})
    for issue in overdue:
        notify_many(
            recipients=staff[issue.building.community_id],
            kind="issue_overdue",
            text=Message(
                gettext_noop("No response for %(time)s: %(building)s, “%(title)s”"),
                time=deadline_words(response_deadline_hours()),
                building=issue.building.number,
                title=issue.title,
            ),
            link=reverse("proposals:issues-overdue", args=[issue.building_id]),
        )
    Issue.objects.filter(pk__in=[issue.pk for issue in overdue]).update(
        escalated_at=now
    )
    return len(overdue)
