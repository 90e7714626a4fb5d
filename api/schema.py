"""The OpenAPI description of API v1 (drf-spectacular): what every endpoint takes
and answers, in each format, with examples."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers

from api.examples import (
    ERROR_REQUESTS,
    EXAMPLES_FILE,
    WRITE_REQUESTS,
    examples_load,
)
from api.maps import MARKER_KINDS, filter_names
from api.serializers import (
    MapMarkersSerializer,
    NetworkSerializer,
    RegionMatchSerializer,
    RestoreSerializer,
    SendBackSerializer,
    SimilarRegionsSerializer,
    VersionSerializer,
)
from core.languages import language_codes
from search.filters import BoundingBoxFilter
from search.maps import MAX_CELLS, MAX_ZOOM, MIN_ZOOM

# Real answers of the API (api/examples.py; `manage.py api_examples` writes them).
_EXAMPLES = (
    examples_load()
    if EXAMPLES_FILE.exists()
    else {"reads": {}, "writes": {}, "errors": {}}
)

extend_schema_field(
    {
        "type": "string",
        "pattern": r"^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$",
        "description": "A map area: west,south,east,north in WGS 84 degrees; "
        "records located inside it.",
        "example": "14,47,16,48",
    }
)(BoundingBoxFilter)


LANGUAGE_PARAMETERS = [
    OpenApiParameter(
        "lang",
        OpenApiTypes.STR,
        enum=language_codes(),
        description=(
            "The language of translated texts. Wins over Accept-Language. A text "
            "not translated into it is given in English, else in the record's "
            "original language (`original_language`); each record's "
            "`translations` lists the languages it is written in."
        ),
    ),
    OpenApiParameter(
        "Accept-Language",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        description="The usual header, used when `lang` is not given; English "
        "when it names no language the portal has.",
        examples=[OpenApiExample("Polish, else German", value="pl, de;q=0.8")],
    ),
]

PAGE_PARAMETERS = [
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1},
        description="A page number within the paginated result set.",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1},
        description="Results per page; larger values than the lists allow are capped.",
    ),
]

DETAIL_ERROR = inline_serializer(
    "Error", {"detail": serializers.CharField(help_text="What went wrong.")}
)
PARAMETER_ERRORS = {
    "type": "object",
    "description": "Each rejected query parameter, with what was wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ERROR_RESPONSES = {
    400: OpenApiResponse(
        PARAMETER_ERRORS,
        description="A query parameter has a bad value: the body names it.",
        examples=[
            OpenApiExample(
                "Unknown theme",
                value={
                    "theme": [
                        "Select a valid choice. no-such-theme is not one of the "
                        "available choices."
                    ]
                },
            ),
            OpenApiExample(
                "Bad page", value={"page": ["There is no page 9: the last page is 2."]}
            ),
        ],
    ),
    429: OpenApiResponse(
        DETAIL_ERROR,
        description="Too many requests from this client; retry after the "
        "Retry-After header's seconds.",
    ),
}
NOT_FOUND = OpenApiResponse(
    DETAIL_ERROR,
    description="No public record has this slug.",
    examples=[
        OpenApiExample(
            "Not found", value={"detail": "No Potential matches the given query."}
        )
    ],
)
GEOMETRY = inline_serializer(
    "Point",
    {
        "type": serializers.ChoiceField(choices=["Point"]),
        "coordinates": serializers.ListField(
            child=serializers.FloatField(),
            min_length=2,
            max_length=2,
            help_text="Longitude and latitude in WGS 84 degrees.",
        ),
    },
    allow_null=True,
    help_text="Null for a record without a location.",
)


def _properties_serializer(serializer: type[serializers.Serializer]) -> type:
    """The record without its coordinates, which become the geometry."""
    meta = type(
        "Meta",
        (serializer.Meta,),
        {
            "fields": [
                name
                for name in serializer.Meta.fields
                if name not in ("latitude", "longitude")
            ]
        },
    )
    name = serializer.__name__.removesuffix("Serializer") + "Properties"
    return type(name, (serializer,), {"Meta": meta, "__module__": __name__})


def _feature(serializer: type[serializers.Serializer]) -> serializers.Serializer:
    name = serializer.__name__.removesuffix("Serializer")
    return inline_serializer(
        f"{name}Feature",
        {
            "type": serializers.ChoiceField(choices=["Feature"]),
            "id": serializers.CharField(help_text="The record's slug."),
            "geometry": GEOMETRY,
            "properties": _properties_serializer(serializer)(),
        },
    )


def _feature_collection(serializer: type[serializers.Serializer]):
    name = serializer.__name__.removesuffix("Serializer")
    collection = inline_serializer(
        f"{name}FeatureCollection",
        {
            "type": serializers.ChoiceField(choices=["FeatureCollection"]),
            "count": serializers.IntegerField(help_text="Records on all pages."),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "features": _feature(serializer).__class__(many=True),
        },
    )
    # A page of features is one object, not a list to paginate again.
    extend_schema_serializer(many=False)(collection.__class__)
    return collection


def _format_parameter(formats: list[str]) -> OpenApiParameter:
    return OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        enum=formats,
        description=(
            "The response format; the Accept header can ask for it too "
            "(application/json, application/geo+json, text/csv). CSV exports the "
            "whole filtered list, unpaginated, streamed."
            if "csv" in formats
            else "The response format; the Accept header can ask for it too "
            "(application/json, application/geo+json)."
        ),
    )


def document(
    resource: str,
    serializer: type[serializers.Serializer],
    detail_serializer: type[serializers.Serializer] | None = None,
    *,
    geojson: bool = False,
):
    """The schema of a `PublicReadViewSet`: its list and detail operations."""
    detail_serializer = detail_serializer or serializer
    examples: dict[str, Any] = _EXAMPLES["reads"].get(resource, {})
    list_formats = ["json", *(["geojson"] if geojson else []), "csv"]
    detail_formats = ["json", *(["geojson"] if geojson else [])]

    list_responses: dict[Any, Any] = {
        (200, "application/json"): OpenApiResponse(
            serializer,
            description=f"A page of {resource}.",
            examples=[
                OpenApiExample(
                    f"A page of {resource}",
                    value=examples.get("list"),
                    status_codes=[200],
                )
            ]
            if examples.get("list")
            else [],
        ),
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR,
            description=f"All {resource} that match the filters, as CSV with a "
            "header row: nested records as `region.name`…, lists by slug, "
            "separated by semicolons.",
        ),
        **ERROR_RESPONSES,
    }
    detail_responses: dict[Any, Any] = {
        (200, "application/json"): OpenApiResponse(
            detail_serializer,
            examples=[
                OpenApiExample(
                    f"One of the {resource}",
                    value=examples.get("detail"),
                    status_codes=[200],
                )
            ]
            if examples.get("detail")
            else [],
        ),
        404: NOT_FOUND,
        **ERROR_RESPONSES,
    }
    if geojson:
        list_responses[(200, "application/geo+json")] = OpenApiResponse(
            _feature_collection(serializer),
            description=f"A page of {resource} as a GeoJSON FeatureCollection.",
        )
        detail_responses[(200, "application/geo+json")] = OpenApiResponse(
            _feature(detail_serializer), description="A GeoJSON Feature."
        )
    tag = resource.capitalize()
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {resource}",
            description=(
                f"Public {resource}, filtered by the query parameters (several "
                "values of one parameter are alternatives; different parameters "
                "must all match) and paginated."
            ),
            tags=[tag],
            parameters=[*LANGUAGE_PARAMETERS, _format_parameter(list_formats)],
            responses=list_responses,
        ),
        retrieve=extend_schema(
            summary=f"One of the {resource}, by slug",
            description="The record with its long texts and related records, "
            "each related record with its own address.",
            tags=[tag],
            parameters=[
                *LANGUAGE_PARAMETERS,
                _format_parameter(detail_formats),
                ETAG_HEADER,
            ],
            responses=detail_responses,
        ),
    )


def document_similar(resource: str, serializer: type[serializers.Serializer]):
    """The schema of a viewset's `similar` action (api/views.py)."""
    example = _EXAMPLES["reads"].get(resource, {}).get("similar")
    return extend_schema_view(
        similar=extend_schema(
            summary=f"The {resource} most similar to one, by slug",
            description=(
                f"Up to five published {resource} that share most with this one, "
                "best first: each with its score and the reasons, exactly the "
                "traits shared (category, kinds of mining legacy, theme, region, "
                "country, commodities, similar words). Never the record itself; "
                "a record that shares nothing is not listed. The record must be "
                "one the client may read (anonymous clients: published)."
            ),
            tags=[resource.capitalize()],
            parameters=LANGUAGE_PARAMETERS,
            responses={
                200: OpenApiResponse(
                    serializer(many=True),
                    # drf-spectacular lists an example of a list's item: the
                    # first of the answer.
                    examples=[
                        OpenApiExample(
                            f"{resource.capitalize()} like one",
                            value=example[0],
                            status_codes=[200],
                        )
                    ]
                    if example
                    else [],
                ),
                404: NOT_FOUND,
                **ERROR_RESPONSES,
            },
        )
    )


