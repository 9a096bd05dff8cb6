"""Consultations (征询): answering once, door-to-door entry, bad input, charts, CSV."""

import csv
import io

import pytest
from django.urls import reverse

from proposals.models import Answer, ConsultationResponse
from tests.factories import AccountResidentFactory, HouseholdFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import ConsultationFactory
from tests.proposals.deliberation.test_permissions import answer_data

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


@pytest.fixture
def consultation(building):
    return ConsultationFactory(building=building)


def answer_url(c):
    return reverse("proposals:consultation-answer", args=[c.building_id, c.pk])


def test_resident_answers_once(consultation, roles, login):
    client = login(roles.resident)
    data = answer_data(consultation)
    assert client.post(answer_url(consultation), data).status_code == 302
    response = client.post(answer_url(consultation), data, follow=True)
    assert "您已经回答过这次征询了" in response.content.decode()
    assert ConsultationResponse.objects.count() == 1
    assert Answer.objects.count() == 4  # single + two of multiple + text


def test_results_are_bar_charts_after_answering(consultation, roles, login):
    client = login(roles.resident)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "bar-svg" not in page
    client.post(answer_url(consultation), answer_data(consultation))
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert page.count('class="bar-svg"') == 5  # 2 + 3 choices
    assert "1 票 · 100%" in page and "多种点花" in page


@pytest.mark.parametrize(
    "tamper",
    ["forged_choice", "other_question_choice", "two_singles", "too_long", "missing"],
)
def test_bad_answers_store_nothing(consultation, roles, login, tamper):
    other = ConsultationFactory(building=consultation.building)
    data = answer_data(consultation)
    single, multiple, text = consultation.questions.all()
    if tamper == "forged_choice":
        data[f"q{single.pk}"] = "999999"
    elif tamper == "other_question_choice":
        data[f"q{multiple.pk}"] = [str(other.questions.first().choices.first().pk)]
    elif tamper == "two_singles":
        data[f"q{single.pk}"] = [str(c.pk) for c in single.choices.all()]
    elif tamper == "too_long":
        data[f"q{text.pk}"] = "长" * 1001
    elif tamper == "missing":
        del data[f"q{single.pk}"]
    response = login(roles.resident).post(answer_url(consultation), data)
    assert response.status_code == 400
    assert "请检查下面的回答" in response.content.decode()
    assert not ConsultationResponse.objects.exists()


def test_duplicate_choice_in_service_is_refused(consultation, roles):
    from django.core.exceptions import ValidationError

    from proposals.deliberation.consultations import services as consultation_services

    single, multiple, text = consultation.questions.all()
    choice = multiple.choices.first()
    with pytest.raises(ValidationError, match="同一个选项"):
        consultation_services.submit_response(
            consultation=consultation,
            answers={single: [single.choices.first()], multiple: [choice, choice]},
            resident=roles.resident.memberships.get(),
        )
    assert not ConsultationResponse.objects.exists()


def test_closed_consultation_refuses_answers(building, roles, login):
    from datetime import timedelta

    from django.utils import timezone

    closed = ConsultationFactory(
        building=building,
        opens_at=timezone.now() - timedelta(days=3),
        closes_at=timezone.now() - timedelta(days=1),
    )
    response = login(roles.resident).post(
        answer_url(closed), answer_data(closed), follow=True
    )
    assert "不在作答时间内" in response.content.decode()
    assert not ConsultationResponse.objects.exists()


def test_volunteer_enters_door_to_door_answers_marked_as_such(
    consultation, roles, login
):
    HouseholdFactory(building=consultation.building, room="501")
    url = reverse(
        "proposals:consultation-visit", args=[consultation.building_id, consultation.pk]
    )
    client = login(roles.team)
    data = {"room": "501室", **answer_data(consultation)}
    assert client.post(url, data).status_code == 302
    response = ConsultationResponse.objects.get()
    assert response.origin == "door_to_door" and response.entered_by == roles.team
    assert response.household.room == "501" and response.resident is None
    again = client.post(url, data)
    assert again.status_code == 400
    assert "501室已经在这次征询中走访过了" in again.content.decode()
    assert ConsultationResponse.objects.count() == 1


def test_visit_to_unknown_room_is_a_clear_error(consultation, roles, login):
    url = reverse(
        "proposals:consultation-visit", args=[consultation.building_id, consultation.pk]
    )
    response = login(roles.team).post(
        url, {"room": "9999", **answer_data(consultation)}
    )
    assert response.status_code == 400
    assert "没有9999" in response.content.decode().replace(" ", "")
    assert not ConsultationResponse.objects.exists()


