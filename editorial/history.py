"""The kept history of editorial records (django-reversion), and readable diffs.

Every write to a potential or good practice happens inside a revision, so each
version holds the whole record: every language of every translated field, its
many-to-many choices and the rows it follows (actors, images, links).
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import reversion
from django.db import models
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from reversion.models import Version
from reversion.revisions import _get_options

from core.languages import translated_fields

BASELINE_COMMENT = _("State before the first recorded change")


def history_register(model: type[models.Model], **options) -> None:
    """Keep the history of `model`, its translated columns included.

    django-reversion fixes the list of fields when a model is registered, so this
    must run after modeltranslation has added `title_en`, `title_de`… (it is called
    from each app's translation.py, right after the translation registration). The
    untranslated `title` itself is left out: it only mirrors the active language
    and would overwrite one language with another on a restore. So are columns the
    database computes (the search vectors).
    """
    if reversion.is_registered(model):
        return
    computed = tuple(
        field.name for field in model._meta.local_fields if field.generated
    )
    exclude = tuple(options.pop("exclude", ())) + translated_fields(model) + computed
    reversion.register(model, exclude=exclude, **options)


def history_baseline(record: models.Model) -> None:
    """Record the stored state of `record` if it has no version yet.

    Records loaded from the seed files or written before history was kept have
    none; without this their first edit would leave nothing to go back to. It only
    works outside an open revision (one revision records one state of a record).
    """
    if reversion.is_active() or record.pk is None:
        return
    if Version.objects.get_for_object(record).exists():
        return
    stored = type(record)._default_manager.get(pk=record.pk)
    with reversion.create_revision():
        reversion.set_comment(str(BASELINE_COMMENT))
        reversion.add_to_revision(stored)


# --- Readable differences ---------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str

    @property
    def html(self) -> SafeString:
        return word_diff(self.before, self.after)


def _field_values(model: type[models.Model], data: dict) -> dict[str, str]:
    """Readable text for each recorded field, keyed by field name."""
    values = {}
    for name in _get_options(model).fields:
        field = model._meta.get_field(name)
        raw = data.get(field.attname)
        values[name] = _readable(field, raw)
    return values


def _readable(field: models.Field, raw) -> str:
    if raw is None or raw == "":
        return ""
    if isinstance(field, models.ManyToManyField):
        related = field.related_model._default_manager.filter(pk__in=list(raw))
        return ", ".join(sorted(str(item) for item in related))
    if isinstance(field, models.ForeignKey):
        item = field.related_model._default_manager.filter(pk=raw).first()
        return str(item) if item is not None else f"#{raw}"
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(raw, datetime.datetime):
        if timezone.is_aware(raw):
            raw = timezone.localtime(raw)
        return formats.date_format(raw, "DATETIME_FORMAT")
    if isinstance(raw, datetime.date):
        return formats.date_format(raw, "DATE_FORMAT")
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, (Decimal, float, int)):
        return _number(raw)
    return str(raw)


def _number(raw: Decimal | float | int) -> str:
    """A number as the reader writes it, without the zeros a column's scale
    pads it with: 50.718900 and 50.7189 read the same, as they are."""
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return str(raw)
    if value.is_finite():
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    return formats.number_format(value, use_l10n=True)


def _current_data(record: models.Model) -> dict:
    data = {}
    for name in _get_options(type(record)).fields:
        field = type(record)._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            data[field.attname] = [item.pk for item in getattr(record, name).all()]
        else:
            data[field.attname] = field.value_from_object(record)
    return data


def _children(version: Version | None, record: models.Model | None) -> dict[str, set]:
    """The followed rows (actors, images, links) by kind, as readable names."""
    kinds: dict[str, set] = {}
    if version is not None:
        for other in version.revision.version_set.exclude(pk=version.pk):
            model = other._model
            kinds.setdefault(str(model._meta.verbose_name_plural), set()).add(
                other.object_repr
            )
    elif record is not None:
        for name in _get_options(type(record)).follow:
            related = getattr(record, name).all()
            label = str(related.model._meta.verbose_name_plural)
            kinds.setdefault(label, set()).update(str(item) for item in related)
    return kinds


def history_changes(
    record_model: type[models.Model],
    before: Version | models.Model | None,
    after: Version | models.Model,
    *,
    skip: Iterable[str] = (),
) -> list[FieldChange]:
    """What differs between two states of a record, field by field.

    Each state is a kept version, or a record as it is stored now; `before` may be
    None for the first version. Translated fields come one line per language.
    Values are compared as they read (localised dates, numbers without padding
    zeros); the fields in `skip` are left out.
    """

    def fields_of(state) -> dict[str, str]:
        if state is None:
            return {}
        if isinstance(state, Version):
            return _field_values(record_model, state.field_dict)
        return _field_values(record_model, _current_data(state))

    def children_of(state) -> dict[str, set]:
        if state is None:
            return {}
        if isinstance(state, Version):
            return _children(state, None)
        return _children(None, state)

    old, new = fields_of(before), fields_of(after)
    changes = []
    for name in _get_options(record_model).fields:
        if name in ("updated_at", "updated_by", "created_at", "created_by"):
            continue
        if name in skip:
            continue
        if old.get(name, "") != new.get(name, ""):
            label = str(record_model._meta.get_field(name).verbose_name)
            changes.append(FieldChange(label, old.get(name, ""), new.get(name, "")))
    old_children, new_children = children_of(before), children_of(after)
    for kind in sorted(set(old_children) | set(new_children)):
        was, now = old_children.get(kind, set()), new_children.get(kind, set())
        if was != now:
            changes.append(
                FieldChange(kind, "\n".join(sorted(was)), "\n".join(sorted(now)))
            )
    return changes


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def word_diff(before: str, after: str) -> SafeString:
    """`after` with removed words in <del> and added words in <ins>."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[a1:a2])))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", "".join(old[a1:a2])))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", "".join(new[b1:b2])))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


def versions_of(record: models.Model) -> Iterable[Version]:
    """The kept versions of `record`, oldest first."""
    return (
        Version.objects.get_for_object(record)
        .select_related("revision", "revision__user")
        .order_by("pk")
    )
