"""Factories for 议事 (proposals, polls, meetings, consultations, conventions)."""

from datetime import timedelta

import factory
from django.utils import timezone

from proposals.models import (
    Choice,
    Consultation,
    Convention,
    Meeting,
    Poll,
    PollOption,
    Proposal,
    Question,
)
from tests.factories import BuildingFactory, UserFactory


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    building = factory.SubFactory(BuildingFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"议题{n}")
    body = "大家商量一下。"
    status = Proposal.Status.DISCUSSION


class PollFactory(factory.django.DjangoModelFactory):
    """An open poll with In favour / Against / Abstain, or candidates via `labels`."""

    class Meta:
        model = Poll
        skip_postgeneration_save = True

    proposal = factory.SubFactory(ProposalFactory, status=Proposal.Status.VOTING)
    building = factory.SelfAttribute("proposal.building")
    question = factory.SelfAttribute("proposal.title")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    quorum_percent = 50
    created_by = factory.SelfAttribute("proposal.author")

    @factory.post_generation
    def labels(self, create, extracted, **kwargs):
        if extracted:
            pairs = [(label, PollOption.Kind.CANDIDATE) for label in extracted]
        else:
            pairs = [
                ("同意", PollOption.Kind.YES),
                ("反对", PollOption.Kind.NO),
                ("弃权", PollOption.Kind.ABSTAIN),
            ]
        for i, (label, kind) in enumerate(pairs):
            PollOption.objects.create(poll=self, label=label, kind=kind, position=i)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    building = factory.SubFactory(BuildingFactory)
    title = factory.Sequence(lambda n: f"第{n}次议事会")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    place = "一楼门厅"
    created_by = factory.SubFactory(UserFactory)


class ConsultationFactory(factory.django.DjangoModelFactory):
    """An open consultation with one single-choice, one multiple-choice, one text question."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    building = factory.SubFactory(BuildingFactory)
    title = factory.Sequence(lambda n: f"征询{n}")
    intro = "请大家说说想法。"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def with_questions(self, create, extracted, **kwargs):
        if extracted is False:
            return
        single = Question.objects.create(
            consultation=self, text="门厅铁门怎么修?", kind="single", position=0
        )
        for i, label in enumerate(["换新门", "修旧门"]):
            Choice.objects.create(question=single, label=label, position=i)
        multiple = Question.objects.create(
            consultation=self, text="您愿意参加哪些活动?", kind="multiple", position=1
        )
        for i, label in enumerate(["种花", "清洁", "亲子"]):
            Choice.objects.create(question=multiple, label=label, position=i)
        Question.objects.create(
            consultation=self, text="其他建议", kind="text", required=False, position=2
        )


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention

    building = factory.SubFactory(BuildingFactory)
    version = 1
    title = "楼组公约"
    text = "一、不高空抛物。\n二、楼道不堆物。"


def end_voting(poll):
    """Let the poll's voting time run out now, so it is closed at its end time."""
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    poll.refresh_from_db()
    return poll
