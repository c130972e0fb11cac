"""What the browser tests share besides their fixtures (tests/browser/conftest.py)."""

import os
from pathlib import Path

from django.conf import settings

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
WIDTHS = {"phone": 390, "desktop": 1280}  # page types under axe-core
LAYOUT_WIDTHS = (360, 390, 1280)  # layout checks and screenshots


def screenshot(page, name: str) -> None:
    """A full-page PNG in artifacts/, named by page and viewport width."""
    ARTIFACTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
