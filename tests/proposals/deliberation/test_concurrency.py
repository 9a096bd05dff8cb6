"""One ballot per household under concurrent votes, proven on PostgreSQL (docs/architecture.md, "Concurrency guards").

The guard has two layers: the household row lock (core.races.locked) and the
UniqueConstraint on (poll, slot). Each layer alone holds; with both off, the race
stores several ballots for one household, so the proof is not vacuous.
"""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buildings.models import ChangeNote, Notification
from proposals.deliberation.consultations import services as consultation_services
from proposals.deliberation.conventions import services as convention_services
from proposals.deliberation.polls import services as poll_services
from proposals.models import (
    Ballot,
    ConsultationResponse,
    ConventionSignature,
    Poll,
    PollOption,
)
from tests.concurrency import requires_postgres, storm, without_constraint
from tests.factories import AccountResidentFactory, HouseholdFactory, UserFactory
from tests.proposals.deliberation.factories import (
    ConsultationFactory,
    ConventionFactory,
    PollFactory,
    ProposalFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), requires_postgres]

N = 20


def one_household_votes(poll, residents):
    option_id = poll.options.first().pk

    def vote(i):
        return poll_services.cast_ballot(
            poll=poll, option_id=option_id, resident=residents[i]
        )

    return storm(N, vote)


@pytest.fixture
def crowd():
    """Twenty adults of one household, all eager to vote."""
    household = HouseholdFactory()
    residents = [AccountResidentFactory(household=household) for _ in range(N)]
    poll = PollFactory(proposal__building=household.building)
    return poll, residents


def only_refusals(errors):
    return all(isinstance(e, ValidationError) for e in errors)


def test_twenty_concurrent_votes_from_one_household_store_one(settings, crowd):
    settings.LOUZU_RACE_PAUSE = 0.05
    poll, residents = crowd
    results, errors = one_household_votes(poll, residents)
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert len(errors) == N - 1 and only_refusals(errors)


def test_twin_without_lock_and_constraint_stores_several(settings, crowd):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    poll, residents = crowd
    with without_constraint(Ballot, "one_ballot_per_slot"):
        one_household_votes(poll, residents)
        stored = Ballot.objects.filter(poll=poll).count()
    assert stored > 1, "with every guard off the race must show"


def test_constraint_alone_still_stores_one(settings, crowd):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    poll, residents = crowd
    results, errors = one_household_votes(poll, residents)
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert len(errors) == N - 1 and only_refusals(errors)  # IntegrityError -> message


def test_lock_alone_still_stores_one(settings, crowd):
    settings.LOUZU_RACE_PAUSE = 0.05
    poll, residents = crowd
    with without_constraint(Ballot, "one_ballot_per_slot"):
        one_household_votes(poll, residents)
        stored = Ballot.objects.filter(poll=poll).count()
    assert stored == 1


