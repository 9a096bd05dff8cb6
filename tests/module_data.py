"""Data built once for a whole test module, in a transaction rolled back after it."""

import copy

import pytest
from django.db import connection, transaction


def built_once(django_db_blocker, build):
    """For a module-scoped fixture: ``yield from built_once(django_db_blocker, build)``.

    ``build()`` runs once inside a transaction; each test then runs in its own
    transaction inside it, and everything is rolled back after the module.

    The foreign-key checks PostgreSQL defers for the built rows run once, here. Left
    pending, they would run again at every test's teardown (Django checks constraints
    there, and the test's rollback undoes the check): 0.7 s a test for a district."""
    with django_db_blocker.unblock(), transaction.atomic():
        data = build()
        connection.check_constraints()
        yield data
        transaction.set_rollback(True)


def roles_built_once():
    """The ``building`` and ``roles`` fixtures (tests/conftest.py) made once for a test
    module: ``module_roles, roles, building = roles_built_once()`` at its top.

    Making the building and its nine people took most of the time of a permission
    matrix's tests, which each ask one page or one action of one role. Each test gets
    its own deep copy of them, as Django's ``TestCase.setUpTestData`` gives each test
    a copy of its class data, so what a test changes in memory is not seen by the
    next; what it writes to the database is rolled back with its transaction."""
    from auditlog.context import disable_auditlog

    from tests.conftest import Roles
    from tests.factories import BuildingFactory

    @pytest.fixture(name="module_roles", scope="module")
    def module_roles(django_db_setup, django_db_blocker):
        def build():
            with disable_auditlog():
                return Roles(BuildingFactory())

        yield from built_once(django_db_blocker, build)

    @pytest.fixture(name="roles")
    def roles(module_roles, db):
        return copy.deepcopy(module_roles)

    @pytest.fixture(name="building")
    def building(roles):
        return roles.building

    return module_roles, roles, building
