import factory

from gardens import services
from gardens.models import Adoption, GardenSpace
from gardens.seasons import current_season
from tests.factories import AccountResidentFactory, BuildingFactory, UserFactory


class GardenSpaceFactory(factory.django.DjangoModelFactory):
    """A space with its care rota, listed through the service as a leader would."""

    class Meta:
        model = GardenSpace

    building = factory.SubFactory(BuildingFactory)
    name = factory.Sequence(lambda n: f"楼梯窗台{n}")
    place = "三楼楼梯间"
    notes = "朝南,适合多肉。"
    created_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.list_space(**kwargs)


class AdoptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adoption

    space = factory.SubFactory(GardenSpaceFactory)
    adopted_by = factory.SubFactory(
        AccountResidentFactory,
        household__building=factory.SelfAttribute("...space.building"),
    )
    household = factory.LazyAttribute(lambda o: o.adopted_by.household)
    season = factory.LazyFunction(current_season)
    shown_as = "room"
