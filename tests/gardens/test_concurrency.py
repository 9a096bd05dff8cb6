"""One household per space per season under concurrent adoptions, proven on PostgreSQL
(docs/architecture.md, "Concurrency guards").

The guard has two layers: the space row lock (core.races.locked) and the unique
constraint one_household_per_space_per_season. Each alone holds; with both off the race
stores several adoptions, so the proof is not vacuous. One proof goes over HTTP.
"""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gardens import services
from gardens.models import Adoption
from gardens.seasons import current_season
from tests.concurrency import requires_postgres, storm, without_constraint
from tests.factories import AccountResidentFactory, BuildingFactory
from tests.gardens.factories import GardenSpaceFactory

pytestmark = [pytest.mark.django_db(transaction=True), requires_postgres]

N = 20


@pytest.fixture
def crowd():
    """Twenty households of one building, all eager to adopt the same window sill."""
    building = BuildingFactory()
    space = GardenSpaceFactory(building=building)
    people = [AccountResidentFactory(household__building=building) for _ in range(N)]
    return space, people


def adopt_storm(space, people):
    season = current_season()

    def adopt(i):
        return services.adopt_space(
            space=space, resident=people[i], season=season, shown_as="room"
        )

    return storm(N, adopt)


def stored(space):
    return Adoption.objects.filter(
        space=space, season=current_season(), status="active"
    )


def test_twenty_households_at_once_one_adopts(settings, crowd):
    settings.LOUZU_RACE_PAUSE = 0.05
    space, people = crowd
    results, errors = adopt_storm(space, people)
    assert stored(space).count() == 1
    assert len(errors) == N - 1
    assert all(isinstance(e, ValidationError) for e in errors)  # told, not a 500


def test_over_http_every_request_answered_and_one_adopts(settings, crowd):
    settings.LOUZU_RACE_PAUSE = 0.05
    space, people = crowd
    clients = []
    for person in people:
        client = Client()
        client.force_login(person.user)
        clients.append(client)
    url = reverse("gardens:adopt", args=[space.building_id, space.pk])
    data = {"season": current_season().isoformat(), "shown_as": "room"}
    codes, errors = storm(N, lambda i: clients[i].post(url, data).status_code)
    assert errors == []
    assert set(codes) == {302}
    assert stored(space).count() == 1


def test_twin_without_lock_and_constraint_stores_several(settings, crowd):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    space, people = crowd
    with without_constraint(Adoption, "one_household_per_space_per_season"):
        adopt_storm(space, people)
        count = stored(space).count()
    assert count > 1, "with every guard off the race must show"


def test_constraint_alone_still_stores_one(settings, crowd):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    space, people = crowd
    results, errors = adopt_storm(space, people)
    assert stored(space).count() == 1
    assert len(errors) == N - 1
    assert all(
        isinstance(e, ValidationError) for e in errors
    )  # IntegrityError -> message


def test_lock_alone_still_stores_one(settings, crowd):
    settings.LOUZU_RACE_PAUSE = 0.05
    space, people = crowd
    with without_constraint(Adoption, "one_household_per_space_per_season"):
        adopt_storm(space, people)
        count = stored(space).count()
    assert count == 1
