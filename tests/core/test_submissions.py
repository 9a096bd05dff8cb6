"""A form sent twice (a double tap, Back and send again) is saved once and answered as
the first time (core/submissions.py); a new form, or the same form filled in
differently, is sent as usual. The race is proven on PostgreSQL, with its twin."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.models import Shift
from core.models import Submission
from proposals.models import Issue
from tests.concurrency import requires_postgres, storm
from tests.gardens.factories import GardenSpaceFactory

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def form_token(client, url):
    """The CSRF token of the form on the page, as a browser would send it back."""
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def report(building, token, title="三楼灯坏了"):
    return {
        "csrfmiddlewaretoken": token,
        "category": "facilities",
        "title": title,
        "text": "楼梯灯不亮",
        "location": "stairwell",
        "floor": "3",
    }


def test_a_report_sent_twice_is_saved_once_and_answered_the_same(roles):
    client = signed_in(roles.resident)
    url = reverse("proposals:issue-create", args=[roles.building.pk])
    data = report(roles.building, form_token(client, url))
    first = client.post(url, data)
    again = client.post(url, data)
    issue = Issue.objects.get(building=roles.building, title="三楼灯坏了")
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == issue.get_absolute_url()
    told = [str(m) for m in get_messages(again.wsgi_request)]
    assert any("Thank you" in m or "谢谢" in m for m in told), told


def test_a_new_form_or_other_fields_are_new_reports(roles):
    client = signed_in(roles.resident)
    url = reverse("proposals:issue-create", args=[roles.building.pk])
    token = form_token(client, url)
    client.post(url, report(roles.building, token))
    client.post(url, report(roles.building, token, title="四楼灯也坏了"))
    client.post(url, report(roles.building, form_token(client, url)))
    assert Issue.objects.filter(building=roles.building).count() == 3


def test_a_form_with_errors_can_be_sent_again(roles):
    client = signed_in(roles.resident)
    url = reverse("proposals:issue-create", args=[roles.building.pk])
    data = report(roles.building, form_token(client, url)) | {"title": ""}
    assert client.post(url, data).status_code == 400
    assert client.post(url, data).status_code == 400  # errors again, not a replay
    assert not Submission.objects.exists()


def test_a_message_quoting_a_nul_character_is_kept_without_it(roles):
    """PostgreSQL's JSON holds no U+0000: an answer whose message quotes what was sent
    (an invalid choice) is kept without it, and the form is answered, not failed."""
    client = signed_in(roles.leader)
    url = reverse("buildings:talent-ask", args=[roles.building.pk])
    token = form_token(client, reverse("buildings:team", args=[roles.building.pk]))
    data = {"csrfmiddlewaretoken": token, "resident": "12\x00", "skill": "理发"}
    first = client.post(url, data)
    client.get(first["Location"])  # its message shown
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    told = [str(m) for m in get_messages(again.wsgi_request)]
    assert len(told) == 1 and "12" in told[0] and "\x00" not in told[0], told
    [kept] = Submission.objects.values_list("messages", flat=True)
    assert [text for _level, text, _tags in kept] == told


def test_care_turns_added_twice_are_added_once(roles):
    space = GardenSpaceFactory(building=roles.building)
    client = signed_in(roles.leader)
    start = timezone.localtime() + timedelta(days=2)
    data = {
        "csrfmiddlewaretoken": form_token(
            client, reverse("gardens:detail", args=[roles.building.pk, space.pk])
        ),
        "first_starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 30,
        "weeks": 4,
    }
    url = reverse("gardens:turns", args=[roles.building.pk, space.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    space.refresh_from_db()
    assert Shift.objects.filter(task=space.rota).count() == 4


def test_another_persons_form_is_theirs(roles):
    url = reverse("proposals:issue-create", args=[roles.building.pk])
    for user in (roles.resident, roles.leader):
        client = signed_in(user)
        client.post(url, report(roles.building, form_token(client, url)))
    assert Issue.objects.filter(building=roles.building).count() == 2


def test_forms_sent_a_day_ago_are_forgotten(roles):
    client = signed_in(roles.resident)
    url = reverse("proposals:issue-create", args=[roles.building.pk])
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        client.post(url, report(roles.building, form_token(client, url)))
    client.post(url, report(roles.building, form_token(client, url), title="新的"))
    call_command("forget_submissions", stdout=open("/dev/null", "w"))
    assert Submission.objects.count() == 1


# --- The race: many copies of one form at once (PostgreSQL) ---------------------------

N = 10


def copies_at_once(roles, settings):
    settings.LOUZU_RACE_PAUSE = 0.05
    client = signed_in(roles.resident)
    url = reverse("proposals:issue-create", args=[roles.building.pk])
    data = report(roles.building, form_token(client, url))
    clients = [signed_in(roles.resident) for _ in range(N)]
    for copy in clients:
        copy.cookies = client.cookies
    return storm(N, lambda i: clients[i].post(url, data))


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_ten_copies_at_once_save_one_report_and_all_are_answered(roles, settings):
    responses, errors = copies_at_once(roles, settings)
    assert errors == []
    issue = Issue.objects.get(building=roles.building)
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {issue.get_absolute_url()}


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twin_without_the_guard_saves_several(roles, settings):
    settings.LOUZU_GUARDS_OFF = True
    copies_at_once(roles, settings)
    assert Issue.objects.filter(building=roles.building).count() > 1
