import pytest
from django.conf import settings

from plan.loader import load_plan, read_document
from plan.models import Plan


@pytest.fixture(scope="session")
def plan_document():
    """The published plan document (the committed fixture), parsed once."""
    return read_document(settings.PLAN_FIXTURE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, plan_document):
    """Load the real plan into the test database once; each test rolls back its changes."""
    with django_db_blocker.unblock():
        load_plan(plan_document)


@pytest.fixture
def plan(db):
    return Plan.objects.get(slug="kcpd-114")
