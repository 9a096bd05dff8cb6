"""The paper path: a blank household ballot and a blank door-to-door questionnaire, one
line per room in natural order, a QR code to the online page and the way to enter
what was collected."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from buildings.models import Household
from proposals.deliberation.polls import services as poll_services
from proposals.models import Question
from tests.conftest import ALL_ROLES
from tests.core.test_uploads import photo_bytes
from tests.factories import HouseholdFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import (
    ConsultationFactory,
    PollFactory,
    end_voting,
)

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

ORGANISERS = {"team", "leader", "staff"}
MANAGERS = {"leader", "staff"}


def expected(role, allowed):
    if role in allowed:
        return 200
    if role == "visitor":
        return 302
    if role in {"outsider", "pending"}:
        return 404
    return 403


def ballot_url(poll):
    return reverse("proposals:poll-ballot", args=[poll.building_id, poll.pk])


def sheet_url(consultation):
    return reverse(
        "proposals:consultation-sheet", args=[consultation.building_id, consultation.pk]
    )


def room_lines(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr[^>]*>\s*<td>([^<]+)", body)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_prints_a_blank_ballot(roles, login, role):
    poll = PollFactory(proposal__building=roles.building)
    response = login(roles.get(role)).get(ballot_url(poll))
    assert response.status_code == expected(role, MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_prints_a_blank_questionnaire(roles, login, role):
    consultation = ConsultationFactory(building=roles.building)
    response = login(roles.get(role)).get(sheet_url(consultation))
    assert response.status_code == expected(role, ORGANISERS)


def test_ballot_has_every_room_in_natural_order_a_qr_code_and_the_entry_link(
    roles, login
):
    for room in ["1201", "201", "1001", "12", "301", "2"]:
        HouseholdFactory(building=roles.building, room=room)
    poll = PollFactory(proposal__building=roles.building, question="门厅铁门换新吗？")
    page = login(roles.leader).get(ballot_url(poll)).content.decode()
    rooms = [
        r.strip()
        for r in room_lines(page)
        if r.strip() in {"1201", "201", "1001", "12", "301", "2"}
    ]
    assert rooms == ["2", "12", "201", "301", "1001", "1201"]
    assert len(room_lines(page)) == roles.building.households.count()
    assert "门厅铁门换新吗？" in page and "同意" in page and "反对" in page
    assert "<svg" in page and poll.get_absolute_url() in page  # the QR code
    assert reverse("proposals:poll-enter", args=[roles.building.pk, poll.pk]) in page
    assert "deliberation.css" in page  # the A4 print styles
    # a tick column per option
    assert page.count('class="tick-col"') == 3


def test_households_that_voted_are_marked_and_no_choice_is_shown(roles, login):
    poll = PollFactory(proposal__building=roles.building, is_secret=True)
    voter = roles.resident.memberships.get()
    option = poll.options.get(label="反对")
    poll_services.cast_ballot(poll=poll, option_id=option.pk, resident=voter)
    page = login(roles.leader).get(ballot_url(poll)).content.decode()
    assert page.count('class="room-done"') == 1
    assert "已投过" in page
    assert 'class="tick-col"' not in page  # a secret poll: no choices on room lines
    assert "不写房号" in page  # the separate slip
    # the slip lists options once and the header once: no count is revealed
    assert page.count("反对") == 2


def test_many_options_get_a_number_column(roles, login):
    poll = PollFactory(
        proposal__building=roles.building,
        labels=["和园", "睦邻", "花苑", "乐居", "同心"],
    )
    page = login(roles.leader).get(ballot_url(poll)).content.decode()
    assert 'class="tick-col"' not in page and "所选编号" in page
    assert "<strong>5.</strong> 同心" in page


def test_option_photos_are_on_the_blank_ballot_numbered_as_the_options(roles, login):
    poll = PollFactory(proposal__building=roles.building, labels=["方案甲", "方案乙"])
    second = poll.options.order_by("position", "pk")[1]
    second.photo = ContentFile(photo_bytes(), name="b.jpg")
    second.save()
    page = login(roles.leader).get(ballot_url(poll)).content.decode()
    assert f'src="{second.photo.url}"' in page
    assert "2. 方案乙</figcaption>" in page


def test_a_closed_poll_has_no_blank_ballot(roles, login):
    poll = end_voting(PollFactory(proposal__building=roles.building))
    poll_services.close_poll(poll=poll, closed_by=roles.leader, reason="")
    response = login(roles.leader).get(ballot_url(poll), follow=True)
    assert "不需要再收集选票" in response.content.decode()
    assert response.redirect_chain[-1][0] == poll.get_absolute_url()


def test_poll_of_another_building_is_404(roles, login):
    poll = PollFactory()
    url = reverse("proposals:poll-ballot", args=[roles.building.pk, poll.pk])
    assert login(roles.leader).get(url).status_code == 404
    huge = reverse(
        "proposals:poll-ballot", args=[roles.building.pk, 99999999999999999999]
    )
    assert login(roles.leader).get(huge).status_code == 404


def test_questionnaire_lists_questions_choices_and_rooms(roles, login):
    for room in ["102", "101", "1101"]:
        HouseholdFactory(building=roles.building, room=room)
    consultation = ConsultationFactory(building=roles.building, title="门厅改造征询")
    page = login(roles.team).get(sheet_url(consultation)).content.decode()
    assert "门厅改造征询" in page and "门厅铁门怎么修" in page and "其他建议" in page
    assert "<strong>A</strong> 换新门" in page and "<strong>C</strong> 亲子" in page
    rooms = [r for r in room_lines(page) if r in {"101", "102", "1101"}]
    assert rooms == ["101", "102", "1101"]
    assert "<svg" in page and consultation.get_absolute_url() in page
    visit = reverse(
        "proposals:consultation-visit", args=[roles.building.pk, consultation.pk]
    )
    assert visit in page


def test_many_questions_split_into_several_room_tables(roles, login):
    HouseholdFactory(building=roles.building, room="101")
    consultation = ConsultationFactory(building=roles.building)
    for n in range(5):
        Question.objects.create(
            consultation=consultation, text=f"补充问题{n}", kind="text", position=10 + n
        )
    page = login(roles.leader).get(sheet_url(consultation)).content.decode()
    assert page.count('class="table table-bordered sign-table paper-rooms"') == 2


def test_print_pages_in_english(roles, login):
    poll = PollFactory(proposal__building=roles.building)
    consultation = ConsultationFactory(building=roles.building)
    client = login(roles.leader)
    client.cookies["django_language"] = "en"
    assert "Household ballot" in client.get(ballot_url(poll)).content.decode()
    sheet = client.get(sheet_url(consultation)).content.decode()
    assert "Door-to-door questionnaire" in sheet and "Q1" in sheet


def test_leaders_find_the_print_links(roles, login):
    poll = PollFactory(proposal__building=roles.building)
    consultation = ConsultationFactory(building=roles.building)
    leader = login(roles.leader)
    assert ballot_url(poll) in leader.get(poll.get_absolute_url()).content.decode()
    team = login(roles.team)
    assert sheet_url(consultation) in (
        team.get(consultation.get_absolute_url()).content.decode()
    )
    resident = login(roles.resident)
    assert (
        ballot_url(poll) not in resident.get(poll.get_absolute_url()).content.decode()
    )


def test_print_queries_do_not_grow_with_rooms(
    roles, login, django_assert_max_num_queries
):
    Household.objects.bulk_create(
        Household(building=roles.building, room=str(1000 + n)) for n in range(300)
    )
    poll = PollFactory(proposal__building=roles.building)
    consultation = ConsultationFactory(building=roles.building)
    client = login(roles.leader)
    client.get(ballot_url(poll))
    with django_assert_max_num_queries(10):
        page = client.get(ballot_url(poll)).content.decode()
    assert len(room_lines(page)) >= 300
    with django_assert_max_num_queries(10):
        page = client.get(sheet_url(consultation)).content.decode()
    assert len(room_lines(page)) >= 300