# --- Regions like mine -------------------------------------------------------------

MATCH_PARAMETERS = [
    OpenApiParameter(
        "country",
        OpenApiTypes.STR,
        pattern=r"^[A-Za-z]{2}$",
        description="The described region's country, an ISO 3166 code in either "
        "case: `de`, `PL`.",
    ),
    OpenApiParameter(
        "legacy_type",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        description="Slugs of the kinds of mining legacy in it (see "
        "/legacy-types/); repeat the parameter for several.",
    ),
    OpenApiParameter(
        "commodity",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        description="Slugs of what was mined there: `lignite`, `hard-coal`…",
    ),
    OpenApiParameter(
        "goal",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        description="Slugs of its development goals: `tourism-and-culture`, "
        "`renewable-energy`…",
    ),
    OpenApiParameter(
        "mining_ended",
        OpenApiTypes.INT,
        description="The year mining ended (not in the future); regions whose "
        "mining ended in the same decade share it.",
    ),
    OpenApiParameter(
        "mining_active",
        OpenApiTypes.BOOL,
        description="Mining still goes on (not together with `mining_ended`); "
        "regions where it is active or declining share it.",
    ),
]

_SIMILARITY_RANKING = (
    "Regions are ranked by the weighted sum of what they share: each kind of "
    "mining legacy, development goal, commodity and category of published "
    "potentials in common, the decade mining ended (or that it still goes on), "
    "the size class by population and the country. Every result lists exactly "
    "the traits shared (`reasons`) and what to learn there. Drafts never count."
)


