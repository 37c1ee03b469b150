"""Static files as whitenoise stores them (hashed names, compressed copies), with each file's
address worked out once per process.

`{% static %}` asks the storage for an address on every use: through Django's manifest storage
that is a lookup in the manifest, a split, a join and a quote, 18 µs each, and a page links
about ten (its scripts, styles and icon). The manifest is read when the process starts and
never changes while it runs (a deploy collects static files and starts new workers), so the
answer for a name never changes either: it is kept here after the first time.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:  # collectstatic's own use, while it writes the manifest
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = self._urls[name] = super().url(name)  # a name missing from the manifest raises
        return found
