"""The editorial life cycle shared by potentials and good practices.

A record is written as a draft, submitted for review, published and, when it no
longer applies, archived. Only published records are public. Who may do what with
a record is decided in `editorial.rules`; the writes are the services of
`editorial.services`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import BooleanField, CheckConstraint, ExpressionWrapper, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE
from django.utils.translation import gettext_lazy as _

from accounts.access import EditorialAccess
from search.query import SearchQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Transition(models.TextChoices):
    """The moves between statuses (`editorial.services.publishable_transition`)."""

    SUBMIT = "submit", _("Submit for review")
    PUBLISH = "publish", _("Publish")
    SEND_BACK = "send_back", _("Send back")
    ARCHIVE = "archive", _("Archive")
    WITHDRAW = "withdraw", _("Withdraw from review")


# The statuses each transition starts from, and the one it ends in.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Transition.SUBMIT: (frozenset({Status.DRAFT}), Status.IN_REVIEW),
    Transition.PUBLISH: (
        frozenset({Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED}),
        Status.PUBLISHED,
    ),
    Transition.SEND_BACK: (
        frozenset({Status.IN_REVIEW, Status.PUBLISHED}),
        Status.DRAFT,
    ),
    Transition.ARCHIVE: (
        frozenset({Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED}),
        Status.ARCHIVED,
    ),
    # An editor takes a submitted record back to change it (a record in review
    # holds still); moderators send back instead, with a comment.
    Transition.WITHDRAW: (frozenset({Status.IN_REVIEW}), Status.DRAFT),
}
# The editorial state: moved by transitions only, never by an edit or a restore.
EDITORIAL_FIELDS = ("status", "owner", "published_at", "review_comment")
# What an editor may still change; later statuses belong to the moderators.
EDITOR_EDITABLE = frozenset({Status.DRAFT, Status.IN_REVIEW})


class TransitionError(ValidationError):
    """A status change that the record's current status does not allow.

    An API answers it with 400; a missing right is `PermissionDenied` (403).
    """


class PublishableQuerySet(SearchQuerySet):
    def published(self) -> Self:
        return self.filter(status=Status.PUBLISHED)

    def public(self) -> Self:
        return self.published()

    def visible_to(self, user: AnyUser | None) -> Self:
        """The records `user` may read: the public's plus the ones they manage."""
        access = EditorialAccess.of(user)
        if access.sees_everything:
            return self.all()
        return self.filter(
            Q(status=Status.PUBLISHED) | Q(owner_id__in=access.partner_ids)
        )

    def managed_by(self, user: AnyUser | None) -> Self:
        """The records `user` works on in the admin: their organisations' for an
        editor, all for a moderator, none for anyone else."""
        access = EditorialAccess.of(user)
        if access.sees_everything:
            return self.all()
        return self.filter(owner_id__in=access.partner_ids)


