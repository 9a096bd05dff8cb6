"""Writes that enforce the rules of membership and announcements."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings import changes
from buildings.models import (
    Announcement,
    Building,
    Household,
    NotificationMute,
    ProxyAct,
    Resident,
    Skill,
    Talent,
    User,
)
from buildings.notify import KINDS, Message, notify, notify_many
from buildings.phones import ascii_digits
from core.races import locked, pause


def find_household(*, building: Building, room: str) -> Household:
    """The household with that room in the building, or a clear error."""
    room = (room or "").strip().removesuffix("室").strip()
    household = building.households.filter(room=room).first()
    if household is None:
        raise ValidationError(
            _(
                "%(building)s has no room %(room)s. Check the number on your door, or ask your building leader."
            )
            % {"building": building.number, "room": room or "?"}
        )
    return household


@transaction.atomic
def request_to_join(
    *, user: User, building: Building, room: str, name: str, is_adult: bool = True
) -> Resident:
    """Ask to join a building as a member of one household; a leader decides."""
    household = find_household(building=building, room=room)
    try:
        with transaction.atomic():
            # One active membership per building: checked with the user's row locked,
            # so two requests at once cannot both pass; the constraint
            # one_active_membership_per_building holds behind it.
            locked(User.objects.filter(pk=user.pk)).first()
            existing = Resident.objects.filter(
                user=user,
                household__building=building,
                status__in=[Resident.Status.PENDING, Resident.Status.APPROVED],
            ).first()
            if existing is not None:
                raise ValidationError(
                    _("You already belong to or asked to join %(household)s.")
                    % {"household": existing.household}
                )
            pause()
            resident = Resident.objects.create(
                user=user, household=household, name=name.strip(), is_adult=is_adult
            )
    except IntegrityError as exc:  # a second, concurrent request
        raise ValidationError(_("You already asked to join a building.")) from exc
    link = reverse("buildings:join-requests", args=[building.pk])
    for leader in (
        Resident.objects.leaders().in_building(building).select_related("user")
    ):
        notify(
            recipient=leader.user,
            kind="join_request",
            text=Message(
                gettext_noop("%(name)s asks to join %(household)s."),
                name=resident.name,
                household=Message(
                    gettext_noop("%(building)s, room %(room)s"),
                    building=building.number,
                    room=household.room,
                ),
            ),
            link=link,
        )
    return resident


@transaction.atomic
def decide_join_request(
    *, resident: Resident, decided_by: User, approve: bool, reason: str = ""
) -> Resident:
    """Approve or reject a pending join request (a reason is required to reject)."""
    resident = locked(Resident.objects.filter(pk=resident.pk)).get()
    if resident.status != Resident.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    pause()
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError(
            _("Please give a reason, so the person knows what to do next.")
        )
    resident.status = Resident.Status.APPROVED if approve else Resident.Status.REJECTED
    resident.reject_reason = "" if approve else reason
    resident.decided_by = decided_by
    resident.decided_at = timezone.now()
    resident.save(update_fields=["status", "reject_reason", "decided_by", "decided_at"])
    building = resident.household.building
    if approve:
        text = Message(
            gettext_noop("Welcome! You have joined %(building)s."),
            building=building.display_name,
        )
        link = building.get_absolute_url()
    else:
        text = Message(
            gettext_noop(
                "Your request to join %(building)s was not approved: %(reason)s"
            ),
            building=building.display_name,
            reason=reason,
        )
        link = reverse("buildings:me")
    notify(recipient=resident.user, kind="join_decided", text=text, link=link)
    return resident


@transaction.atomic
def register_proxy_resident(
    *,
    building: Building,
    leader: User,
    room: str,
    name: str,
    contact_phone: str = "",
    is_adult: bool = True,
) -> Resident:
    """A leader registers a resident without a smartphone (代录); approved at once."""
    household = find_household(building=building, room=room)
    resident = Resident.objects.create(
        household=household,
        name=name.strip(),
        contact_phone=contact_phone,
        is_adult=is_adult,
        status=Resident.Status.APPROVED,
        registered_by=leader,
        decided_by=leader,
        decided_at=timezone.now(),
    )
    record_proxy_act(
        resident=resident,
        actor=leader,
        action=Message(gettext_noop("Registered this resident")),
    )
    return resident


MAX_NEW_HOUSEHOLDS = 500


def parse_rooms(spec: str) -> list[str]:
    """'101-106, 201 202' -> ['101', ..., '106', '201', '202'], or a clear error."""
    rooms = []
    spec = ascii_digits(spec)
    for token in spec.replace("，", ",").replace("、", ",").replace(",", " ").split():
        token = token.removesuffix("室")
        if "-" in token or "~" in token:
            start, _sep, end = token.replace("~", "-").partition("-")
            if not (start.isdecimal() and end.isdecimal()) or int(end) < int(start):
                raise ValidationError(
                    _("%(token)s is not a range like 101-106.") % {"token": token}
                )
            if int(end) - int(start) >= MAX_NEW_HOUSEHOLDS:
                raise ValidationError(
                    _("At most %(max)d rooms at a time.") % {"max": MAX_NEW_HOUSEHOLDS}
                )
            rooms.extend(str(number) for number in range(int(start), int(end) + 1))
        elif len(token) <= 20:
            rooms.append(token)
        else:
            raise ValidationError(
                _("%(token)s is too long for a room number.") % {"token": token[:30]}
            )
    if len(rooms) > MAX_NEW_HOUSEHOLDS:
        raise ValidationError(
            _("At most %(max)d rooms at a time.") % {"max": MAX_NEW_HOUSEHOLDS}
        )
    return list(dict.fromkeys(rooms))


@transaction.atomic
def add_households(*, building: Building, spec: str) -> int:
    """Create the rooms that do not exist yet; returns how many were added."""
    rooms = parse_rooms(spec)
    if not rooms:
        raise ValidationError(_("Enter at least one room number."))
    # Two leaders adding the same rooms at once: the second waits here, then finds them.
    locked(Building.objects.filter(pk=building.pk)).get()
    existing = set(
        building.households.filter(room__in=rooms).values_list("room", flat=True)
    )
    pause()  # test-only: widen the window between the check and the write
    created = Household.objects.bulk_create(
        Household(building=building, room=room)
        for room in rooms
        if room not in existing
    )
    return len(created)


def record_proxy_act(
    *, resident: Resident, actor: User, action: Message, link: str = ""
) -> ProxyAct | None:
    """Record that a leader acted for a resident without an account (代录).

    `action` is kept as message id and values, so every leader who opens the resident's
    page (and staff in the admin) reads it in their own language."""
    if not resident.is_proxy:
        return None
    return ProxyAct.objects.create(
        resident=resident,
        actor=actor,
        action=str(action)[:200],
        message=action.stored(),
        link=link,
    )


@transaction.atomic
def update_talents(
    *,
    resident: Resident,
    skills: list[str],
    offer: str,
    visibility: str,
    actor: User,
) -> Resident:
    """Replace a resident's skills and choices; recorded as 代录 when a leader does it.

    The party badge has its own switch (buildings.team.set_party_badge)."""
    resident.talent_visibility = visibility
    resident.save(update_fields=["talent_visibility"])
    wanted = []
    for raw in skills:
        label = raw.strip()
        if len(label) > Skill._meta.get_field("name").max_length:
            raise ValidationError(
                _("%(skill)s is too long for a skill.") % {"skill": label}
            )
        if label:
            wanted.append(Skill.objects.get_or_create(name=label)[0])
    resident.talents.exclude(skill__in=wanted).delete()
    for skill in wanted:
        Talent.objects.update_or_create(
            resident=resident, skill=skill, defaults={"offer": offer.strip()}
        )
    if actor != resident.user:
        record_proxy_act(
            resident=resident,
            actor=actor,
            action=Message(gettext_noop("Updated skills and choices")),
        )
    return resident


@transaction.atomic
def post_announcement(
    *,
    author: User,
    community,
    building: Building | None,
    title: str,
    body: str,
    pinned: bool = False,
) -> Announcement:
    """Publish a building announcement, or a community-wide one when building is None."""
    announcement = Announcement.objects.create(
        community=community,
        building=building,
        title=title.strip(),
        body=body.strip(),
        pinned=pinned,
        author=author,
    )
    readers = (
        Resident.objects.approved().filter(user__isnull=False).exclude(user=author)
    )
    if building is None:
        readers = readers.filter(household__building__community=community)
    else:
        readers = readers.in_building(building)
    notify_many(
        recipients=[resident.user for resident in readers.select_related("user")],
        kind="announcement",
        text=Message(
            gettext_noop("New announcement: %(title)s"), title=announcement.title
        ),
        link=announcement.get_absolute_url(),
    )
    return announcement


def _announcement_readers(announcement: Announcement, author: User):
    readers = (
        Resident.objects.approved().filter(user__isnull=False).exclude(user=author)
    )
    if announcement.building_id is None:
        return readers.filter(household__building__community=announcement.community_id)
    return readers.filter(household__building=announcement.building_id)


@transaction.atomic
def edit_announcement(
    *,
    announcement: Announcement,
    by: User,
    title: str,
    body: str,
    pinned: bool,
    reason: str,
) -> Announcement:
    """Correct an announcement; readers are told what changed and why."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.is_cancelled:
        raise ValidationError(_("A withdrawn announcement cannot be changed."))
    reason = changes.clean_reason(reason)
    announcement.title, announcement.body = title.strip(), body.strip()
    announcement.pinned = pinned
    announcement.save(update_fields=["title", "body", "pinned"])
    changes.record_change(obj=announcement, by=by, reason=reason)
    notify_many(
        recipients=[
            r.user
            for r in _announcement_readers(announcement, by).select_related("user")
        ],
        kind="announcement",
        text=Message(
            gettext_noop("Announcement changed: %(title)s (%(reason)s)"),
            title=announcement.title,
            reason=reason,
        ),
        link=announcement.get_absolute_url(),
    )
    return announcement