def document_similarity():
    """The schema of "regions like mine": `regions/<slug>/similar/` and
    `regions/match/`."""
    examples: dict[str, Any] = _EXAMPLES.get("actions", {})

    def example(name: str, key: str) -> list[OpenApiExample]:
        value = examples.get(key)
        return [OpenApiExample(name, value=value, status_codes=[200])] if value else []

    return extend_schema_view(
        similar=extend_schema(
            summary="Regions like this one",
            description=f"The five regions most like the region. {_SIMILARITY_RANKING}",
            tags=["Regions"],
            parameters=LANGUAGE_PARAMETERS,
            responses={
                200: OpenApiResponse(
                    SimilarRegionsSerializer,
                    examples=example("Regions like Lower Lusatia", "regions similar"),
                ),
                404: NOT_FOUND,
                **ERROR_RESPONSES,
            },
        ),
        match=extend_schema(
            summary="Regions like one described",
            description=(
                "The ten regions most like a region described by the parameters "
                "(those of the portal's form “Regions like mine”), and the good "
                "practices to learn from there: in the categories serving the "
                "goals given, or using or transferable to the legacy types given. "
                f"{_SIMILARITY_RANKING} Without parameters, no results."
            ),
            tags=["Regions"],
            parameters=[*MATCH_PARAMETERS, *LANGUAGE_PARAMETERS],
            responses={
                200: OpenApiResponse(
                    RegionMatchSerializer,
                    examples=example("A region with pit lakes", "regions match"),
                ),
                400: OpenApiResponse(
                    PARAMETER_ERRORS,
                    description="A parameter has a bad value: the body names it.",
                    examples=[
                        OpenApiExample(
                            "Bad values",
                            value={
                                "legacy_type": [
                                    "Select a valid choice. nowhere is not one of "
                                    "the available choices."
                                ],
                                "mining_ended": ["The year cannot be in the future."],
                            },
                        )
                    ],
                ),
                429: ERROR_RESPONSES[429],
            },
        ),
    )


