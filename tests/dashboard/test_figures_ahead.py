"""The dashboard's figures are computed ahead by the task worker; a page view only reads
them, and "Refresh now" queues a computation and returns at once."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from buildings.models import Community
from dashboard import figures
from dashboard.models import Figures
from outbox.schedule import queue_due_jobs
from tests.conftest import ALL_ROLES
from tests.factories import BuildingFactory, StaffFactory
from tests.proposals.factories import IssueFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def run_worker():
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)


def open_issues(response) -> int:
    return sum(row.issues_open for row in response.context["rows"])


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_worker_computes_every_communitys_figures_on_its_schedule(
    roles, database_queue
):
    other = BuildingFactory()  # another community
    IssueFactory(building=roles.building)
    with time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        assert "compute_dashboards" in queue_due_jobs()
        run_worker()
    stored = {f.community_id: f for f in Figures.objects.all()}
    assert set(stored) == set(Community.objects.values_list("pk", flat=True))
    assert {roles.building.community_id, other.community_id} <= set(stored)
    [row] = [
        r
        for r in stored[roles.building.community_id].rows
        if r["building"] == roles.building.pk
    ]
    assert row["issues_open"] == 1
    assert stored[other.community_id].computed_at == datetime(
        2026, 6, 1, 10, 0, tzinfo=SHANGHAI
    )
    with time_machine.travel(datetime(2026, 6, 1, 10, 4, tzinfo=SHANGHAI), tick=False):
        assert "compute_dashboards" not in queue_due_jobs()
    with time_machine.travel(datetime(2026, 6, 1, 10, 5, tzinfo=SHANGHAI), tick=False):
        assert "compute_dashboards" in queue_due_jobs()


@pytest.mark.django_db
def test_a_page_view_never_computes_once_the_figures_exist(
    roles, login, monkeypatch, settings
):
    settings.LOUZU_PAGE_CACHE = False
    figures.compute(roles.building.community)
    IssueFactory(building=roles.building)

    def no_computing(*args, **kwargs):
        raise AssertionError("a page view computed the figures")

    monkeypatch.setattr(figures, "community_rows", no_computing)
    client = login(roles.staff)
    url = reverse("dashboard:community", args=[roles.building.community_id])
    response = client.get(url)
    assert response.status_code == 200
    assert open_issues(response) == 0  # as computed, until the worker computes again
    assert (
        client.get(url + "?fresh=1").status_code == 200
    )  # the old link computes nothing


@pytest.mark.django_db(transaction=True)
def test_refresh_now_queues_the_worker_and_returns_at_once(
    roles, login, database_queue, monkeypatch
):
    url = reverse("dashboard:community", args=[roles.building.community_id])
    refresh = reverse("dashboard:refresh", args=[roles.building.community_id])
    client = login(roles.staff)
    client.get(url)  # the community's first figures
    IssueFactory(building=roles.building)

    computed = []
    real = figures.community_rows
    monkeypatch.setattr(
        figures, "community_rows", lambda *a, **k: computed.append(1) or real(*a, **k)
    )
    response = client.post(refresh, follow=True)
    assert computed == []  # the request only queued it
    assert response.redirect_chain[-1][0] == url
    page = response.content.decode()
    assert "后台" in page  # "being computed again by the background worker"
    assert open_issues(response) == 0
    client.post(refresh)  # a second tap within the minute queues nothing more
    assert (
        DBTaskResult.objects.filter(task_path="dashboard.tasks.compute_figures").count()
        == 1
    )

    run_worker()
    assert computed == [1]
    response = client.get(url)
    assert open_issues(response) == 1
    assert Figures.objects.get().refresh_requested_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_staff_refresh_the_figures(roles, login, role, database_queue):
    figures.compute(roles.building.community)
    refresh = reverse("dashboard:refresh", args=[roles.building.community_id])
    response = login(roles.get(role)).post(refresh)
    assert response.status_code == {"staff": 302, "visitor": 302}.get(role, 403)
    asked = Figures.objects.get().refresh_requested_at is not None
    assert asked == (role == "staff")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, answer", [("other_staff", 403), ("town_staff", 302), ("superuser", 302)]
)
def test_only_this_communitys_staff_refresh_its_figures(
    roles, login, who, answer, database_queue
):
    """Staff of another community may not queue this community's figures."""
    figures.compute(roles.building.community)
    person = StaffFactory(is_superuser=True) if who == "superuser" else roles.get(who)
    refresh = reverse("dashboard:refresh", args=[roles.building.community_id])
    assert login(person).post(refresh).status_code == answer
    asked = Figures.objects.get().refresh_requested_at is not None
    assert asked == (answer == 302)


@pytest.mark.django_db
def test_refresh_is_a_post_and_an_unknown_community_is_404(roles, login):
    client = login(roles.staff)
    assert (
        client.get(
            reverse("dashboard:refresh", args=[roles.building.community_id])
        ).status_code
        == 405
    )
    unknown = reverse("dashboard:refresh", args=[999999])
    assert client.post(unknown).status_code == 403  # not one of theirs
    assert login(StaffFactory(is_superuser=True)).post(unknown).status_code == 404


@pytest.mark.django_db
def test_the_refresh_page_speaks_english(roles, login):
    client = login(roles.staff)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("dashboard:refresh", args=[roles.building.community_id]), follow=True
    )
    assert "background worker" in response.content.decode()


@pytest.mark.django_db
def test_a_building_added_after_the_figures_shows_at_the_next_computation(
    roles, login, settings
):
    settings.LOUZU_PAGE_CACHE = False
    figures.compute(roles.building.community)
    new = BuildingFactory(community=roles.building.community, number="99号楼")
    client = login(roles.staff)
    url = reverse("dashboard:community", args=[roles.building.community_id])
    assert new not in [row.building for row in client.get(url).context["rows"]]
    figures.compute(roles.building.community)
    assert new in [row.building for row in client.get(url).context["rows"]]
    new.delete()  # a building removed since: its row is left out, nothing breaks
    assert client.get(url).status_code == 200
