"""Every photo a person can send goes through the one pipeline, the Django admin included;
a replaced, cleared or deleted photo is gone from storage once the change commits."""

import functools
import io
import re
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from activities.models import RecapPhoto
from buildings.models import User
from core.uploads import ImageUploadField
from tests.activities.factories import ActivityFactory
from tests.core.test_media_storage import bucket_keys, media_storage  # noqa: F401
from tests.core.test_uploads import gps_exif, photo_bytes, upload
from tests.factories import AccountResidentFactory, BuildingFactory, UserFactory
from tests.proposals.deliberation.factories import MeetingFactory
from tests.proposals.factories import IssuePhotoFactory

pytestmark = pytest.mark.django_db

SVG = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"


@functools.cache
def bomb_png(side=12000) -> bytes:
    """A real 12000 x 12000 PNG (144 million pixels) of about 150 KB."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte and one grey byte per pixel
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()

    def chunk(tag, body):
        crc = struct.pack(">I", zlib.crc32(tag + body))
        return struct.pack(">I", len(body)) + tag + body + crc

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )


def exists(name) -> bool:
    return bool(name) and default_storage.exists(name)


def all_files(settings) -> set:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()}


def stored_photo() -> ContentFile:
    return ContentFile(photo_bytes(), name="old.jpg")


def recap_photo():
    activity = ActivityFactory()
    return RecapPhoto.objects.create(
        activity=activity, image=stored_photo(), uploaded_by=activity.created_by
    )


# (admin URL name, how to make the record, the photo field)
ADMIN_FORMS = {
    "user avatar": ("buildings_user", UserFactory, "avatar"),
    "building cover": ("buildings_building", BuildingFactory, "cover"),
    "issue photo": ("proposals_issuephoto", IssuePhotoFactory, "image"),
    "meeting photo": (
        "proposals_meeting",
        lambda: MeetingFactory(photo=stored_photo()),
        "photo",
    ),
    "activity cover": ("activities_activity", ActivityFactory, "cover"),
    "recap photo": ("activities_recapphoto", recap_photo, "image"),
}


class FormData(HTMLParser):
    """What a browser would send from one form of a page, as it stands."""

    def __init__(self, is_the_form):
        super().__init__(convert_charrefs=True)
        self.is_the_form = is_the_form
        self.inside = False
        self.data = {}
        self._select = self._textarea = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.is_the_form(attrs)
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        kind = (attrs.get("type") or "text").lower()
        if tag == "input" and kind not in ("file", "submit", "button", "image"):
            if kind not in ("checkbox", "radio"):
                self.add(attrs["name"], attrs.get("value", ""))
            elif "checked" in attrs:
                self.add(attrs["name"], attrs.get("value", "on"))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.add(self._textarea, "")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.add(self._select, attrs.get("value", ""))

    def handle_data(self, data):
        if self.inside and self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def change_form(client, admin_name, obj):
    url = reverse(f"admin:{admin_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    return url, form_data(
        page, lambda attrs: attrs.get("id") == f"{obj._meta.model_name}_form"
    )


def form_data(page, is_the_form) -> dict:
    parser = FormData(is_the_form)
    parser.feed(page.content.decode())
    assert parser.data, "the form was not found"
    return parser.data


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "13900000000", "pass-word-123", name="周书记"
    )


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture(params=list(ADMIN_FORMS), ids=list(ADMIN_FORMS))
def admin_form(request):
    admin_name, make, field = ADMIN_FORMS[request.param]
    return admin_name, make(), field


def errors(response) -> str:
    """The form's error lists, to show why a save did not happen."""
    page = response.content.decode()
    return " ".join(re.findall(r'<ul class="errorlist.*?</ul>', page, re.S))


def post_photo(client, admin_form, data, name, content_type):
    admin_name, obj, field = admin_form
    url, form = change_form(client, admin_name, obj)
    form[field] = upload(data, name, content_type)
    return client.post(url, form)