@transaction.atomic
def withdraw_announcement(*, announcement: Announcement, by: User, reason: str) -> None:
    """Withdraw an announcement: it stays readable, marked, with the reason."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    changes.cancel(obj=announcement, by=by, reason=reason)
    notify_many(
        recipients=[
            r.user
            for r in _announcement_readers(announcement, by).select_related("user")
        ],
        kind="announcement",
        text=Message(
            gettext_noop("Announcement withdrawn: %(title)s (%(reason)s)"),
            title=announcement.title,
            reason=announcement.cancel_reason,
        ),
        link=announcement.get_absolute_url(),
    )


@transaction.atomic
def set_notification_choices(*, user: User, wanted: set[str]) -> None:
    """Mute every known kind the user did not tick; unmute the ones they did."""
    NotificationMute.objects.filter(user=user, kind__in=wanted).delete()
    for kind in KINDS:
        if kind not in wanted:
            NotificationMute.objects.get_or_create(user=user, kind=kind)


def wechat_text(
    *, heading: str, title: str, body: str, url: str, limit: int | None = 80
) -> str:
    """A short notice for the building's WeChat group, with the link; the body is cut
    at `limit` characters (None: figures, which must never be cut)."""
    summary = " ".join(body.split())
    if limit is not None and len(summary) > limit:
        summary = summary[:limit] + "…"
    # Translators: the first line of a WeChat group notice, 【投票】Question.
    first = _("[%(heading)s] %(title)s") % {"heading": heading, "title": title}
    return "\n".join([first, summary, _("Details: %(url)s") % {"url": url}])
