"""Factories for the root app; feature apps keep theirs in tests/<app>/factories.py."""

import factory
from django.utils import timezone

from buildings.models import (
    Announcement,
    Building,
    Community,
    Household,
    Resident,
    Skill,
    StaffPost,
    Talent,
    Town,
    User,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["phone"]

    phone = factory.Sequence(lambda n: f"139{n:08d}")
    name = factory.Sequence(lambda n: f"居民{n}")
    password = factory.django.Password("pass-word-123")


class StaffFactory(UserFactory):
    """Branch staff. Staff see only where they hold a post:
    StaffFactory(communities=[community]) for a community's staff,
    StaffFactory(towns=[town]) for a town's, StaffFactory(is_superuser=True) for all."""

    class Meta:
        skip_postgeneration_save = True

    is_staff = True
    name = factory.Sequence(lambda n: f"社工{n}")

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        for community in extracted or []:
            StaffPost.objects.create(user=self, community=community)

    @factory.post_generation
    def towns(self, create, extracted, **kwargs):
        for town in extracted or []:
            StaffPost.objects.create(user=self, town=town)


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town
        django_get_or_create = ["district", "name"]

    name = "罗店镇"
    district = "宝山区"


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"测试居民区{n}")
    town = factory.SubFactory(TownFactory)
    district = "宝山区"


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    community = factory.SubFactory(CommunityFactory)
    number = factory.Sequence(lambda n: f"{n + 1}号楼")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    building = factory.SubFactory(BuildingFactory)
    room = factory.Sequence(lambda n: f"{(n % 30) + 1}{n:03d}")


class ResidentFactory(factory.django.DjangoModelFactory):
    """A resident without an account, registered by a leader (代录)."""

    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"老人{n}")
    status = Resident.Status.APPROVED
    registered_by = factory.SubFactory(UserFactory)
    decided_at = factory.LazyFunction(timezone.now)


class AccountResidentFactory(factory.django.DjangoModelFactory):
    """An approved resident who logs in with their own phone."""

    class Meta:
        model = Resident

    user = factory.SubFactory(UserFactory)
    household = factory.SubFactory(HouseholdFactory)
    name = factory.SelfAttribute("user.name")
    status = Resident.Status.APPROVED
    role = Resident.Role.RESIDENT
    decided_at = factory.LazyFunction(timezone.now)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"技能{n}")


class TalentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talent

    resident = factory.SubFactory(AccountResidentFactory)
    skill = factory.SubFactory(SkillFactory)
    offer = "帮邻居"


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    building = factory.SubFactory(BuildingFactory)
    community = factory.LazyAttribute(
        lambda o: o.building.community if o.building else CommunityFactory()
    )
    title = factory.Sequence(lambda n: f"公告{n}")
    body = "请各户配合。"
