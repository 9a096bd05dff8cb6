"""A secret poll's choices can never be paired with a voter (docs/architecture.md, "Privacy rules").

The crawl builds two worlds that differ only in who chose what: in world A 张三 chose
甲方案 and 李四 chose 乙方案; in world B the other way round. Every page, export,
admin screen and audit record must read the same in both worlds (ids, dates and
tokens aside). If anything anywhere paired a voter with a choice, the worlds would
differ. A control run with an open poll shows the crawl does notice when they do.
"""

import json
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from proposals.deliberation.polls import services as poll_services
from proposals.models import Ballot, PollOption
from tests.factories import (
    AccountResidentFactory,
    BuildingFactory,
    HouseholdFactory,
    StaffFactory,
)
from tests.proposals.deliberation.factories import PollFactory, end_voting

pytestmark = pytest.mark.django_db


def build_world(*, swap: bool, secret: bool, staff):
    building = BuildingFactory()
    leader = AccountResidentFactory(
        household=HouseholdFactory(building=building, room="101"),
        role="leader",
        name="王组长",
    )
    zhang = AccountResidentFactory(
        household=HouseholdFactory(building=building, room="301"), name="张三"
    )
    li = AccountResidentFactory(
        household=HouseholdFactory(building=building, room="302"), name="李四"
    )
    zhao = AccountResidentFactory(
        household=HouseholdFactory(building=building, room="303"), name="赵五"
    )
    poll = PollFactory(
        proposal__building=building,
        proposal__title="门厅铁门方案",
        proposal__author=leader.user,
        created_by=leader.user,
        question="选哪种门?",
        labels=["甲方案", "乙方案"],
        is_secret=secret,
        quorum_percent=0,
    )
    first, second = poll.options.get(label="甲方案"), poll.options.get(label="乙方案")
    zhang_choice, li_choice = (second, first) if swap else (first, second)
    poll_services.cast_ballot(poll=poll, option_id=zhang_choice.pk, resident=zhang)
    poll_services.cast_ballot(poll=poll, option_id=li_choice.pk, resident=li)
    poll_services.cast_ballot(
        poll=poll,
        option_id=first.pk,
        household=zhao.household,
        origin="paper",
        entered_by=leader.user,
    )
    return {
        "building": building,
        "poll": poll,
        "viewers": [zhang.user, li.user, zhao.user, leader.user, staff],
    }


def normalise(text: str) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r"csrftoken=[^;]+", "", text)
    return re.sub(r"\d+", "#", text)


def crawl(world, staff):
    """Everything anyone can see about the poll: pages, admin screens, audit records."""
    building, poll = world["building"], world["poll"]
    b = building.pk
    pages = [
        poll.get_absolute_url(),
        poll.proposal.get_absolute_url(),
        reverse("proposals:decisions", args=[b]),
        reverse("proposals:proposals", args=[b]),
        reverse("buildings:notifications"),
    ]
    seen = []
    for user in world["viewers"]:
        client = Client()
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            seen.append(normalise(response.content.decode()))
    admin = Client()
    admin.force_login(staff)
    ballots = Ballot.objects.filter(poll=poll).order_by("household__room")
    admin_pages = [
        reverse("admin:proposals_ballot_changelist") + f"?poll__id__exact={poll.pk}",
        reverse("admin:proposals_poll_change", args=[poll.pk]),
        reverse("admin:proposals_proposal_change", args=[poll.proposal_id]),
    ] + [reverse("admin:proposals_ballot_change", args=[b.pk]) for b in ballots]
    for url in admin_pages:
        response = admin.get(url)
        assert response.status_code == 200, url
        seen.append(normalise(response.content.decode()))
    # The audit trail of every ballot and option of the poll.
    for model, objects in [(Ballot, ballots), (PollOption, poll.options.all())]:
        content_type = ContentType.objects.get_for_model(model)
        for obj in objects:
            for entry in LogEntry.objects.filter(
                content_type=content_type, object_pk=str(obj.pk)
            ).order_by("pk"):
                seen.append(
                    normalise(
                        json.dumps(
                            [entry.action, entry.changes, entry.object_repr],
                            ensure_ascii=False,
                            sort_keys=True,
                        )
                    )
                )
    # And the raw rows themselves: nothing in a ballot row names a choice.
    for ballot in ballots:
        seen.append(normalise(repr(sorted(ballot.__dict__.items())[1:])))
    return seen


def differences(secret: bool) -> int:
    staff = StaffFactory(is_superuser=True)
    world_a = build_world(swap=False, secret=secret, staff=staff)
    world_b = build_world(swap=True, secret=secret, staff=staff)
    for world in (world_a, world_b):
        poll_services.close_poll(poll=end_voting(world["poll"]))
    seen_a, seen_b = crawl(world_a, staff), crawl(world_b, staff)
    assert len(seen_a) == len(seen_b)
    return sum(1 for a, b in zip(seen_a, seen_b, strict=True) if a != b)


def test_no_page_admin_or_audit_record_pairs_a_voter_with_a_secret_choice():
    assert differences(secret=True) == 0


def test_the_crawl_notices_when_choices_are_open():
    """Control: in an open poll choices are shown, so the two worlds differ."""
    assert differences(secret=False) > 0


def test_secret_results_are_still_counted_and_shown(login):
    staff = StaffFactory(is_superuser=True)
    world = build_world(swap=False, secret=True, staff=staff)
    poll_services.close_poll(poll=end_voting(world["poll"]))
    html = login(world["viewers"][0]).get(world["poll"].get_absolute_url())
    text = html.content.decode()
    assert "2 票 · 67%" in text and "1 票 · 33%" in text
    assert "3*1" in text and "张三" not in text.split("已投票住户")[1]
    assert not Ballot.objects.filter(poll=world["poll"], option__isnull=False).exists()


def test_ballot_and_choice_share_no_column():
    """Structural: the ballot's only link to an option is the open-poll choice field."""
    links = [
        f.name
        for f in Ballot._meta.get_fields()
        if f.is_relation and f.related_model is PollOption
    ]
    assert links == ["option"]
    assert not [
        f
        for f in PollOption._meta.get_fields()
        if f.related_model is Ballot and not f.auto_created
    ]


@pytest.mark.parametrize("secret", [True, False])
def test_the_audit_trail_keeps_no_time_of_a_secret_ballot(secret):
    """An audit entry carries its time: a secret ballot gets none (the ballot admin
    hides the same time); an open poll's ballots stay in the audit trail."""
    world = build_world(swap=False, secret=secret, staff=StaffFactory())
    ballots = Ballot.objects.filter(poll=world["poll"])
    assert ballots.count() == 3
    logged = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Ballot),
        object_pk__in=[str(pk) for pk in ballots.values_list("pk", flat=True)],
    )
    if secret:
        assert not logged.exists()
    else:
        assert logged.count() == 3