# --- Writes -----------------------------------------------------------------------

FIELD_ERRORS = {
    "type": "object",
    "description": "What was wrong with the request, by field: a list of messages, "
    "or for a translated text an object of lists by language code. Errors of "
    "the record as a whole (and a move its status does not allow) come under "
    "`non_field_errors`; a body that is not JSON under `detail`.",
    "additionalProperties": {
        "anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string"}},
            {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        ]
    },
}
WRITE_ERRORS = {
    401: OpenApiResponse(
        DETAIL_ERROR,
        description="No credentials, or a token that is not valid. Send "
        "`Authorization: Token <key>`.",
        examples=[
            OpenApiExample(
                "No token",
                value={"detail": "Authentication credentials were not provided."},
            ),
            OpenApiExample("Bad token", value={"detail": "Invalid token."}),
        ],
    ),
    403: OpenApiResponse(
        DETAIL_ERROR,
        description="The user may not do this (see the editorial rules above).",
        examples=[
            OpenApiExample(
                "Another organisation",
                value={
                    "detail": "Only a moderator can hand a record to another "
                    "organisation."
                },
            ),
            OpenApiExample(
                "Not a moderator", value={"detail": "You may not publish this record."}
            ),
        ],
    ),
    429: ERROR_RESPONSES[429],
}
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200],
    description="The answer's validator, for If-None-Match. For potentials and "
    'good practices it begins with the record\'s version (`"<version>-…"`), '
    "which changes whenever the record is saved: send it back in If-Match to "
    "write only if no one changed the record since.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="The ETag of the record as you read it (from a read in any "
    "language or format, or from the answer of your last write). The write "
    "proceeds only if the record has not been saved since, else it answers 412 "
    "and saves nothing. `*` or no If-Match: the write proceeds unconditionally.",
    examples=[OpenApiExample("A read's ETag", value='"3f9a1c2be07d4a51-9c4e…"')],
)
PRECONDITION_FAILED = OpenApiResponse(
    DETAIL_ERROR,
    description="If-Match named a version of the record that is no longer "
    "current: someone saved it since. Nothing was saved; read the record again.",
    examples=[
        OpenApiExample(
            "Changed since read",
            value={
                "detail": "The record has changed since you read it (its ETag is "
                "no longer the one you sent in If-Match); nothing was saved. Read "
                "it again and reapply your change."
            },
        )
    ],
)
WRITTEN_ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200, 201],
    description="The ETag of the record as written: the If-Match of the next write.",
)
CONDITIONAL = {412: PRECONDITION_FAILED}


WRITE_NOT_FOUND = OpenApiResponse(
    DETAIL_ERROR,
    description="No record with this slug that the user can read.",
    examples=[
        OpenApiExample(
            "Not found", value={"detail": "No Potential matches the given query."}
        )
    ],
)


