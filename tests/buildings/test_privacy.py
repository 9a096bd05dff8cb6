"""Download my data; leave and be anonymised while counts stay intact."""

import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import translation

from buildings.models import Resident, User
from tests.factories import AccountResidentFactory, TalentFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_download_my_data(client):
    talent = TalentFactory(resident__name="张阿姨", skill__name="理发")
    user = talent.resident.user
    User.objects.filter(pk=user.pk).update(large_text=True, language="en")
    client.force_login(user)
    response = client.get(reverse("buildings:my-data"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["phone"] == user.phone
    assert data["account"]["large_text"] is True
    assert data["account"]["language"] == "en"
    assert data["memberships"][0]["talents"] == [
        {"skill": "理发", "offer": talent.offer}
    ]


def test_leaving_needs_the_password(client):
    resident = AccountResidentFactory()
    client.force_login(resident.user)
    response = client.post(reverse("buildings:leave"), {"password": "wrong"})
    assert response.status_code == 200
    assert User.objects.get(pk=resident.user.pk).is_active


def test_leaving_removes_name_and_phone_but_keeps_the_rows(client, building):
    resident = AccountResidentFactory(
        household__building=building, name="张阿姨", user__name="张阿姨"
    )
    TalentFactory(resident=resident)
    user = resident.user
    phone = user.phone
    client.force_login(user)
    response = client.post(reverse("buildings:leave"), {"password": "pass-word-123"})
    assert response.status_code == 302
    user.refresh_from_db()
    resident.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert user.phone != phone and user.name != "张阿姨"
    assert resident.status == Resident.Status.LEFT and resident.name != "张阿姨"
    assert not resident.talents.exists()
    assert Resident.objects.filter(pk=resident.pk).exists()
    for entry in LogEntry.objects.all():
        assert phone not in json.dumps(entry.changes_dict, ensure_ascii=False)
        assert "张阿姨" not in json.dumps(entry.changes_dict, ensure_ascii=False)
        assert "张阿姨" not in entry.object_repr
    assert client.get(building.get_absolute_url()).status_code == 302


def test_export_and_leaving_cover_every_app(client, building):
    from buildings.permissions import access_for
    from proposals.issues import services as issue_services
    from tests.activities.factories import ActivityFactory, RegistrationFactory
    from tests.funds.factories import donate, ready_fund
    from tests.proposals.deliberation.factories import PollFactory
    from tests.proposals.factories import IssueFactory

    resident = AccountResidentFactory(
        household__building=building, name="张阿姨", user__name="张阿姨"
    )
    issue = IssueFactory(building=building, reporter=resident, title="楼道灯坏了")
    issue_services.comment_on_issue(
        issue=issue,
        access=access_for(resident.user, building),
        author=resident.user,
        text="晚上很黑",
        is_supporter=False,
    )
    poll = PollFactory(proposal__building=building, is_secret=True)
    from proposals.deliberation.polls import services as poll_services

    poll_services.cast_ballot(
        poll=poll, option_id=poll.options.first().pk, resident=resident
    )
    RegistrationFactory(activity=ActivityFactory(building=building), resident=resident)
    fund, leader, _rule = ready_fund(building)
    donate(fund, leader, "50", donor_resident=resident, public_name="name")

    client.force_login(resident.user)
    data = json.loads(client.get(reverse("buildings:my-data")).content)
    assert data["proposals"]["issues_reported"][0]["title"] == "楼道灯坏了"
    assert data["proposals"]["ballots"] == [
        {"poll": poll.question, "choice": "", "secret": True, "origin": "online"}
    ]
    assert len(data["activities"]["sign_ups"]) == 1
    assert data["funds"]["donations"][0]["amount"] == "50.00"

    client.post(reverse("buildings:leave"), {"password": "pass-word-123"})
    assert poll.ballots.count() == 1
    assert fund.entries.balance() == 50
    client.force_login(leader)
    statement = client.get(
        reverse("funds:statement", args=[building.pk])
    ).content.decode()
    assert "张阿姨" not in statement
    issue_page = client.get(issue.get_absolute_url()).content.decode()
    assert (
        "张阿姨" not in issue_page
        and "楼道灯坏了" in issue_page
        and "晚上很黑" in issue_page
    )


def test_my_data_says_an_open_ballots_choice_in_my_language(client, building):
    """The poll's In favour was written in Chinese by the leader who opened it; a
    resident reading in English downloads "In favour", as the poll page says."""
    from proposals.deliberation.polls import services as poll_services
    from proposals.models import PollOption
    from tests.proposals.deliberation.factories import PollFactory

    resident = AccountResidentFactory(household__building=building)
    User.objects.filter(pk=resident.user.pk).update(language="en")
    with translation.override("zh-hans"):
        poll = PollFactory(proposal__building=building, is_secret=False)
    yes = poll.options.get(kind=PollOption.Kind.YES)
    assert yes.label == "同意"
    poll_services.cast_ballot(poll=poll, option_id=yes.pk, resident=resident)
    client.force_login(resident.user)
    client.cookies["django_language"] = "en"
    data = json.loads(client.get(reverse("buildings:my-data")).content)
    assert data["proposals"]["ballots"][0]["choice"] == "In favour"