def test_admin_polyglot_is_re_encoded(staff_client, admin_form):
    polyglot = photo_bytes("PNG") + b"<html><script>alert(document.cookie)</script>"
    response = post_photo(staff_client, admin_form, polyglot, "x.png", "image/png")
    assert response.status_code == 302, errors(response)
    _admin_name, obj, field = admin_form
    obj.refresh_from_db()
    photo = getattr(obj, field)
    assert photo.name.endswith(".jpg") and "x.png" not in photo.name
    with photo.open("rb") as stored:
        data = stored.read()
    assert b"<script>" not in data and b"<html>" not in data
    assert Image.open(io.BytesIO(data)).format == "JPEG"


def test_admin_gps_and_comment_are_stripped(staff_client, admin_form):
    original = photo_bytes(exif=gps_exif(), comment=b"call 13812345678")
    response = post_photo(staff_client, admin_form, original, "me.jpg", "image/jpeg")
    assert response.status_code == 302, errors(response)
    _admin_name, obj, field = admin_form
    obj.refresh_from_db()
    with getattr(obj, field).open("rb") as stored:
        data = stored.read()
    assert not Image.open(io.BytesIO(data)).getexif()
    assert b"PhoneMaker" not in data and b"13812345678" not in data


@pytest.mark.parametrize(
    ("data", "name", "content_type", "message"),
    [
        (None, "bomb.png", "image/png", "照片像素太多了"),
        (SVG, "x.svg", "image/svg+xml", "这个文件不是可以识别的照片"),
    ],
    ids=["bomb", "svg"],
)
def test_admin_bomb_and_svg_are_refused_and_change_nothing(
    staff_client, admin_form, data, name, content_type, message, settings
):
    _admin_name, obj, field = admin_form
    before = getattr(obj, field).name or ""
    files = all_files(settings)
    response = post_photo(
        staff_client, admin_form, data or bomb_png(), name, content_type
    )
    assert response.status_code == 200
    assert message in errors(response)
    obj.refresh_from_db()
    assert (getattr(obj, field).name or "") == before
    assert all_files(settings) == files


