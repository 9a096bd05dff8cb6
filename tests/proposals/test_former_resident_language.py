"""Someone who left the app stays on their comments as a "former resident", written in the
language of the request that removed them: every reader reads it in their own."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from buildings.privacy import leave
from proposals.models import IssueComment, IssueEvent, ProposalComment
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import ProposalFactory
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def commented_then_left(roles, language):
    """The resident comments on an issue and a proposal, then leaves in `language`."""
    user = roles.resident
    issue = IssueFactory(building=roles.building)
    IssueComment.objects.create(
        issue=issue,
        author=user,
        author_name=user.name,
        author_role=IssueEvent.Role.SUPPORTER,
        text="楼道灯还是不亮",
    )
    proposal = ProposalFactory(building=roles.building)
    ProposalComment.objects.create(
        proposal=proposal, author=user, author_name=user.name, text="我赞成"
    )
    with translation.override(language):
        leave(user=user)
    return issue, proposal


def read(client, obj, language):
    client.cookies["django_language"] = language
    return client.get(obj.get_absolute_url()).content.decode()


def test_english_readers_read_of_a_former_resident_who_left_in_chinese(roles, login):
    issue, proposal = commented_then_left(roles, "zh-hans")
    client = login(roles.team)
    for page in (read(client, issue, "en"), read(client, proposal, "en")):
        assert "Former resident" in page and "已退出居民" not in page


def test_chinese_readers_read_of_a_former_resident_who_left_in_english(roles, login):
    issue, proposal = commented_then_left(roles, "en")
    client = login(roles.team)
    for page in (read(client, issue, "zh-hans"), read(client, proposal, "zh-hans")):
        assert "已退出居民" in page and "Former resident" not in page


def test_a_roster_names_who_came_and_left_in_the_readers_language(roles, login):
    """The activity's roster names each sign-up's resident: someone who came, then
    left in Chinese, is a "Former resident" to an English-reading leader."""
    start = timezone.now() - timedelta(days=2)
    activity = ActivityFactory(
        building=roles.building, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    RegistrationFactory(
        activity=activity,
        resident=roles.resident.memberships.get(),
        attendance="checked_in",
    )
    with translation.override("zh-hans"):
        leave(user=roles.resident)
    client = login(roles.leader)
    client.cookies["django_language"] = "en"
    url = reverse("activities:roster", args=[roles.building.pk, activity.pk])
    page = client.get(url).content.decode()
    assert "Former resident" in page and "已退出居民" not in page
