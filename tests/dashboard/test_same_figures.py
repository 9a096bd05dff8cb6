"""A figure the dashboard shows is the figure its own page shows, in the same words."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from activities import services as activity_services
from core.templatetags.words import duration
from dashboard import figures
from proposals.deliberation.polls import services as poll_services
from tests.activities.factories import ActivityFactory
from tests.factories import HouseholdFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import PollFactory, end_voting
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def measures(client, community, label):
    """The cells of one column of the dashboard's "All measures" table (in English)."""
    figures.compute(community)
    page = client.get(
        reverse("dashboard:community", args=[community.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    return re.findall(rf'data-label="{label}">([^<]*)</td>', page)


def test_a_polls_turnout_is_rounded_as_on_its_page(roles, client):
    """1 household of 8 voted: 13% on the poll's page and its poster (half up), and
    it was 12% on the dashboard (Python's round() rounds 12.5 to even)."""
    building = roles.building
    HouseholdFactory.create_batch(8 - building.households.count(), building=building)
    poll = PollFactory(proposal__building=building, quorum_percent=10)
    poll_services.cast_ballot(
        poll=poll,
        option_id=poll.options.first().pk,
        resident=roles.resident.memberships.get(),
    )
    poll_services.close_poll(poll=end_voting(poll))
    client.force_login(roles.resident)
    page = client.get(poll.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "1 / 8 households (13%)" in page.content.decode()
    client.force_login(roles.staff)
    assert measures(client, building.community, "Turnout")[0] == "13%"


def test_an_activity_called_off_was_not_held(roles, client):
    """Cancelled before it began, it stays in the past list marked "Cancelled"; the
    dashboard counted it among the activities held."""
    building = roles.building
    held = ActivityFactory(
        building=building, starts_at=timezone.now() - timedelta(days=3)
    )
    called_off = ActivityFactory(building=building)
    activity_services.cancel_activity(
        activity=called_off, by=roles.leader, reason="下雨"
    )
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        client.force_login(roles.resident)
        page = client.get(reverse("activities:index", args=[building.pk]))
        past = page.context["past"]
        assert [(a.pk, a.is_cancelled) for a in past] == [
            (called_off.pk, True),
            (held.pk, False),
        ]
        client.force_login(roles.staff)
        assert measures(client, building.community, "Activities") == ["1", "0"]


def test_the_median_response_is_the_same_on_the_issue_list(roles, client):
    """Two answered reports, in 1 and 3 hours: the issue list said "usually answered
    within 3 hours" (the upper of the two middle values) and the dashboard 2 hours."""
    now = timezone.now()
    for hours in (1, 3):
        created = now - timedelta(days=2 + hours)
        first = IssueFactory(
            building=roles.building,
            created_at=created,
            first_response_at=created + timedelta(hours=hours),
        )
    # Neither a duplicate merged into another nor a report hidden for abuse counts.
    for late in ({"merged_into": first}, {"hidden_at": now}):
        IssueFactory(
            building=roles.building,
            created_at=now - timedelta(days=3),
            first_response_at=now - timedelta(days=1),
            **late,
        )
    client.force_login(roles.resident)
    page = client.get(reverse("proposals:issues", args=[roles.building.pk]))
    assert page.context["summary"]["median_hours"] == 2.0
    client.force_login(roles.staff)
    shown = measures(client, roles.building.community, "Median time to first response")
    assert shown[0] == duration(2.0)
    assert (
        f"Usually answered within {duration(2.0)}"
        in client.get(
            reverse("proposals:issues", args=[roles.building.pk]),
            HTTP_ACCEPT_LANGUAGE="en",
        ).content.decode()
    )
