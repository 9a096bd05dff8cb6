from datetime import timedelta

import factory
from django.utils import timezone

from activities.models import Activity, Registration, Shift, Task
from tests.factories import AccountResidentFactory, BuildingFactory, UserFactory


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    building = factory.SubFactory(BuildingFactory)
    community = factory.LazyAttribute(lambda o: o.building.community)
    kind = Activity.Kind.FLOWER_LECTURE
    title = factory.Sequence(lambda n: f"养花讲座{n}")
    text = "带上家里的花,一起学修剪。"
    place = "一楼门厅"
    capacity = 10
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    signup_deadline = factory.LazyAttribute(lambda o: o.starts_at - timedelta(days=1))
    created_by = factory.SubFactory(UserFactory)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    activity = factory.SubFactory(ActivityFactory)
    resident = factory.SubFactory(
        AccountResidentFactory,
        household__building=factory.SelfAttribute("...activity.building"),
    )
    household = factory.LazyAttribute(lambda o: o.resident.household)
    adults = 1
    children = 0
    status = Registration.Status.CONFIRMED


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    building = factory.SubFactory(BuildingFactory)
    kind = Task.Kind.GARDEN
    title = factory.Sequence(lambda n: f"一尺花园浇水{n}")
    place = "楼前花园"
    created_by = factory.SubFactory(UserFactory)


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    task = factory.SubFactory(TaskFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
