"""Static files: hashed names and compression through whitenoise's manifest storage."""

import gzip

import pytest
from django.core.management import call_command
from django.test import override_settings

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.mark.django_db
def test_pages_link_hashed_compressed_css(tmp_path, client):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST):
        call_command("collectstatic", interactive=False, verbosity=0)
        html = client.get("/").content.decode()
    hashed = sorted(path.name for path in (tmp_path / "css").glob("site.*.css"))
    assert hashed, "collectstatic wrote no hashed stylesheet"
    assert f"/static/css/{hashed[0]}" in html
    assert (tmp_path / "css" / f"{hashed[0]}.gz").exists()


def test_the_stylesheet_stays_small():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_bytes()
    # What a phone downloads is the compressed file; with the page itself it should fit in the
    # first round trips of a new connection (about 14 KB).
    assert len(gzip.compress(css, compresslevel=9)) < 7_000
    assert len(css) < 32_000
