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


def _images(obj: Any, request: HttpRequest) -> list[dict]:
    """A record's pictures (read from the detail page's prefetch) as ImageObjects,
    with their credit and licence, in the detail size."""
    images = []
    for image in obj.images.all():
        rendition = image.detail_rendition
        images.append(
            _without_empty(
                {
                    "@type": "ImageObject",
                    "contentUrl": request.build_absolute_uri(rendition.url),
                    "width": rendition.width,
                    "height": rendition.height,
                    "description": image.alt,
                    "caption": image.caption,
                    "creditText": image.credit,
                    "license": image.licence_url,
                }
            )
        )
    return images


def _without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def potential_json_ld(potential: Any, request: HttpRequest) -> dict:
    return _without_empty(
        {
            **_base("Place", potential, request, potential.title),
            "image": _images(potential, request),
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
            "image": _images(practice, request),
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
            "image": _images(region, request),
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
            "image": _images(partner, request),
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
