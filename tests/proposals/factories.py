"""Factories for issue reports."""

import io

import factory
from django.core.files.base import ContentFile
from PIL import Image

from proposals.models import Issue, IssueComment, IssueEvent, IssuePhoto, IssueSupport
from tests.factories import AccountResidentFactory, BuildingFactory


def jpeg_bytes(size=(40, 30), color="red", exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    building = factory.SubFactory(BuildingFactory)
    reporter = factory.SubFactory(
        AccountResidentFactory, household__building=factory.SelfAttribute("...building")
    )
    category = Issue.Category.FACILITIES
    title = factory.Sequence(lambda n: f"大堂铁门坏了{n}")
    text = "门关不上,晚上有陌生人进来。"
    location = Issue.Location.LOBBY

    class Params:
        anonymous = factory.Trait(is_anonymous=True)


class IssueSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueSupport

    issue = factory.SubFactory(IssueFactory)
    resident = factory.SubFactory(
        AccountResidentFactory,
        household__building=factory.SelfAttribute("...issue.building"),
    )


class IssuePhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssuePhoto

    issue = factory.SubFactory(IssueFactory)
    kind = IssuePhoto.Kind.BEFORE
    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="p.jpg"))


class IssueEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueEvent

    issue = factory.SubFactory(IssueFactory)
    kind = IssueEvent.Kind.STATUS
    from_status = Issue.Status.SUBMITTED
    to_status = Issue.Status.ACKNOWLEDGED
    actor_name = "王建华"
    actor_role = IssueEvent.Role.LEADER


class IssueCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueComment

    issue = factory.SubFactory(IssueFactory)
    author_name = "李秀英"
    author_role = IssueEvent.Role.TEAM
    text = "我们明天去看看。"
