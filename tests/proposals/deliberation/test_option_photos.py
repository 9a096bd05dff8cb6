"""Poll options and consultation choices carry a photo or drawing (the lobby's design choices)."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from proposals.deliberation.consultations import services as consultation_services
from proposals.deliberation.polls import services as poll_services
from proposals.models import Choice, PollOption
from tests.conftest import ALL_ROLES
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import ConsultationFactory, PollFactory
from tests.proposals.factories import jpeg_bytes

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

ORGANISERS = {"team", "leader", "staff"}
MANAGERS = {"leader", "staff"}


def expected(role, allowed, ok=200):
    if role in allowed:
        return ok
    if role == "visitor":
        return 302
    if role in {"outsider", "pending"}:
        return 404
    return 403


def drawing(name="design.png"):
    """A PNG carrying a comment (a JPEG comment would be the same): it must not survive."""
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), "image/png")


@pytest.fixture
def design_poll(roles):
    return PollFactory(
        proposal__building=roles.building,
        question="门厅设计方案",
        labels=["方案一：绿植", "方案二：长椅"],
    )


def photos_url(poll):
    return reverse("proposals:poll-photos", args=[poll.building_id, poll.pk])


def test_the_leader_gives_each_option_a_photo(roles, login, design_poll):
    first, second = design_poll.options.all()
    client = login(roles.leader)
    response = client.post(
        photos_url(design_poll),
        {f"photo_{first.pk}": drawing(), f"photo_{second.pk}": drawing("b.png")},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.photo.name.startswith("options/") and first.photo.name.endswith(".jpg")
    assert Image.open(first.photo.open()).format == "JPEG"  # re-encoded
    # Shown large to a resident, in the list and next to the radio button.
    html = login(roles.resident).get(design_poll.get_absolute_url()).content.decode()
    assert html.count(first.photo.url) == 3  # the large photo, its link, the thumbnail
    assert 'class="option-photo"' in html
    # And on the printed poster once the result is announced.
    poll_services.close_poll(
        poll=design_poll, closed_by=roles.leader, reason="大家都看过了"
    )
    poster = reverse("proposals:poll-poster", args=[roles.building.pk, design_poll.pk])
    assert second.photo.url in login(roles.resident).get(poster).content.decode()


def test_a_photo_can_be_removed(roles, login, design_poll):
    option = design_poll.options.first()
    client = login(roles.leader)
    client.post(photos_url(design_poll), {f"photo_{option.pk}": drawing()})
    option.refresh_from_db()
    assert option.photo
    client.post(photos_url(design_poll), {f"clear_{option.pk}": "on"})
    option.refresh_from_db()
    assert not option.photo


def test_after_the_first_ballot_the_photos_stay(roles, login, design_poll):
    option = design_poll.options.first()
    poll_services.cast_ballot(
        poll=design_poll, option_id=option.pk, resident=roles.resident.memberships.get()
    )
    client = login(roles.leader)
    page = client.get(photos_url(design_poll)).content.decode()
    assert "已经有人投票或作答" in page
    assert 'type="submit"' not in page.split("<form")[-1]
    response = client.post(
        photos_url(design_poll), {f"photo_{option.pk}": drawing()}, follow=True
    )
    assert "照片不能再改了" in response.content.decode()
    option.refresh_from_db()
    assert not option.photo


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n<html>", "image/png"), "JPEG"),
        (SimpleUploadedFile("x.svg", b"<svg></svg>", "image/svg+xml"), "JPEG"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused(
    roles, login, design_poll, upload, message
):
    option = design_poll.options.first()
    response = login(roles.leader).post(
        photos_url(design_poll), {f"photo_{option.pk}": upload}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    option.refresh_from_db()
    assert not option.photo


def test_a_forged_option_number_changes_nothing(roles, login, design_poll):
    other = PollFactory(labels=["外楼方案甲", "外楼方案乙"])
    foreign = other.options.first()
    login(roles.leader).post(
        photos_url(design_poll), {f"photo_{foreign.pk}": drawing()}
    )
    foreign.refresh_from_db()
    assert not foreign.photo
    assert not PollOption.objects.exclude(photo="").exists()


def test_consultation_choices_carry_photos(roles, login):
    consultation = ConsultationFactory(building=roles.building)
    choice = Choice.objects.filter(question__consultation=consultation).first()
    url = reverse(
        "proposals:consultation-photos", args=[roles.building.pk, consultation.pk]
    )
    client = login(roles.team)
    assert client.post(url, {f"photo_{choice.pk}": drawing()}).status_code == 302
    choice.refresh_from_db()
    assert choice.photo
    html = login(roles.resident).get(consultation.get_absolute_url()).content.decode()
    assert choice.photo.url in html
    # After the first answer the choices keep their pictures.
    single, multiple, text = consultation.questions.all()
    consultation_services.submit_response(
        consultation=consultation,
        answers={
            single: [single.choices.first()],
            multiple: [multiple.choices.first()],
            text: "好",
        },
        resident=roles.resident.memberships.get(),
    )
    response = login(roles.team).post(url, {f"clear_{choice.pk}": "on"}, follow=True)
    assert "照片不能再改了" in response.content.decode()
    choice.refresh_from_db()
    assert choice.photo


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_set_photos(roles, login, role, design_poll):
    consultation = ConsultationFactory(building=roles.building)
    option = design_poll.options.first()
    choice = Choice.objects.filter(question__consultation=consultation).first()
    client = login(roles.get(role))
    response = client.post(photos_url(design_poll), {f"photo_{option.pk}": drawing()})
    assert response.status_code == expected(role, MANAGERS, ok=302)
    option.refresh_from_db()
    assert bool(option.photo) == (role in MANAGERS)
    url = reverse(
        "proposals:consultation-photos", args=[roles.building.pk, consultation.pk]
    )
    response = client.post(url, {f"photo_{choice.pk}": drawing()})
    assert response.status_code == expected(role, ORGANISERS, ok=302)
    choice.refresh_from_db()
    assert bool(choice.photo) == (role in ORGANISERS)
    assert client.get(url).status_code == expected(role, ORGANISERS)
    assert client.get(photos_url(design_poll)).status_code == expected(role, MANAGERS)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_in_both_languages_with_few_queries(
    roles, login, design_poll, language, django_assert_max_num_queries
):
    labels = [f"方案{i}" for i in range(8)]
    poll = PollFactory(proposal__building=roles.building, labels=labels)
    client = login(roles.leader)
    client.post(
        photos_url(poll),
        {f"photo_{o.pk}": drawing(f"{o.pk}.png") for o in poll.options.all()},
    )
    client.cookies["django_language"] = language
    word = {"zh-hans": "选项的照片", "en": "Photos of the options"}[language]
    with django_assert_max_num_queries(12):
        page = client.get(photos_url(poll)).content.decode()
    assert word in page
    resident = login(roles.resident)
    resident.cookies["django_language"] = language
    with django_assert_max_num_queries(20):
        html = resident.get(poll.get_absolute_url()).content.decode()
    assert html.count('class="option-photo"') == 8


def test_photos_only_for_an_open_poll_of_this_building(roles, login):
    poll = PollFactory(
        proposal__building=roles.building,
        opens_at=timezone.now() + timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=3),
    )
    option = poll.options.first()
    jpeg = SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")
    login(roles.leader).post(photos_url(poll), {f"photo_{option.pk}": jpeg})
    option.refresh_from_db()
    assert option.photo  # a poll not open yet can be given its pictures
