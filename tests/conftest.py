import contextlib
import gettext
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.signals import setting_changed
from django.test import override_settings
from hypothesis import HealthCheck, settings

from plan.document.contract import read
from plan.document.folders import plan_folder
from plan.document.loader import load_plan
from plan.models import Plan
from plan.search.synonyms import load_synonyms

FOLDER = plan_folder("kcpd-114")

# The property-based tests: CI (.ci/run sets HYPOTHESIS_PROFILE=ci) tries 250 examples of each,
# a local run 50, so that `make test` stays quick and CI still looks as hard as it did.
for name, examples in (("ci", 250), ("dev", 50)):
    settings.register_profile(
        name,
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_configure(config):
    """Compile the admin's translations (locale/) before any test, as `make setup` does, so that
    a plain `pytest` tests them too: once, in the main process (pytest-xdist starts its workers
    after this)."""
    if hasattr(config, "workerinput"):
        return
    stale = [
        po
        for locale_path in django_settings.LOCALE_PATHS
        for po in Path(locale_path).glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if not stale:
        return
    if shutil.which("msgfmt") is None:
        raise pytest.UsageError(
            "msgfmt not found: the admin's translations (locale/) need GNU gettext "
            "(Debian/Ubuntu: apt-get install gettext)"
        )
    # compilemessages looks for locale/ folders under the current one: not in .venv or .git.
    with contextlib.chdir(django_settings.BASE_DIR):
        call_command("compilemessages", ignore_patterns=[".*"], verbosity=0)
    # Loading the apps has read the catalogues already (django.contrib.auth.forms translates at
    # import): have Python's gettext, which keeps each file it read, and Django read them again,
    # as Django does when a test changes LOCALE_PATHS.
    gettext._translations.clear()
    setting_changed.send(
        sender=type(django_settings),
        setting="LOCALE_PATHS",
        value=django_settings.LOCALE_PATHS,
        enter=False,
    )


@pytest.fixture(scope="session")
def plan_document():
    """The published plan document (the committed fixture), parsed once."""
    return read(FOLDER.fixture)


@pytest.fixture(scope="session")
def django_db_setup(
    django_test_environment,
    django_db_modify_db_settings,
    django_db_blocker,
    django_db_keepdb,
    plan_document,
):
    """Create the test database and load the real plan and the search synonyms into it once;
    tests roll back.

    Always for the default database, even when only tests without the `db` fixture run
    (the browser and outage tests reach the data through a server or without a transaction).
    Under pytest-xdist each worker has a database of its own (`django_db_modify_db_settings`
    names it after the worker: test_kcpd_gw0, test_kcpd_gw1…).
    """
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, keepdb=django_db_keepdb
        )
        load_plan(plan_document)
        load_synonyms()
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            _end_other_sessions()
            teardown_databases(databases, verbosity=0)


def _end_other_sessions():
    """The browser tests' server answers from threads that may still hold a PostgreSQL
    session when the suite ends; the test database cannot be dropped while they do."""
    from django.db import connection

    if connection.vendor == "postgresql":
        # The outage test restarts the server: start from a fresh session of our own.
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Users made by tests get an MD5 hash: PBKDF2's rounds cost 0.4 s a password, and no test
    is about the hash itself (servers in subprocesses keep the real hashers)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def plan(db):
    return Plan.objects.get(slug="kcpd-114")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty page cache: tests change data without the signals
    (e.g. queryset.update()) that bump the data version in real use."""
    from django.core.cache import caches

    from plan.content import published

    for each in caches.all():
        each.clear()
    published.forget()
    yield
    for each in caches.all():
        each.clear()
    published.forget()


@pytest.fixture
def quiet_client():
    """A client that returns the 500 page instead of raising, so a server error shows as 500."""
    from django.test import Client

    return Client(raise_request_exception=False)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Tests marked `slow` first: under pytest-xdist the quick ones then fill in at the end,
    rather than one long test running alone while the other workers wait."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