class Publishable(models.Model):
    """Status, ownership and authorship of an editorially managed record."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    owner = models.ForeignKey(
        settings.ORGANISATION_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owning partner"),
        help_text=_("The organisation whose staff edit this record."),
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Set each time a moderator publishes the record."),
    )
    review_comment = models.TextField(
        _("moderator's comment"),
        blank=True,
        help_text=_(
            "Why a moderator sent the record back. Cleared when it is submitted "
            "again; every comment stays in the record's history."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    objects = PublishableQuerySet.as_manager()

    #: Fields only a moderator may set: the network's judgement of the record.
    moderated_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def moderated_by(self, user) -> None:
        """Called when a moderator changed one of `moderated_fields`."""

    def clean_fields(self, exclude=None) -> None:
        # A related record loaded with this one (an import's lookups, the user who
        # saves it) exists; Django would still ask the database, once per key.
        exclude = set(exclude or ())
        for field in self._meta.concrete_fields:
            if (
                field.many_to_one
                and field.name not in exclude
                and not field.remote_field.limit_choices_to
                and field.is_cached(self)
            ):
                related = field.get_cached_value(self)
                if (
                    related is not None
                    and not related._state.adding
                    and related.pk is not None
                    and related.pk == getattr(self, field.attname)
                ):
                    exclude.add(field.name)
        super().clean_fields(exclude=exclude)

    def validate_constraints(self, exclude=None) -> None:
        """As Django's, but all check constraints in one statement.

        Django checks each in a query of its own, inside a savepoint, with every
        field of the model as a parameter: for a potential fifteen statements and
        most of a file import's time. Here the conditions are evaluated together,
        each given only the fields it reads; the others (unique constraints) as
        Django does.
        """
        checks, errors = [], {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                if isinstance(constraint, CheckConstraint):
                    checks.append((model_class, constraint))
                    continue
                try:
                    constraint.validate(
                        model_class,
                        self,
                        exclude=exclude,
                        using=router.db_for_write(type(self), instance=self),
                    )
                except ValidationError as error:
                    if (
                        getattr(error, "code", None) == "unique"
                        and len(constraint.fields) == 1
                    ):
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        for constraint, holds in zip(
            [constraint for _model, constraint in checks],
            self._check_constraints_hold(checks, exclude),
            strict=True,
        ):
            if not holds:
                errors = ValidationError(
                    constraint.get_violation_error_message(),
                    code=constraint.violation_error_code,
                ).update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _check_constraints_hold(self, checks, exclude) -> list[bool]:
        """Whether each check constraint holds; True for one that reads an
        excluded field (Django skips those too)."""
        if not checks:
            return []
        using = router.db_for_write(type(self), instance=self)
        against = self._get_field_expression_map(meta=self._meta, exclude=exclude)
        query = Query(None)
        added, evaluated = set(), []
        for index, (_model, constraint) in enumerate(checks):
            names = set(Q(constraint.condition).referenced_base_fields)
            if not names <= set(against):
                continue
            for name in names - added:
                value = against[name]
                if not hasattr(value, "resolve_expression"):
                    value = Value(value)
                query.add_annotation(value, name, select=False)
                added.add(name)
            query.add_annotation(
                Coalesce(
                    ExpressionWrapper(
                        Q(constraint.condition), output_field=BooleanField()
                    ),
                    True,
                    output_field=BooleanField(),
                ),
                f"_check_{index}",
            )
            evaluated.append(index)
        holds = [True] * len(checks)
        if not evaluated:
            return holds
        # Without Django's savepoint around each check: the conditions compare
        # values already cleaned to their fields' types.
        row = query.get_compiler(using=using).execute_sql(SINGLE)
        for index, value in zip(evaluated, row, strict=True):
            holds[index] = bool(value)
        return holds

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED


class ImportJob(models.Model):
    """A file import run by the job worker: first checked (a dry run whose
    preview the user reads), then, once confirmed, imported.

    The uploaded file is kept in `data` only while the job may still need it:
    it is emptied when the job ends, and when a checked import is not confirmed
    within `IMPORT_JOB_CONFIRM_HOURS` (`editorial.imports`).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be checked")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked: waiting for confirmation")
        INVALID = "invalid", _("Not imported: the file has errors")
        CONFIRMED = "confirmed", _("Waiting to be imported")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported: the import failed")
        EXPIRED = "expired", _("Not imported: never confirmed")

    # A worker runs the job, or will; the page keeps polling.
    RUNNING = frozenset(
        {Status.QUEUED, Status.CHECKING, Status.CONFIRMED, Status.IMPORTING}
    )
    # Nothing more happens to the job.
    ENDED = frozenset({Status.INVALID, Status.DONE, Status.FAILED, Status.EXPIRED})

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("started by"),
    )
    model = models.CharField(
        _("kind of record"),
        max_length=100,
        help_text=_("The model imported into, as app_label.model_name."),
    )
    resource = models.CharField(
        _("import resource"),
        max_length=200,
        help_text=_("The import-export resource class that reads the file."),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("file format"), max_length=10)
    data = models.BinaryField(_("uploaded file"), null=True, editable=False)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.QUEUED,
        db_index=True,
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    summary = models.JSONField(
        _("summary"),
        default=dict,
        blank=True,
        help_text=_("Rows by outcome (new, update, skip, invalid, error)."),
    )
    result_html = models.TextField(_("preview or result"), blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "model", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))
