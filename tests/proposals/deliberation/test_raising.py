"""Residents raise matters (举手): co-signatures by household, the council agenda, the leader."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from buildings.models import Notification
from proposals.deliberation.raising import services
from proposals.models import Proposal, ProposalCosign, ProposalPhoto, RaiseRule
from tests.conftest import ALL_ROLES
from tests.factories import AccountResidentFactory, HouseholdFactory
from tests.funds.factories import FundFactory, adopt_rules
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import MeetingFactory
from tests.proposals.factories import jpeg_bytes

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def url(building, name, *args):
    return reverse(f"proposals:{name}", args=[building.pk, *args])


def neighbour(building, room=None, **kwargs):
    household = HouseholdFactory(building=building, **({"room": room} if room else {}))
    return AccountResidentFactory(household=household, **kwargs)


def raised(roles, **kwargs):
    resident = roles.resident.memberships.get()
    return services.raise_matter(
        resident=resident,
        title=kwargs.pop("title", "门厅摆花和长椅"),
        body=kwargs.pop("body", "门厅空荡荡，老人等电梯没地方坐。"),
        **kwargs,
    )


def photo(name="lobby.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), "image/jpeg")


# --- Raising ------------------------------------------------------------------------


def test_a_resident_raises_a_matter_with_photos_and_a_cost(roles, login):
    client = login(roles.resident)
    response = client.post(
        url(roles.building, "raise-create"),
        {
            "title": "门厅摆花和长椅",
            "body": "门厅空荡荡，老人等电梯没地方坐。",
            "budget": "800.50",
            "photos": [photo(), photo("b.jpg")],
        },
    )
    proposal = Proposal.objects.get(title="门厅摆花和长椅")
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.status == Proposal.Status.GATHERING and proposal.raised
    assert proposal.budget == Decimal("800.50")
    assert proposal.kind == Proposal.Kind.FUND_USE
    assert proposal.cosigns_needed == 3
    assert proposal.photos.count() == 2
    mine = roles.resident.memberships.get()
    assert list(proposal.cosigns.values_list("household", flat=True)) == [
        mine.household_id
    ]
    # The leader and the team hear of it.
    for user in (roles.leader, roles.team):
        assert Notification.objects.filter(
            recipient=user, kind="proposal_raised", link=proposal.get_absolute_url()
        ).exists()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "1 / 3 户已联署" in page
    assert "您家已联署" in page
    assert "为本户联署" not in page  # the household signed already


def test_the_team_reads_of_a_raised_matter_in_their_own_language(roles, login):
    with translation.override("zh-hans"):  # the resident raises it in Chinese
        raised(roles, title="Lobby benches")
    client = login(roles.leader)
    client.cookies["django_language"] = "en"
    inbox = client.get(reverse("buildings:notifications")).content.decode()
    assert "raised a matter: Lobby benches" in inbox
    assert "举手提议" not in inbox


def test_fund_category_comes_from_the_fund(roles, login):
    adopt_rules(FundFactory(building=roles.building), by=roles.leader)
    client = login(roles.resident)
    form = client.get(url(roles.building, "raise-create")).content.decode()
    assert "美化环境" in form
    client.post(
        url(roles.building, "raise-create"),
        {"title": "种花", "body": "门口种花", "fund_category": "美化环境"},
    )
    assert Proposal.objects.get(title="种花").fund_category == "美化环境"
    response = client.post(
        url(roles.building, "raise-create"),
        {"title": "伪造", "body": "x", "fund_category": "<script>"},
    )
    assert response.status_code == 200
    assert not Proposal.objects.filter(title="伪造").exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "", "body": "为什么"}, "这个字段是必填项。"),
        ({"title": "标题", "body": "   "}, "这个字段是必填项。"),
        ({"title": "标题", "body": "x", "budget": "-5"}, "大于或等于0"),
        ({"title": "标题", "body": "x", "budget": "一百"}, "输入一个数字"),
        ({"title": "标题", "body": "x", "budget": "1e400"}, "不超过 12 个数字"),
        ({"title": "x" * 121, "body": "x"}, "不超过 120 字符"),
        ({"title": "标题", "body": "x" * 3001}, "不超过 3000 字符"),
    ],
)
def test_bad_input_is_refused_with_a_message(roles, login, data, message):
    response = login(roles.resident).post(url(roles.building, "raise-create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_file_that_is_not_a_photo_and_too_many_photos_are_refused(roles, login):
    client = login(roles.resident)
    fake = SimpleUploadedFile("x.jpg", b"<html>not an image</html>", "image/jpeg")
    response = client.post(
        url(roles.building, "raise-create"),
        {"title": "标题", "body": "x", "photos": [fake]},
    )
    assert "请选择 JPEG、PNG 或 WebP" in response.content.decode()
    response = client.post(
        url(roles.building, "raise-create"),
        {"title": "标题", "body": "x", "photos": [photo(f"{i}.jpg") for i in range(5)]},
    )
    assert "最多 4 张" in response.content.decode()
    assert not Proposal.objects.exists() and not ProposalPhoto.objects.exists()


# --- Co-signing ---------------------------------------------------------------------


def test_households_co_sign_until_it_reaches_the_council_agenda(roles, login):
    meeting = MeetingFactory(building=roles.building, title="十二月议事会")
    proposal = raised(roles)
    second = neighbour(roles.building, "502")
    third = neighbour(roles.building, "601")
    response = login(second.user).post(
        url(roles.building, "proposal-cosign", proposal.pk)
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.GATHERING
    assert Notification.objects.filter(
        recipient=roles.resident, kind="proposal_followed", text__contains="2 / 3 户"
    ).exists()

    login(third.user).post(url(roles.building, "proposal-cosign", proposal.pk))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DISCUSSION
    assert proposal.agenda_reached_at is not None
    assert list(meeting.agenda.all()) == [proposal]
    # Proposer and co-signers are told it reached the agenda of that meeting.
    for user in (roles.resident, second.user, third.user):
        assert Notification.objects.filter(
            recipient=user, kind="proposal_followed", text__contains="十二月议事会"
        ).exists()
    # A fourth household is too late: nothing more is stored.
    fourth = neighbour(roles.building, "701")
    response = login(fourth.user).post(
        url(roles.building, "proposal-cosign", proposal.pk), follow=True
    )
    assert "已经过了联署阶段" in response.content.decode()
    assert proposal.cosigns.count() == 3


def test_without_a_meeting_it_waits_for_the_next_one_ticked(roles, login):
    proposal = raised(roles)
    for room in ("502", "601"):
        services.cosign(proposal=proposal, resident=neighbour(roles.building, room))
    assert list(
        roles.building.proposals.waiting_for_agenda().values_list("pk", flat=True)
    ) == [proposal.pk]
    form = login(roles.leader).get(url(roles.building, "meeting-create"))
    html = form.content.decode()
    assert f'value="{proposal.pk}" id' in html or f'value="{proposal.pk}"' in html
    assert form.context["form"].initial["agenda"] == [proposal.pk]
    todo = login(roles.leader).get(reverse("buildings:todo", args=[roles.building.pk]))
    assert "等待上议事会的居民提议" in todo.content.decode()


def test_one_co_signature_per_household(roles, login):
    proposal = raised(roles, title="装扶手")
    second = neighbour(roles.building, "502", name="王五")
    partner = AccountResidentFactory(household=second.household, name="王六")
    login(second.user).post(url(roles.building, "proposal-cosign", proposal.pk))
    response = login(partner.user).post(
        url(roles.building, "proposal-cosign", proposal.pk), follow=True
    )
    html = response.content.decode()
    assert "502室已经联署过了（王五" in html
    assert proposal.cosigns.count() == 2
    # The partner sees the household's co-signature, and no button to fail on.
    assert "您家已联署（王五" in html
    assert "为本户联署" not in html
    # The proposer's own household cannot add a second one either.
    partner_of_proposer = AccountResidentFactory(
        household=roles.resident.memberships.get().household
    )
    with pytest.raises(Exception, match="已经联署过了"):
        services.cosign(proposal=proposal, resident=partner_of_proposer)


def test_a_minor_neither_raises_nor_co_signs(roles, login):
    proposal = raised(roles)
    child = neighbour(roles.building, "502", is_adult=False)
    client = login(child.user)
    assert client.get(url(roles.building, "raise-create")).status_code == 403
    client.post(url(roles.building, "proposal-cosign", proposal.pk))
    assert proposal.cosigns.count() == 1


def test_co_signing_a_team_proposal_is_refused(roles, login):
    proposal = Proposal.objects.create(
        building=roles.building,
        author=roles.team,
        title="队议题",
        body="x",
        status=Proposal.Status.DISCUSSION,
    )
    response = login(roles.resident).post(
        url(roles.building, "proposal-cosign", proposal.pk), follow=True
    )
    assert "只有居民提出的议题才需要联署" in response.content.decode()
    assert not ProposalCosign.objects.exists()


def test_get_on_co_sign_is_not_allowed(roles, login):
    proposal = raised(roles)
    response = login(roles.team).get(
        url(roles.building, "proposal-cosign", proposal.pk)
    )
    assert response.status_code == 405


# --- The leader ---------------------------------------------------------------------


def test_the_leader_sets_the_threshold(roles, login):
    client = login(roles.leader)
    response = client.post(url(roles.building, "raise-threshold"), {"threshold": "5"})
    assert response.status_code == 302
    assert RaiseRule.objects.get(building=roles.building).threshold == 5
    assert raised(roles).cosigns_needed == 5
    for bad, message in [
        ("0", "大于或等于1"),
        ("51", "小于或等于50"),
        ("三", "输入整数"),
    ]:
        response = client.post(
            url(roles.building, "raise-threshold"), {"threshold": bad}
        )
        assert response.status_code == 200 and message in response.content.decode()
    assert RaiseRule.objects.get(building=roles.building).threshold == 5


def test_threshold_one_puts_it_on_the_agenda_at_once(roles):
    RaiseRule.objects.create(
        building=roles.building, threshold=1, updated_by=roles.leader
    )
    assert raised(roles).status == Proposal.Status.DISCUSSION


def test_the_leader_declines_with_a_reason_and_followers_are_told(roles, login):
    proposal = raised(roles)
    second = neighbour(roles.building, "502")
    services.cosign(proposal=proposal, resident=second)
    client = login(roles.leader)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "现在放上议事会议程" in page
    response = client.post(
        url(roles.building, "proposal-status", proposal.pk),
        {"status": "withdrawn", "note": ""},
        follow=True,
    )
    assert "请说明不采纳的理由" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.GATHERING
    client.post(
        url(roles.building, "proposal-status", proposal.pk),
        {"status": "withdrawn", "note": "物业已答应本月安装"},
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    for user in (roles.resident, second.user):
        assert Notification.objects.filter(
            recipient=user,
            kind="proposal_followed",
            text__contains="物业已答应本月安装",
        ).exists()


def test_the_leader_puts_it_on_the_agenda_early(roles, login):
    proposal = raised(roles)
    login(roles.leader).post(
        url(roles.building, "proposal-status", proposal.pk), {"status": "discussion"}
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DISCUSSION
    assert proposal.agenda_reached_at is not None


def test_the_team_cannot_decide_a_raised_matter(roles, login):
    proposal = raised(roles)
    login(roles.team).post(
        url(roles.building, "proposal-status", proposal.pk),
        {"status": "withdrawn", "note": "不想做"},
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.GATHERING


# --- Pages --------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_in_both_languages(roles, login, language):
    proposal = raised(roles, title="Lobby benches")
    client = login(roles.leader)
    client.cookies["django_language"] = language
    texts = {
        "zh-hans": ["居民提议", "举手提议", "联署"],
        "en": ["Matters raised by residents", "Raise a matter", "co-signed"],
    }[language]
    for page in (
        url(roles.building, "raised"),
        url(roles.building, "raised") + "?show=all",
        url(roles.building, "decisions"),
        proposal.get_absolute_url(),
    ):
        html = client.get(page).content.decode()
        assert "Lobby benches" in html
    html = client.get(url(roles.building, "raised")).content.decode()
    for text in texts:
        assert text in html
    assert client.get(url(roles.building, "raise-create")).status_code == 200
    assert client.get(url(roles.building, "raise-threshold")).status_code == 200


def test_the_list_and_the_page_use_few_queries(
    roles, login, django_assert_max_num_queries
):
    for i in range(12):
        proposal = raised(roles, title=f"提议{i}")
        for room in (f"5{i:02d}", f"6{i:02d}"):
            if i % 2:
                services.cosign(
                    proposal=proposal, resident=neighbour(roles.building, room)
                )
    client = login(roles.resident)
    with django_assert_max_num_queries(12):
        html = client.get(url(roles.building, "raised") + "?show=all").content.decode()
    assert html.count("户已联署") == 12
    with django_assert_max_num_queries(20):
        client.get(proposal.get_absolute_url())
    with django_assert_max_num_queries(20):
        client.get(url(roles.building, "decisions"))


# --- Who may do what ----------------------------------------------------------------

VIEWERS = {"resident", "team", "leader", "staff"}
RESIDENTS = {"resident", "team", "leader"}  # staff are no household: they do not sign
MANAGERS = {"leader", "staff"}


def expected(role, allowed, ok=200):
    if role in allowed:
        return ok
    if role == "visitor":
        return 302  # to the log-in page
    if role in {"outsider", "pending"}:
        return 404
    return 403


@pytest.mark.parametrize("role", ALL_ROLES)
def test_pages_per_role(roles, login, role):
    proposal = raised(roles)
    client = login(roles.get(role))
    for name, args, allowed in [
        ("raised", [], VIEWERS),
        ("raise-create", [], RESIDENTS),
        ("raise-threshold", [], MANAGERS),
        ("proposal", [proposal.pk], VIEWERS),
    ]:
        response = client.get(url(roles.building, name, *args))
        assert response.status_code == expected(role, allowed), name


@pytest.mark.parametrize("role", ALL_ROLES)
def test_raising_per_role(roles, login, role):
    response = login(roles.get(role)).post(
        url(roles.building, "raise-create"), {"title": "加装扶手", "body": "楼梯陡"}
    )
    assert response.status_code == expected(role, RESIDENTS, ok=302)
    assert Proposal.objects.filter(title="加装扶手").exists() == (role in RESIDENTS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_co_signing_per_role(roles, login, role):
    proposer = neighbour(roles.building, "901")
    proposal = services.raise_matter(resident=proposer, title="加装扶手", body="楼梯陡")
    response = login(roles.get(role)).post(
        url(roles.building, "proposal-cosign", proposal.pk)
    )
    # Staff see the page but are no household: a message, nothing stored.
    assert response.status_code == expected(role, RESIDENTS | {"staff"}, ok=302)
    assert proposal.cosigns.count() == (2 if role in RESIDENTS else 1)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_threshold_per_role(roles, login, role):
    response = login(roles.get(role)).post(
        url(roles.building, "raise-threshold"), {"threshold": "7"}
    )
    assert response.status_code == expected(role, MANAGERS, ok=302)
    assert RaiseRule.objects.filter(threshold=7).exists() == (role in MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_declining_per_role(roles, login, role):
    proposer = neighbour(roles.building, "901")
    proposal = services.raise_matter(resident=proposer, title="加装扶手", body="楼梯陡")
    response = login(roles.get(role)).post(
        url(roles.building, "proposal-status", proposal.pk),
        {"status": "withdrawn", "note": "重复了"},
    )
    # The team may reach the status form, but a raised matter is the leader's to decline.
    organisers = {"team", "leader", "staff"}
    assert response.status_code == expected(role, organisers, ok=302)
    proposal.refresh_from_db()
    declined = proposal.status == Proposal.Status.WITHDRAWN
    assert declined == (role in MANAGERS)
