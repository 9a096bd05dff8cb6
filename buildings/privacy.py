"""A person's own data: download it, or leave and be anonymised.

Feature apps take part by providing `<app>/privacy.py` with
`export_user_data(user) -> dict` and `anonymise_user(user) -> None`; they are found by
name, so this root app never imports them. Leaving keeps every ballot, ledger entry and
count intact: only what names the person is removed.
"""

import json

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from buildings.extensions import feature_modules
from buildings.models import (
    Notification,
    NotificationMute,
    Resident,
    TalentInvitation,
    User,
)
from buildings.wording import FORMER_RESIDENT
from core.races import locked, pause


def export_user_data(user: User) -> dict:
    """Everything Louzu holds on the user, as plain data."""
    memberships = Resident.objects.filter(user=user).select_related(
        "household__building__community"
    )
    data = {
        "account": {
            "phone": user.phone,
            "name": user.name,
            "joined_at": user.created_at.isoformat(),
            "has_avatar": bool(user.avatar),
            "language": user.language,
            "large_text": user.large_text,
        },
        "memberships": [
            {
                "community": m.household.building.community.name,
                "building": m.household.building.number,
                "room": m.household.room,
                "name": m.name,
                "status": m.status,
                "role": m.role,
                "is_party_member": m.is_party_member,
                "shows_party_badge": m.shows_party_badge,
                "talent_visibility": m.talent_visibility,
                "public_display": m.public_display,
                "talents": [
                    {"skill": t.skill.name, "offer": t.offer}
                    for t in m.talents.select_related("skill")
                ],
                "talent_invitations": [
                    {
                        "skill": i.skill.name,
                        "offer": i.offer,
                        "status": i.status,
                        "asked_at": i.created_at.isoformat(),
                    }
                    for i in m.talent_invitations.select_related("skill")
                ],
                "team_history": [
                    {"what": e.kind, "detail": e.detail, "at": e.created_at.isoformat()}
                    for e in m.team_events.all()
                ],
                "asked_at": m.created_at.isoformat(),
            }
            for m in memberships
        ],
        "notifications": [
            {"kind": n.kind, "text": n.body, "at": n.created_at.isoformat()}
            for n in Notification.objects.filter(recipient=user)
        ],
        "muted_notification_kinds": list(
            user.notification_mutes.values_list("kind", flat=True)
        ),
    }
    for app_name, module in feature_modules("privacy"):
        data[app_name] = module.export_user_data(user)
    return data


def membership_ended(*, resident: Resident, by: User) -> None:
    """A leader marked a resident moved out, or staff set one to "left" or "not
    approved" in the admin: every feature that defines `membership_ended` in its
    privacy module gives back what the resident held in the building (places and
    shifts still to come)."""
    for _app, module in feature_modules("privacy"):
        hook = getattr(module, "membership_ended", None)
        if hook is not None:
            hook(resident=resident, by=by)


@transaction.atomic
def leave(*, user: User) -> None:
    """Anonymise the user everywhere; their contributions stay, their name goes.

    The user's row is locked first (as joining a building locks it): a second "leave"
    sent at once waits, then finds the account already gone and changes nothing."""
    if locked(User.objects.filter(pk=user.pk, is_active=True)).first() is None:
        return
    placeholder = _(FORMER_RESIDENT)
    # Their memberships next, before anything a feature locks while giving back what
    # they hold (the lock order in core.races): a sign-up sent at this moment waits.
    residents = list(locked(Resident.objects.filter(user=user)))
    pause()  # test-only: widen the window the memberships' lock must close
    secrets = (
        {user.phone, user.name}
        | {r.name for r in residents}
        | {r.contact_phone for r in residents}
    )
    for _app, module in feature_modules("privacy"):
        module.anonymise_user(user)
    for resident in residents:
        resident.talents.all().delete()
        # A leader's question they can no longer answer stops waiting on the team page.
        resident.talent_invitations.filter(
            status=TalentInvitation.Status.PENDING
        ).update(status=TalentInvitation.Status.WITHDRAWN, answered_at=timezone.now())
        resident.name = placeholder
        resident.contact_phone = ""
        resident.shows_party_badge = False
        resident.is_party_member = False
        if resident.status in (Resident.Status.PENDING, Resident.Status.APPROVED):
            resident.status = Resident.Status.LEFT
        resident.save()
    Notification.objects.filter(recipient=user).delete()
    NotificationMute.objects.filter(user=user).delete()
    user.avatar = ""  # the photo is deleted once this commits (core.uploads)
    user.name = placeholder
    user.phone = f"0{user.pk:010d}"  # mobile numbers start with 1: never a real one
    user.is_active = False
    user.set_unusable_password()
    user.save()
    redact_audit_trail(user, residents, secrets)


def redact_audit_trail(
    user: User, residents: list[Resident], secrets: set[str]
) -> None:
    """Keep who-did-what in the audit trail, but drop the person's names and numbers."""
    secrets = {secret for secret in secrets if secret and len(secret) >= 2}
    by_object = Q(
        content_type=ContentType.objects.get_for_model(User), object_pk=str(user.pk)
    ) | Q(
        content_type=ContentType.objects.get_for_model(Resident),
        object_pk__in=[str(r.pk) for r in residents],
    )
    by_name = Q()
    for secret in secrets:
        by_name |= Q(object_repr__contains=secret)
    for entry in LogEntry.objects.filter(by_object | by_name):
        changes = json.dumps(entry.changes_dict, ensure_ascii=False)
        object_repr = entry.object_repr
        for secret in secrets:
            changes = changes.replace(secret, "***")
            object_repr = object_repr.replace(secret, "***")
        LogEntry.objects.filter(pk=entry.pk).update(
            changes=json.loads(changes),
            changes_text="",
            object_repr=object_repr,
            actor_email=None,
        )
