import pytest

from tests.factories import AccountResidentFactory
from tests.proposals.factories import IssueFactory


@pytest.fixture
def reporter(building):
    """A resident of the building who reports issues (not one of the role users)."""
    return AccountResidentFactory(
        household__building=building, name="匿名甲", user__name="匿名甲"
    )


@pytest.fixture
def issue(building, reporter):
    return IssueFactory(building=building, reporter=reporter)


@pytest.fixture
def grant():
    """grant(user, "proposals.view_issue", ...) gives a staff member admin permissions."""
    from django.contrib.auth.models import Permission

    def _grant(user, *perms):
        for perm in perms:
            app_label, codename = perm.split(".")
            user.user_permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        return user.__class__.objects.get(pk=user.pk)  # fresh permission cache

    return _grant