def _bad_request(*names: str) -> OpenApiResponse:
    examples = {
        name: _EXAMPLES["errors"][name] for name in names if name in _EXAMPLES["errors"]
    }
    return OpenApiResponse(
        FIELD_ERRORS,
        description="The request was refused as it stands; nothing was saved.",
        examples=[
            OpenApiExample(name, value=value, status_codes=[400])
            for name, value in examples.items()
        ],
    )


def document_writes(resource: str, serializer: type[serializers.Serializer]):
    """The schema of an `EditorialViewSet`'s writes, actions and history."""
    examples = {
        **WRITE_REQUESTS[resource],
        "response": _EXAMPLES["writes"].get(resource, {}),
    }
    tag = resource.capitalize()

    def answer(name: str, **changes) -> OpenApiResponse:
        return OpenApiResponse(
            serializer,
            description="The record as it now is, in its editable shape: every "
            "language of each text, related records by slug, its editorial state "
            "and the actions the user may apply next.",
            examples=[
                OpenApiExample(
                    name,
                    value={**examples["response"], **changes},
                    status_codes=[200, 201],
                )
            ],
        )

    record = answer("A draft")
    request_examples = [
        OpenApiExample(
            f"A new {resource[:-1]}", value=examples["request"], request_only=True
        )
    ]
    transition_error = _bad_request("Status does not allow it")

    def transition(summary: str, description: str, result: dict, request=None):
        return extend_schema(
            summary=summary,
            description=description,
            tags=[tag],
            request=request,
            parameters=[IF_MATCH, WRITTEN_ETAG],
            responses={
                200: answer(f"Now {result['status_label'].lower()}", **result),
                400: transition_error,
                404: WRITE_NOT_FOUND,
            }
            | WRITE_ERRORS
            | CONDITIONAL,
        )

    return extend_schema_view(
        create=extend_schema(
            summary=f"Create one of the {resource} (partner staff)",
            description=(
                "Saves a new draft owned by the user's organisation: `owner` may "
                "be left out by an editor of one organisation, and only a "
                "moderator may name another. Translated texts are objects by "
                'language code (`{"en": "…", "de": "…"}`); a required text '
                "(`title`, `summary`) is required in the record's "
                "`original_language` (English by default), and an English text "
                "stands in for it: a record first written in German may be "
                "created with its English title only. The same rule holds for "
                "every change and for publishing. Related records are named by "
                "slug. The status cannot be set: a new record is a draft."
            ),
            tags=[tag],
            examples=request_examples,
            parameters=[WRITTEN_ETAG],
            responses={
                201: record,
                400: _bad_request(
                    "Invalid fields", "Status set directly", "Record-wide rule"
                ),
            }
            | WRITE_ERRORS,
        ),
        update=extend_schema(
            summary=f"Replace one of the {resource} (partner staff)",
            description=(
                "Replaces the record's content. Fields left out keep their "
                "value; a translated text given replaces all its languages (the "
                "ones left out are removed). Editors change their organisation's "
                "drafts and records in review; published and archived records "
                "are the moderators'. The owner changes only for a moderator, the "
                "status only by the actions."
            ),
            tags=[tag],
            examples=request_examples,
            parameters=[IF_MATCH, WRITTEN_ETAG],
            responses={
                200: record,
                400: _bad_request("Invalid fields", "Status set directly"),
                404: WRITE_NOT_FOUND,
            }
            | WRITE_ERRORS
            | CONDITIONAL,
        ),
        partial_update=extend_schema(
            summary=f"Change some fields of one of the {resource} (partner staff)",
            description=(
                "Changes only the fields given; in a translated text only the "
                "languages given (null or an empty string removes one). Same "
                "rules as a replacement."
            ),
            tags=[tag],
            examples=[
                OpenApiExample(
                    "Add a translation", value=examples["patch"], request_only=True
                )
            ],
            parameters=[IF_MATCH, WRITTEN_ETAG],
            responses={
                200: record,
                400: _bad_request("Invalid fields", "Status set directly"),
                404: WRITE_NOT_FOUND,
            }
            | WRITE_ERRORS
            | CONDITIONAL,
        ),
        destroy=extend_schema(
            summary=f"Delete one of the {resource} (superusers only)",
            description="Deletes the record; its last state stays in the history, "
            "from where an administrator can recover it in the admin. Moderators "
            "archive instead.",
            tags=[tag],
            parameters=[IF_MATCH],
            responses={204: None, 404: WRITE_NOT_FOUND} | WRITE_ERRORS | CONDITIONAL,
        ),
        submit=transition(
            "Submit for review",
            "Draft → in review: the editor asks the moderators to publish. "
            "Editors submit their organisation's drafts; clears the moderator's "
            "comment.",
            {"status": "in_review", "status_label": "In review", "transitions": []},
        ),
        publish=transition(
            "Publish (moderators)",
            "Draft, in review or archived → published: public at once, in every "
            "list and format. Stamps `published_at`.",
            {
                "status": "published",
                "status_label": "Published",
                "published_at": "2026-11-25T10:30:00.000000+01:00",
                "transitions": ["send_back", "archive"],
            },
        ),
        send_back=transition(
            "Send back with a comment (moderators)",
            "In review or published → draft, with the reason for the editor, "
            "which the record shows in `review_comment` and its history keeps.",
            {
                "status": "draft",
                "status_label": "Draft",
                "review_comment": "Please add the heat pumps' capacity.",
                "transitions": ["submit", "publish", "archive"],
            },
            request=SendBackSerializer,
        ),
        archive=transition(
            "Archive (moderators)",
            "Draft, in review or published → archived: out of public view, kept.",
            {
                "status": "archived",
                "status_label": "Archived",
                "transitions": ["publish"],
            },
        ),
        versions=extend_schema(
            summary="The record's history",
            description="Every kept version, oldest first, a page at a time as "
            "every list: when, who and what (the comment). Open to the record's "
            "organisation and to moderators; restore one with `POST <record "
            "url>restore/`. The admin shows each version's differences word by "
            "word.",
            tags=[tag],
            parameters=PAGE_PARAMETERS,
            responses={
                200: OpenApiResponse(
                    VersionSerializer(many=True),
                    examples=[
                        OpenApiExample(
                            "A version",
                            # One version: drf-spectacular puts it on a page.
                            value={
                                "id": 412,
                                "created_at": "2026-11-23T09:12:44+01:00",
                                "user": "editor-lapland",
                                "comment": "Created.",
                            },
                            status_codes=[200],
                        )
                    ],
                ),
                400: ERROR_RESPONSES[400],
                404: WRITE_NOT_FOUND,
            }
            | WRITE_ERRORS,
        ),
        restore=extend_schema(
            summary="Restore an earlier version",
            description="Brings back the content of one of the record's versions "
            "(every language, the related records), as the admin's *Restore "
            "this version*. The status and owner stay as they are. Allowed to "
            "whoever may edit the record now.",
            tags=[tag],
            request=RestoreSerializer,
            examples=[
                OpenApiExample(
                    "A version",
                    value=ERROR_REQUESTS["Unknown version"][1],
                    request_only=True,
                )
            ],
            parameters=[IF_MATCH, WRITTEN_ETAG],
            responses={
                200: record,
                400: _bad_request("Unknown version"),
                404: WRITE_NOT_FOUND,
            }
            | WRITE_ERRORS
            | CONDITIONAL,
        ),
    )


