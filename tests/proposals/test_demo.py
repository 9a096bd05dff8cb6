import pytest
from django.core.management import call_command

from proposals.models import Issue, IssueEvent, IssuePhoto, IssueSupport

pytestmark = pytest.mark.django_db


def test_seed_demo_has_every_status_and_is_idempotent():
    call_command("seed_demo", stdout=None)
    counts = (
        Issue.objects.count(),
        IssueEvent.objects.count(),
        IssueSupport.objects.count(),
        IssuePhoto.objects.count(),
    )
    assert set(Issue.objects.values_list("status", flat=True)) == set(
        Issue.Status.values
    )
    assert Issue.objects.filter(is_anonymous=True).exists()
    assert Issue.objects.overdue().filter(title="电瓶车停在门厅充电").exists()
    assert Issue.objects.get(title="电瓶车停在门厅充电").reporter.name == "钱奶奶"
    call_command("seed_demo", stdout=None)
    again = (
        Issue.objects.count(),
        IssueEvent.objects.count(),
        IssueSupport.objects.count(),
        IssuePhoto.objects.count(),
    )
    assert again == counts
