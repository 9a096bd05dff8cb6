"""Leaders run their team in the app: appoint and remove team members, ask residents to
be talents (listed only once the resident says yes), and a party member's own badge.
Every change is in the building's history and the audit trail."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from buildings import team
from buildings.models import (
    Notification,
    ProxyAct,
    Resident,
    Talent,
    TalentInvitation,
    TeamEvent,
)
from buildings.privacy import leave
from tests.conftest import ALL_ROLES
from tests.factories import (
    AccountResidentFactory,
    HouseholdFactory,
    ResidentFactory,
    SkillFactory,
)
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

MANAGERS = {"leader", "staff"}


def expected(role, allowed, ok=302):
    if role in allowed:
        return ok
    if role == "visitor":
        return 302  # to the log-in page
    if role in {"outsider", "pending"}:
        return 404
    return 403


def member(user) -> Resident:
    return user.memberships.get()


# --- who may do what -------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_team_page(roles, login, role):
    response = login(roles.get(role)).get(
        reverse("buildings:team", args=[roles.building.pk])
    )
    assert response.status_code == expected(role, MANAGERS, ok=200)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_appoint(roles, login, role):
    resident = member(roles.resident)
    url = reverse("buildings:appoint", args=[roles.building.pk])
    response = login(roles.get(role)).post(url, {"resident": resident.pk})
    resident.refresh_from_db()
    assert response.status_code == expected(role, MANAGERS)
    if role in MANAGERS:
        assert resident.role == Resident.Role.TEAM
        event = TeamEvent.objects.get()
        assert event.kind == "appointed" and event.actor == roles.get(role)
        assert Notification.objects.filter(recipient=roles.resident, kind="team_role")
    else:
        assert resident.role == Resident.Role.RESIDENT
        assert not TeamEvent.objects.exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_remove(roles, login, role):
    member_of_team = member(roles.team)
    url = reverse("buildings:team-remove", args=[roles.building.pk, member_of_team.pk])
    response = login(roles.get(role)).post(url, {"reason": "搬走了"})
    member_of_team.refresh_from_db()
    assert response.status_code == expected(role, MANAGERS)
    if role in MANAGERS:
        assert member_of_team.role == Resident.Role.RESIDENT
        event = TeamEvent.objects.get()
        assert (event.kind, event.detail) == ("removed", "搬走了")
    else:
        assert member_of_team.role == Resident.Role.TEAM
        assert not TeamEvent.objects.exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_ask_a_talent(roles, login, role):
    resident = member(roles.resident)
    url = reverse("buildings:talent-ask", args=[roles.building.pk])
    response = login(roles.get(role)).post(
        url, {"resident": resident.pk, "skill": "理发", "offer": "每月一次"}
    )
    assert response.status_code == expected(role, MANAGERS)
    asked = TalentInvitation.objects.filter(resident=resident, skill__name="理发")
    assert asked.exists() == (role in MANAGERS)
    assert not Talent.objects.exists()  # nothing shown before the yes


@pytest.mark.parametrize("role", ALL_ROLES)
def test_withdraw_a_question(roles, login, role):
    invitation = team.propose_talent(
        resident=member(roles.resident),
        skill_name="修电脑",
        offer="",
        actor=roles.leader,
    )
    url = reverse("buildings:talent-withdraw", args=[roles.building.pk, invitation.pk])
    response = login(roles.get(role)).post(url)
    invitation.refresh_from_db()
    assert response.status_code == expected(role, MANAGERS)
    withdrawn = invitation.status == TalentInvitation.Status.WITHDRAWN
    assert withdrawn == (role in MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_person_asked_answers(roles, login, role):
    invitation = team.propose_talent(
        resident=member(roles.resident), skill_name="插花", offer="", actor=roles.leader
    )
    url = reverse("buildings:talent-answer", args=[invitation.pk, "accept"])
    response = login(roles.get(role)).post(url)
    invitation.refresh_from_db()
    if role == "resident":
        assert response.status_code == 302
        assert invitation.status == TalentInvitation.Status.ACCEPTED
        assert Talent.objects.filter(resident__user=roles.resident).exists()
    else:
        assert response.status_code == (302 if role == "visitor" else 404)
        assert invitation.status == TalentInvitation.Status.PENDING
        assert not Talent.objects.exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_party_badge_of_a_proxy_resident(roles, login, role):
    elder = ResidentFactory(
        household=HouseholdFactory(building=roles.building),
        registered_by=roles.leader,
        is_party_member=True,
    )
    url = reverse("buildings:resident-party-badge", args=[roles.building.pk, elder.pk])
    response = login(roles.get(role)).post(url, {"shows_party_badge": "on"})
    elder.refresh_from_db()
    assert response.status_code == expected(role, MANAGERS)
    assert elder.shows_party_badge == (role in MANAGERS)
    if role in MANAGERS:
        assert ProxyAct.objects.get(resident=elder).actor == roles.get(role)


def test_leader_cannot_switch_the_badge_of_someone_with_an_account(roles, login):
    resident = member(roles.resident)
    resident.is_party_member = True
    resident.save()
    url = reverse(
        "buildings:resident-party-badge", args=[roles.building.pk, resident.pk]
    )
    response = login(roles.leader).post(url, {"shows_party_badge": "on"})
    resident.refresh_from_db()
    assert response.status_code == 403 and not resident.shows_party_badge


@pytest.mark.parametrize("view", ["appoint", "talent-ask", "talent-withdraw"])
def test_get_on_a_post_only_view_is_405(roles, login, view):
    args = [roles.building.pk] + ([1] if view == "talent-withdraw" else [])
    response = login(roles.leader).get(reverse(f"buildings:{view}", args=args))
    assert response.status_code == 405


# --- appointing and removing ------------------------------------------------------


def test_appointed_member_can_organise_and_removed_one_cannot(roles, login):
    resident = member(roles.resident)
    client = login(roles.leader)
    client.post(
        reverse("buildings:appoint", args=[roles.building.pk]),
        {"resident": resident.pk},
    )
    new_meeting = reverse("proposals:meeting-create", args=[roles.building.pk])
    assert login(roles.resident).get(new_meeting).status_code == 200
    login(roles.leader).post(
        reverse("buildings:team-remove", args=[roles.building.pk, resident.pk])
    )
    assert login(roles.resident).get(new_meeting).status_code == 403
    kinds = list(TeamEvent.objects.values_list("kind", flat=True))
    assert kinds == ["removed", "appointed"]
    told = Notification.objects.filter(recipient=roles.resident, kind="team_role")
    assert told.count() == 2


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("proxy", "无法加入团队"),
        ("child", "无法加入团队"),
        ("team", "已经在团队里了"),
        ("leader", "已经在团队里了"),
        ("pending", None),
        ("other building", None),
    ],
)
def test_who_cannot_be_appointed(roles, login, who, message):
    target = {
        "proxy": lambda: ResidentFactory(
            household=HouseholdFactory(building=roles.building),
            registered_by=roles.leader,
        ),
        "child": lambda: AccountResidentFactory(
            household__building=roles.building, is_adult=False
        ),
        "team": lambda: member(roles.team),
        "leader": lambda: member(roles.leader),
        "pending": lambda: roles.pending.memberships.get(),
        "other building": lambda: member(roles.outsider),
    }[who]()
    before = target.role
    response = login(roles.leader).post(
        reverse("buildings:appoint", args=[roles.building.pk]),
        {"resident": target.pk},
        follow=True,
    )
    target.refresh_from_db()
    assert target.role == before
    assert not TeamEvent.objects.exists()
    if message:
        assert message in response.content.decode()
    else:  # a resident waiting or of another building is not a choice here
        assert "alert-danger" in response.content.decode()


def test_a_leader_is_not_removed_here(roles, login):
    leader = member(roles.leader)
    response = login(roles.staff).post(
        reverse("buildings:team-remove", args=[roles.building.pk, leader.pk]),
        follow=True,
    )
    leader.refresh_from_db()
    assert leader.role == Resident.Role.LEADER
    assert "支部/居委工作人员" in response.content.decode()


def test_removing_someone_of_another_building_is_404(roles, login):
    other = AccountResidentFactory(role="team")
    response = login(roles.leader).post(
        reverse("buildings:team-remove", args=[roles.building.pk, other.pk])
    )
    other.refresh_from_db()
    assert response.status_code == 404 and other.role == Resident.Role.TEAM


@pytest.mark.parametrize(
    "value",
    ["", "abc", "-1", "99999999999999999999", "１２", "1\x00", "<script>x</script>"],
)
def test_hostile_appoint_is_a_message(roles, login, value):
    response = login(roles.leader).post(
        reverse("buildings:appoint", args=[roles.building.pk]),
        {"resident": value},
        follow=True,
    )
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert not TeamEvent.objects.exists()


# --- talents with consent ----------------------------------------------------------


def test_talent_is_listed_only_after_yes(roles, login):
    resident = member(roles.resident)
    login(roles.leader).post(
        reverse("buildings:talent-ask", args=[roles.building.pk]),
        {"resident": resident.pk, "skill": " 剪纸  窗花 ", "offer": "教小朋友"},
    )
    building_page = roles.building.get_absolute_url()
    assert "剪纸 窗花" not in login(roles.team).get(building_page).content.decode()
    assert Notification.objects.filter(
        recipient=roles.resident, kind="talent_invitation"
    ).exists()
    client = login(roles.resident)
    my_page = client.get(reverse("buildings:me")).content.decode()
    assert "剪纸 窗花" in my_page and "教小朋友" in my_page
    invitation = TalentInvitation.objects.get()
    client.post(reverse("buildings:talent-answer", args=[invitation.pk, "accept"]))
    again = client.post(
        reverse("buildings:talent-answer", args=[invitation.pk, "decline"]),
        follow=True,
    )
    assert "已经答复过了" in again.content.decode()
    talent = Talent.objects.get()
    assert (talent.skill.name, talent.offer) == ("剪纸 窗花", "教小朋友")
    assert "剪纸 窗花" in login(roles.team).get(building_page).content.decode()
    assert Notification.objects.filter(
        recipient=roles.leader, kind="talent_answered"
    ).exists()
    history = list(TeamEvent.objects.values_list("kind", "detail"))
    assert history == [
        ("talent_accepted", "剪纸 窗花"),
        ("talent_proposed", "剪纸 窗花"),
    ]


def test_declined_talent_shows_nothing(roles, login):
    invitation = team.propose_talent(
        resident=member(roles.resident), skill_name="唱歌", offer="", actor=roles.leader
    )
    login(roles.resident).post(
        reverse("buildings:talent-answer", args=[invitation.pk, "decline"])
    )
    invitation.refresh_from_db()
    assert invitation.status == TalentInvitation.Status.DECLINED
    assert not Talent.objects.exists()
    page = login(roles.leader).get(roles.building.get_absolute_url()).content.decode()
    assert "唱歌" not in page


def test_accepted_talent_keeps_the_residents_audience(roles, login):
    resident = member(roles.resident)
    resident.talent_visibility = Resident.Visibility.STAFF
    resident.save()
    invitation = team.propose_talent(
        resident=resident, skill_name="木工", offer="", actor=roles.leader
    )
    team.answer_talent_invitation(
        invitation=invitation, user=roles.resident, accept=True
    )
    page = login(roles.team).get(roles.building.get_absolute_url()).content.decode()
    assert "木工" not in page
    page = login(roles.staff).get(roles.building.get_absolute_url()).content.decode()
    assert "木工" in page


@pytest.mark.parametrize("decision", ["maybe", "ACCEPT", "<b>"])
def test_unknown_answer_is_404(roles, login, decision):
    invitation = team.propose_talent(
        resident=member(roles.resident), skill_name="唱歌", offer="", actor=roles.leader
    )
    response = login(roles.resident).post(
        reverse("buildings:talent-answer", args=[invitation.pk, decision])
    )
    invitation.refresh_from_db()
    assert response.status_code == 404
    assert invitation.status == TalentInvitation.Status.PENDING


@pytest.mark.parametrize(
    ("skill", "message"),
    [
        ("", "必填"),
        ("   ", "必填"),
        ("长" * 41, "不超过 40"),
    ],
)
def test_bad_skill_is_a_message(roles, login, skill, message):
    response = login(roles.leader).post(
        reverse("buildings:talent-ask", args=[roles.building.pk]),
        {"resident": member(roles.resident).pk, "skill": skill},
        follow=True,
    )
    assert message in response.content.decode()
    assert not TalentInvitation.objects.exists()


def test_asking_twice_or_for_a_skill_already_shared_is_refused(roles, login):
    resident = member(roles.resident)
    client = login(roles.leader)
    url = reverse("buildings:talent-ask", args=[roles.building.pk])
    client.post(url, {"resident": resident.pk, "skill": "理发"})
    twice = client.post(url, {"resident": resident.pk, "skill": "理发"}, follow=True)
    assert "已经问过" in twice.content.decode()
    Talent.objects.create(resident=resident, skill=SkillFactory(name="钓鱼"))
    shared = client.post(url, {"resident": resident.pk, "skill": "钓鱼"}, follow=True)
    assert "已经分享了" in shared.content.decode()
    assert TalentInvitation.objects.count() == 1


def test_a_proxy_resident_is_not_asked(roles, login):
    elder = ResidentFactory(
        household=HouseholdFactory(building=roles.building),
        registered_by=roles.leader,
    )
    response = login(roles.leader).post(
        reverse("buildings:talent-ask", args=[roles.building.pk]),
        {"resident": elder.pk, "skill": "剪纸"},
        follow=True,
    )
    assert "没有账号" in response.content.decode()
    assert not TalentInvitation.objects.exists()


def test_withdrawn_question_leaves_the_residents_page(roles, login):
    invitation = team.propose_talent(
        resident=member(roles.resident),
        skill_name="太极拳",
        offer="",
        actor=roles.leader,
    )
    team.withdraw_talent_invitation(invitation=invitation, actor=roles.leader)
    page = login(roles.resident).get(reverse("buildings:me")).content.decode()
    assert "太极拳" not in page
    response = login(roles.resident).post(
        reverse("buildings:talent-answer", args=[invitation.pk, "accept"]),
        follow=True,
    )
    assert "已经答复过了" in response.content.decode()
    assert not Talent.objects.exists()


# --- the party badge ----------------------------------------------------------------


def test_party_member_shows_and_hides_their_own_badge(roles, login):
    resident = member(roles.resident)
    resident.is_party_member = True
    resident.save()
    client = login(roles.resident)
    assert "我的党员身份" in client.get(reverse("buildings:me")).content.decode()
    client.post(reverse("buildings:party-badge"), {"shows_party_badge": "on"})
    building_page = roles.building.get_absolute_url()
    assert "badge-party" in login(roles.team).get(building_page).content.decode()
    login(roles.resident).post(reverse("buildings:party-badge"), {})
    resident.refresh_from_db()
    assert not resident.shows_party_badge
    assert "badge-party" not in login(roles.team).get(building_page).content.decode()
    kinds = list(TeamEvent.objects.values_list("kind", flat=True))
    assert kinds == ["badge_hidden", "badge_shown"]
    assert not ProxyAct.objects.exists()  # they did it themselves


def test_no_badge_switch_for_someone_not_in_the_party(roles, login):
    client = login(roles.resident)
    assert "我的党员身份" not in client.get(reverse("buildings:me")).content.decode()
    response = client.post(
        reverse("buildings:party-badge"), {"shows_party_badge": "on"}, follow=True
    )
    assert "只有党员" in response.content.decode()
    assert not member(roles.resident).shows_party_badge
    assert not TeamEvent.objects.exists()


def test_badge_switch_needs_a_membership(login):
    from tests.factories import UserFactory

    response = login(UserFactory()).post(reverse("buildings:party-badge"))
    assert response.status_code == 404


# --- history, audit, pages --------------------------------------------------------


def test_history_is_on_the_leaders_page_and_in_the_audit_trail(roles, login):
    resident = member(roles.resident)
    team.appoint_to_team(resident=resident, actor=roles.leader)
    team.propose_talent(
        resident=resident, skill_name="电脑", offer="", actor=roles.leader
    )
    page = login(roles.leader).get(reverse("buildings:team", args=[roles.building.pk]))
    text = page.content.decode()
    assert "任命为团队成员" in text and "请其当达人" in text and "电脑" in text
    assert roles.leader.name in text
    role_changes = [
        entry.changes_dict["role"]
        for entry in LogEntry.objects.get_for_object(resident)
        if "role" in entry.changes_dict
    ]
    assert ["resident", "team"] in role_changes
    assert LogEntry.objects.filter(content_type__model="talentinvitation").exists()


def test_team_and_my_pages_in_english(roles, login):
    team.propose_talent(
        resident=member(roles.resident),
        skill_name="Tai chi",
        offer="",
        actor=roles.leader,
    )
    client = login(roles.leader)
    client.cookies["django_language"] = "en"
    text = client.get(reverse("buildings:team", args=[roles.building.pk])).content
    assert "Appoint a team member" in text.decode() and "Asked to be a talent" in (
        text.decode()
    )
    client = login(roles.resident)
    client.cookies["django_language"] = "en"
    text = client.get(reverse("buildings:me")).content.decode()
    assert "Would you be a talent" in text and "Yes, list me" in text


def test_team_page_queries_are_bounded(roles, login, django_assert_max_num_queries):
    for n in range(60):
        resident = AccountResidentFactory(household__building=roles.building)
        if n % 5 == 0:
            team.appoint_to_team(resident=resident, actor=roles.leader)
        if n % 3 == 0:
            team.propose_talent(
                resident=resident, skill_name=f"技能{n}", offer="", actor=roles.leader
            )
    client = login(roles.leader)
    url = reverse("buildings:team", args=[roles.building.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<option") >= 60


def test_rooms_are_in_natural_order_on_the_team_page(roles, login):
    for room in ["1201", "301", "1001", "201"]:
        AccountResidentFactory(
            household=HouseholdFactory(building=roles.building, room=room)
        )
    page = (
        login(roles.leader)
        .get(reverse("buildings:team", args=[roles.building.pk]))
        .content.decode()
    )
    positions = [page.index(f">{room} · ") for room in ["201", "301", "1001", "1201"]]
    assert positions == sorted(positions)


# --- the Django admin ----------------------------------------------------------------


@pytest.mark.parametrize("model", ["talentinvitation", "teamevent"])
@pytest.mark.parametrize("role", [*ALL_ROLES, "superuser"])
def test_admin_lists_the_history_read_only_for_staff(roles, login, role, model):
    resident = member(roles.resident)
    team.appoint_to_team(resident=resident, actor=roles.leader)
    invitation = team.propose_talent(
        resident=resident, skill_name="书法", offer="", actor=roles.leader
    )
    if role == "superuser":
        from tests.factories import UserFactory

        user = UserFactory(is_staff=True, is_superuser=True)
    else:
        user = roles.get(role)
    client = login(user)
    changelist = client.get(reverse(f"admin:buildings_{model}_changelist"))
    add = client.get(reverse(f"admin:buildings_{model}_add"))
    if role == "superuser":
        assert changelist.status_code == 200
        assert ("书法" if model == "talentinvitation" else resident.name) in (
            changelist.content.decode()
        )
        assert add.status_code == 403  # written by the app only
        change = reverse(f"admin:buildings_{model}_change", args=[invitation.pk])
        page = client.post(change, {"status": "accepted"})
        invitation.refresh_from_db()
        assert page.status_code in (200, 403)
        assert invitation.status == TalentInvitation.Status.PENDING
    elif role == "staff":  # staff without the view permission
        assert changelist.status_code == 403
    else:
        assert changelist.status_code == 302  # to the admin's log-in
        assert "login/" in changelist.url


def test_my_data_has_my_talent_invitations_and_team_history(roles, login):
    resident = member(roles.resident)
    team.appoint_to_team(resident=resident, actor=roles.leader)
    team.propose_talent(
        resident=resident, skill_name="缝纫", offer="补衣服", actor=roles.leader
    )
    data = login(roles.resident).get(reverse("buildings:my-data")).json()
    mine = data["memberships"][0]
    assert mine["talent_invitations"][0]["skill"] == "缝纫"
    assert {e["what"] for e in mine["team_history"]} == {"appointed", "talent_proposed"}


def test_a_talent_question_to_someone_who_left_stops_waiting(roles, login):
    """The team page listed it as "waiting for their answer" for ever."""
    resident = member(roles.resident)
    team.propose_talent(
        resident=resident, skill_name="缝纫", offer="补衣服", actor=roles.leader
    )
    leave(user=roles.resident)
    invitation = TalentInvitation.objects.get(resident=resident)
    assert invitation.status == TalentInvitation.Status.WITHDRAWN
    page = login(roles.leader).get(reverse("buildings:team", args=[roles.building.pk]))
    assert list(page.context["invitations"]) == []
    assert "没有等待中的邀请。" in page.content.decode()
