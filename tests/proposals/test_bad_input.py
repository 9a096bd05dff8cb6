"""Bad input: a clear message, nothing changed, never a 500."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from proposals.models import Issue, IssueComment, IssuePhoto
from tests.factories import BuildingFactory
from tests.module_data import roles_built_once
from tests.proposals.factories import IssueFactory, jpeg_bytes

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

GOOD = {
    "category": "sanitation",
    "title": "垃圾没人收",
    "text": "",
    "location": "lobby",
}


def post_report(client, building, **changes):
    data = {**GOOD, **changes}
    return client.post(reverse("proposals:issue-create", args=[building.pk]), data)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "长" * 81}, "title"),
        ({"text": "字" * 2001}, "text"),
        ({"category": "aliens"}, "category"),
        ({"category": ""}, "category"),
        ({"location": "moon"}, "location"),
        ({"location": "corridor", "floor": ""}, "floor"),
        ({"location": "corridor", "floor": "abc"}, "floor"),
        ({"location": "corridor", "floor": "99999"}, "floor"),
    ],
)
def test_report_form_errors(roles, login, changes, field):
    response = post_report(login(roles.resident), roles.building, **changes)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Issue.objects.exists()


def gps_jpeg() -> bytes:
    image = Image.new("RGB", (60, 40), "blue")
    exif = Image.Exif()
    exif[0x8825] = {
        1: "N",
        2: (31.0, 24.0, 0.0),
        3: "E",
        4: (121.0, 21.0, 0.0),
    }  # GPSInfo: Luodian
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


def test_gps_exif_is_stripped(roles, login, settings):
    raw = gps_jpeg()
    assert (
        Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)
    )  # the input really carries GPS
    post_report(
        login(roles.resident),
        roles.building,
        photos=[SimpleUploadedFile("gps.jpg", raw, "image/jpeg")],
    )
    stored = IssuePhoto.objects.get()
    with stored.image.open("rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()
    assert b"secret comment" not in data and b"PhoneMaker" not in data
    assert not stored.image.name.endswith("gps.jpg")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile(
            "x.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"
        ),
        SimpleUploadedFile(
            "x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/svg+xml"
        ),
        SimpleUploadedFile(
            "x.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"
        ),
    ],
    ids=["html", "svg", "gif"],
)
def test_not_an_image_is_refused(roles, login, upload):
    response = post_report(login(roles.resident), roles.building, photos=[upload])
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    assert not Issue.objects.exists() and not IssuePhoto.objects.exists()


def test_too_big_photo_is_refused(roles, login, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    big = SimpleUploadedFile(
        "big.jpg", jpeg_bytes(size=(400, 400)) + b"\0" * 2000, "image/jpeg"
    )
    response = post_report(login(roles.resident), roles.building, photos=[big])
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    assert not Issue.objects.exists()


def test_too_many_photos_are_refused(roles, login):
    files = [
        SimpleUploadedFile(f"{i}.jpg", jpeg_bytes(), "image/jpeg") for i in range(5)
    ]
    response = post_report(login(roles.resident), roles.building, photos=files)
    assert response.status_code == 400
    assert not Issue.objects.exists()


def test_each_photo_is_decoded_once(roles, login, monkeypatch):
    """Decoding a photo is the costly part of a report (up to 40 million pixels
    each): four photos are four decodings, not eight."""
    from core import uploads

    decoded = []
    real = uploads.clean_image

    def counting(uploaded):
        decoded.append(uploaded.name)
        return real(uploaded)

    monkeypatch.setattr(uploads, "clean_image", counting)
    files = [
        SimpleUploadedFile(f"{i}.jpg", jpeg_bytes(), "image/jpeg") for i in range(4)
    ]
    response = post_report(login(roles.resident), roles.building, photos=files)
    assert response.status_code == 302
    assert IssuePhoto.objects.count() == 4
    assert sorted(decoded) == ["0.jpg", "1.jpg", "2.jpg", "3.jpg"]


@pytest.mark.parametrize(
    "value", ["closed", "", "RESOLVED", "submitted", "1; DROP TABLE"]
)
def test_forged_status_values(roles, login, issue, value):
    response = login(roles.leader).post(
        reverse("proposals:issue-status", args=[roles.building.pk, issue.pk]),
        {"to_status": value},
        follow=True,
    )
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
    issue.refresh_from_db()
    assert (
        issue.status == "submitted" and not issue.events.filter(kind="status").exists()
    )


def test_decline_without_reason_is_refused(roles, login, issue):
    response = login(roles.leader).post(
        reverse("proposals:issue-status", args=[roles.building.pk, issue.pk]),
        {"to_status": "declined"},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    issue.refresh_from_db()
    assert issue.status == "submitted"


def test_after_photos_only_when_resolving(roles, login, issue):
    response = login(roles.leader).post(
        reverse("proposals:issue-status", args=[roles.building.pk, issue.pk]),
        {
            "to_status": "acknowledged",
            "after_photos": [SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")],
        },
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == "submitted" and not issue.photos.exists()


def test_moving_an_issue_of_another_building_is_404(roles, login):
    foreign = IssueFactory(building=BuildingFactory(community=roles.building.community))
    client = login(roles.leader)
    for name in ["issue-status", "issue-support", "issue-comment", "issue-feedback"]:
        response = client.post(
            reverse(f"proposals:{name}", args=[roles.building.pk, foreign.pk]),
            {"to_status": "resolved"},
        )
        assert response.status_code == 404
    assert (
        client.get(
            reverse("proposals:issue", args=[roles.building.pk, foreign.pk])
        ).status_code
        == 404
    )
    foreign.refresh_from_db()
    assert foreign.status == "submitted" and not foreign.supports.exists()


def test_forged_ids_are_404(roles, login):
    client = login(roles.leader)
    assert (
        client.get(
            reverse("proposals:issue", args=[roles.building.pk, 999999])
        ).status_code
        == 404
    )
    assert client.get(reverse("proposals:issues", args=[999999])).status_code == 404
    assert (
        client.post(
            reverse("proposals:issue-support", args=[roles.building.pk, 999999])
        ).status_code
        == 404
    )


@pytest.mark.parametrize("text", ["", "   ", "评" * 1001])
def test_bad_comments(roles, login, issue, text):
    response = login(roles.leader).post(
        reverse("proposals:issue-comment", args=[roles.building.pk, issue.pk]),
        {"text": text},
        follow=True,
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not IssueComment.objects.exists()


def test_bad_feedback_values(roles, login, issue, reporter):
    issue.status = "resolved"
    issue.resolved_at = issue.created_at
    issue.save()
    client = login(reporter.user)
    url = reverse("proposals:issue-feedback", args=[roles.building.pk, issue.pk])
    for data in [{"fixed": "maybe"}, {}, {"fixed": "no", "reason": "x" * 1001}]:
        response = client.post(url, data, follow=True)
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
    issue.refresh_from_db()
    assert issue.status == "resolved"


def test_bad_list_page_numbers(roles, login):
    client = login(roles.resident)
    for page in ["abc", "-1", "99999"]:
        assert (
            client.get(
                reverse("proposals:issues", args=[roles.building.pk]) + f"?page={page}"
            ).status_code
            == 200
        )
