"""The static files' storage in production: whitenoise's hashed and compressed files, with the
URL of each file remembered.

Working a hashed URL out of the manifest (unquoting, splitting and joining the name) costs
about 20 µs, and every page links five static files. The manifest is read when the storage is
made and does not change while the process serves pages, so neither do the URLs;
collectstatic, which hashes the files again, starts the memo afresh.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Templates name a handful of files; past this the memo starts again rather than grow.
MAX_ENTRIES = 1000


class ManifestStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict = {}

    def url(self, name, force=False):
        key = (name, force, settings.DEBUG)  # under DEBUG the manifest is not used
        try:
            return self._urls[key]
        except KeyError:
            pass
        url = super().url(name, force)
        if len(self._urls) >= MAX_ENTRIES:
            self._urls.clear()
        self._urls[key] = url
        return url

    def post_process(self, *args, **kwargs):
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()
