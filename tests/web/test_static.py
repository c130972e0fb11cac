"""Static files: hashed names and compression through whitenoise's manifest storage."""

import gzip

import pytest
from django.core.management import call_command
from django.test import override_settings

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "plan.web.static_files.ManifestStorage"},  # production's
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


def test_a_remembered_static_url_is_whitenoise_s_and_follows_a_new_collectstatic(tmp_path):
    from django.contrib.staticfiles.storage import staticfiles_storage
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    source = tmp_path / "source" / "css" / "site.css"
    source.parent.mkdir(parents=True)
    source.write_text("body { color: black; }\n")
    only_these_files = {
        "STATICFILES_DIRS": [tmp_path / "source"],
        "STATICFILES_FINDERS": ["django.contrib.staticfiles.finders.FileSystemFinder"],
    }
    with override_settings(STATIC_ROOT=tmp_path / "root", STORAGES=MANIFEST, **only_these_files):
        call_command("collectstatic", interactive=False, verbosity=0)
        first = staticfiles_storage.url("css/site.css")
        assert first == CompressedManifestStaticFilesStorage().url("css/site.css")
        assert staticfiles_storage.url("css/site.css") == first  # from the memo
        source.write_text("body { color: navy; }\n")
        call_command("collectstatic", interactive=False, verbosity=0)
        changed = staticfiles_storage.url("css/site.css")
        assert changed != first
        assert changed == CompressedManifestStaticFilesStorage().url("css/site.css")


def test_the_stylesheet_stays_small():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_bytes()
    # What a phone downloads is the compressed file; with the page itself it should fit in the
    # first round trips of a new connection (about 14 KB).
    assert len(gzip.compress(css, compresslevel=9)) < 7_000
    assert len(css) < 32_000
