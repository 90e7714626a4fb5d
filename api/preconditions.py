"""If-Match on the writes of editorial records: a write based on a stale read is
refused (412) instead of silently undoing another one.

A record's ETag is `"<version>-<digest>"`: the version changes whenever the record
is saved (it is its `updated_at`, with its kind and key), the digest whenever the
answer's bytes do (another language, a renamed region), so that If-None-Match
stays exact for reads. If-Match compares the version alone: any representation
the client read of the record as it now is (any language, JSON or GeoJSON,
compressed or not, or the answer of its last write) lets the write proceed.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.http import HttpRequest
from django.utils.http import parse_etags

from api.exceptions import PreconditionFailed


def record_version(record: models.Model, updated_at=None) -> str:
    updated_at = updated_at or record.updated_at
    stamp = f"{record._meta.label}:{record.pk}:{updated_at.isoformat()}"
    return hashlib.blake2b(stamp.encode(), digest_size=8).hexdigest()


def record_etag(record: models.Model, content: bytes) -> str:
    digest = hashlib.blake2b(content, digest_size=16).hexdigest()
    return f'"{record_version(record)}-{digest}"'


def check_if_match(request: HttpRequest, record: models.Model) -> None:
    """Refuse with 412 unless If-Match, if sent, names the record's version.

    Inside the write's transaction: the row is locked first, so that of two
    writes sent with the same ETag only the first proceeds.
    """
    header = request.META.get("HTTP_IF_MATCH")
    if header is None:
        return
    current = (
        type(record)
        ._default_manager.select_for_update()
        .filter(pk=record.pk)
        .values_list("updated_at", flat=True)
        .first()
    )
    etags = parse_etags(header)
    if etags == ["*"]:
        return
    version = record_version(record, current)
    for etag in etags:
        # A compressed answer's ETag is weak (W/"…"): the same record version.
        etag = etag.removeprefix("W/")
        if etag.startswith('"') and etag.strip('"').split("-", 1)[0] == version:
            return
    raise PreconditionFailed()
