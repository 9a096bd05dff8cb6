"""Demo one-foot gardens of 8号楼: the front planter (its rota is the demo's watering
task), a stair-window sill and a lobby corner; two adopted this season. Idempotent."""

from activities.models import Task
from buildings.models import Building, Resident, User
from gardens.models import Adoption, GardenSpace
from gardens.seasons import current_season

SPACES = [
    ("楼前一尺花园", "8号楼楼前花坛", "月季和薄荷，夏天每周浇两次水。", "一尺花园浇水"),
    ("三楼楼梯窗台", "8号楼三楼楼梯间窗台", "朝南，适合多肉和绿萝。", None),
    ("门厅角落", "一楼门厅信箱旁", "光线较暗，适合虎皮兰。", None),
]


def seed_demo(community) -> None:
    b8 = Building.objects.filter(community=community, number="8号楼").first()
    leader = User.objects.filter(phone="13800000001").first()
    if b8 is None or leader is None:
        return
    spaces = {}
    for name, place, notes, task_title in SPACES:
        space = GardenSpace.objects.filter(building=b8, name=name).first()
        if space is None:
            rota = (
                Task.objects.filter(building=b8, title=task_title).first()
                if task_title
                else None
            )
            if rota is None:
                rota = Task.objects.create(
                    building=b8,
                    kind=Task.Kind.GARDEN,
                    title=name,
                    place=place,
                    description=notes,
                    created_by=leader,
                )
            space = GardenSpace.objects.create(
                building=b8,
                name=name,
                place=place,
                notes=notes,
                rota=rota,
                created_by=leader,
            )
        spaces[name] = space
    people = {
        r.name: r
        for r in Resident.objects.approved().in_building(b8).select_related("household")
    }
    season = current_season()
    for space, who, shown_as in [
        ("楼前一尺花园", "张阿姨", Resident.PublicDisplay.NAME),
        ("三楼楼梯窗台", "李秀英", Resident.PublicDisplay.ROOM),
    ]:
        resident = people.get(who)
        if resident is None:
            continue
        Adoption.objects.get_or_create(
            space=spaces[space],
            season=season,
            status=Adoption.Status.ACTIVE,
            defaults={
                "household": resident.household,
                "adopted_by": resident,
                "shown_as": shown_as,
            },
        )
