"""Polls (docs/architecture.md, "Privacy rules"): one ballot per household, open vs secret, closing, decisions."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from buildings.models import ProxyAct
from proposals.deliberation.polls import services as poll_services
from proposals.models import Ballot, Convention, Poll, Proposal
from tests.factories import (
    AccountResidentFactory,
    BuildingFactory,
    HouseholdFactory,
    ResidentFactory,
)
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import (
    PollFactory,
    ProposalFactory,
    end_voting,
)

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def vote_url(poll):
    return reverse("proposals:poll-vote", args=[poll.building_id, poll.pk])


def option(poll, label):
    return poll.options.get(label=label)


@pytest.fixture
def poll(building):
    return PollFactory(proposal__building=building)


@pytest.fixture
def household_pair(building):
    """Two approved adults of one household."""
    first = AccountResidentFactory(household__building=building, name="张阿姨")
    second = AccountResidentFactory(household=first.household, name="陈小明")
    return first, second


def test_resident_votes_over_http(poll, household_pair, login):
    first, _second = household_pair
    response = login(first.user).post(
        vote_url(poll), {"option": option(poll, "同意").pk}
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.household == first.household and ballot.resident == first
    assert ballot.option.label == "同意" and ballot.origin == "online"


def test_open_ballot_can_be_changed_by_its_voter_until_close(poll, household_pair):
    first, _second = household_pair
    poll_services.cast_ballot(
        poll=poll, option_id=option(poll, "同意").pk, resident=first
    )
    poll_services.cast_ballot(
        poll=poll, option_id=option(poll, "反对").pk, resident=first
    )
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.option.label == "反对" and ballot.changed_at is not None
    assert Ballot.objects.count() == 1


def test_second_member_of_household_is_told_who_voted(poll, household_pair, login):
    first, second = household_pair
    poll_services.cast_ballot(
        poll=poll, option_id=option(poll, "同意").pk, resident=first
    )
    client = login(second.user)
    response = client.post(
        vote_url(poll), {"option": option(poll, "反对").pk}, follow=True
    )
    text = response.content.decode()
    assert f"{first.household.room}室已经投过票了（张阿姨" in text
    assert Ballot.objects.get(poll=poll).option.label == "同意"


def test_secret_ballot_cannot_be_changed_and_stores_no_choice(building, household_pair):
    poll = PollFactory(proposal__building=building, is_secret=True)
    first, _second = household_pair
    poll_services.cast_ballot(
        poll=poll, option_id=option(poll, "同意").pk, resident=first
    )
    with pytest.raises(ValidationError, match="不能更改"):
        poll_services.cast_ballot(
            poll=poll, option_id=option(poll, "反对").pk, resident=first
        )
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.option_id is None
    assert option(poll, "同意").secret_count == 1
    assert option(poll, "反对").secret_count == 0


def test_paper_then_online_is_refused(poll, household_pair, roles):
    first, _second = household_pair
    poll_services.cast_ballot(
        poll=poll,
        option_id=option(poll, "反对").pk,
        household=first.household,
        origin="paper",
        entered_by=roles.leader,
    )
    with pytest.raises(ValidationError, match="纸质"):
        poll_services.cast_ballot(
            poll=poll, option_id=option(poll, "同意").pk, resident=first
        )
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_online_then_paper_is_refused_over_http(poll, household_pair, roles, login):
    first, _second = household_pair
    poll_services.cast_ballot(
        poll=poll, option_id=option(poll, "同意").pk, resident=first
    )
    url = reverse("proposals:poll-enter", args=[poll.building_id, poll.pk])
    response = login(roles.leader).post(
        url,
        {
            "room": first.household.room,
            "option": option(poll, "反对").pk,
            "origin": "paper",
        },
    )
    assert response.status_code == 200
    assert "已经投过票了" in response.content.decode()
    assert Ballot.objects.get(poll=poll).origin == "online"


def test_leader_enters_proxy_ballot_for_elderly_resident(building, roles, login):
    poll = PollFactory(proposal__building=building)
    grandma = ResidentFactory(household__building=building, name="钱奶奶")
    url = reverse("proposals:poll-enter", args=[building.pk, poll.pk])
    response = login(roles.leader).post(
        url,
        {
            "room": grandma.household.room,
            "voter": "钱奶奶",
            "option": option(poll, "同意").pk,
            "origin": "proxy",
        },
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.entered_by == roles.leader and ballot.origin == "proxy"
    assert ballot.resident == grandma
    assert ProxyAct.objects.filter(resident=grandma, actor=roles.leader).exists()


def test_a_ballot_entered_for_a_resident_is_read_in_the_readers_language(
    building, roles, login
):
    poll = PollFactory(proposal__building=building, question="加装电梯")
    grandma = ResidentFactory(household__building=building, name="钱奶奶")
    client = login(roles.leader)  # in Chinese, the default
    client.post(
        reverse("proposals:poll-enter", args=[building.pk, poll.pk]),
        {
            "room": grandma.household.room,
            "voter": "钱奶奶",
            "option": option(poll, "同意").pk,
            "origin": "paper",
        },
    )
    client = login(roles.staff)
    client.cookies["django_language"] = "en"
    page = client.get(
        reverse("buildings:resident", args=[building.pk, grandma.pk])
    ).content.decode()
    assert "Entered a ballot (Paper slip) in “加装电梯”" in page
    assert "纸质" not in page


def test_slip_photo_is_kept_for_open_polls_and_refused_for_secret(building, roles):
    from django.core.files.base import ContentFile

    household = HouseholdFactory(building=building)
    poll = PollFactory(proposal__building=building)
    ballot = poll_services.cast_ballot(
        poll=poll,
        option_id=option(poll, "同意").pk,
        household=household,
        origin="paper",
        entered_by=roles.leader,
        slip_photo=ContentFile(b"jpeg", name="slip.jpg"),
    )
    assert ballot.slip_photo.name.startswith("ballot-slips/")
    secret = PollFactory(proposal__building=building, is_secret=True)
    with pytest.raises(ValidationError, match="拍照"):
        poll_services.cast_ballot(
            poll=secret,
            option_id=option(secret, "同意").pk,
            household=household,
            origin="paper",
            entered_by=roles.leader,
            slip_photo=ContentFile(b"jpeg", name="slip.jpg"),
        )
    assert not Ballot.objects.filter(poll=secret).exists()


def test_closing_time_is_enforced_to_the_second(building, household_pair):
    first, second = household_pair
    closes = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    poll = PollFactory(proposal__building=building, closes_at=closes)
    other = AccountResidentFactory(household__building=building)
    with time_machine.travel(closes - timedelta(seconds=1), tick=False):
        poll_services.cast_ballot(
            poll=poll, option_id=option(poll, "同意").pk, resident=first
        )
    with time_machine.travel(closes, tick=False):
        with pytest.raises(ValidationError, match="投票已于"):
            poll_services.cast_ballot(
                poll=poll, option_id=option(poll, "同意").pk, resident=other
            )
        # Nor can an open ballot be changed after the close.
        with pytest.raises(ValidationError):
            poll_services.cast_ballot(
                poll=poll, option_id=option(poll, "反对").pk, resident=first
            )
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert Ballot.objects.get(poll=poll).option.label == "同意"


def test_vote_after_close_is_refused_clearly_over_http(building, household_pair, login):
    first, _second = household_pair
    closes = timezone.now() + timedelta(minutes=5)
    poll = PollFactory(proposal__building=building, closes_at=closes)
    with time_machine.travel(closes + timedelta(seconds=1), tick=False):
        response = login(first.user).post(
            vote_url(poll), {"option": option(poll, "同意").pk}, follow=True
        )
    assert (
        "投票已于" in response.content.decode()
        and "未被记录" in response.content.decode()
    )
    assert not Ballot.objects.exists()


def test_vote_before_opening_is_refused(building, household_pair):
    first, _second = household_pair
    poll = PollFactory(
        proposal__building=building, opens_at=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="投票将于"):
        poll_services.cast_ballot(
            poll=poll, option_id=option(poll, "同意").pk, resident=first
        )


@pytest.mark.parametrize("forged", ["999999", "abc", "", "-1", "1.5"])
def test_forged_option_ids_are_refused(poll, household_pair, login, forged):
    first, _second = household_pair
    response = login(first.user).post(vote_url(poll), {"option": forged}, follow=True)
    assert response.status_code == 200
    assert "请选择本次投票的一个选项" in response.content.decode()
    assert not Ballot.objects.exists()


def test_option_of_another_poll_is_refused(building, poll, household_pair, login):
    first, _second = household_pair
    other = PollFactory(proposal__building=building)
    response = login(first.user).post(
        vote_url(poll), {"option": other.options.first().pk}, follow=True
    )
    assert "请选择本次投票的一个选项" in response.content.decode()
    assert not Ballot.objects.exists()


def test_vote_in_another_building_is_404(poll, login):
    stranger = AccountResidentFactory(household__building=BuildingFactory())
    response = login(stranger.user).post(
        vote_url(poll), {"option": poll.options.first().pk}
    )
    assert response.status_code == 404
    # Through the poll of their own building's URL with this poll's id: also 404.
    url = reverse("proposals:poll-vote", args=[stranger.household.building_id, poll.pk])
    assert login(stranger.user).post(url, {"option": 1}).status_code == 404
    assert not Ballot.objects.exists()


def test_service_refuses_household_of_another_building(poll, roles):
    elsewhere = HouseholdFactory(building=BuildingFactory())
    with pytest.raises(ValidationError):
        poll_services.cast_ballot(
            poll=poll,
            option_id=poll.options.first().pk,
            household=elsewhere,
            origin="paper",
            entered_by=roles.leader,
        )
    assert not Ballot.objects.exists()


def test_children_do_not_vote(poll, building):
    child = AccountResidentFactory(household__building=building, is_adult=False)
    with pytest.raises(ValidationError):
        poll_services.cast_ballot(
            poll=poll, option_id=poll.options.first().pk, resident=child
        )


def test_per_resident_electorate_lets_each_adult_vote(building, household_pair):
    first, second = household_pair
    poll = PollFactory(proposal__building=building, electorate="resident")
    poll_services.cast_ballot(
        poll=poll, option_id=option(poll, "同意").pk, resident=first
    )
    poll_services.cast_ballot(
        poll=poll, option_id=option(poll, "反对").pk, resident=second
    )
    results = poll_services.poll_results(poll)
    assert results.ballots == 2 and results.households_voted == 1


def test_a_closed_per_adult_polls_turnout_stays_when_people_move(
    building, household_pair, login
):
    first, second = household_pair
    AccountResidentFactory(household__building=building)  # a third adult, not voting
    poll = PollFactory(proposal__building=building, electorate="resident")
    for resident in (first, second):
        poll_services.cast_ballot(
            poll=poll, option_id=option(poll, "同意").pk, resident=resident
        )
    poll_services.close_poll(poll=poll, reason="大家都投了")
    before = poll_services.poll_results(poll)
    second.status = "left"
    second.save(update_fields=["status"])
    poll.refresh_from_db()
    after = poll_services.poll_results(poll)
    assert (after.ballots, after.eligible_persons) == (2, before.eligible_persons)
    page = login(first.user).get(poll.get_absolute_url()).content.decode()
    assert f"2 / {before.eligible_persons} " in page


def test_results_hidden_until_close_unless_live(building, household_pair, login):
    first, _second = household_pair
    hidden = PollFactory(proposal__building=building, labels=["甲方案", "乙方案"])
    live = PollFactory(
        proposal__building=building, labels=["丙方案", "丁方案"], results_live=True
    )
    poll_services.cast_ballot(
        poll=hidden, option_id=option(hidden, "甲方案").pk, resident=first
    )
    poll_services.cast_ballot(
        poll=live, option_id=option(live, "丙方案").pk, resident=first
    )
    client = login(AccountResidentFactory(household__building=building).user)
    hidden_html = client.get(hidden.get_absolute_url()).content.decode()
    assert "投票结束后公布结果" in hidden_html and "bar-row" not in hidden_html
    live_html = client.get(live.get_absolute_url()).content.decode()
    assert "bar-row" in live_html and "1 票 · 100%" in live_html


def test_needs_my_vote_list(building, household_pair):
    first, second = household_pair
    poll = PollFactory(proposal__building=building)
    PollFactory(proposal__building=building, closes_at=timezone.now())  # ended
    PollFactory(proposal__building=BuildingFactory())  # elsewhere
    assert list(Poll.objects.needing_vote_of(first)) == [poll]
    poll_services.cast_ballot(
        poll=poll, option_id=poll.options.first().pk, resident=second
    )
    assert list(Poll.objects.needing_vote_of(first)) == []  # the household has voted


def test_naming_poll_renames_the_building(building, roles):
    households = [HouseholdFactory(building=building) for _ in range(3)]
    poll = PollFactory(
        proposal__building=building,
        proposal__kind=Proposal.Kind.NAMING,
        labels=["睦邻楼", "花园楼"],
        quorum_percent=40,
    )
    for household, label in zip(
        households, ["睦邻楼", "睦邻楼", "花园楼"], strict=True
    ):
        poll_services.cast_ballot(
            poll=poll,
            option_id=option(poll, label).pk,
            household=household,
            origin="paper",
            entered_by=roles.leader,
        )
    poll_services.close_poll(poll=end_voting(poll), closed_by=roles.leader)
    building.refresh_from_db()
    poll.refresh_from_db()
    assert building.name == "睦邻楼"
    assert poll.outcome == "adopted" and poll.proposal.status == "adopted"


def test_convention_poll_sets_the_current_version(building, roles):
    households = [HouseholdFactory(building=building) for _ in range(5)]
    proposal = ProposalFactory(
        building=building, kind=Proposal.Kind.CONVENTION, body="不高空抛物。"
    )
    poll = poll_services.open_poll(
        proposal=proposal,
        created_by=roles.leader,
        question="通过楼组公约?",
        option_labels=["被忽略的选项"],
        opens_at=timezone.now() - timedelta(minutes=1),
        closes_at=timezone.now() + timedelta(days=1),
    )
    assert [o.kind for o in poll.options.all()] == ["yes", "no", "abstain"]
    for household in households:
        poll_services.cast_ballot(
            poll=poll,
            option_id=option(poll, "同意").pk,
            household=household,
            origin="door_to_door",
            entered_by=roles.leader,
        )
    poll_services.close_poll(poll=end_voting(poll))
    current = Convention.objects.current_for(building)
    assert current.version == 1 and current.text == "不高空抛物。"
    assert current.adopted_by_poll == poll


def test_no_quorum_means_rejected(building, roles):
    households = [HouseholdFactory(building=building) for _ in range(10)]
    poll = PollFactory(proposal__building=building, quorum_percent=50)
    poll_services.cast_ballot(
        poll=poll,
        option_id=option(poll, "同意").pk,
        household=households[0],
        origin="paper",
        entered_by=roles.leader,
    )
    poll_services.close_poll(poll=end_voting(poll))
    poll.refresh_from_db()
    assert poll.outcome == "no_quorum"
    assert poll.proposal.status == Proposal.Status.REJECTED


def test_secret_poll_cannot_show_live_results(building, roles):
    proposal = ProposalFactory(building=building)
    with pytest.raises(ValidationError):
        poll_services.open_poll(
            proposal=proposal,
            created_by=roles.leader,
            question="?",
            option_labels=[],
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=1),
            is_secret=True,
            results_live=True,
        )
    assert not Poll.objects.exists()


def test_open_poll_over_http(building, roles, login):
    proposal = ProposalFactory(building=building, kind=Proposal.Kind.NAMING)
    url = reverse("proposals:poll-create", args=[building.pk, proposal.pk])
    now = timezone.localtime()
    data = {
        "question": "给我们楼组起个名字",
        "options": "睦邻楼\n花园楼",
        "electorate": "household",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "quorum_percent": "50",
    }
    response = login(roles.leader).post(url, data)
    poll = Poll.objects.get()
    assert response.status_code == 302 and response.url == poll.get_absolute_url()
    assert [o.label for o in poll.options.all()] == ["睦邻楼", "花园楼"]
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.VOTING


def test_bad_poll_form_is_refused_with_a_message(building, roles, login):
    proposal = ProposalFactory(building=building, kind=Proposal.Kind.NAMING)
    url = reverse("proposals:poll-create", args=[building.pk, proposal.pk])
    response = login(roles.leader).post(
        url,
        {
            "question": "起名",
            "options": "只有一个名字",
            "electorate": "household",
            "opens_at": "2030-01-02T10:00",
            "closes_at": "2030-01-01T10:00",
            "quorum_percent": "150",
        },
    )
    assert response.status_code == 200
    assert not Poll.objects.exists()


def test_poll_page_query_budget_with_500_households(
    building, roles, login, django_assert_max_num_queries
):
    from buildings.models import Household

    Household.objects.bulk_create(
        Household(building=building, room=f"{1000 + i}") for i in range(500)
    )
    poll = PollFactory(proposal__building=building)
    options = list(poll.options.all())
    Ballot.objects.bulk_create(
        Ballot(
            poll=poll,
            household=household,
            slot=f"h:{household.pk}",
            option=options[i % 3],
            origin="paper",
            entered_by=roles.leader,
        )
        for i, household in enumerate(Household.objects.filter(building=building)[:500])
    )
    client = login(roles.leader)
    with django_assert_max_num_queries(20):
        response = client.get(poll.get_absolute_url())
    assert response.status_code == 200
    assert "500 / " in response.content.decode()


def test_due_polls_are_closed_by_the_cron_command(building, roles):
    import io

    from django.core.management import call_command

    household = HouseholdFactory(building=building)
    poll = PollFactory(
        proposal__building=building,
        proposal__kind=Proposal.Kind.NAMING,
        labels=["睦邻楼", "花园楼"],
        quorum_percent=0,
    )
    poll_services.cast_ballot(
        poll=poll,
        option_id=option(poll, "花园楼").pk,
        household=household,
        origin="paper",
        entered_by=roles.leader,
    )
    call_command("close_due_polls", stdout=io.StringIO())
    poll.refresh_from_db()
    assert poll.closed_at is None  # not due yet
    with time_machine.travel(poll.closes_at + timedelta(seconds=1), tick=False):
        call_command("close_due_polls", stdout=io.StringIO())
    poll.refresh_from_db()
    building.refresh_from_db()
    assert poll.outcome == "adopted" and building.name == "花园楼"


def test_result_poster_after_close(roles, login):
    from proposals.deliberation.polls import services as poll_services

    poll = PollFactory(proposal__building=roles.building, question="楼组取名")
    client = login(roles.resident)
    url = reverse("proposals:poll-poster", args=[roles.building.pk, poll.pk])
    assert client.get(url).status_code == 302  # still open: no poster yet
    poll_services.close_poll(poll=end_voting(poll), closed_by=roles.leader)
    page = client.get(url).content.decode()
    assert "楼组取名" in page and "<svg" in page and "表决结果" in page
    assert login(roles.outsider).get(url).status_code == 404


# --- Closing before the end time: a reason, and never a thin secret count ------------


def close_url(poll):
    return reverse("proposals:poll-close", args=[poll.building_id, poll.pk])


def households_of(building):
    return list(building.households.order_by("pk"))


def enter_paper_ballots(poll, households, leader, label="同意"):
    for household in households:
        poll_services.cast_ballot(
            poll=poll,
            option_id=option(poll, label).pk,
            household=household,
            origin="paper",
            entered_by=leader,
        )


def test_closing_early_without_a_reason_is_refused(poll, roles, login):
    response = login(roles.leader).post(close_url(poll), {"reason": "  "}, follow=True)
    assert "提前结束投票需要说明理由" in response.content.decode()
    poll.refresh_from_db()
    assert poll.closed_at is None and poll.outcome == ""


def test_the_reason_for_closing_early_is_shown_with_the_result(
    building, poll, roles, login
):
    enter_paper_ballots(poll, households_of(building)[:3], roles.leader)
    response = login(roles.leader).post(
        close_url(poll), {"reason": "楼道漏水急需维修，已过半数同意"}
    )
    assert response.status_code == 302
    poll.refresh_from_db()
    assert poll.outcome == "adopted"
    assert poll.closed_early_reason == "楼道漏水急需维修，已过半数同意"
    resident = login(roles.resident)
    page = resident.get(poll.get_absolute_url()).content.decode()
    assert "提前结束" in page and "楼道漏水急需维修，已过半数同意" in page
    poster = resident.get(
        reverse("proposals:poll-poster", args=[building.pk, poll.pk])
    ).content.decode()
    assert "楼道漏水急需维修，已过半数同意" in poster
    english = resident.get(poll.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "Closed before its end time" in english.content.decode()


def test_a_reason_too_long_is_refused_not_cut(poll, roles, login):
    response = login(roles.leader).post(
        close_url(poll), {"reason": "理" * 301}, follow=True
    )
    assert "300" in response.content.decode()
    poll.refresh_from_db()
    assert poll.closed_at is None


def test_closing_at_the_end_time_needs_no_reason(poll, roles, login):
    end_voting(poll)
    assert login(roles.leader).post(close_url(poll)).status_code == 302
    poll.refresh_from_db()
    assert poll.closed_at is not None and poll.closed_early_reason == ""


def test_a_secret_poll_below_quorum_cannot_be_closed_early(building, roles, login):
    poll = PollFactory(proposal__building=building, is_secret=True, quorum_percent=75)
    enter_paper_ballots(poll, households_of(building)[:1], roles.leader, "反对")
    response = login(roles.leader).post(
        close_url(poll), {"reason": "大家都说过了"}, follow=True
    )
    assert "未达到法定人数的无记名投票" in response.content.decode()
    poll.refresh_from_db()
    assert poll.closed_at is None
    assert login(roles.resident).get(poll.get_absolute_url()).status_code == 200
    # At its end time it is counted like any other poll: quorum not reached.
    poll_services.close_poll(poll=end_voting(poll), closed_by=roles.leader)
    poll.refresh_from_db()
    assert poll.outcome == "no_quorum" and poll.closed_early_reason == ""


def test_a_secret_poll_can_close_early_once_every_household_has_voted(building, roles):
    poll = PollFactory(proposal__building=building, is_secret=True, quorum_percent=100)
    households = households_of(building)
    enter_paper_ballots(poll, households[:-1], roles.leader)
    with pytest.raises(ValidationError):
        poll_services.close_poll(poll=poll, closed_by=roles.leader, reason="都投完了")
    enter_paper_ballots(poll, households[-1:], roles.leader)
    poll_services.close_poll(poll=poll, closed_by=roles.leader, reason="都投完了")
    poll.refresh_from_db()
    assert poll.outcome == "adopted" and poll.closed_early_reason == "都投完了"
