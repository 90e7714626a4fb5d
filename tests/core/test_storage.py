"""Uploads on S3-compatible object storage by setting (core/storage.py), against a
real S3 server: moto's, in this process, on STORAGE_TEST_S3_PORT (8141)."""

from __future__ import annotations

import json
import os
import urllib.request

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from core.images import SIZES
from tests.factories import PotentialImageFactory, picture_file
from tests.helpers import run_portal

PORT = int(os.environ.get("STORAGE_TEST_S3_PORT", "8141"))
ENDPOINT = f"http://127.0.0.1:{PORT}"
BUCKET = "portal-media"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}  # moto's own

PRINT_STORAGES = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps(s.STORAGES))"
)


def storages_from(**environment) -> dict:
    result = run_portal(["-c", PRINT_STORAGES], DEBUG="1", **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_uploads_stay_on_the_filesystem_unless_asked():
    storages = storages_from()
    assert storages["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )
    assert "s3" not in storages["staticfiles"]["BACKEND"]


def test_media_storage_s3_puts_uploads_and_static_files_in_the_bucket():
    storages = storages_from(
        MEDIA_STORAGE="s3",
        STATIC_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
    )
    media, static = storages["default"], storages["staticfiles"]
    assert media["BACKEND"] == "core.storage.MediaStorage"
    assert static["BACKEND"] == "storages.backends.s3.S3ManifestStaticStorage"
    for options in (media["OPTIONS"], static["OPTIONS"]):
        assert options["bucket_name"] == BUCKET
        assert options["endpoint_url"] == "https://s3.example.org"
        assert options["custom_domain"] == "media.example.org"
        # Plain addresses, which a page cache can keep.
        assert options["querystring_auth"] is False
    assert (media["OPTIONS"]["location"], static["OPTIONS"]["location"]) == (
        "media",
        "static",
    )


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"MEDIA_STORAGE": "s3"}, "needs AWS_STORAGE_BUCKET_NAME"),
        ({"MEDIA_STORAGE": "ftp"}, "'filesystem' or 's3'"),
    ],
)
def test_an_incomplete_storage_setting_stops_start_up(environment, message):
    result = run_portal(["-c", PRINT_STORAGES], DEBUG="1", **environment)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.fixture(scope="module")
def s3():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=PORT, verbose=False)
    server.start()
    client = boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    # Public files, as a portal's bucket (or the CDN in front of it) serves them.
    client.put_bucket_policy(
        Bucket=BUCKET,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{BUCKET}/*",
                    }
                ],
            }
        ),
    )
    yield client
    server.stop()


@pytest.fixture
def bucket_storage(s3, settings):
    """The settings MEDIA_STORAGE=s3 makes, on moto's server."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.MediaStorage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": ENDPOINT,
                "region_name": "us-east-1",
                **CREDENTIALS,
                "querystring_auth": False,
                "default_acl": None,
                "file_overwrite": False,
                "location": "media",
                "object_parameters": {"CacheControl": "public, max-age=3600"},
            },
        },
    }
    return s3


@pytest.mark.django_db
def test_a_picture_and_its_renditions_go_to_the_bucket_and_read_back(bucket_storage):
    image = PotentialImageFactory(image=picture_file("lake.jpg", size=(1600, 1200)))
    stored = bucket_storage.get_object(Bucket=BUCKET, Key=f"media/{image.image.name}")
    assert stored["ContentType"] == "image/jpeg"
    assert stored["CacheControl"] == "public, max-age=3600"
    # django-imagekit made every rendition through the same storage, when saved.
    for size in SIZES:
        rendition = image.rendition(size)
        name = getattr(image, size).name
        assert name.startswith("renditions/")
        with default_storage.open(name) as file, Image.open(file) as made:
            assert made.size == (rendition.width, rendition.height), size
            assert made.format == SIZES[size].format
        # Pages link the bucket's address, computed without asking it.
        assert rendition.url == f"{ENDPOINT}/{BUCKET}/media/{name}"
    with urllib.request.urlopen(image.detail_rendition.url, timeout=10) as response:
        assert response.headers["Content-Type"] == "image/webp"
        with Image.open(response) as shown:
            assert shown.size == (960, 720)


@pytest.mark.django_db
def test_files_other_than_pictures_are_downloads_of_the_type_their_name_says(
    bucket_storage,
):
    """The bucket serves files without the proxy's headers: a file the uploader's
    browser called a web page is stored as what its name says, as a download."""
    upload = ContentFile(b"%PDF-1.4\n%%EOF\n", name="report.pdf")
    upload.content_type = "text/html"
    name = default_storage.save("publications/report.pdf", upload)
    stored = bucket_storage.get_object(Bucket=BUCKET, Key=f"media/{name}")
    assert stored["ContentType"] == "application/pdf"
    assert stored["ContentDisposition"] == "attachment"
    assert stored["Body"].read() == b"%PDF-1.4\n%%EOF\n"