def test_every_admin_photo_field_uses_the_pipeline(superuser):
    """No ModelAdmin or inline, now or later, takes a photo past the pipeline."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    checked = []
    for model_admin in list(admin.site._registry.values()):
        admins = [model_admin] + [
            inline(model_admin.model, admin.site) for inline in model_admin.inlines
        ]
        for each in admins:
            if isinstance(each, admin.options.InlineModelAdmin):
                may_add = each.has_add_permission(request, None)
            else:
                may_add = each.has_add_permission(request)
            if not (may_add or each.has_change_permission(request)):
                continue
            readonly = set(each.get_readonly_fields(request))
            for db_field in each.model._meta.concrete_fields:
                if not isinstance(db_field, models.FileField):
                    continue
                if db_field.name in readonly or not db_field.editable:
                    continue
                formfield = each.formfield_for_dbfield(db_field, request)
                assert isinstance(formfield, ImageUploadField), (each, db_field)
                checked.append(f"{each.model._meta.label}.{db_field.name}")
            for name, declared in each.form.base_fields.items():
                if isinstance(declared, forms.FileField):
                    assert isinstance(declared, ImageUploadField), (each, name)
    assert {
        "buildings.User.avatar",
        "buildings.Building.cover",
        "proposals.IssuePhoto.image",
        "proposals.Meeting.photo",
        "activities.Activity.cover",
        "activities.RecapPhoto.image",
    } <= set(checked)


def test_every_app_form_photo_field_uses_the_pipeline():
    import activities.forms
    import buildings.forms
    import funds.forms
    import proposals.deliberation.consultations.forms
    import proposals.deliberation.conventions.forms
    import proposals.deliberation.meetings.forms
    import proposals.deliberation.polls.forms
    import proposals.deliberation.proposals.forms
    import proposals.issues.forms

    found = []
    for module in (
        activities.forms,
        buildings.forms,
        funds.forms,
        proposals.deliberation.consultations.forms,
        proposals.deliberation.conventions.forms,
        proposals.deliberation.meetings.forms,
        proposals.deliberation.polls.forms,
        proposals.deliberation.proposals.forms,
        proposals.issues.forms,
    ):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                for name, field in value.base_fields.items():
                    if isinstance(field, forms.FileField):
                        assert isinstance(field, ImageUploadField), (value, name)
                        found.append(name)
    assert {"avatar", "cover", "photo", "photos", "receipt_photo"} <= set(found)


# --- Replaced, cleared and deleted photos ----------------------------------------------


def test_replaced_avatar_is_deleted_after_commit(
    client, django_capture_on_commit_callbacks
):
    user = AccountResidentFactory().user
    client.force_login(user)
    url = reverse("buildings:profile-update")
    client.post(url, {"name": user.name, "avatar": upload(photo_bytes())})
    old = User.objects.get(pk=user.pk).avatar.name
    assert exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"name": user.name, "avatar": upload(photo_bytes("PNG"), "b.png")}
        )
    assert response.status_code == 302
    new = User.objects.get(pk=user.pk).avatar.name
    assert new != old and exists(new)
    assert not exists(old)


def test_saving_without_a_new_photo_keeps_it(
    client, django_capture_on_commit_callbacks
):
    user = AccountResidentFactory().user
    client.force_login(user)
    url = reverse("buildings:profile-update")
    client.post(url, {"name": user.name, "avatar": upload(photo_bytes())})
    kept = User.objects.get(pk=user.pk).avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"name": "新名字"})
    assert User.objects.get(pk=user.pk).avatar.name == kept and exists(kept)


@pytest.fixture
def where(media_storage):  # noqa: F811 -- the fixture of test_media_storage
    """On local disk, then in a fake private S3 bucket."""
    return media_storage


def test_replaced_building_cover_is_deleted_on_disk_and_in_the_bucket(
    where, client, building, django_capture_on_commit_callbacks
):
    leader = AccountResidentFactory(household__building=building, role="leader").user
    client.force_login(leader)
    url = reverse("buildings:edit", args=[building.pk])
    client.post(url, {"description": "我们的楼", "cover": upload(photo_bytes())})
    building.refresh_from_db()
    old = building.cover.name
    assert client.get(f"/media/{old}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"description": "我们的楼", "cover": upload(photo_bytes())})
    building.refresh_from_db()
    assert building.cover.name != old and exists(building.cover.name)
    assert not exists(old)
    assert client.get(f"/media/{old}").status_code == 404
    assert client.get(f"/media/{building.cover.name}").status_code == 200
    if where == "s3":
        assert bucket_keys() == [building.cover.name]


def test_cleared_activity_cover_is_deleted(
    roles, login, building, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(building=building, cover=stored_photo())
    old = activity.cover.name
    assert exists(old)
    client = login(roles.leader)
    url = reverse("activities:edit", args=[building.pk, activity.pk])
    data = form_data(
        client.get(url), lambda attrs: attrs.get("enctype") == "multipart/form-data"
    )
    data["cover-clear"] = "on"
    data["reason"] = "换一张封面"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, errors(response)
    activity.refresh_from_db()
    assert not activity.cover
    assert not exists(old)


def test_admin_clear_and_delete_remove_the_files(
    staff_client, django_capture_on_commit_callbacks
):
    building = BuildingFactory(cover=stored_photo())
    cover = building.cover.name
    url, form = change_form(staff_client, "buildings_building", building)
    form["cover-clear"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(url, form).status_code == 302
    building.refresh_from_db()
    assert not building.cover and not exists(cover)

    photo = recap_photo()
    image = photo.image.name
    delete = reverse("admin:activities_recapphoto_delete", args=[photo.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(delete, {"post": "yes"}).status_code == 302
    assert not RecapPhoto.objects.filter(pk=photo.pk).exists()
    assert not exists(image)


def test_a_rolled_back_change_keeps_the_photo(django_capture_on_commit_callbacks):
    building = BuildingFactory(cover=stored_photo())
    old = building.cover.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            building.cover = stored_photo()
            building.save()
            raise RuntimeError("the request failed after saving")
    assert callbacks == []
    assert exists(old)


def test_leaving_deletes_the_avatar(client, django_capture_on_commit_callbacks):
    user = AccountResidentFactory().user
    client.force_login(user)
    client.post(
        reverse("buildings:profile-update"),
        {"name": user.name, "avatar": upload(photo_bytes())},
    )
    avatar = User.objects.get(pk=user.pk).avatar.name
    from buildings.privacy import leave

    with django_capture_on_commit_callbacks(execute=True):
        leave(user=User.objects.get(pk=user.pk))
    assert not User.objects.get(pk=user.pk).avatar
    assert not exists(avatar)