def test_csv_export(consultation, roles, login):
    resident = roles.resident.memberships.get()
    login(roles.resident).post(answer_url(consultation), answer_data(consultation))
    url = reverse(
        "proposals:consultation-export",
        args=[consultation.building_id, consultation.pk],
    )
    response = login(roles.team).get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["序号", "门牌号"] or rows[0][0] == "序号"
    assert rows[0][5:] == [q.text for q in consultation.questions.all()]
    assert rows[1][1] == resident.household.room and rows[1][2] == "线上"
    assert rows[1][5] == "换新门" and rows[1][6] == "种花; 清洁"
    assert resident.name not in response.content.decode("utf-8-sig")


def test_csv_cells_cannot_run_formulas(consultation, roles, login):
    data = answer_data(consultation)
    text = consultation.questions.get(kind="text")
    data[f"q{text.pk}"] = '=HYPERLINK("http://evil")'
    login(roles.resident).post(answer_url(consultation), data)
    url = reverse(
        "proposals:consultation-export",
        args=[consultation.building_id, consultation.pk],
    )
    body = login(roles.team).get(url).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_questions_cannot_change_after_answers(consultation, roles, login):
    login(roles.resident).post(answer_url(consultation), answer_data(consultation))
    url = reverse(
        "proposals:consultation-questions",
        args=[consultation.building_id, consultation.pk],
    )
    response = login(roles.team).post(url, {"text": "新增", "kind": "text"})
    assert response.status_code == 200
    assert "已经有人作答" in response.content.decode()
    assert consultation.questions.count() == 3


def test_consultation_page_query_budget(
    consultation, roles, login, django_assert_max_num_queries
):
    for _ in range(40):
        resident = AccountResidentFactory(household__building=consultation.building)
        from proposals.deliberation.consultations import (
            services as consultation_services,
        )

        single, multiple, text = consultation.questions.all()
        consultation_services.submit_response(
            consultation=consultation,
            answers={
                single: [single.choices.first()],
                multiple: list(multiple.choices.all()[:2]),
                text: "好",
            },
            resident=resident,
        )
    client = login(roles.team)
    with django_assert_max_num_queries(16):
        assert client.get(consultation.get_absolute_url()).status_code == 200
    url = reverse(
        "proposals:consultation-export",
        args=[consultation.building_id, consultation.pk],
    )
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


# --- One answer per household at the door; a consultation not open yet ---------------


def visit_url(c):
    return reverse("proposals:consultation-visit", args=[c.building_id, c.pk])


def test_a_household_that_answered_online_is_not_entered_again_at_the_door(
    consultation, roles, login
):
    """Two residents of room 601 answered online; the door-to-door entry is refused."""
    household = HouseholdFactory(building=consultation.building, room="601")
    for _ in range(2):
        resident = AccountResidentFactory(household=household)
        assert (
            login(resident.user)
            .post(answer_url(consultation), answer_data(consultation))
            .status_code
            == 302
        )
    response = login(roles.team).post(
        visit_url(consultation), {"room": "601", **answer_data(consultation)}
    )
    assert response.status_code == 400
    assert "601室已经在线回答过这次征询" in response.content.decode()
    assert ConsultationResponse.objects.filter(household=household).count() == 2
    assert not ConsultationResponse.objects.filter(origin="door_to_door").exists()


def test_a_household_visited_at_the_door_does_not_answer_again_online(
    consultation, roles, login
):
    resident = AccountResidentFactory(
        household__building=consultation.building, household__room="602"
    )
    entered = login(roles.team).post(
        visit_url(consultation), {"room": "602", **answer_data(consultation)}
    )
    assert entered.status_code == 302
    client = login(resident.user)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "您家的回答已在入户走访时登记" in page
    assert answer_url(consultation) not in page  # no answer form
    refused = client.post(
        answer_url(consultation), answer_data(consultation), follow=True
    )
    assert "您家的回答已在入户走访时登记：每户一份回答" in refused.content.decode()
    assert ConsultationResponse.objects.count() == 1


def test_a_consultation_not_open_yet_says_so(building, roles, login):
    from datetime import timedelta

    from django.utils import timezone

    later = ConsultationFactory(
        building=building,
        opens_at=timezone.now() + timedelta(days=2),
        closes_at=timezone.now() + timedelta(days=9),
    )
    client = login(roles.resident)
    page = client.get(later.get_absolute_url()).content.decode()
    assert "尚未开始" in page and "已结束" not in page
    assert "bar-svg" not in page  # no results before anyone could answer
    listing = client.get(
        reverse("proposals:consultations", args=[building.pk])
    ).content.decode()
    assert "尚未开始" in listing and "已结束" not in listing
    english = client.get(later.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "not open yet" in english.content.decode()
    refused = client.post(answer_url(later), answer_data(later), follow=True)
    assert "还不能作答" in refused.content.decode()
    assert not ConsultationResponse.objects.exists()
