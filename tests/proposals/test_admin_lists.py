"""Admin lists: the filters staff use to find rows, and when a ballot's time may be shown."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from buildings.models import ProxyAct
from proposals.models import Ballot, Choice, IssueReporterLook, Question
from tests.factories import AccountResidentFactory, BuildingFactory, StaffFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import ConsultationFactory, PollFactory
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def _staff(grant, *perms):
    """Staff of every community of the test (the admin keeps staff to theirs)."""
    from buildings.models import Community

    return grant(StaffFactory(communities=list(Community.objects.all())), *perms)


def _changelist(client, name, query=""):
    return client.get(reverse(f"admin:{name}_changelist") + query)


def test_reporter_looks_filter_by_who_looked_and_building(building, grant, login):
    other_building = BuildingFactory(community=building.community)
    here, there = IssueFactory(building=building), IssueFactory(building=other_building)
    auditor, colleague = StaffFactory(), StaffFactory()
    IssueReporterLook.objects.create(issue=here, viewer=auditor)
    IssueReporterLook.objects.create(issue=there, viewer=auditor)
    IssueReporterLook.objects.create(issue=here, viewer=colleague)
    client = login(_staff(grant, "proposals.view_issuereporterlook"))

    by_viewer = _changelist(
        client, "proposals_issuereporterlook", f"?viewer__id__exact={auditor.pk}"
    )
    by_building = _changelist(
        client,
        "proposals_issuereporterlook",
        f"?issue__building__id__exact={other_building.pk}",
    )

    assert by_viewer.status_code == 200
    assert {look.viewer_id for look in by_viewer.context["cl"].result_list} == {
        auditor.pk
    }
    assert by_viewer.context["cl"].result_count == 2
    assert [look.issue_id for look in by_building.context["cl"].result_list] == [
        there.pk
    ]


def test_proxy_acts_filter_by_who_acted(building, roles, grant, login):
    grandma = AccountResidentFactory(household__building=building)
    ProxyAct.objects.create(resident=grandma, actor=roles.leader, action="代投一票")
    ProxyAct.objects.create(resident=grandma, actor=roles.team, action="代签公约")
    client = login(_staff(grant, "buildings.view_proxyact"))

    response = _changelist(
        client, "buildings_proxyact", f"?actor__id__exact={roles.team.pk}"
    )

    assert response.status_code == 200
    assert [act.action for act in response.context["cl"].result_list] == ["代签公约"]


def test_choices_filter_by_question_kind(building, grant, login):
    consultation = ConsultationFactory(building=building)
    single = Question.objects.create(
        consultation=consultation, text="门禁", kind=Question.Kind.SINGLE
    )
    multiple = Question.objects.create(
        consultation=consultation, text="绿化", kind=Question.Kind.MULTIPLE
    )
    Choice.objects.create(question=single, label="换新")
    Choice.objects.create(question=multiple, label="月季")
    client = login(_staff(grant, "proposals.view_choice"))

    response = _changelist(
        client, "proposals_choice", f"?question__kind__exact={Question.Kind.MULTIPLE}"
    )

    listed = list(response.context["cl"].result_list)
    assert response.status_code == 200
    assert "月季" in [c.label for c in listed]
    assert "换新" not in [c.label for c in listed]
    assert {c.question.kind for c in listed} == {Question.Kind.MULTIPLE}


@pytest.fixture
def ballots(building):
    """One ballot in an open poll and one in a secret poll, from the same household."""
    household = AccountResidentFactory(household__building=building).household
    open_poll = PollFactory(proposal__building=building)
    secret_poll = PollFactory(proposal__building=building, is_secret=True)
    for poll in (open_poll, secret_poll):
        Ballot.objects.create(
            poll=poll,
            household=household,
            slot=f"h:{household.pk}",
            option=None if poll.is_secret else poll.options.first(),
        )
    return open_poll, secret_poll


def test_open_polls_ballots_can_be_drilled_into_by_date(ballots, grant, login):
    open_poll, _secret = ballots
    cast = timezone.localtime(Ballot.objects.get(poll=open_poll).cast_at)
    client = login(_staff(grant, "proposals.view_ballot"))

    listed = _changelist(client, "proposals_ballot", "?poll__is_secret__exact=0")
    that_day = _changelist(
        client,
        "proposals_ballot",
        f"?poll__is_secret__exact=0&cast_at__year={cast.year}"
        f"&cast_at__month={cast.month}&cast_at__day={cast.day}",
    )

    assert listed.context["cl"].date_hierarchy == "cast_at"
    assert that_day.status_code == 200
    assert [b.poll_id for b in that_day.context["cl"].result_list] == [open_poll.pk]


@pytest.mark.parametrize(
    "query",
    [
        "",  # every ballot, secret ones included
        "?poll__is_secret__exact=1",
        "?poll__is_secret__exact=1&poll__is_secret__exact=0",
    ],
)
def test_a_list_that_may_hold_secret_ballots_has_no_dates(ballots, grant, login, query):
    _open, secret_poll = ballots
    client = login(_staff(grant, "proposals.view_ballot"))

    listed = _changelist(client, "proposals_ballot", query)
    year = Ballot.objects.get(poll=secret_poll).cast_at.year
    sep = "&" if query else "?"
    by_year = _changelist(
        client, "proposals_ballot", f"{query}{sep}cast_at__year={year}"
    )
    since = _changelist(
        client, "proposals_ballot", f"{query}{sep}cast_at__gte=2000-01-01"
    )

    assert listed.status_code == 200
    assert listed.context["cl"].date_hierarchy is None
    assert "cast_at__year" not in listed.content.decode()
    assert by_year.status_code == 400
    assert since.status_code == 400


def test_poll_list_says_results_as_the_poll_page_does(building, grant, login):
    election = PollFactory(
        proposal__building=building, labels=["王阿姨", "李师傅"], outcome="adopted"
    )
    election.winner = election.options.get(label="李师傅")
    election.save()
    PollFactory(proposal__building=building, outcome="adopted")  # a motion
    PollFactory(proposal__building=building, outcome="no_quorum")
    PollFactory(proposal__building=building)  # still open
    client = login(_staff(grant, "proposals.view_poll"))

    page = _changelist(client, "proposals_poll").content.decode()
    results = re.findall(r'<td class="field-result">(.*?)</td>', page)

    # Not the stored label ("Adopted", 已通过) for a person elected.
    assert sorted(results) == sorted(["李师傅 当选", "通过", "未达到有效票数", "—"])
