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


def test_exports_arrive_whole_through_the_compression(client):
    """The statement's CSV is gzipped like a page and unpacks to the same file; the
    XLSX (a zip already) is sent as it is and opens."""
    import io

    from openpyxl import load_workbook

    from tests.funds.factories import donate, ready_fund

    fund, leader, _rule = ready_fund()
    donate(fund, leader, "88")
    client.force_login(leader)
    base = f"/buildings/{fund.building_id}/fund/statement"

    plain = client.get(f"{base}.csv")
    zipped = client.get(f"{base}.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["Content-Disposition"] == plain["Content-Disposition"]
    csv_text = gzip.decompress(zipped.content).decode("utf-8")
    assert csv_text.startswith("\ufeff") and "88" in csv_text
    assert csv_text == plain.content.decode("utf-8")

    xlsx = client.get(f"{base}.xlsx", HTTP_ACCEPT_ENCODING="gzip")
    assert xlsx.status_code == 200 and "Content-Encoding" not in xlsx
    cells = [
        cell
        for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(
            values_only=True
        )
        for cell in row
    ]
    assert any("88" in str(cell) for cell in cells if cell is not None)


def test_collectstatic_writes_a_brotli_and_a_gzip_file_beside_each_one(
    settings, tmp_path
):
    """With the storage production uses (DJANGO_DEBUG=0) and the Brotli package
    installed, WhiteNoise has the smaller .br for browsers that take it, else the .gz."""
    from django.core.management import call_command

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    styles = [p for p in tmp_path.rglob("bootstrap.min.*.css") if p.suffix == ".css"]
    assert styles, "no hashed stylesheet collected"
    css = styles[0]
    br, gz = css.with_name(css.name + ".br"), css.with_name(css.name + ".gz")
    assert br.exists() and gz.exists()
    assert br.stat().st_size < gz.stat().st_size < css.stat().st_size / 4
