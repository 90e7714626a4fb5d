import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connections, models, transaction
from django.http import HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from api.languages import UnknownLanguage, response_language
from core.http import database_unavailable, retry_later
from core.languages import (
    FALLBACK_LANGUAGE,
    language_codes,
    language_column,
    translated_fields,
)


def exception_handler(exc, context):
    """DRF's, except that reads leave a surrounding transaction alone.

    DRF marks any open transaction for rollback on an error, assuming it is the
    request's own (ATOMIC_REQUESTS). API reads run outside one, so an open
    transaction belongs to whoever called the view, e.g. a test.
    """
    if not getattr(context.get("view"), "reads_outside_transaction", False):
        return drf_exception_handler(exc, context)
    aliases = [
        connection.alias
        for connection in connections.all(initialized_only=True)
        if connection.in_atomic_block
    ]
    before = {alias: transaction.get_rollback(alias) for alias in aliases}
    response = drf_exception_handler(exc, context)
    for alias, rollback in before.items():
        transaction.set_rollback(rollback, alias)
    return response


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "The record has changed since you read it (its ETag is no longer the one "
        "you sent in If-Match); nothing was saved. Read it again and reapply "
        "your change."
    )
    default_code = "precondition_failed"


# --- The project's error handlers, for addresses under /api/ ------------------------
# resource_portal/urls.py calls them for errors no view answered itself: JSON
# in the shape of DRF's errors, never a page and never a stack trace.


def in_response_language(handler: Callable[..., JsonResponse]):
    """An error handler that answers in the API's language of the request: the
    error may come before anything chose one, and a process keeps the language
    of its last request."""

    @functools.wraps(handler)
    def answer(request: HttpRequest, *args, **kwargs) -> JsonResponse:
        try:
            language = response_language(request)
        except UnknownLanguage:
            language = FALLBACK_LANGUAGE
        with translation.override(language):
            return handler(request, *args, **kwargs)

    return answer


@in_response_language
def bad_request(request: HttpRequest, exception=None) -> JsonResponse:
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse({"detail": _("The request body is too large.")}, status=413)
    return JsonResponse({"detail": _("The request cannot be understood.")}, status=400)


@in_response_language
def permission_denied(request: HttpRequest, exception=None) -> JsonResponse:
    return JsonResponse(
        {"detail": _("You do not have permission to perform this action.")},
        status=403,
    )


@in_response_language
def page_not_found(request: HttpRequest, exception=None) -> JsonResponse:
    return JsonResponse({"detail": _("There is nothing at this address.")}, status=404)


@in_response_language
def server_error(request: HttpRequest) -> JsonResponse:
    """500, or 503 with Retry-After when the database could not be reached or
    did not answer in time. Called inside the `except` that caught the error."""
    if database_unavailable(sys.exc_info()[1]):
        return retry_later(
            JsonResponse(
                {
                    "detail": _(
                        "The database is not available at the moment. Please "
                        "try again in a few seconds."
                    )
                },
                status=503,
            )
        )
    return JsonResponse(
        {
            "detail": _(
                "Something went wrong on our side. The error has been logged; "
                "please try again later."
            )
        },
        status=500,
    )


@csrf_exempt
def not_found(request: HttpRequest, *args, **kwargs):
    """A JSON 404 for any address under /api/ that names no endpoint, whatever the
    method (it changes nothing, so a write needs no CSRF token to be told so).

    This view catches every address, so CommonMiddleware's APPEND_SLASH never
    sees a 404 here: redirect `/api/v1/potentials` to `/api/v1/potentials/` itself.
    """
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            return HttpResponsePermanentRedirect(
                request.get_full_path(force_append_slash=True)
            )
    return page_not_found(request)


@contextmanager
def service_errors(model: type[models.Model]) -> Iterator[None]:
    """Answer a service's refusals as API errors, named like the API's fields.

    `PermissionDenied` needs nothing (DRF answers it with 403). A Django
    `ValidationError` (invalid content, or a `TransitionError`) becomes a 400 whose
    body names the fields as the request did: `title_de` becomes
    `{"title": {"de": […]}}`, errors of the whole record `non_field_errors`. A
    database conflict that no validation foresaw (two clients taking one slug at
    once) is a 400 too, never a 500; the transaction has been rolled back.
    """
    try:
        yield
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            validation_error_detail(error, model)
        ) from error
    except IntegrityError as error:
        raise serializers.ValidationError(
            {
                api_settings.NON_FIELD_ERRORS_KEY: [
                    _(
                        "This change conflicts with another one made at the same "
                        "time; nothing was saved. Check the record and try again."
                    )
                ]
            }
        ) from error


def validation_error_detail(error: DjangoValidationError, model: type[models.Model]):
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if not hasattr(error, "error_dict"):
        return {non_field: error.messages}
    translated = translated_fields(model)
    columns = {
        language_column(name, code): (name, code)
        for name in translated
        for code in language_codes()
    }
    detail: dict = {}
    for name, messages in error.message_dict.items():
        if name == NON_FIELD_ERRORS:
            detail.setdefault(non_field, []).extend(messages)
        elif name in columns:
            field, code = columns[name]
            detail.setdefault(field, {}).setdefault(code, []).extend(messages)
        elif name in translated:
            # The untranslated column mirrors the English text.
            detail.setdefault(name, {}).setdefault(FALLBACK_LANGUAGE, []).extend(
                messages
            )
        else:
            detail.setdefault(name, []).extend(messages)
    return detail
