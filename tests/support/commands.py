"""Running management commands the way the tests read them."""

import io

from django.core.management import call_command


def command_output(*args, **options) -> str:
    """Run a management command and return what it wrote to stdout."""
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()
