"""schema.org descriptions of the detail pages, as JSON-LD for search engines."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.languages import active_language

CONTEXT = "https://schema.org"


def _base(kind: str, obj: Any, request: HttpRequest, name: str) -> dict:
    return {
        "@context": CONTEXT,
        "@type": kind,
        "@id": request.build_absolute_uri(obj.get_absolute_url()),
        "url": request.build_absolute_uri(obj.get_absolute_url()),
        "name": name,
        "inLanguage": active_language(),
    }


def _geo(obj: Any) -> dict | None:
    if not obj.has_location:
        return None
    return {
        "@type": "GeoCoordinates",
        "latitude": float(obj.latitude),
        "longitude": float(obj.longitude),
    }


def _place(region: Any, request: HttpRequest) -> dict | None:
    if region is None:
        return None
    return {
        "@type": "Place",
        "name": region.name,
        "url": request.build_absolute_uri(region.get_absolute_url()),
        "address": {"@type": "PostalAddress", "addressCountry": region.country.code},
    }


def _without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def potential_json_ld(potential: Any, request: HttpRequest) -> dict:
    return _without_empty(
        {
            **_base("Place", potential, request, potential.title),
            "description": potential.summary,
            "geo": _geo(potential),
            "containedInPlace": _place(potential.region, request),
            "additionalType": potential.category.name,
            "dateModified": potential.updated_at,
        }
    )


def good_practice_json_ld(practice: Any, request: HttpRequest) -> dict:
    institution = practice.main_institution
    return _without_empty(
        {
            **_base("CreativeWork", practice, request, practice.title),
            "description": practice.summary,
            "genre": practice.get_kind_display(),
            "author": {
                "@type": "Organization",
                "name": institution.name,
                "url": request.build_absolute_uri(institution.get_absolute_url()),
            },
            "spatialCoverage": _place(practice.region, request),
            "datePublished": practice.published_at,
            "dateModified": practice.updated_at,
        }
    )


def region_json_ld(region: Any, request: HttpRequest) -> dict:
    return _without_empty(
        {
            **_base("AdministrativeArea", region, request, region.name),
            "description": region.summary,
            "geo": _geo(region),
            "address": {
                "@type": "PostalAddress",
                "addressCountry": region.country.code,
            },
            "sameAs": region.website,
        }
    )


def partner_json_ld(partner: Any, request: HttpRequest) -> dict:
    return _without_empty(
        {
            **_base("Organization", partner, request, partner.name),
            "alternateName": partner.acronym,
            "url": partner.website
            or request.build_absolute_uri(partner.get_absolute_url()),
            "email": partner.email,
            "telephone": partner.phone,
            "address": {
                "@type": "PostalAddress",
                "addressCountry": partner.country.code,
            },
        }
    )


def project_json_ld(project: Any, request: HttpRequest, members: list) -> dict:
    return _without_empty(
        {
            **_base("Project", project, request, project.title),
            "alternateName": project.acronym,
            "description": project.summary,
            "foundingDate": project.start_date,
            "dissolutionDate": project.end_date,
            "sameAs": project.website,
            "member": [
                {"@type": "Organization", "name": membership.partner.name}
                for membership in members
            ],
        }
    )


def publication_json_ld(publication: Any, request: HttpRequest) -> dict:
    return _without_empty(
        {
            **_base("Report", publication, request, publication.title),
            "description": publication.summary,
            "genre": publication.get_kind_display(),
            "datePublished": str(publication.year) if publication.year else None,
            "inLanguage": publication.language,
            "sameAs": publication.url,
            "publisher": {
                "@type": "Project",
                "name": publication.project.acronym,
                "url": request.build_absolute_uri(
                    publication.project.get_absolute_url()
                ),
            }
            if publication.project
            else None,
        }
    )
