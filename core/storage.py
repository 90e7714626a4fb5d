"""Uploads on S3-compatible object storage (django-storages), by setting.

With `MEDIA_STORAGE=s3` the settings make this the default storage: pictures,
their renditions (django-imagekit writes them through the same storage) and
publication files go to a bucket instead of MEDIA_ROOT, so that any number of
app containers share them and the proxy needs no media volume. Pages compute the
files' addresses (the bucket's, or `AWS_S3_CUSTOM_DOMAIN`'s, a CDN in front of
it) without asking the storage anything.

The bucket serves the files itself, without the proxy's headers for /media/, so
what the proxy decides per file is decided here, when the file is written: its
type comes from its name, never from what the uploader's browser claimed, and
everything but a picture is sent as a download (`Content-Disposition:
attachment`), never shown as a page.
"""

from __future__ import annotations

import mimetypes
import re

from storages.backends.s3 import S3Storage

PICTURE = re.compile(r"\.(avif|gif|jpe?g|png|webp)$", re.IGNORECASE)


class MediaStorage(S3Storage):
    def get_object_parameters(self, name: str) -> dict:
        parameters = super().get_object_parameters(name)
        content_type, _encoding = mimetypes.guess_type(name)
        parameters["ContentType"] = content_type or "application/octet-stream"
        if not PICTURE.search(name):
            parameters["ContentDisposition"] = "attachment"
        return parameters
