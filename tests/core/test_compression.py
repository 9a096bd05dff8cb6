"""Pages leave the app gzipped for browsers that accept it; photos are sent as they are."""

import gzip
import re

import pytest

from tests.factories import AccountResidentFactory

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_page_is_gzipped_for_a_browser_that_accepts_it(client):
    resident = AccountResidentFactory(household__building__number="8号楼")
    client.force_login(resident.user)
    url = resident.household.building.get_absolute_url()

    plain = client.get(url)
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]  # so no proxy hands it to the wrong one
    page = gzip.decompress(zipped.content)
    assert "8号楼" in page.decode()
    assert len(zipped.content) * 3 < len(page)


def test_the_csrf_token_differs_in_every_compressed_page(client):
    """BREACH: the token is masked afresh for each response, so compressing a page
    never repeats the same secret bytes for an attacker to probe."""
    tokens = {
        CSRF.search(
            gzip.decompress(
                client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip").content
            )
        ).group(1)
        for _n in range(3)
    }
    assert len(tokens) == 3


def test_photos_are_not_compressed_again(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "covers").mkdir()
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8
    (tmp_path / "covers" / "abc.jpg").write_bytes(photo)
    response = client.get("/media/covers/abc.jpg", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content) == photo
