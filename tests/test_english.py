"""English is complete: an English page shows no Chinese of ours. What people typed (names,
titles, the test data's Chinese) may be Chinese, and so may the Chinese terms that English
labels give in brackets ("Council meeting (议事会)") and the language switcher's 简体中文;
every other Chinese character on an English page is a missed translation or a Chinese
date format."""

import re
from datetime import timedelta

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.apps import project_app_configs
from tests.factories import StaffFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import MeetingFactory, PollFactory
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()
CJK_RUN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def runs(text: str) -> set[str]:
    return set(CJK_RUN.findall(text))


def typed_and_glossed() -> set[str]:
    """Chinese that may stand on an English page: what is stored, and the msgids' own."""
    allowed = {"简体中文"}
    user = apps.get_model(settings.AUTH_USER_MODEL)
    configs = [*project_app_configs(), apps.get_app_config(user._meta.app_label)]
    for config in configs:
        for model in config.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField):
                    for value in model.objects.values_list(field.attname, flat=True):
                        allowed |= runs(value or "")
    catalogue = polib.pofile(
        f"{settings.BASE_DIR}/locale/zh_Hans/LC_MESSAGES/django.po"
    )
    for entry in catalogue:
        allowed |= runs(entry.msgid) | runs(entry.msgid_plural)
    return allowed


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"', r">\1<", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_english_pages_have_no_untranslated_chinese(roles, client):
    building = roles.building
    now = timezone.now()
    issue = IssueFactory(building=building)
    poll = PollFactory(
        proposal__building=building,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=2),
    )
    meeting = MeetingFactory(building=building)
    b = building.pk
    pages = {
        roles.leader: [
            building.get_absolute_url(),
            reverse("proposals:decisions", args=[b]),
            reverse("proposals:issues-hub", args=[b]),
            reverse("proposals:issues", args=[b]),
            issue.get_absolute_url(),
            poll.get_absolute_url(),
            meeting.get_absolute_url(),
            reverse("buildings:team", args=[b]),
            reverse("buildings:notifications"),
            reverse("funds:index", args=[b]),
        ],
        roles.staff: [reverse("dashboard:community", args=[building.community_id])],
        StaffFactory(is_superuser=True): ["/admin/"],
    }
    allowed = typed_and_glossed()
    client.cookies["django_language"] = "en"
    untranslated = {}
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url, headers={"accept-language": "en"})
            assert response.status_code == 200, url
            assert response.headers["Content-Language"] == "en", url
            found = runs(visible_text(response.content.decode())) - allowed
            if found:
                untranslated[url] = sorted(found)
    assert untranslated == {}
