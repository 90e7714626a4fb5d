"""Examples for the OpenAPI description: real answers of the API.

The requests are written here, as a client would send them; every answer is the
API's own, asked for on a database holding the seed content by
`manage.py api_examples`, which writes them to `api/examples.json`. A test asks
again and fails when the file no longer matches what the API answers.

Answers are made readable, never changed in substance: long texts and lists are
shortened, addresses given the portal's public host, and timestamps (which differ
on every run) one fixed value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token

from accounts.models import Role, StaffMembership
from accounts.services import user_roles_sync
from editorial.models import Status
from goodpractices.models import GoodPractice
from regions.models import Partner

EXAMPLES_FILE = Path(__file__).with_name("examples.json")
API = "/api/v1/"
PUBLIC_ORIGIN = "https://portal.example.org"
TIMESTAMP = "2026-11-23T09:12:44.120391+01:00"
MAX_TEXT = 160
MAX_ITEMS = 3

# The record each collection's read examples show: (address, slug).
READ_RECORDS = {
    "regions": ("regions", "lower-lusatia"),
    "partners": ("partners", "district-of-zwickau"),
    "projects": ("projects", "resource"),
    "publications": ("publications", "mireu-slo-guidelines"),
    "themes": ("themes", "natural-potentials"),
    "categories": ("categories", "biomass"),
    "legacy types": ("legacy-types", "mine-water"),
    "development goals": ("development-goals", "renewable-energy"),
    "potentials": ("potentials", "lusatian-lake-district"),
    "good practices": (
        "good-practices",
        "systematic-thematic-development-of-mining-metallurgy-and-raw-materials",
    ),
    "policy instruments": (
        "policy-instruments",
        "lower-silesia-regional-innovation-strategy-2011-2020",
    ),
}
# The actor networks the examples show: the address under /api/v1/.
NETWORK_READS = {
    "region network": "regions/lower-lusatia/network/",
    "project network": "projects/resource/network/",
}

# The collections whose records answer `<record>/similar/` too.
SIMILAR_READS = ("potentials", "good practices")

# Reads beyond lists and records, by the name of their example: (address, query).
ACTION_READS: dict[str, tuple[str, dict[str, Any]]] = {
    "regions similar": ("regions/lower-lusatia/similar/", {}),
    "regions match": (
        "regions/match/",
        {
            "legacy_type": ["open-pits-and-lakes"],
            "commodity": ["lignite"],
            "goal": ["tourism-and-culture"],
            "mining_ended": "1995",
        },
    ),
    # Lusatia and around at zoom 7, its area snapped to the grid as maps.js does.
    "map markers": (
        "map-markers/",
        {
            "records": ["potential", "goodpractice"],
            "bbox": "11.25,50.625,15.46875,52.03125",
            "zoom": 7,
        },
    ),
}

# What partner staff send: a new record, and a change to it.
WRITE_REQUESTS: dict[str, dict[str, Any]] = {
    "potentials": {
        "address": "potentials",
        "owner": "iba-fuerst-pueckler-land",
        "request": {
            "slug": "pit-lake-heat-pumps-grabendorf",
            "title": {
                "en": "Heat pumps on the Gräbendorf pit lake",
                "de": "Wärmepumpen am Gräbendorfer See",
            },
            "summary": {
                "en": "The flooded open pit's water as a heat source for the "
                "neighbouring village.",
                "de": "Das Wasser des gefluteten Tagebaus als Wärmequelle für das "
                "Nachbardorf.",
            },
            "stage": "studied",
            "region": "lower-lusatia",
            "category": "geothermal-energy",
            "legacy_types": ["open-pits-and-lakes", "mine-water"],
            "projects": ["resource"],
            "latitude": "51.690000",
            "longitude": "14.130000",
            "capacity_mw": "1.200",
        },
        "patch": {"summary": {"pl": "Woda zalanej odkrywki jako źródło ciepła."}},
    },
    "good practices": {
        "address": "good-practices",
        "owner": "regional-council-of-lapland",
        "request": {
            "title": {
                "en": "Mine water heat for a school",
                "pl": "Ciepło z wód kopalnianych dla szkoły",
            },
            "summary": {"en": "A pilot heat pump fed by a flooded shaft."},
            "kind": "pilot_project",
            "practice_status": "ongoing",
            "original_language": "pl",
            "main_institution": "regional-council-of-lapland",
            "region": "lapland",
            "start_date": "2025-03-01",
            "themes": ["natural-potentials"],
            "categories": ["geothermal-energy"],
            "legacy_types": ["mine-water"],
            "potentials": ["geothermal-energy-from-mine-water"],
            "cost_min": "40000.00",
            "cost_max": "65000.00",
            "cost_currency": "EUR",
            "implementation_months": 9,
            "evidence_level": "reported",
            "transferable_region_kinds": ["town", "municipality"],
        },
        "patch": {"title": {"fi": "Kaivosveden lämpö koululle"}},
    },
}

# Requests the API refuses, by the name of their example: (address under the
# new potential, or None for the collection; body).
ERROR_REQUESTS: dict[str, tuple[str | None, dict[str, Any]]] = {
    "Invalid fields": (
        None,
        {
            "title": {"de": "Wärme", "xx": "?"},
            "summary": {"en": "Heat."},
            "category": "geothermal-energy",
            "region": "nowhere",
            "legacy_types": [],
        },
    ),
    "Status set directly": (
        None,
        {
            "title": {"en": "Heat"},
            "summary": {"en": "Heat."},
            "category": "geothermal-energy",
            "legacy_types": ["mine-water"],
            "status": "published",
        },
    ),
    "Record-wide rule": (
        None,
        {
            "title": {"en": "Heat"},
            "summary": {"en": "Heat."},
            "category": "geothermal-energy",
            "legacy_types": ["mine-water"],
            "latitude": "51.5",
        },
    ),
    "Status does not allow it": ("submit/", {}),
    "Unknown version": ("restore/", {"version": 412}),
}


def readable(value: Any, key: str = "") -> Any:
    """An answer shortened and made independent of when and where it was asked."""
    if isinstance(value, dict):
        return {name: readable(item, name) for name, item in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(item, int | float) for item in value):
            return value  # Coordinates, a bounding box: whole or meaningless.
        return [readable(item, key) for item in value[:MAX_ITEMS]]
    if isinstance(value, str):
        if key.endswith("_at"):
            return TIMESTAMP
        value = value.replace("http://testserver", PUBLIC_ORIGIN)
        if len(value) > MAX_TEXT and not value.startswith(PUBLIC_ORIGIN):
            return value[:MAX_TEXT].rsplit(" ", 1)[0] + "…"
    return value


def _editor_token(owner: str) -> dict[str, str]:
    """The API token of a new editor of `owner`."""
    user = get_user_model().objects.create_user(f"examples-{owner}"[:150])
    StaffMembership.objects.create(
        user=user, partner=Partner.objects.get(slug=owner), role=Role.EDITOR
    )
    user_roles_sync(user=user, by=None)
    return {"authorization": f"Token {Token.objects.create(user=user).key}"}


def _answer(response) -> Any:
    assert response.status_code < 500, response.content
    return readable(response.json())


def examples_generate() -> dict[str, Any]:
    """Ask the API for every example. It writes records: call it in a
    transaction that is rolled back."""
    client = Client()
    reads = {}
    for resource, (address, slug) in READ_RECORDS.items():
        page = client.get(f"{API}{address}/", {"page_size": 100}).json()
        (row,) = [row for row in page["results"] if row["slug"] == slug]
        reads[resource] = {
            "list": readable(row),
            "detail": _answer(client.get(f"{API}{address}/{slug}/")),
        }
    for resource, address in NETWORK_READS.items():
        reads[resource] = {"detail": _answer(client.get(f"{API}{address}"))}
    actions = {
        name: _answer(client.get(f"{API}{address}", query))
        for name, (address, query) in ACTION_READS.items()
    }
    writes = {}
    created_slugs = {}
    for resource, write in WRITE_REQUESTS.items():
        headers = _editor_token(write["owner"])
        collection = f"{API}{write['address']}/"
        created = client.post(
            collection,
            write["request"],
            content_type="application/json",
            headers=headers,
        )
        writes[resource] = _answer(created)
        if resource == "potentials":
            errors = _errors(client, collection, created.json()["slug"], headers)
        created_slugs[resource] = created.json()["slug"]
    # The seed content holds one good practice, which is like no other: the
    # similar records are asked once the practice written above is published.
    GoodPractice.objects.filter(slug=created_slugs["good practices"]).update(
        status=Status.PUBLISHED
    )
    for resource in SIMILAR_READS:
        address, slug = READ_RECORDS[resource]
        reads[resource]["similar"] = _answer(
            client.get(f"{API}{address}/{slug}/similar/")
        )
    return {"reads": reads, "actions": actions, "writes": writes, "errors": errors}


def _errors(client, collection: str, slug: str, headers) -> dict[str, Any]:
    """The refusals of ERROR_REQUESTS; the draft `slug` is submitted first, so
    that submitting it again is refused."""
    client.post(f"{collection}{slug}/submit/", headers=headers)
    errors = {}
    for name, (action, body) in ERROR_REQUESTS.items():
        address = f"{collection}{slug}/{action}" if action else collection
        response = client.post(
            address, body, content_type="application/json", headers=headers
        )
        assert response.status_code == 400, (name, response.content)
        errors[name] = readable(response.json())
    return errors


def examples_load() -> dict[str, Any]:
    return json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))


def examples_dump(examples: dict[str, Any]) -> str:
    return json.dumps(examples, ensure_ascii=False, indent=2) + "\n"
