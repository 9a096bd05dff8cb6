"""Writes for a building's team: appointing and removing team members, marking a resident
as moved out, asking residents to be talents (达人 / 能人) with their consent, and a
resident's own party badge.

Every change is a TeamEvent (the history a leader sees) and, through django-auditlog,
an audit entry with before/after values.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings import changes
from buildings.models import (
    Resident,
    Skill,
    Talent,
    TalentInvitation,
    TeamEvent,
    User,
)
from buildings.notify import Message, notify
from buildings.privacy import membership_ended
from buildings.services import record_proxy_act
from core.races import locked, pause

SKILL_LENGTH = Skill._meta.get_field("name").max_length


def _record(resident: Resident, kind: str, actor: User | None, detail: str = ""):
    return TeamEvent.objects.create(
        building_id=resident.household.building_id,
        resident=resident,
        kind=kind,
        actor=actor,
        detail=detail[:200],
    )


def _locked(resident: Resident) -> Resident:
    return (
        Resident.objects.select_for_update(of=("self",))
        .select_related("household__building", "user")
        .get(pk=resident.pk)
    )


def can_join_team(resident: Resident) -> bool:
    """Team members act in the app themselves: an approved adult with an account."""
    return resident.is_approved and resident.is_adult and not resident.is_proxy


@transaction.atomic
def appoint_to_team(*, resident: Resident, actor: User) -> Resident:
    """Make an approved adult resident with an account a member of the team."""
    resident = _locked(resident)
    if resident.role != Resident.Role.RESIDENT or not resident.is_approved:
        if resident.role != Resident.Role.RESIDENT:
            raise ValidationError(
                _("%(name)s is already on the team.") % {"name": resident.name}
            )
        raise ValidationError(_("Only approved residents can join the team."))
    if not can_join_team(resident):
        raise ValidationError(
            _(
                "%(name)s cannot join the team: team members are adults who log in themselves."
            )
            % {"name": resident.name}
        )
    resident.role = Resident.Role.TEAM
    resident.save(update_fields=["role"])
    _record(resident, TeamEvent.Kind.APPOINTED, actor)
    building = resident.household.building
    notify(
        recipient=resident.user,
        kind="team_role",
        text=Message(
            gettext_noop("You are now on the self-governance team of %(building)s."),
            building=building.display_name,
        ),
        link=building.get_absolute_url(),
    )
    return resident


@transaction.atomic
def remove_from_team(*, resident: Resident, actor: User, reason: str = "") -> Resident:
    """Take a member off the team (a building leader is changed by branch staff)."""
    resident = _locked(resident)
    if resident.role == Resident.Role.LEADER:
        raise ValidationError(
            _("A building leader is changed by branch staff, not here.")
        )
    if resident.role != Resident.Role.TEAM:
        raise ValidationError(
            _("%(name)s is not on the team.") % {"name": resident.name}
        )
    resident.role = Resident.Role.RESIDENT
    resident.save(update_fields=["role"])
    reason = reason.strip()
    _record(resident, TeamEvent.Kind.REMOVED, actor, reason)
    building = resident.household.building
    text = Message(
        gettext_noop("You are no longer on the self-governance team of %(building)s."),
        building=building.display_name,
    )
    if reason:
        text = Message(
            gettext_noop(
                "You are no longer on the self-governance team of %(building)s. "
                "Reason: %(reason)s"
            ),
            building=building.display_name,
            reason=reason,
        )
    notify(
        recipient=resident.user,
        kind="team_role",
        text=text,
        link=building.get_absolute_url(),
    )
    return resident


@transaction.atomic
def mark_moved_out(*, resident: Resident, by: User, reason: str) -> Resident:
    """A leader records that a resident no longer lives in the building (moved out).

    Their membership ends (status "left", off the team) and what they held in the
    building is given back (places and shifts still to come, through each feature's
    `privacy.membership_ended`). Their account stays: they are told, with the reason,
    and can ask to join again if it was a mistake. A building leader is changed by
    branch staff, not here."""
    reason = changes.clean_reason(reason)
    # No select_related: PostgreSQL cannot lock the nullable side of an outer join.
    resident = locked(Resident.objects.filter(pk=resident.pk)).get()
    if resident.status != Resident.Status.APPROVED:
        raise ValidationError(
            _("%(name)s is no longer a resident of this building.")
            % {"name": resident.name}
        )
    if resident.role == Resident.Role.LEADER:
        raise ValidationError(
            _("A building leader is changed by branch staff, not here.")
        )
    pause()  # test-only: widen the window the resident's row lock must close
    was_on_the_team = resident.role == Resident.Role.TEAM
    resident.status = Resident.Status.LEFT
    resident.role = Resident.Role.RESIDENT
    resident.save(update_fields=["status", "role"])
    membership_ended(resident=resident, by=by)
    building = resident.household.building
    if was_on_the_team:  # the team page's history says why they are no longer on it
        _record(resident, TeamEvent.Kind.REMOVED, by, reason)
    notify(
        recipient=resident.user,
        kind="membership_ended",
        text=Message(
            gettext_noop(
                "%(building)s no longer lists you as a resident (moved out): %(reason)s"
            ),
            building=building.display_name,
            reason=reason,
        ),
        link=reverse("buildings:me"),
    )
    return resident


@transaction.atomic
def propose_talent(
    *, resident: Resident, skill_name: str, offer: str, actor: User
) -> TalentInvitation:
    """Ask a resident to be listed as a talent; nothing shows until they accept."""
    resident = _locked(resident)
    label = " ".join(skill_name.split())
    if not label:
        raise ValidationError(_("Name the skill, for example: haircuts."))
    if len(label) > SKILL_LENGTH:
        raise ValidationError(
            _("“%(skill)s…” is too long: at most %(max)d characters a skill.")
            % {"skill": label[:10], "max": SKILL_LENGTH}
        )
    if not resident.is_approved:
        raise ValidationError(_("Only approved residents can be asked."))
    if resident.is_proxy:
        raise ValidationError(
            _(
                "%(name)s has no account to answer with: enter their skills on their page (代录)."
            )
            % {"name": resident.name}
        )
    skill = Skill.objects.get_or_create(name=label)[0]
    if resident.talents.filter(skill=skill).exists():
        raise ValidationError(
            _("%(name)s already shares the skill %(skill)s.")
            % {"name": resident.name, "skill": skill.name}
        )
    try:
        with transaction.atomic():
            invitation = TalentInvitation.objects.create(
                resident=resident, skill=skill, offer=offer.strip(), proposed_by=actor
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(name)s has already been asked about %(skill)s.")
            % {"name": resident.name, "skill": skill.name}
        ) from exc
    _record(resident, TeamEvent.Kind.TALENT_PROPOSED, actor, skill.name)
    notify(
        recipient=resident.user,
        kind="talent_invitation",
        text=Message(
            gettext_noop(
                "Your building leader asks whether you would be listed as a talent for %(skill)s. Answer on your page."
            ),
            skill=skill.name,
        ),
        link=reverse("buildings:me"),
    )
    return invitation


@transaction.atomic
def answer_talent_invitation(
    *, invitation: TalentInvitation, user: User, accept: bool
) -> TalentInvitation:
    """The resident accepts (the talent is listed) or declines; only once."""
    invitation = (
        TalentInvitation.objects.select_for_update(of=("self",))
        .select_related("resident__household__building", "skill", "proposed_by")
        .get(pk=invitation.pk)
    )
    resident = invitation.resident
    if resident.user_id != user.pk:
        raise ValidationError(_("Only the person asked can answer."))
    if invitation.status != TalentInvitation.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    invitation.status = (
        TalentInvitation.Status.ACCEPTED if accept else TalentInvitation.Status.DECLINED
    )
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    if accept:
        Talent.objects.get_or_create(
            resident=resident,
            skill=invitation.skill,
            defaults={"offer": invitation.offer},
        )
    kind = TeamEvent.Kind.TALENT_ACCEPTED if accept else TeamEvent.Kind.TALENT_DECLINED
    _record(resident, kind, user, invitation.skill.name)
    building = resident.household.building
    text = Message(
        gettext_noop("%(name)s accepted to be listed as a talent for %(skill)s.")
        if accept
        else gettext_noop(
            "%(name)s would rather not be listed as a talent for %(skill)s."
        ),
        name=resident.name,
        skill=invitation.skill.name,
    )
    notify(
        recipient=invitation.proposed_by,
        kind="talent_answered",
        text=text,
        link=reverse("buildings:team", args=[building.pk]),
    )
    return invitation


@transaction.atomic
def withdraw_talent_invitation(
    *, invitation: TalentInvitation, actor: User
) -> TalentInvitation:
    """A leader takes back a question the resident has not answered yet."""
    invitation = (
        TalentInvitation.objects.select_for_update(of=("self",))
        .select_related("resident__household", "skill")
        .get(pk=invitation.pk)
    )
    if invitation.status != TalentInvitation.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    invitation.status = TalentInvitation.Status.WITHDRAWN
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    _record(
        invitation.resident,
        TeamEvent.Kind.TALENT_WITHDRAWN,
        actor,
        invitation.skill.name,
    )
    return invitation


@transaction.atomic
def set_party_badge(*, resident: Resident, show: bool, actor: User) -> Resident:
    """A party member shows or hides their badge (a leader only for 代录 residents)."""
    resident = _locked(resident)
    if not resident.is_party_member:
        raise ValidationError(
            _(
                "Only party members have a badge to show. If you are one, ask the branch to record it."
            )
        )
    if resident.shows_party_badge == show:
        return resident
    resident.shows_party_badge = show
    resident.save(update_fields=["shows_party_badge"])
    kind = TeamEvent.Kind.BADGE_SHOWN if show else TeamEvent.Kind.BADGE_HIDDEN
    _record(resident, kind, actor)
    if actor != resident.user:
        record_proxy_act(
            resident=resident,
            actor=actor,
            action=Message(
                gettext_noop("Showed the party badge")
                if show
                else gettext_noop("Hid the party badge")
            ),
        )
    return resident
