"""The people and records the editorial-workflow tests share.

Partners A and B each have an editor; the moderator works for a third partner M.
Every action is tried on records of partner A unless it is about "own" records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from accounts.models import Role
from editorial.models import Status
from editorial.services import publishable_update
from tests.factories import (
    GoodPracticeFactory,
    LegacyTypeFactory,
    PartnerFactory,
    PotentialFactory,
    UserFactory,
    staff_user,
)

ACTORS = ("anonymous", "editor_a", "editor_b", "moderator", "superuser")
ACTIONS = (
    "view_draft",
    "edit_own",
    "edit_another",
    "change_owner",
    "submit",
    "publish",
    "archive",
    "delete",
    "restore",
)
_ = False
Y = True
# Who may do what: one row per actor, one column per action, in ACTIONS order.
MATRIX = {
    "anonymous": (_, _, _, _, _, _, _, _, _),
    "editor_a": (Y, Y, _, _, Y, _, _, _, Y),
    "editor_b": (_, Y, _, _, _, _, _, _, _),
    "moderator": (Y, Y, Y, Y, Y, Y, Y, _, Y),
    "superuser": (Y, Y, Y, Y, Y, Y, Y, Y, Y),
}
CELLS = [
    (actor, action, MATRIX[actor][index])
    for actor in ACTORS
    for index, action in enumerate(ACTIONS)
]


@dataclass
class Staff:
    partner_a: object
    partner_b: object
    partner_m: object
    users: dict

    def own_partner(self, actor: str):
        return {
            "editor_a": self.partner_a,
            "editor_b": self.partner_b,
            "moderator": self.partner_m,
        }.get(actor, self.partner_a)

    def other_partner(self, actor: str):
        return self.partner_b if actor == "editor_a" else self.partner_a

    def another_than(self, partner):
        return self.partner_b if partner == self.partner_a else self.partner_a


def make_staff() -> Staff:
    partner_a = PartnerFactory(slug="partner-a", name="Partner A")
    partner_b = PartnerFactory(slug="partner-b", name="Partner B")
    partner_m = PartnerFactory(slug="partner-m", name="Partner M")
    users = {
        "anonymous": AnonymousUser(),
        "editor_a": staff_user(partner_a, user__username="editor_a"),
        "editor_b": staff_user(partner_b, user__username="editor_b"),
        "moderator": staff_user(
            partner_m, role=Role.MODERATOR, user__username="moderator"
        ),
        "superuser": UserFactory(
            username="superuser", is_staff=True, is_superuser=True
        ),
    }
    return Staff(partner_a, partner_b, partner_m, users)


def make_record(model: str, owner, status=Status.DRAFT, **fields):
    if model == "potential":
        record = PotentialFactory(owner=owner, status=status, **fields)
        record.legacy_types.add(LegacyTypeFactory())
    else:
        record = GoodPracticeFactory(
            owner=owner, main_institution=owner, status=status, **fields
        )
    return record


def make_record_with_history(model: str, owner, by):
    """A draft whose summary went from "First summary" to "Second summary"."""
    record = make_record(model, owner, summary_en="First summary")
    record.summary_en = "Second summary"
    publishable_update(record=record, by=by)
    return record
