"""Query budgets on realistic data: 2,000 issues, one with 20 photos and a long timeline."""

import random

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from buildings.models import Resident
from proposals.models import Issue, IssueComment, IssueEvent, IssuePhoto, IssueSupport
from tests.factories import AccountResidentFactory
from tests.proposals.factories import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_building(roles):
    building = roles.building
    neighbours = [
        AccountResidentFactory(household__building=building) for _i in range(15)
    ]
    rng = random.Random(7)
    statuses = Issue.Status.values
    issues = Issue.objects.bulk_create(
        [
            Issue(
                building=building,
                reporter=rng.choice(neighbours),
                is_anonymous=i % 5 == 0,
                category=rng.choice(Issue.Category.values),
                title=f"问题{i}",
                text="描述" * 20,
                location=Issue.Location.LOBBY,
                status=(status := rng.choice(statuses)),
                resolved_at=timezone.now() if status == "resolved" else None,
                first_response_at=timezone.now() if i % 3 else None,
            )
            for i in range(2000)
        ]
    )
    IssueSupport.objects.bulk_create(
        [
            IssueSupport(issue=issue, resident=r)
            for issue in issues[:300]
            for r in rng.sample(neighbours, 3)
        ]
    )
    image = jpeg_bytes()
    photo_issue = issues[-1]  # the newest one: on the first page of the list
    for i in range(20):
        photo = IssuePhoto(issue=photo_issue, kind="before" if i < 10 else "after")
        photo.image.save(f"{i}.jpg", ContentFile(image), save=False)
        photo.save()
    for issue in issues[-41:-1]:
        photo = IssuePhoto(issue=issue, kind="before")
        photo.image.save("x.jpg", ContentFile(image), save=False)
        photo.save()
    IssueEvent.objects.bulk_create(
        [
            IssueEvent(
                issue=photo_issue,
                kind="status",
                actor_name="王",
                actor_role="leader",
                reason="r",
            )
            for _i in range(30)
        ]
    )
    comments = IssueComment.objects.bulk_create(
        [
            IssueComment(
                issue=photo_issue, author_name="李", author_role="team", text="c"
            )
            for _i in range(20)
        ]
    )
    IssueComment.objects.bulk_create(
        [
            IssueComment(
                issue=photo_issue,
                author_name="张",
                author_role="supporter",
                text="r",
                reply_to=c,
            )
            for c in comments
        ]
    )
    IssueSupport.objects.create(
        issue=photo_issue, resident=Resident.objects.get(user=roles.resident)
    )
    return building, photo_issue


@pytest.mark.parametrize("role", ["resident", "leader", "staff"])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status=all&sort=support",
        "?status=overdue",
        "?category=facilities&mine=on",
        "?page=50",
    ],
)
def test_issue_list_budget(
    busy_building, roles, login, django_assert_max_num_queries, role, query
):
    building, _issue = busy_building
    client = login(roles.get(role))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("proposals:issues", args=[building.pk]) + query)
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["resident", "leader"])
def test_issue_page_budget(
    busy_building, roles, login, django_assert_max_num_queries, role
):
    _building, issue = busy_building
    client = login(roles.get(role))
    with django_assert_max_num_queries(14):
        response = client.get(issue.get_absolute_url())
    assert response.status_code == 200
    assert (
        len(response.context["before_photos"]) == 10
        and len(response.context["after_photos"]) == 10
    )


@pytest.mark.parametrize("name", ["index", "issue-print", "issues-overdue"])
def test_hub_print_and_overdue_budget(
    busy_building, roles, login, django_assert_max_num_queries, name
):
    building, _issue = busy_building
    client = login(roles.staff)
    with django_assert_max_num_queries(14):
        response = client.get(reverse(f"proposals:{name}", args=[building.pk]))
    assert response.status_code == 200
