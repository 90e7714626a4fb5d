"""`Together` leaves the migration state its operations leave one after another.

(That it leaves the same database is the test database itself: it is built by the
migrations that use it.)
"""

import pytest
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.db.migrations.writer import MigrationWriter

from core.schema_operations import Together

MIGRATION = ("goodpractices", "0002_evidence_validation_stakeholders")


def one_by_one(migration, state):
    for operation in migration.operations:
        inner = operation.operations if isinstance(operation, Together) else [operation]
        for each in inner:
            each.state_forwards(migration.app_label, state)


def written(field):
    """A field as a migration would write it (fields compare by identity)."""
    return MigrationWriter.serialize(field)[0]


def recorded(state):
    """Every model state's fields and options, as a comparable value."""
    return {
        key: (
            {name: written(field) for name, field in model.fields.items()},
            MigrationWriter.serialize(model.options)[0],
        )
        for key, model in state.models.items()
    }


def rendered(apps):
    """Every model's fields and the relations to it, as a comparable value."""
    return {
        model._meta.label_lower: (
            [
                (field.name, written(field))
                for field in model._meta.local_fields + model._meta.local_many_to_many
            ],
            sorted(
                (relation.related_model._meta.label_lower, relation.field.name)
                for relation in model._meta.related_objects
            ),
            [index.name for index in model._meta.indexes],
            [constraint.name for constraint in model._meta.constraints],
        )
        for model in apps.get_models()
    }


def test_together_leaves_the_state_the_operations_leave_one_after_another():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migration = loader.get_migration(*MIGRATION)
    assert any(isinstance(operation, Together) for operation in migration.operations)
    before = loader.project_state(MIGRATION, at_end=False)
    assert before.apps  # rendered, as migrate renders it before it applies one

    together = before.clone()
    migration.mutate_state(together, preserve=False)
    expected = ProjectState(real_apps=before.real_apps)
    expected.models = before.clone().models
    one_by_one(migration, expected)

    assert recorded(together) == recorded(expected)
    # The rendered models were brought up to date, those related to them too.
    assert rendered(together.apps) == rendered(expected.apps)


def test_together_holds_only_field_index_and_constraint_changes_each_once():
    field = models.CharField(max_length=3, blank=True)
    with pytest.raises(TypeError):
        Together([migrations.CreateModel("Thing", fields=[])])
    with pytest.raises(ValueError):
        Together(
            [
                migrations.AddField("thing", "code", field),
                migrations.AlterField("thing", "code", field),
            ]
        )
