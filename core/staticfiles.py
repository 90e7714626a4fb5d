"""Static files taken from Python packages that ship them."""

from pathlib import Path

import xstatic.pkg.jquery_ui
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


class PackageFilesFinder(BaseFinder):
    """Some files of a package's folder, served under `prefix/`.

    Only the files named: a package may ship files that refer to others it does
    not ship, which the manifest storage of production refuses at collectstatic.
    """

    prefix: str
    location: str
    names: tuple[str, ...]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=self.location)
        self.storage.prefix = self.prefix

    def find(self, path, find_all=False, **kwargs):
        prefix, _, name = path.partition("/")
        if prefix == self.prefix and name in self.names:
            found = str(Path(self.storage.location) / name)
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        for name in self.names:
            yield name, self.storage


class JQueryUIFinder(PackageFilesFinder):
    """jQuery UI's script, for the admin's translation tabs, from XStatic-jQuery.ui.

    Only the script: the package's stylesheets point at images it does not ship.
    """

    prefix = "jquery-ui"
    location = xstatic.pkg.jquery_ui.BASE_DIR
    names = ("jquery-ui.min.js",)
