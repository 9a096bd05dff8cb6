"""/healthz: a health check for load balancers, and the benchmark's minimal view."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import AccountResidentFactory
from tests.test_deploy import assert_security_headers


@pytest.mark.django_db
def test_healthz_answers_ok_to_anyone_without_touching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert_security_headers(response.headers)


@pytest.mark.django_db
def test_healthz_for_a_logged_in_user_too(client):
    client.force_login(AccountResidentFactory().user)
    assert client.get("/healthz").content == b"ok"


def test_healthz_only_reads(client):
    assert client.post("/healthz").status_code == 405


PROBE = """
import django
django.setup()
from django.test import Client
client = Client()
print(client.get("/healthz").status_code, client.get("/accounts/login/").status_code)
"""


def test_healthz_is_not_redirected_to_https_in_production():
    """Load balancers check over plain HTTP; every other page goes to HTTPS."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "probe-secret-key-that-is-long-and-random-enough-0123456789",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["200", "301"], result.stderr