def document_network(resource: str):
    """The schema of a network endpoint: the actor network of one record."""
    example = _EXAMPLES["reads"].get(f"{resource[:-1]} network", {}).get("detail")
    whose = (
        "the organisations located in the region or with a role on its "
        "published potentials and good practices"
        if resource == "regions"
        else "the project's members"
    )
    return extend_schema_view(
        retrieve=extend_schema(
            summary=f"The actor network of one of the {resource}, by slug",
            description=(
                f"The organisations ({whose}) with their sector and planning "
                "level, the ties between them (members of the same project, "
                "roles on the same published potential, the same published good "
                "practice), each with what they share, and the organisations "
                "counted by sector and by level. Only published records tie "
                "organisations, for every client."
            ),
            tags=[resource.capitalize()],
            parameters=LANGUAGE_PARAMETERS,
            responses={
                200: OpenApiResponse(
                    NetworkSerializer,
                    examples=[
                        OpenApiExample(
                            f"The network of one of the {resource}",
                            value=example,
                            status_codes=[200],
                        )
                    ]
                    if example
                    else [],
                ),
                404: NOT_FOUND,
                **ERROR_RESPONSES,
            },
        )
    )


def document_map_markers():
    """The schema of `/map-markers/`: a map's clusters and points."""
    example = _EXAMPLES.get("actions", {}).get("map markers")
    filters = [
        OpenApiParameter(
            name,
            {"type": "array", "items": {"type": "string"}},
            explode=True,
            # After the shared description (postprocess_schema) if there is one.
            description="\n\n".join(
                filter(
                    None,
                    [
                        PARAMETER_DESCRIPTIONS.get(name),
                        f"A filter of the lists of: {', '.join(kinds)}. With "
                        "several `records`, one some of them lack is refused (400).",
                    ],
                )
            ),
        )
        for name, kinds in sorted(filter_names().items())
    ]
    return extend_schema_view(
        list=extend_schema(
            summary="The markers of a map's area",
            description=(
                "What a map shows of the area in view at its zoom, clustered in "
                "the database: the area is cut into square cells of `cell` degrees "
                "(90 / 2^zoom, a quarter of a 256-pixel map tile), the same grid "
                "for every request. A cell holding one record gives that record's "
                "point; a cell holding more gives a cluster, with its count, mean "
                "position and bounds. So an answer has at most one entry per cell "
                "in view, whatever the number of records. Snap `bbox` to the grid "
                "(multiples of `cell`) so that the same view asks the same address "
                "and is answered from the cache. Only published records, for "
                "every client; the filters are those of each kind's list."
            ),
            tags=["Maps"],
            parameters=[
                OpenApiParameter(
                    "records",
                    {
                        "type": "array",
                        "items": {"type": "string", "enum": list(MARKER_KINDS)},
                    },
                    required=True,
                    explode=True,
                    description="The kinds of record to show; several together.",
                ),
                OpenApiParameter(
                    "bbox",
                    {
                        "type": "string",
                        "pattern": r"^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$",
                        "example": "0,45,22.5,56.25",
                    },
                    required=True,
                    description="The area in view: west,south,east,north in WGS "
                    f"84 degrees, covering at most {MAX_CELLS} cells of the zoom's "
                    "grid.",
                ),
                OpenApiParameter(
                    "zoom",
                    {"type": "integer", "minimum": MIN_ZOOM, "maximum": MAX_ZOOM},
                    required=True,
                    description="The map's zoom level, as in Leaflet or "
                    "OpenStreetMap tiles: it sets the size of the grid's cells.",
                ),
                *filters,
                *LANGUAGE_PARAMETERS,
            ],
            responses={
                200: OpenApiResponse(
                    MapMarkersSerializer,
                    examples=[
                        OpenApiExample(
                            "Lusatia at zoom 7",
                            value=example,
                            status_codes=[200],
                        )
                    ]
                    if example
                    else [],
                ),
                **ERROR_RESPONSES,
            },
        )
    )


