"""The anonymous-report promise says exactly who can see the reporter: branch staff with a
special, recorded permission; not "nobody"."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "promise", "overpromise"),
    [
        (
            "zh-hans",
            "邻居、楼组长和自治团队都看不到是您反映的。只有负责本楼、获得专门授权的"
            "社区或街镇工作人员能看到，并且每次查看都有记录。",
            "谁也看不到",
        ),
        (
            "en",
            "Only branch staff responsible for your building who hold a special "
            "permission can see it, and every look is recorded.",
            "Nobody in the app",
        ),
    ],
)
def test_the_report_form_names_who_can_see_an_anonymous_reporter(
    roles, login, language, promise, overpromise
):
    client = login(roles.resident)
    client.cookies["django_language"] = language
    page = client.get(reverse("proposals:issue-create", args=[roles.building.pk]))
    text = page.content.decode()
    assert promise in text
    assert overpromise not in text
