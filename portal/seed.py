"""Loading the portal's reference content from the YAML files in `fixtures/seed/`.

The files are written for people: records are addressed by slug, translated fields
are given as `{en: …, de: …}` (a plain string is English), and a language that is
left out stays empty so that the page falls back to English. Loading is idempotent:
records are matched by slug and updated, so it can run on every start; a record
whose values already match the files is left untouched (and reported unchanged).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone, translation

from core.languages import FALLBACK_LANGUAGE, language_codes, translated_fields
from core.models import Link
from core.provenance import Provenance
from editorial.models import Status
from goodpractices.models import GoodPractice
from portal.models import SitePage
from potentials.models import Category, Potential, PotentialActor, Theme
from regions.models import (
    Commodity,
    Contact,
    DevelopmentGoal,
    LegacyType,
    Membership,
    Objective,
    Partner,
    PolicyInstrument,
    Project,
    Publication,
    Region,
    RegionLegacy,
    StatedFigure,
)
from search.vocabulary import search_words_add_many

# libyaml's loader when PyYAML was built with it: several times faster.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SEED_FILES = (
    "taxonomy.yaml",
    "network.yaml",
    "profiles.yaml",
    "potentials.yaml",
    "goodpractices.yaml",
)
# The site pages' first texts: created once, then the moderators' (see below).
SITE_PAGES_FILE = "site_pages.yaml"


class SeedError(Exception):
    """The seed files do not describe valid content; nothing has been written."""


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return "\n".join(
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
            f"{self.unchanged[name]} unchanged"
            for name in names
        )


def _expand_translations(model: type[models.Model], data: dict) -> dict:
    """Turn `title: {en: …, pl: …}` into `title_en=…, title_pl=…`."""
    translated = set(translated_fields(model))
    values = {}
    for key, value in data.items():
        if key not in translated:
            values[key] = value
            continue
        texts = value if isinstance(value, dict) else {"en": value}
        unknown = set(texts) - set(language_codes())
        if unknown:
            raise SeedError(
                f"{model.__name__}.{key}: unknown language(s) {sorted(unknown)}"
            )
        for language, text in texts.items():
            values[f"{key}_{language}"] = text.strip()
    return values


def _key(model: type[models.Model], lookup: dict) -> tuple:
    """A lookup as the values of its columns, the same whether read from a record
    or from the files (where `order: "1"` or `slug: 2030` may be given)."""
    key = []
    for name, value in sorted(lookup.items()):
        model_field = model._meta.get_field(name)
        if isinstance(value, models.Model):
            value = value.pk
        elif value is not None and not model_field.is_relation:
            value = model_field.to_python(value)
        key.append((model_field.attname, value))
    return tuple(key)


class SeedLoader:
    def __init__(self) -> None:
        self.report = SeedReport()
        # The records of a model as they were when the load first upserted one,
        # by the columns of its lookup: one query per model instead of one per
        # record. A lookup missing from them is a new record, unless the load
        # has already handed out or created a record of that key (a record
        # upserted twice): that one, and an ambiguous key, the database is asked
        # for, as every lookup asked it before.
        self._existing: dict[tuple, dict[tuple, models.Model | None]] = {}
        # Records found by slug, for the relations that name them.
        self._by_slug: dict[tuple[type[models.Model], str], models.Model] = {}

    def _existing_take(
        self, model: type[models.Model], lookup: dict
    ) -> models.Model | None:
        names = tuple(sorted(lookup))
        existing = self._existing.get((model, names))
        if existing is None:
            existing = {}
            for record in model.objects.all():
                key = _key(
                    model,
                    {
                        name: getattr(record, model._meta.get_field(name).attname)
                        for name in names
                    },
                )
                # Ambiguous: the database decides, as before.
                existing[key] = None if key in existing else record
            self._existing[model, names] = existing
        key = _key(model, lookup)
        if key not in existing:
            # Not in the database when the load began, nor made by it since.
            existing[key] = None
            return None
        record = existing[key]
        if record is None:
            return model.objects.filter(**lookup).first()
        existing[key] = None
        return record

    def _forget(self, model: type[models.Model], **columns: Any) -> None:
        """The records of `model` with these column values may have been deleted:
        for them, the database is asked."""
        for (known_model, _names), existing in self._existing.items():
            if known_model is model:
                for key, record in existing.items():
                    if record is not None and all(
                        getattr(record, name) == value
                        for name, value in columns.items()
                    ):
                        existing[key] = None

    def upsert(self, model: type[models.Model], lookup: dict, data: dict) -> Any:
        values = _expand_translations(model, data)
        instance = self._existing_take(model, lookup)
        created = instance is None
        if created:
            instance = model(**lookup)
        changed = created
        for name, value in values.items():
            # YAML reads 50.72 as a binary float; the decimal fields want 50.72.
            if isinstance(value, float):
                value = Decimal(str(value))
            model_field = model._meta.get_field(name)
            if value is not None and not model_field.is_relation:
                # As the database gives it back: "2026-11-30" is a date.
                value = model_field.to_python(value)
            if created or getattr(instance, name) != value:
                changed = True
                setattr(instance, name, value)
        if isinstance(instance, Potential | GoodPractice) and (
            instance.status != Status.PUBLISHED or not instance.published_at
        ):
            changed = True
            instance.status = Status.PUBLISHED
            instance.published_at = instance.published_at or timezone.now()
        if not changed:
            self.report.unchanged[model._meta.verbose_name_plural] += 1
            return instance
        try:
            # Field validation here; uniqueness and the other constraints are
            # enforced by the database itself on save.
            instance.full_clean(validate_unique=False, validate_constraints=False)
            instance.save()
        except (ValidationError, IntegrityError) as error:
            raise SeedError(f"{model.__name__} {lookup}: {error}") from error
        counter = self.report.created if created else self.report.updated
        counter[model._meta.verbose_name_plural] += 1
        return instance

    def by_slug(self, model: type[models.Model], slug: str | None) -> Any:
        if slug is None:
            return None
        found = self._by_slug.get((model, slug))
        if found is None:
            try:
                found = model.objects.get(slug=slug)
            except model.DoesNotExist:
                raise SeedError(f"No {model.__name__} with slug {slug!r}") from None
            self._by_slug[model, slug] = found
        return found

    def many(self, model: type[models.Model], slugs: Iterable[str]) -> list:
        return [self.by_slug(model, slug) for slug in slugs]

    def links(self, instance: models.Model, links: list[dict], start: int = 0) -> None:
        content_type = ContentType.objects.get_for_model(instance)
        for order, link in enumerate(links, start=start):
            self.upsert(
                Link,
                {
                    "content_type": content_type,
                    "object_id": instance.pk,
                    "url": link.pop("url"),
                },
                {"order": order, **link},
            )

    def legacies(self, region: Region, legacies: list[dict]) -> None:
        """The region's mining legacy, exactly as listed: others are removed."""
        kept = []
        for legacy in legacies:
            legacy_type = self.by_slug(LegacyType, legacy.pop("type"))
            kept.append(
                self.upsert(
                    RegionLegacy,
                    {"region": region, "legacy_type": legacy_type},
                    legacy,
                ).pk
            )
        region.legacies.exclude(pk__in=kept).delete()
        self._forget(RegionLegacy, region_id=region.pk)

    # --- one method per kind of record, in dependency order ---------------------

    def load_taxonomy(self, data: dict) -> None:
        for order, goal in enumerate(data.get("development_goals", [])):
            self.upsert(
                DevelopmentGoal, {"slug": goal.pop("slug")}, {"order": order, **goal}
            )
        for theme in data.get("themes", []):
            categories = theme.pop("categories", [])
            theme_obj = self.upsert(Theme, {"slug": theme.pop("slug")}, theme)
            for order, category in enumerate(categories):
                goals = self.many(DevelopmentGoal, category.pop("goals", []))
                category_obj = self.upsert(
                    Category,
                    {"slug": category.pop("slug")},
                    {"theme": theme_obj, "order": order, **category},
                )
                category_obj.goals.set(goals)
        for order, legacy in enumerate(data.get("legacy_types", [])):
            self.upsert(
                LegacyType, {"slug": legacy.pop("slug")}, {"order": order, **legacy}
            )

    def load_network(self, data: dict) -> None:
        for commodity in data.get("commodities", []):
            self.upsert(Commodity, {"slug": commodity.pop("slug")}, commodity)
        for region in data.get("regions", []):
            commodities = self.many(Commodity, region.pop("commodities", []))
            links = region.pop("links", [])
            region_obj = self.upsert(Region, {"slug": region.pop("slug")}, region)
            region_obj.commodities.set(commodities)
            self.links(region_obj, links)
        contacts = []
        for partner in data.get("partners", []):
            partner["region"] = self.by_slug(Region, partner.get("region"))
            links = partner.pop("links", [])
            partner_contacts = partner.pop("contacts", [])
            partner_obj = self.upsert(Partner, {"slug": partner.pop("slug")}, partner)
            self.links(partner_obj, links)
            contacts += [(partner_obj, n, c) for n, c in enumerate(partner_contacts)]
        for project in data.get("projects", []):
            self.load_project(project)
        # After the projects: a contact may name the project it is the contact for.
        for partner_obj, order, contact in contacts:
            contact["project"] = self.by_slug(Project, contact.get("project"))
            self.upsert(
                Contact,
                {"partner": partner_obj, "name": contact.pop("name")},
                {"order": order, **contact},
            )
        for publication in data.get("publications", []):
            publication["project"] = self.by_slug(Project, publication.get("project"))
            links = publication.pop("links", [])
            publication_obj = self.upsert(
                Publication, {"slug": publication.pop("slug")}, publication
            )
            self.links(publication_obj, links)

    def load_profiles(self, data: dict) -> None:
        """Region profiles, policy instruments and the partners' place in the
        actor network, on records `network.yaml` created."""
        for profile in data.get("region_profiles", []):
            region = self.by_slug(Region, profile.pop("region"))
            goals = self.many(DevelopmentGoal, profile.pop("goals", []))
            legacies = profile.pop("legacies", [])
            links = profile.pop("links", [])
            region = self.upsert(Region, {"slug": region.slug}, profile)
            region.goals.set(goals)
            self.legacies(region, legacies)
            # After the links network.yaml gives the region.
            self.links(region, links, start=100)
        for instrument in data.get("policy_instruments", []):
            projects = self.many(Project, instrument.pop("projects", []))
            links = instrument.pop("links", [])
            instrument["region"] = self.by_slug(Region, instrument.get("region"))
            instrument_obj = self.upsert(
                PolicyInstrument, {"slug": instrument.pop("slug")}, instrument
            )
            instrument_obj.projects.set(projects)
            self.links(instrument_obj, links)
        for partner in data.get("partners", []):
            self.upsert(Partner, {"slug": partner.pop("partner")}, partner)

    def load_project(self, project: dict) -> None:
        memberships = project.pop("memberships", [])
        objectives = project.pop("objectives", [])
        figures = project.pop("stated_figures", [])
        links = project.pop("links", [])
        project_obj = self.upsert(Project, {"slug": project.pop("slug")}, project)
        for membership in memberships:
            membership_obj = self.upsert(
                Membership,
                {
                    "project": project_obj,
                    "partner": self.by_slug(Partner, membership["partner"]),
                },
                {"role": membership["role"]},
            )
            self.links(membership_obj, membership.get("links", []))
        for order, objective in enumerate(objectives, start=1):
            self.upsert(
                Objective, {"project": project_obj, "order": order}, {"text": objective}
            )
        # The figures exactly as listed: a project may state several of one kind,
        # each from its own source; figures no longer listed are removed.
        kept = [
            self.upsert(
                StatedFigure,
                {
                    "project": project_obj,
                    "kind": figure.pop("kind"),
                    "source_title": figure.pop("source_title"),
                },
                figure,
            ).pk
            for figure in figures
        ]
        project_obj.stated_figures.exclude(pk__in=kept).delete()
        self._forget(StatedFigure, project_id=project_obj.pk)
        self.links(project_obj, links)

    def load_potentials(self, data: dict) -> None:
        for potential in data.get("potentials", []):
            legacy_types = self.many(LegacyType, potential.pop("legacy_types", []))
            projects = self.many(Project, potential.pop("projects", []))
            actors = potential.pop("actors", [])
            links = potential.pop("links", [])
            potential["region"] = self.by_slug(Region, potential.get("region"))
            potential["category"] = self.by_slug(Category, potential["category"])
            potential["owner"] = self.by_slug(Partner, potential["owner"])
            potential_obj = self.upsert(
                Potential, {"slug": potential.pop("slug")}, potential
            )
            potential_obj.legacy_types.set(legacy_types)
            potential_obj.projects.set(projects)
            for actor in actors:
                self.upsert(
                    PotentialActor,
                    {
                        "potential": potential_obj,
                        "partner": self.by_slug(Partner, actor["partner"]),
                        "role": actor["role"],
                    },
                    {},
                )
            self.links(potential_obj, links)

    def load_good_practices(self, data: dict) -> None:
        for practice in data.get("good_practices", []):
            relations = {
                "legacy_types": self.many(LegacyType, practice.pop("legacy_types", [])),
                "transferable_legacy_types": self.many(
                    LegacyType, practice.pop("transferable_legacy_types", [])
                ),
                "policy_instruments": self.many(
                    PolicyInstrument, practice.pop("policy_instruments", [])
                ),
                "themes": self.many(Theme, practice.pop("themes", [])),
                "categories": self.many(Category, practice.pop("categories", [])),
                "potentials": self.many(Potential, practice.pop("potentials", [])),
                "projects": self.many(Project, practice.pop("projects", [])),
            }
            links = practice.pop("links", [])
            practice["region"] = self.by_slug(Region, practice.get("region"))
            practice["main_institution"] = self.by_slug(
                Partner, practice["main_institution"]
            )
            practice["owner"] = self.by_slug(Partner, practice["owner"])
            practice_obj = self.upsert(
                GoodPractice, {"slug": practice.pop("slug")}, practice
            )
            for name, related in relations.items():
                getattr(practice_obj, name).set(related)
            self.links(practice_obj, links)

    def load_site_pages(self, data: dict) -> None:
        """Create the site pages that do not exist yet. An existing page is left
        as it is: moderators keep these texts in the admin, and a new start of
        the portal (which loads the seed) must not undo their work."""
        existing = set(SitePage.objects.values_list("kind", flat=True))
        for page in data.get("pages", []):
            kind = page.pop("kind")
            if kind in existing:
                self.report.unchanged[SitePage._meta.verbose_name_plural] += 1
                continue
            # The texts were first written in English; any other language in
            # the file is a translation nobody has reviewed yet.
            page["translation_provenance"] = {
                name: {
                    language: Provenance.UNREVIEWED
                    for language in texts
                    if language != FALLBACK_LANGUAGE
                }
                for name, texts in page.items()
                if name in translated_fields(SitePage) and isinstance(texts, dict)
            }
            self.upsert(SitePage, {"kind": kind}, page)