# Filters are shared with the HTML pages, whose labels are short; the API says more.
PARAMETER_DESCRIPTIONS = {
    "slug": "The record's slug, the last part of its `url`.",
    "search": "Words to search for in the chosen language (English text is "
    "always searched too). Results come best match first, each with "
    "`search_rank` and a `search_headline` snippet, unless `ordering` is given.",
    "theme": "Theme slugs (see /themes/); several values are alternatives.",
    "category": "Category slugs (see /categories/); several values are alternatives.",
    "legacy_type": "Legacy type slugs (see /legacy-types/): what mining left "
    "behind that the potential or good practice uses.",
    "country": "ISO 3166 country codes, in either case: `at`, `DE`.",
    "region": "Region slugs (see /regions/).",
    "project": "Project slugs (see /projects/).",
    "partner": "Partner slugs (see /partners/): projects the partner is a member of.",
    "institution": "Partner slugs of the main institution.",
    "commodity": "Mining commodity slugs: coal, lignite, iron-ore…",
    "stage": "Development stages.",
    "status": "Implementation status of the practice: ongoing or completed.",
    "kind": "Kinds of record.",
    "mining_status": "Whether mining is active, declining or has ended.",
    "programme": "Funding programmes.",
    "fund": "Funds.",
    "language": "Languages the publication is written in (ISO 639-1).",
    "start_year_min": "Started in this year or later.",
    "start_year_max": "Started in this year or earlier.",
    "year_min": "Published in this year or later.",
    "year_max": "Published in this year or earlier.",
    "mining_ended_min": "Mining ended in this year or later.",
    "mining_ended_max": "Mining ended in this year or earlier.",
    "validated": "`true`: only practices the network has validated (see "
    "`validation`); `false`: only those it has not.",
}


