"""The WeChat group reads a vote's result in the words of the poll's page."""

import pytest
from django.utils import translation

from buildings.models import Notification
from outbox import group_posts
from proposals.deliberation.polls import services as poll_services
from tests.factories import AccountResidentFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import PollFactory, end_voting

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


@pytest.mark.parametrize(
    ("labels", "zh", "en"),
    [
        (["张三", "李四"], "张三 当选", "Elected: 张三"),
        (None, "通过", "Passed"),
    ],
)
def test_the_result_post_says_what_the_poll_page_says(roles, client, labels, zh, en):
    """An election won by 张三 was posted as "Adopted" (the stored outcome's label),
    a motion passed as "Adopted" too, while the page and the poster said who was
    elected, or "Passed", with the turnout."""
    building = roles.building
    poll = PollFactory(proposal__building=building, quorum_percent=10, labels=labels)
    voter = AccountResidentFactory(household__building=building)
    poll_services.cast_ballot(
        poll=poll, option_id=poll.options.first().pk, resident=voter
    )
    poll_services.close_poll(poll=end_voting(poll))
    households = building.households.count()
    client.force_login(roles.resident)
    for language, outcome in (("zh-hans", zh), ("en", en)):
        page = client.get(poll.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
        assert outcome in page.content.decode()
        notification = Notification.objects.filter(kind="poll_closed").first()
        with translation.override(language):
            ((_building, text),) = group_posts.posts_for(notification)
        assert outcome in text
        assert f"1 / {households}" in text
