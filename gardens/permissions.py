"""Who may do what with one-foot gardens (pure predicates over an Access).

Seeing the building is decided by buildings.permissions.get_access_or_404; on top:
- the building leader (and staff) list and edit spaces;
- an adult resident adopts for their household; staff have no household;
- a member of the adopting household gives it up, or the leader does (a household moved);
- care turns are added by the team and leader, or by the household adopting this season;
  anyone of the building claims a turn on the rota (activities' volunteer shifts).
"""

from django.shortcuts import get_object_or_404

from buildings.permissions import Access
from gardens.models import Adoption, GardenSpace


def get_space_or_404(access: Access, pk: int) -> GardenSpace:
    return get_object_or_404(
        access.building.garden_spaces.select_related("rota"), pk=pk
    )


def get_adoption_or_404(access: Access, space: GardenSpace, pk: int) -> Adoption:
    return get_object_or_404(
        space.adoptions.select_related("household", "adopted_by"), pk=pk
    )


def can_list_spaces(access: Access) -> bool:
    return access.can_manage


def can_adopt(access: Access) -> bool:
    return access.resident is not None and access.resident.is_adult


def is_of_household(access: Access, adoption: Adoption) -> bool:
    return (
        access.resident is not None
        and access.resident.household_id == adoption.household_id
    )


def can_give_up(access: Access, adoption: Adoption) -> bool:
    if not adoption.is_active:
        return False
    return is_of_household(access, adoption) or access.can_manage


def can_add_turns(access: Access, adoption: Adoption | None) -> bool:
    if access.can_organise:
        return True
    return adoption is not None and is_of_household(access, adoption)
