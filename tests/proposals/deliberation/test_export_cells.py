"""The consultation CSV: questions, answers, choices and names are shown, never run."""

import csv
import io

import pytest
from django.urls import reverse

from buildings.models import User
from proposals.models import Answer, Choice, Question
from tests.factories import HouseholdFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import ConsultationFactory
from tests.proposals.deliberation.test_permissions import answer_data

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_every_typed_text_is_shown_never_run(building, roles, login):
    consultation = ConsultationFactory(building=building)
    Question.objects.filter(consultation=consultation, kind="single").update(
        text="@SUM(A1:A9)"
    )
    Choice.objects.filter(question__consultation=consultation, position=0).update(
        label="+1 换新门"
    )
    User.objects.filter(pk=roles.team.pk).update(name="-1+1 志愿者")
    HouseholdFactory(building=building, room="501")
    visit = reverse("proposals:consultation-visit", args=[building.pk, consultation.pk])
    data = {"room": "501", **answer_data(consultation)}
    assert login(roles.team).post(visit, data).status_code == 302
    # An escape character before the formula, as older data might hold it.
    Answer.objects.filter(question__kind="text").update(
        text='\x1b=HYPERLINK("http://evil.example","点")'
    )

    response = login(roles.team).get(
        reverse("proposals:consultation-export", args=[building.pk, consultation.pk])
    )
    assert response.status_code == 200
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "'@SUM(A1:A9)" in header
    assert "'-1+1 志愿者" in row
    assert "'+1 换新门" in row
    assert row[-1] == '\'=HYPERLINK("http://evil.example","点")'
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
