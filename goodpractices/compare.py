"""Good practices side by side: what, where, by whom, when, how well evidenced."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from goodpractices.models import GoodPractice
from search.compare import (
    Attribute,
    CompareView,
    Value,
    Values,
    choice,
    country,
    day,
    month,
    named,
    number,
)


def _dates(practice: GoodPractice) -> Values:
    start, end = practice.start_date, practice.end_date
    if not (start or end):
        return None
    if start and end:
        text = _("%(start)s – %(end)s") % {"start": month(start), "end": month(end)}
    elif start:
        text = _("since %(start)s") % {"start": month(start)}
    else:
        text = _("until %(end)s") % {"end": month(end)}
    return Value(str(text), key=(start, end))


def _validated(practice: GoodPractice) -> Values:
    # Being validated is what practices share; the date is a note beside it.
    if practice.validated_on is None:
        return Value(str(_("Not validated")), key=False)
    return Value(
        str(_("Validated")),
        key=True,
        note=str(_("on %(date)s") % {"date": day(practice.validated_on)}),
    )


def _costs(practice: GoodPractice) -> Values:
    low, high = practice.cost_min, practice.cost_max
    if low is None and high is None:
        return None
    amounts = {
        "low": number(low).text if low is not None else "",
        "high": number(high).text if high is not None else "",
        "currency": practice.cost_currency,
    }
    if low is not None and high is not None and low != high:
        text = _("%(low)s – %(high)s %(currency)s") % amounts
    elif low is not None and high is not None:
        text = _("%(low)s %(currency)s") % amounts
    elif low is not None:
        text = _("from %(low)s %(currency)s") % amounts
    else:
        text = _("up to %(high)s %(currency)s") % amounts
    return Value(str(text), key=(low, high, practice.cost_currency))


GOOD_PRACTICE_ATTRIBUTES = [
    Attribute(_("Kind"), lambda practice: choice(practice, "kind")),
    Attribute(_("Region"), lambda practice: named(practice.region)),
    Attribute(
        _("Country"),
        lambda practice: country(practice.region.country) if practice.region else None,
    ),
    Attribute(_("Main institution"), lambda practice: named(practice.main_institution)),
    Attribute(_("Timescale"), _dates, shares=False),
    Attribute(
        _("Implementation"), lambda practice: choice(practice, "practice_status")
    ),
    Attribute(
        _("Themes"),
        lambda practice: [named(theme) for theme in practice.themes.all()],
    ),
    Attribute(
        _("Categories"),
        lambda practice: [named(category) for category in practice.categories.all()],
    ),
    Attribute(
        _("Mining legacy used"),
        lambda practice: [named(legacy) for legacy in practice.legacy_types.all()],
    ),
    Attribute(
        _("Level of evidence"), lambda practice: choice(practice, "evidence_level")
    ),
    Attribute(_("Validated by the network"), _validated),
    Attribute(_("Costs"), _costs, shares=False),
]


class GoodPracticeCompareView(CompareView):
    attributes = GOOD_PRACTICE_ATTRIBUTES
    heading = _("Compare good practices")
    list_url_name = "goodpractices:goodpractice-list"
    list_label = _("Good practices")

    def get_queryset(self) -> QuerySet[GoodPractice]:
        return (
            GoodPractice.objects.visible_to(self.request.user)
            .select_related("region", "main_institution")
            .prefetch_related("themes", "categories", "legacy_types")
        )