def postprocess_schema(result: dict, generator, request, public) -> dict:
    """Describe shared parameters, and what every operation shares: caching,
    errors, CORS."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                text = PARAMETER_DESCRIPTIONS.get(parameter["name"])
                if text:
                    choices = parameter.get("description", "").partition("\n\n")[2]
                    parameter["description"] = f"{text}\n\n{choices}".strip()
    result.setdefault("info", {})["description"] = (
        result["info"].get("description", "")
        + "\n\nAnonymous clients see only published potentials and good practices. "
        "Answers carry `ETag` and `Last-Modified`; send `If-None-Match` or "
        "`If-Modified-Since` to get `304 Not Modified` for what you already have. "
        "Any web page may read the API (CORS). Anonymous clients are throttled "
        '(429 with Retry-After). Errors are JSON: `{"detail": …}`, or '
        '`{"<parameter>": ["…"]}` for a bad query parameter. A filter '
        "parameter given empty (`?country=&theme=`) filters nothing."
        "\n\n**Writes** are for partner staff, with the token an administrator "
        "issues them: `Authorization: Token <key>` (no CSRF token needed). They "
        "follow the admin's editorial rules. An *editor* creates their "
        "organisation's potentials and good practices as drafts, changes them "
        "while they are drafts or in review, and submits them; a *moderator* "
        "changes any record and its owner, publishes, sends back with a comment "
        "and archives; only a *superuser* deletes. Staff also read their "
        "organisation's unpublished records (moderators all) through the same "
        "endpoints; such answers are never shared through the cache. Translated "
        'texts are written as objects by language code, `{"en": "…", "de": "…"}`, '
        "related records by slug; the status changes only by the actions "
        "`submit/`, `publish/`, `send-back/` and `archive/`. A refused write "
        "answers 401 (no or a bad token), 403 (not allowed), 404 (a record the "
        "user cannot read) or 400 with the fields named; nothing is saved then."
        "\n\n**Concurrent changes**: send the ETag of your read in `If-Match` "
        "with a write (PUT, PATCH, DELETE and the actions); if someone saved the "
        "record since, the write answers 412 Precondition Failed and saves "
        "nothing. Without If-Match a write proceeds as it is."
    )
    return result