# The kinds a translation file (translations/<language>.yaml) may hold.
TRANSLATED_KINDS = {
    "regions": Region,
    "partners": Partner,
    "projects": Project,
    "publications": Publication,
    "policy_instruments": PolicyInstrument,
    "potentials": Potential,
    "good_practices": GoodPractice,
}


def _columns_write(
    model: type[models.Model], records: list[models.Model], names: list[str]
) -> None:
    """Write these fields of each record, as bulk_update() would, without its
    CASE expression of every record per column (slow to build for hundreds of
    records): one UPDATE per record, all sent in one round trip (psycopg's
    pipeline)."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments}"
        f" WHERE {quote(model._meta.pk.column)} = %s"
    )
    rows = [
        [
            *(
                field.get_db_prep_save(getattr(record, field.attname), connection)
                for field in fields
            ),
            record.pk,
        ]
        for record in records
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def load_translations(loader: SeedLoader, language: str, data: dict) -> None:
    """The portal's own translations of records into `language`, each marked as
    not yet reviewed. A text the seed gives in that language itself, or one
    somebody has reviewed or written since, is kept: only an empty text or one
    still marked unreviewed is (re)written."""
    if language not in language_codes():
        raise SeedError(f"translations/{language}.yaml: no such language")
    for kind, records in data.items():
        model = TRANSLATED_KINDS.get(kind)
        if model is None:
            raise SeedError(f"translations/{language}.yaml: unknown kind {kind!r}")
        allowed = set(translated_fields(model))
        existing = model._base_manager.in_bulk(list(records), field_name="slug")
        changed = []
        for slug, texts in records.items():
            record = existing.get(slug)
            if record is None:
                raise SeedError(f"translations/{language}.yaml: no {kind} {slug!r}")
            unknown = set(texts) - allowed
            if unknown:
                raise SeedError(
                    f"translations/{language}.yaml: {kind} {slug!r} has no "
                    f"translated field(s) {sorted(unknown)}"
                )
            provenance = record.translation_provenance
            touched = False
            for name, text in texts.items():
                column = f"{name}_{language}"
                recorded = provenance.get(name, {}).get(language)
                current = getattr(record, column) or ""
                if current and recorded != Provenance.UNREVIEWED:
                    continue
                text = str(text).strip()
                if current != text or recorded != Provenance.UNREVIEWED:
                    setattr(record, column, text)
                    provenance.setdefault(name, {})[language] = Provenance.UNREVIEWED
                    touched = True
            if touched:
                changed.append(record)
        if changed:
            columns = {
                f"{name}_{language}" for texts in records.values() for name in texts
            }
            _columns_write(model, changed, [*sorted(columns), "translation_provenance"])
            # No post_save is sent: the words go to the typo vocabulary here.
            search_words_add_many(changed)
        loader.report.updated[f"{model._meta.verbose_name_plural} ({language})"] += len(
            changed
        )


def _read(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=YAML_LOADER) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SeedError(f"Cannot read {path}: {error}") from error


def seed_content_load(*, directory: Path | None = None) -> SeedReport:
    """Load (or refresh) all seed content; on any error nothing is written."""
    directory = Path(directory or settings.SEED_CONTENT_DIR)
    taxonomy, network, profiles, potentials, practices = (
        _read(directory / name) for name in SEED_FILES
    )
    loader = SeedLoader()
    # Translated fields are set per language; English is the active one while
    # loading, so the untranslated originals hold the English text.
    with translation.override("en"), transaction.atomic():
        loader.load_taxonomy(taxonomy)
        loader.load_network(network)
        loader.load_profiles(profiles)
        loader.load_potentials(potentials)
        loader.load_good_practices(practices)
        loader.load_site_pages(_read(directory / SITE_PAGES_FILE))
        for path in sorted((directory / "translations").glob("*.yaml")):
            load_translations(loader, path.stem, _read(path))
    return loader.report