def test_paper_and_online_at_once_store_one(settings):
    settings.LOUZU_RACE_PAUSE = 0.05
    household = HouseholdFactory()
    residents = [AccountResidentFactory(household=household) for _ in range(N // 2)]
    leader = UserFactory()
    poll = PollFactory(proposal__building=household.building)
    option_id = poll.options.first().pk

    def vote(i):
        if i % 2:
            return poll_services.cast_ballot(
                poll=poll, option_id=option_id, resident=residents[i // 2]
            )
        return poll_services.cast_ballot(
            poll=poll,
            option_id=option_id,
            household=household,
            origin="paper",
            entered_by=leader,
        )

    results, errors = storm(N, vote)
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert len(errors) == N - 1 and only_refusals(errors)


def test_secret_counts_match_ballots_under_concurrency(settings):
    settings.LOUZU_RACE_PAUSE = 0.01
    first = HouseholdFactory()
    households = [first] + [
        HouseholdFactory(building=first.building) for _ in range(N - 1)
    ]
    voters = [AccountResidentFactory(household=h) for h in households]
    poll = PollFactory(proposal__building=first.building, is_secret=True)
    options = list(poll.options.all())

    def vote(i):
        return poll_services.cast_ballot(
            poll=poll, option_id=options[i % 3].pk, resident=voters[i]
        )

    results, errors = storm(N, vote)
    assert errors == []
    counts = [o.secret_count for o in PollOption.objects.filter(poll=poll)]
    assert counts == [7, 7, 6]
    assert Ballot.objects.filter(poll=poll).count() == N


def test_twenty_concurrent_signatures_from_one_household_store_one(settings):
    settings.LOUZU_RACE_PAUSE = 0.05
    household = HouseholdFactory()
    residents = [AccountResidentFactory(household=household) for _ in range(N)]
    convention = ConventionFactory(building=household.building)

    def sign(i):
        return convention_services.sign_convention(
            convention=convention, resident=residents[i]
        )

    results, errors = storm(N, sign)
    assert ConventionSignature.objects.filter(convention=convention).count() == 1
    assert len(errors) == N - 1 and only_refusals(errors)


def test_twin_signatures_without_guards_store_several(settings):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    household = HouseholdFactory()
    residents = [AccountResidentFactory(household=household) for _ in range(N)]
    convention = ConventionFactory(building=household.building)

    def sign(i):
        return convention_services.sign_convention(
            convention=convention, resident=residents[i]
        )

    with without_constraint(ConventionSignature, "convention_signed_once"):
        storm(N, sign)
        stored = ConventionSignature.objects.filter(convention=convention).count()
    assert stored > 1


# --- Consultations: one answer per household at the door ----------------------------


@contextmanager
def without_visit_or_online_constraint():
    """Drop the PostgreSQL-only exclusion constraint of migration 0005 for a twin test."""
    table = ConsultationResponse._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {table} DROP CONSTRAINT consultation_visit_or_online"
        )
    try:
        yield
    finally:
        ConsultationResponse.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT consultation_visit_or_online "
                "EXCLUDE USING gist (consultation_id WITH =, household_id WITH =, "
                "origin WITH <>)"
            )


@pytest.fixture
def doorstep():
    """Ten residents of one household answering online while volunteers enter a visit."""
    household = HouseholdFactory()
    residents = [AccountResidentFactory(household=household) for _ in range(N // 2)]
    consultation = ConsultationFactory(building=household.building)
    single, multiple, text = consultation.questions.all()
    answers = {
        single: [single.choices.first()],
        multiple: [multiple.choices.first()],
        text: "楼道灯要修",
    }
    volunteer = UserFactory()

    def answer(i):
        if i % 2:
            return consultation_services.submit_response(
                consultation=consultation, answers=answers, resident=residents[i // 2]
            )
        return consultation_services.submit_response(
            consultation=consultation,
            answers=answers,
            household=household,
            entered_by=volunteer,
        )

    return household, answer


def origins_of(household):
    return list(
        ConsultationResponse.objects.filter(household=household).values_list(
            "origin", flat=True
        )
    )


def assert_one_answer_per_household(origins):
    """Online answers only, or the one answer taken at the door: never both."""
    assert origins
    assert len(set(origins)) == 1
    assert origins.count("door_to_door") <= 1


def test_online_answers_and_door_visits_at_once_keep_one_answer_per_household(
    settings, doorstep
):
    settings.LOUZU_RACE_PAUSE = 0.05
    household, answer = doorstep
    results, errors = storm(N, answer)
    assert_one_answer_per_household(origins_of(household))
    assert only_refusals(errors)


def test_exclusion_constraint_alone_keeps_one_answer_per_household(settings, doorstep):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    household, answer = doorstep
    results, errors = storm(N, answer)
    assert_one_answer_per_household(origins_of(household))
    assert only_refusals(errors)  # the constraint's IntegrityError -> a message


def test_household_lock_alone_keeps_one_answer_per_household(settings, doorstep):
    settings.LOUZU_RACE_PAUSE = 0.05
    household, answer = doorstep
    with without_visit_or_online_constraint():
        storm(N, answer)
        origins = origins_of(household)
    assert_one_answer_per_household(origins)


def test_twin_without_lock_and_constraint_mixes_door_and_online(settings, doorstep):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    household, answer = doorstep
    with without_visit_or_online_constraint():
        storm(N, answer)
        origins = origins_of(household)
    assert set(origins) == {"online", "door_to_door"}, "the race must show"


# --- Closing a poll while ballots, edits and cancellations arrive ---------------------


def _clients(users):
    # Each answer is read from its status code: a 500 in one thread must not be raised
    # in another (the test client's exception signal is shared by every thread).
    clients = []
    for user in users:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    return clients


def test_closing_while_households_vote_answers_every_request(settings):
    """Ballots lock their household, never the building: close_poll takes the building
    before the poll, so a ballot taking it after the poll deadlocked (500s)."""
    settings.LOUZU_RACE_PAUSE = 0.05
    building = HouseholdFactory().building
    leaders = [
        AccountResidentFactory(household__building=building, role="leader").user
        for _ in range(3)
    ]
    voters = [
        AccountResidentFactory(household__building=building).user for _ in range(N)
    ]
    poll = PollFactory(proposal__building=building)
    option_id = poll.options.first().pk
    close = reverse("proposals:poll-close", args=[building.pk, poll.pk])
    vote = reverse("proposals:poll-vote", args=[building.pk, poll.pk])
    clients = _clients(leaders + voters)

    def post(i):
        if i < len(leaders):
            return clients[i].post(close, {"reason": "大家都投了"}).status_code
        return clients[i].post(vote, {"option": option_id}).status_code

    codes, errors = storm(len(clients), post)
    assert errors == []
    assert set(codes) == {302}
    poll.refresh_from_db()
    assert poll.closed_at is not None
    assert Notification.objects.filter(kind="poll_closed").count() == len(
        leaders + voters
    )  # closed once: each household told once


def test_closing_editing_and_cancelling_at_once_answer_every_request(settings):
    """An edit or cancellation locks the building before the poll, as closing does."""
    settings.LOUZU_RACE_PAUSE = 0.05
    building = HouseholdFactory().building
    leaders = [
        AccountResidentFactory(household__building=building, role="leader").user
        for _ in range(9)
    ]
    poll = PollFactory(proposal__building=building)
    urls = [
        reverse(f"proposals:poll-{action}", args=[building.pk, poll.pk])
        for action in ("close", "cancel", "edit")
    ]
    data = {
        "reason": "写错了",
        "question": "新的问题",
        "option_0": "甲",
        "option_1": "乙",
        "option_2": "丙",
        "closes_at": (timezone.localtime() + timedelta(days=3)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
    }
    clients = _clients(leaders)
    codes, errors = storm(
        len(clients), lambda i: clients[i].post(urls[i % 3], data).status_code
    )
    assert errors == []
    assert 500 not in codes
    poll.refresh_from_db()
    # Each request saw the poll as the one before it left it: edits (an edit may follow
    # an edit), then at most one of closing or cancelling, never both, each edit and
    # the cancellation written once in the visible history.
    closed, cancelled, edits = (
        poll.closed_at is not None,
        poll.is_cancelled,
        poll.version - 1,
    )
    assert not (closed and cancelled)
    assert 0 <= edits <= 3
    assert closed or cancelled or edits
    notes = ChangeNote.objects.filter(
        content_type=ContentType.objects.get_for_model(Poll), object_id=poll.pk
    )
    assert notes.filter(action=ChangeNote.Action.EDITED).count() == edits
    assert notes.filter(action=ChangeNote.Action.CANCELLED).count() == int(cancelled)


# --- Opening a poll while a leader decides the proposal -------------------------------


def test_opening_a_poll_while_the_proposal_is_decided_answers_every_request(settings):
    """A status change locks the building before the proposal; opening a poll took the
    proposal, then the building (the new poll's key), and the two deadlocked (500s)."""
    settings.LOUZU_RACE_PAUSE = 0.05
    building = HouseholdFactory().building
    leaders = [
        AccountResidentFactory(household__building=building, role="leader").user
        for _ in range(12)
    ]
    proposal = ProposalFactory(building=building)
    now = timezone.localtime()
    data = {
        "question": "装新门吗?",
        "options": "",
        "electorate": "household",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "quorum_percent": 50,
        "status": "withdrawn",
        "note": "不做了",
    }
    urls = [
        reverse(f"proposals:{name}", args=[building.pk, proposal.pk])
        for name in ("poll-create", "proposal-status")
    ]
    clients = _clients(leaders)
    codes, errors = storm(
        len(clients), lambda i: clients[i].post(urls[i % 2], data).status_code
    )
    assert errors == []
    assert 500 not in codes
    proposal.refresh_from_db()
    polls = Poll.objects.filter(proposal=proposal).count()
    # Whichever came first: put to the vote once, or withdrawn with no poll.
    assert (proposal.status, polls) in {("voting", 1), ("withdrawn", 0)}
