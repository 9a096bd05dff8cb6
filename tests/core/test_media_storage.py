"""Photos on local disk or in an S3-compatible bucket, always served by the app at /media/.

The bucket is moto's in-process fake (no network). Settings are built by running
config/settings.py with the LOUZU_MEDIA_S3_* variables, so the test uses what production
would use.
"""

import os
import runpy
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from moto import mock_aws
from storages.backends.s3 import S3Storage

from funds import services as fund_services
from proposals.models import Issue
from tests.funds.factories import adopt_rules, photo_content
from tests.module_data import roles_built_once
from tests.proposals.factories import jpeg_bytes
from tests.test_deploy import assert_security_headers

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

BUCKET = "louzu-media-test"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def settings_from_env(monkeypatch, **env):
    """Run config/settings.py with exactly these LOUZU_MEDIA_S3_* variables set."""
    for name in [name for name in os.environ if "MEDIA_S3" in name]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(
        str(Path(django_settings.BASE_DIR) / "config" / "settings.py")
    )


def test_without_a_bucket_photos_stay_on_local_disk(monkeypatch):
    default = settings_from_env(monkeypatch)["STORAGES"]["default"]
    assert default["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_bucket_variables_configure_a_private_s3_compatible_storage(monkeypatch):
    default = settings_from_env(
        monkeypatch,
        LOUZU_MEDIA_S3_BUCKET="louzu-media",
        LOUZU_MEDIA_S3_ENDPOINT_URL="https://minio.example.cn:9000",
        LOUZU_MEDIA_S3_REGION="cn-east-1",
        LOUZU_MEDIA_S3_ACCESS_KEY="access-key",
        LOUZU_MEDIA_S3_SECRET_KEY="secret-key",
        LOUZU_MEDIA_S3_ADDRESSING_STYLE="path",
    )["STORAGES"]["default"]
    storage = import_string(default["BACKEND"])(**default["OPTIONS"])
    assert isinstance(storage, S3Storage)
    assert storage.bucket_name == "louzu-media"
    assert (storage.access_key, storage.secret_key) == ("access-key", "secret-key")
    assert storage.default_acl is None and storage.querystring_auth
    assert not storage.file_overwrite
    client = storage.connection.meta.client  # built locally: nothing is sent
    assert client.meta.endpoint_url == "https://minio.example.cn:9000"
    assert client.meta.region_name == "cn-east-1"
    assert client.meta.config.s3["addressing_style"] == "path"
    # Browsers are sent to this app, never to the bucket.
    assert storage.url("issues/abc.jpg") == "/media/issues/abc.jpg"


def bucket_keys():
    listing = boto3.client("s3", region_name="us-east-1").list_objects_v2(Bucket=BUCKET)
    return [item["Key"] for item in listing.get("Contents", [])]


def bucket_bytes(key):
    s3 = boto3.client("s3", region_name="us-east-1")
    return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()


@pytest.fixture(params=["disk", "s3"])
def media_storage(request, settings, monkeypatch):
    """Photos on local disk (MEDIA_ROOT) or in a fake private bucket."""
    if request.param == "disk":
        yield "disk"
        return
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        config = settings_from_env(
            monkeypatch,
            LOUZU_MEDIA_S3_BUCKET=BUCKET,
            LOUZU_MEDIA_S3_REGION="us-east-1",
            LOUZU_MEDIA_S3_ACCESS_KEY="testing",
            LOUZU_MEDIA_S3_SECRET_KEY="testing",
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": config["STORAGES"]["default"],
        }
        yield "s3"
        assert not any(Path(settings.MEDIA_ROOT).rglob("*.jpg")), "wrote to disk"


def stored_bytes(media_storage, name):
    if media_storage == "s3":
        return bucket_bytes(name)
    return (Path(django_settings.MEDIA_ROOT) / name).read_bytes()


def body(response):
    return b"".join(response.streaming_content)


def test_issue_photo_is_uploaded_and_served_by_the_app(media_storage, roles, login):
    client = login(roles.resident)
    response = client.post(
        reverse("proposals:issue-create", args=[roles.building.pk]),
        {
            "category": "corridor_clutter",
            "title": "三楼走道堆满纸箱",
            "location": "corridor",
            "floor": "3",
            "photos": [SimpleUploadedFile("box.jpg", jpeg_bytes(), "image/jpeg")],
        },
    )
    issue = Issue.objects.get(title="三楼走道堆满纸箱")
    assert response.status_code == 302
    photo = issue.photos.get()
    assert photo.image.name.startswith("issues/")
    if media_storage == "s3":
        assert bucket_keys() == [photo.image.name]
        acl = boto3.client("s3", region_name="us-east-1").get_object_acl(
            Bucket=BUCKET, Key=photo.image.name
        )
        grantees = [grant["Grantee"].get("URI") for grant in acl["Grants"]]
        assert ALL_USERS not in grantees  # private: only through the app
    saved = stored_bytes(media_storage, photo.image.name)
    assert saved.startswith(b"\xff\xd8")  # the re-encoded JPEG

    url = f"/media/{photo.image.name}"
    page = client.get(issue.get_absolute_url())
    assert f'src="{url}"' in page.content.decode()
    served = client.get(url)
    assert served.status_code == 200
    assert body(served) == saved
    assert served["Content-Type"] == "image/jpeg"
    assert_security_headers(served.headers)
    # A neighbour who is not logged in follows the same link (names are unguessable).
    assert body(login(None).get(url)) == saved


@pytest.mark.parametrize(
    "path",
    [
        "issues/0123456789abcdef0123456789abcdef.jpg",  # never uploaded
        "issues/",
        "issues",
        "issues/../config/settings.py",
        "../config/settings.py",
        "issues//x.jpg",
        "issues/..%5C..%5Cx.jpg",
    ],
)
def test_missing_or_invalid_paths_are_404(media_storage, client, path):
    response = client.get(f"/media/{path}")
    assert response.status_code == 404
    assert_security_headers(response.headers)


def test_receipt_original_is_kept_from_residents(media_storage, roles, login):
    fund = fund_services.open_fund(building=roles.building)
    adopt_rules(fund, by=roles.leader)
    gift, _created = fund_services.record_donation(
        fund=fund,
        amount="50",
        occurred_on=timezone.localdate(),
        by=roles.leader,
        receipt_image=photo_content(),
    )
    original = gift.receipt.original.name
    saved = stored_bytes(media_storage, original)
    view = reverse("funds:receipt-original", args=[roles.building.pk, gift.pk])
    resident = login(roles.resident)
    assert resident.get(view).status_code == 403
    refused = resident.get(f"/media/{original}")
    assert refused.status_code == 404
    assert_security_headers(refused.headers)
    assert login(None).get(f"/media/{original}").status_code == 404
    # The leader sees it through the receipt page's view, read from the same storage.
    shown = login(roles.leader).get(view)
    assert shown.status_code == 200 and body(shown) == saved
    # Staff allowed to view receipts in the admin follow the admin's link to it.
    staff = roles.staff
    staff.user_permissions.add(Permission.objects.get(codename="view_receipt"))
    assert body(login(staff).get(f"/media/{original}")) == saved
