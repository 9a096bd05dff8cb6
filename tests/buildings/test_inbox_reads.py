"""Opening the inbox: it reads what is new, and writes nothing when nothing is new."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buildings.models import Notification
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def message(user, text):
    return Notification.objects.create(
        recipient=user, kind="announcement", text=text, link="/"
    )


def writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(WRITES)
    ]


def test_opening_the_inbox_reads_the_new_messages(roles, login):
    resident = roles.resident
    message(resident, "电梯检修")
    message(resident, "停水通知")
    client = login(resident)
    assert client.get(reverse("buildings:me")).context["unread_count"] == 2

    inbox = client.get(reverse("buildings:notifications"))

    assert inbox.status_code == 200
    assert inbox.content.decode().count("fw-semibold") == 2  # shown as new this once
    assert not Notification.objects.filter(recipient=resident, read_at=None).exists()
    assert client.get(reverse("buildings:me")).context["unread_count"] == 0


def test_an_inbox_with_nothing_new_writes_nothing(roles, login):
    resident = roles.resident
    message(resident, "电梯检修")
    client = login(resident)
    client.get(reverse("buildings:notifications"))  # reads it
    read_at = Notification.objects.get(recipient=resident).read_at

    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("buildings:notifications"))

    assert again.status_code == 200 and "电梯检修" in again.content.decode()
    assert writes(queries) == []
    assert Notification.objects.get(recipient=resident).read_at == read_at


def test_an_empty_inbox_writes_nothing(roles, login):
    client = login(roles.leader)
    with CaptureQueriesContext(connection) as queries:
        inbox = client.get(reverse("buildings:notifications"))
    assert inbox.status_code == 200
    assert writes(queries) == []


def test_only_the_readers_own_messages_are_marked_read(roles, login):
    message(roles.resident, "电梯检修")
    message(roles.team, "电梯检修")
    login(roles.resident).get(reverse("buildings:notifications"))
    assert Notification.objects.get(recipient=roles.team).read_at is None
