"""Logging filters (configured in settings.LOGGING, before the apps load: no model imports)."""

import logging


class OneLineSecurityEvents(logging.Filter):
    """A client's bad request (disallowed Host, too many fields) is logged as one line: its
    traceback says nothing new and would let one client fill the log."""

    def filter(self, record):
        if record.name.startswith("django.security"):
            record.exc_info = None
            record.exc_text = None
        return True
