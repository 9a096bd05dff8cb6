"""The community and building pages: what they show, to whom, and at what cost."""

import pytest
from django.urls import reverse

from buildings.models import (
    Announcement,
    Building,
    Household,
    Resident,
    Skill,
    Talent,
    User,
)
from tests.factories import (
    AccountResidentFactory,
    AnnouncementFactory,
    CommunityFactory,
    TalentFactory,
)
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


@pytest.fixture
def big_community():
    """30 buildings × 100 households, half of them joined, with talents and news."""
    community = CommunityFactory(name="宝欣苑第一居民区")
    buildings = Building.objects.bulk_create(
        Building(community=community, number=f"{n}号楼", is_pilot=n in (8, 16))
        for n in range(1, 31)
    )
    households = Household.objects.bulk_create(
        Household(building=b, room=f"{floor}{unit:02d}")
        for b in buildings
        for floor in range(1, 21)
        for unit in range(1, 6)
    )
    users = User.objects.bulk_create(
        User(phone=f"137{index:08d}", name=f"居民{index}")
        for index in range(len(households) // 2)
    )
    residents = Resident.objects.bulk_create(
        Resident(
            user=user,
            household=household,
            name=user.name,
            status="approved",
            role="leader" if index % 50 == 0 else "resident",
            is_party_member=index % 7 == 0,
            shows_party_badge=index % 7 == 0,
            talent_visibility="community" if index % 3 == 0 else "building",
        )
        for index, (user, household) in enumerate(
            zip(users, households[::2], strict=False)
        )
    )
    skill = Skill.objects.create(name="养花")
    Talent.objects.bulk_create(
        Talent(resident=r, skill=skill, offer="教种花") for r in residents[::5]
    )
    Announcement.objects.bulk_create(
        Announcement(community=community, building=b, title=f"{b.number}通知")
        for b in buildings
    )
    Announcement.objects.bulk_create(
        Announcement(community=community, title=f"社区通知{n}") for n in range(30)
    )
    return community


def test_community_page_query_budget(
    client, big_community, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get(big_community.get_absolute_url())
    page = response.content.decode()
    assert "8号楼" in page and "试点" in page
    assert "已加入 50 / 100 户" in page


def test_building_page_query_budget(
    client, big_community, django_assert_max_num_queries
):
    building = big_community.buildings.get(number="8号楼")
    resident = Resident.objects.filter(household__building=building).first()
    client.force_login(resident.user)
    with django_assert_max_num_queries(19):  # foundation + one summary per feature app
        response = client.get(building.get_absolute_url())
    assert response.status_code == 200
    assert "养花" in response.content.decode()


def test_building_page_shows_what_a_resident_needs(client, building):
    me = AccountResidentFactory(household__building=building, household__room="302")
    spouse = AccountResidentFactory(household=me.household, name="老陈")
    leader = AccountResidentFactory(
        household__building=building, role="leader", name="王建华"
    )
    AccountResidentFactory(
        household__building=building,
        name="李党员",
        is_party_member=True,
        shows_party_badge=True,
    )
    AccountResidentFactory(
        household__building=building, name="隐身党员", is_party_member=True
    )
    TalentFactory(
        resident__household__building=building, skill__name="理发", offer="为老人理发"
    )
    TalentFactory(
        resident__household__building=building,
        resident__talent_visibility="staff",
        skill__name="法律咨询",
    )
    AnnouncementFactory(building=building, title="楼道清洁日")
    AnnouncementFactory(building=None, community=building.community, title="全区防汛")
    client.force_login(me.user)
    page = client.get(building.get_absolute_url()).content.decode()
    for text in [
        "楼道清洁日",
        "全区防汛",
        leader.name,
        "李党员",
        "理发",
        "为老人理发",
        spouse.name,
    ]:
        assert text in page
    assert "隐身党员" not in page
    assert "法律咨询" not in page


def test_staff_see_talents_shown_to_staff_only(client, building):
    from tests.factories import StaffFactory

    TalentFactory(
        resident__household__building=building,
        resident__talent_visibility="staff",
        skill__name="法律咨询",
    )
    client.force_login(StaffFactory(communities=[building.community]))
    assert "法律咨询" in client.get(building.get_absolute_url()).content.decode()


def test_community_talents_only_for_members_of_that_community(client, building):
    TalentFactory(
        resident__household__building=building,
        resident__talent_visibility="community",
        skill__name="修车",
    )
    url = building.community.get_absolute_url()
    assert "修车" not in client.get(url).content.decode()
    client.force_login(AccountResidentFactory().user)  # another community
    assert "修车" not in client.get(url).content.decode()
    client.force_login(
        AccountResidentFactory(household__building__community=building.community).user
    )
    assert "修车" in client.get(url).content.decode()


def test_announcement_has_text_for_the_wechat_group(client, building, settings):
    settings.SITE_URL = "https://louzu.example.cn"
    announcement = AnnouncementFactory(
        building=building, title="周六清洁日", body="上午9点门厅集合"
    )
    client.force_login(AccountResidentFactory(household__building=building).user)
    page = client.get(announcement.get_absolute_url()).content.decode()
    assert f"【{building.number}】周六清洁日" in page
    assert f"https://louzu.example.cn{announcement.get_absolute_url()}" in page


def test_english_is_complete_on_the_building_page(client, building):
    me = AccountResidentFactory(household__building=building)
    client.force_login(me.user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(building.get_absolute_url()).content.decode()
    assert "Leaders and team" in page and "Talents" in page
    assert "楼组长与自治团队" not in page


def test_home_sends_each_person_where_they_belong(client, building):
    assert client.get("/").status_code == 302
    member = AccountResidentFactory(household__building=building)
    client.force_login(member.user)
    assert client.get("/")["Location"] == building.get_absolute_url()
    pending = AccountResidentFactory(household__building=building, status="pending")
    client.force_login(pending.user)
    assert client.get("/")["Location"] == reverse("buildings:me")


def test_security_headers_on_every_response(client):
    for url in ["/accounts/login/", "/no-such-page/"]:
        response = client.get(url)
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
