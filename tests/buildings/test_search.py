"""One search box for the building: issues, proposals, talents and the ledger, by words,
only what the person may see, grouped by kind, a few rows per kind whatever the size.

The PostgreSQL tests (full text, trigram similarity, the pg_trgm migration) run when
DATABASE_URL points at PostgreSQL; the rest runs on both databases."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from buildings.models import Resident
from tests.conftest import ALL_ROLES
from tests.factories import AccountResidentFactory, SkillFactory, TalentFactory
from tests.funds.factories import bulk_entries, donate, ready_fund, spend
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import ProposalFactory
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

on_postgres = (
    pytest.mark.postgres
)  # full text and pg_trgm: collected on PostgreSQL only


def search(client, building, q, **extra):
    return client.get(
        reverse("buildings:search", args=[building.pk]), {"q": q}, **extra
    )


def titles(response):
    return {
        group.kind: [hit.title for hit in group.hits]
        for group in response.context["groups"]
    }


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_search(roles, login, building, role):
    IssueFactory(building=building, title="楼道铁门坏了")
    response = search(login(roles.get(role)), building, "铁门")
    expected = {"visitor": 302, "outsider": 404, "pending": 404}.get(role, 200)
    assert response.status_code == expected
    if expected == 200:
        assert titles(response)["issue"] == ["楼道铁门坏了"]


def test_one_box_finds_every_kind_grouped(roles, login, building):
    IssueFactory(building=building, title="楼前花坛没人浇水", text="花都枯了")
    ProposalFactory(building=building, title="一尺花园认养办法", body="每户认养一季")
    resident = Resident.objects.get(user=roles.resident)
    TalentFactory(
        resident=resident, skill=SkillFactory(name="养花"), offer="教大家养花"
    )
    fund, leader, rule = ready_fund(building)
    donate(fund, leader, "500.00", donor_name="外面的人", public_name="anonymous")
    spend(fund, leader, "80.00", rule, purpose="买花苗", payee="花鸟市场")
    response = search(login(roles.resident), building, "花")
    found = titles(response)
    assert found == {
        "issue": ["楼前花坛没人浇水"],
        "proposal": ["一尺花园认养办法"],
        "talent": [f"养花 · {resident.name}"],
        "ledger": ["买花苗"],
    }
    page = response.content.decode()
    assert page.index('id="found-issue"') < page.index('id="found-ledger"')
    assert "¥80.00" in page


def test_every_word_must_match(roles, login, building):
    IssueFactory(building=building, title="电梯 停了", text="三楼")
    IssueFactory(building=building, title="电梯 很吵", text="晚上")
    response = search(login(roles.resident), building, "电梯 三楼")
    assert titles(response)["issue"] == ["电梯 停了"]


def test_hidden_issues_are_not_found(roles, login, building):
    IssueFactory(building=building, title="铁门又坏了", hidden_at=timezone.now())
    IssueFactory(building=building, title="铁门该上油了")
    for role in ("resident", "leader"):
        response = search(login(roles.get(role)), building, "铁门")
        assert titles(response)["issue"] == ["铁门该上油了"]


def test_only_my_building(roles, login, building):
    IssueFactory(building=building, title="我们楼的铁门")
    outsider_building = Resident.objects.get(user=roles.outsider).household.building
    IssueFactory(building=outsider_building, title="隔壁楼的铁门")
    ProposalFactory(building=outsider_building, title="隔壁楼的铁门议题")
    response = search(login(roles.resident), building, "铁门")
    assert titles(response)["issue"] == ["我们楼的铁门"]
    assert titles(response)["proposal"] == []
    # Asking for the neighbours' building by its number is a 404, not their issues.
    assert search(login(roles.resident), outsider_building, "铁门").status_code == 404


def test_anonymous_reporter_is_never_found_nor_shown(roles, login, building):
    reporter = AccountResidentFactory(household__building=building, name="孙秘密")
    IssueFactory(
        building=building, reporter=reporter, is_anonymous=True, title="有人高空抛物"
    )
    for role in ("resident", "leader", "staff"):
        client = login(roles.get(role))
        assert titles(search(client, building, "孙秘密"))["issue"] == []
        page = search(client, building, "高空抛物").content.decode()
        assert "有人高空抛物" in page and "孙秘密" not in page


def test_drafts_only_for_the_team(roles, login, building):
    ProposalFactory(building=building, title="草稿：加装电梯", status="draft")
    for role, seen in [("resident", []), ("team", ["草稿：加装电梯"])]:
        response = search(login(roles.get(role)), building, "电梯")
        assert titles(response)["proposal"] == seen


def test_talents_as_each_resident_chose(roles, login, building):
    shy = AccountResidentFactory(
        household__building=building, talent_visibility="staff"
    )
    TalentFactory(resident=shy, skill=SkillFactory(name="修电脑"))
    assert titles(search(login(roles.leader), building, "电脑"))["talent"] == []
    assert len(titles(search(login(roles.staff), building, "电脑"))["talent"]) == 1


def test_donors_are_not_searched(roles, login, building):
    fund, leader, rule = ready_fund(building)
    donor = AccountResidentFactory(household__building=building, name="钱大方")
    donate(fund, leader, "200.00", donor_resident=donor, public_name="anonymous")
    for role in ("resident", "leader"):
        page = search(login(roles.get(role)), building, "钱大方")
        assert titles(page)["ledger"] == []
        assert page.context["found"] == 0


@pytest.mark.parametrize(
    "q",
    [
        '<script>alert("louzu")</script>',
        "' OR 1=1; DROP TABLE buildings_user; --",
        "a\x00b",
        "\u202e铁门\u200b",
        "x" * 5000,
        "% _ \\",
        '"铁门" OR -门 ::',
        "&|!():*",
    ],
)
def test_hostile_queries_are_answered_calmly(roles, login, building, q):
    IssueFactory(building=building, title="楼道铁门坏了")
    response = search(login(roles.resident), building, q)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert" not in page
    assert len(response.context["query"]) <= 60
    assert "\x00" not in response.context["query"]


def test_control_characters_inside_a_word_do_not_hide_it(roles, login, building):
    IssueFactory(building=building, title="楼道铁门坏了")
    response = search(login(roles.resident), building, "\u202e铁门\u200b")
    assert titles(response)["issue"] == ["楼道铁门坏了"]


def test_empty_and_nothing_found_say_what_to_do(roles, login, building):
    client = login(roles.resident)
    assert "例如" in search(client, building, "   ").content.decode()
    assert "没有找到" in search(client, building, "不存在的东西").content.decode()


def test_in_english(roles, login, building):
    IssueFactory(building=building, title="Lobby door broken")
    client = login(roles.resident)
    client.cookies["django_language"] = "en"
    page = search(client, building, "door", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Search our building" in page and "1 result for" in page


def test_the_building_page_has_the_search_box(roles, login, building):
    page = login(roles.resident).get(building.get_absolute_url()).content.decode()
    assert reverse("buildings:search", args=[building.pk]) in page
    assert 'name="q"' in page


def test_query_budget_is_the_same_for_a_big_building(
    roles, login, building, django_assert_max_num_queries
):
    for i in range(40):
        IssueFactory(building=building, title=f"花坛问题{i}", text="花")
        ProposalFactory(building=building, title=f"花坛议题{i}")
    resident = Resident.objects.get(user=roles.resident)
    for i in range(20):
        TalentFactory(
            resident=AccountResidentFactory(household=resident.household),
            skill=SkillFactory(name=f"养花{i}"),
        )
    fund, leader, rule = ready_fund(building)
    bulk_entries(fund, leader, ["-10.00"] * 300)
    client = login(roles.resident)
    with django_assert_max_num_queries(12):
        response = search(client, building, "花")
    assert response.status_code == 200
    groups = {group.kind: group for group in response.context["groups"]}
    for kind in ("issue", "proposal", "talent", "ledger"):
        assert len(groups[kind].hits) == 8 and groups[kind].more
    assert "再加一个词" in response.content.decode()


# --- PostgreSQL: full text and the trigram fallback ------------------------------------


@on_postgres
def test_pg_trgm_is_installed_by_the_migration():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)


@on_postgres
def test_postgres_finds_a_near_miss_by_trigrams(roles, login, building):
    IssueFactory(building=building, title="The lobby door is broken", text="")
    response = search(login(roles.resident), building, "lobby brokn")
    assert titles(response)["issue"] == ["The lobby door is broken"]


@on_postgres
def test_postgres_ranks_the_closer_match_first(roles, login, building):
    IssueFactory(building=building, title="电梯维修费用", text="电梯")
    IssueFactory(building=building, title="楼道灯", text="顺便说一下电梯")
    response = search(login(roles.resident), building, "电梯维修")
    assert titles(response)["issue"][0] == "电梯维修费用"
