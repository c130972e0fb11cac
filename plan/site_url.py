"""Absolute links are built from the configured origin (settings.SITE_URL), never from the
request's Host header: a response must not depend on a header the client chose."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`/budget/2-2/` -> `https://plan.example.org/budget/2-2/`."""
    return settings.SITE_URL + path
