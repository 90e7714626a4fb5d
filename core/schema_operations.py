"""A migration operation for long runs of field, index and constraint changes.

Django re-renders a model, and the models related to it, after every operation
that changes it in the migration state: a run of fifty AddFields on a model with
many relations costs fifty renders, and building a database from the migrations
spent most of its time there. `Together` applies a run of such operations to the
state at once and re-renders once; the database sees the same statements, in the
same order, as from the operations one after another.
"""

from django.db.migrations.operations import (
    AddConstraint,
    AddField,
    AddIndex,
    AlterField,
)
from django.db.migrations.operations.base import Operation

# Each of these reads, in the database step, only the model before the run (its
# table, a field's old definition) and the model after it (a field's or index's
# new definition), so that step is the same against the states around the whole
# run as against the states around the one operation, as long as no field, index
# or constraint is touched twice in the run.
COMBINABLE = (AddField, AlterField, AddIndex, AddConstraint)


def _touches(operation):
    if isinstance(operation, (AddField, AlterField)):
        return ("field", operation.model_name_lower, operation.name_lower)
    if isinstance(operation, AddIndex):
        return ("index", operation.model_name_lower, operation.index.name)
    return ("constraint", operation.model_name_lower, operation.constraint.name)


class Together(Operation):
    """Field, index and constraint operations applied to the migration state at
    once, with one re-render; to the database one after another."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, operations):
        touched = set()
        for operation in operations:
            if not isinstance(operation, COMBINABLE):
                raise TypeError(f"Together cannot hold {type(operation).__name__}")
            what = _touches(operation)
            if what in touched:
                raise ValueError(f"Together touches {what} twice")
            touched.add(what)
        self.operations = list(operations)
        super().__init__()

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {"operations": self.operations})

    def state_forwards(self, app_label, state):
        # Without its rendered apps the state only records the changes; the
        # models they touch are rendered again afterwards, once.
        rendered = state.__dict__.pop("apps", None)
        try:
            for operation in self.operations:
                operation.state_forwards(app_label, state)
        finally:
            if rendered is not None:
                state.__dict__["apps"] = rendered
        state.reload_models(
            {(app_label, operation.model_name_lower) for operation in self.operations},
            delay=False,
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for operation in self.operations:
            operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for operation in reversed(self.operations):
            operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "; ".join(operation.describe() for operation in self.operations)
