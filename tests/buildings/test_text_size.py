"""The large-text switch (适老化): kept on the account of whoever is logged in, in a cookie
for a visitor, without JavaScript; anything else than the two sizes changes nothing."""

import pytest
from django.urls import reverse

from buildings.models import User
from tests.factories import AccountResidentFactory, CommunityFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # UserFactory's


def html_class(response) -> str:
    text = response.content.decode()
    start = text.index("<html")
    return text[start : text.index(">", start)]


def switch(client, size, next_="/accounts/login/"):
    return client.post(reverse("text-size"), {"size": size, "next": next_})


def test_a_visitor_gets_large_text_from_a_cookie(client):
    community = CommunityFactory()
    page = f"/c/{community.pk}/"
    assert "large-text" not in html_class(client.get(page))

    response = switch(client, "large", next_=page)

    assert response.status_code == 302 and response["Location"] == page
    assert response.cookies["louzu_text"].value == "large"
    assert "large-text" in html_class(client.get(page))  # the cached page too
    switch(client, "normal", next_=page)
    assert "large-text" not in html_class(client.get(page))


def test_the_choice_is_kept_on_the_account_across_log_ins(client, django_user_model):
    resident = AccountResidentFactory()
    client.force_login(resident.user)

    switch(client, "large")

    assert User.objects.get(pk=resident.user.pk).large_text
    client.logout()
    client.cookies.clear()  # another phone
    assert "large-text" not in html_class(client.get("/accounts/login/"))
    client.post(
        "/accounts/login/password/",
        {"username": resident.user.phone, "password": PASSWORD},
    )
    assert "large-text" in html_class(client.get(reverse("buildings:me")))
    building = resident.household.building.get_absolute_url()
    assert "large-text" in html_class(client.get(building))

    switch(client, "normal")

    assert not User.objects.get(pk=resident.user.pk).large_text
    assert "large-text" not in html_class(client.get(building))


def test_large_text_chosen_before_logging_in_stays_on(client):
    user = UserFactory()
    switch(client, "large")
    client.post(
        "/accounts/login/password/", {"username": user.phone, "password": PASSWORD}
    )
    assert User.objects.get(pk=user.pk).large_text
    assert "large-text" in html_class(client.get(reverse("buildings:me")))


def test_two_neighbours_of_one_audience_each_see_their_own_size(client):
    """The page cache keeps one page per text size: a neighbour's large text is not
    served to someone who chose normal text, nor the other way round."""
    first = AccountResidentFactory()
    second = AccountResidentFactory(household__building=first.household.building)
    page = first.household.building.get_absolute_url()
    client.force_login(first.user)
    switch(client, "large")
    assert "large-text" in html_class(client.get(page))
    client.logout()
    client.cookies.clear()
    client.force_login(second.user)
    assert "large-text" not in html_class(client.get(page))


@pytest.mark.parametrize("size", ["", "huge", "LARGE", "large ", "1"])
def test_bad_input_changes_nothing(client, size):
    user = UserFactory()
    client.force_login(user)
    response = switch(client, size)
    assert response.status_code == 302
    assert "louzu_text" not in response.cookies
    assert not User.objects.get(pk=user.pk).large_text


@pytest.mark.parametrize(
    "next_", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_it_goes_back_only_to_this_site(client, next_):
    response = switch(client, "large", next_=next_)
    assert response.status_code == 302 and response["Location"] == "/"


def test_only_a_form_post_switches(client):
    response = client.get(reverse("text-size"), {"size": "large"})
    assert response.status_code == 405
    assert "louzu_text" not in response.cookies


def test_the_switch_needs_the_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("text-size"), {"size": "large", "next": "/"})
    assert response.status_code == 403
    assert "louzu_text" not in response.cookies


def test_the_switch_is_on_my_page_and_in_the_menu(client):
    client.force_login(AccountResidentFactory().user)
    text = client.get(reverse("buildings:me")).content.decode()
    assert text.count('action="/text-size/"') == 2  # my page and the account menu
    assert 'name="size" value="large"' in text
