"""The release: a fingerprint of everything that shapes a page but is not data (templates, code,
static files), so that a deploy changes every cache key and ETag.

Computed once per process from the files' contents (not their dates), so that every machine
running the same release agrees on it (they may share one Redis). `RELEASE` in the environment
(e.g. the deployed commit) takes its place.
"""

import hashlib
import os
from functools import cache
from pathlib import Path

from django.conf import settings

# What a page is made of, besides the data.
SOURCES = ("templates", "plan", "config", "static")
SUFFIXES = {".html", ".py", ".css", ".js", ".svg", ".png", ".ico", ".webmanifest", ".txt"}


@cache
def release() -> str:
    if os.environ.get("RELEASE"):
        return os.environ["RELEASE"][:40]
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in SOURCES:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
