"""The search pages: results across every kind of record, and suggestions as JSON.

Both only read what the reader sends through a form, so no input can fail them: an
unreadable value counts as not given, and the results page says what it made of
a query it could not take as typed.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from math import ceil
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from search.facets import MAX_PAGE_MATCHES
from search.kinds import search_kind, search_kinds
from search.query import MAX_QUERY_LENGTH
from search.site import site_search
from search.suggestions import MIN_SUGGEST_LENGTH, suggest

RESULTS_PER_PAGE = 20
# Deeper pages cost more and help no one: refine the query instead.
MAX_PAGE = 50
MAX_SUGGESTIONS = 20
# Matches read per kind for a page; beyond it the page says "more than".
MAX_MATCHES = MAX_PAGE_MATCHES
# What no search can use and no page should show: NUL and other control characters.
UNREADABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# An unknown kind is named back to the reader, this long at most.
MAX_SHOWN_KIND = 40


class SearchForm(forms.Form):
    q = forms.CharField(max_length=MAX_QUERY_LENGTH, required=False, strip=True)
    kind = forms.ChoiceField(
        choices=lambda: [(kind.kind, kind.label) for kind in search_kinds()],
        required=False,
    )
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)
    limit = forms.IntegerField(min_value=1, max_value=MAX_SUGGESTIONS, required=False)

    def value(self, name: str, default=None):
        """The field's clean value, or `default` when it is missing or invalid."""
        if not self.is_bound:
            return default
        self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


def _query_text(form: SearchForm) -> str:
    # An overlong query is cut, not refused; unreadable characters are left out.
    raw = form.data.get("q") or ""
    return form.value("q") or UNREADABLE.sub("", raw)[:MAX_QUERY_LENGTH].strip()


def _query_notices(form: SearchForm, query: str, has_terms: bool) -> list[str]:
    """What the page made of a query it could not take as typed."""
    raw = form.data.get("q") or ""
    notices = []
    if UNREADABLE.search(raw):
        notices.append(_("Characters that cannot be searched were left out."))
    if len(UNREADABLE.sub("", raw).strip()) > MAX_QUERY_LENGTH:
        notices.append(
            _("Only the first %(count)s characters of the search were used.")
            % {"count": MAX_QUERY_LENGTH}
        )
    if query and not has_terms:
        notices.append(
            _(
                "“%(query)s” has no words to search for. Type a word or two: a "
                "place, what mining left behind, or a use for it."
            )
            % {"query": query}
        )
    kind = form.data.get("kind")
    if kind and not form.value("kind"):
        notices.append(
            _("There is no kind of record called “%(kind)s”: all kinds are shown.")
            % {"kind": UNREADABLE.sub("", kind)[:MAX_SHOWN_KIND]}
        )
    return notices


class SearchResultsView(TemplateView):
    """Results across every kind, narrowed to one by `?kind=`, paged by `?page=`.

    A request from htmx (the pagination) gets only the results part, as the list
    pages do.
    """

    template_name = "search/results.html"
    template_name_partial = "search/includes/results.html"

    def get_template_names(self):
        htmx = getattr(self.request, "htmx", None)
        if htmx and not htmx.history_restore_request:
            return [self.template_name_partial]
        return super().get_template_names()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        query = _query_text(form)
        kind = form.value("kind", "")
        page = form.value("page", 1)
        results = self._search(query, kind, page)
        pages = min(MAX_PAGE, ceil(results.total / RESULTS_PER_PAGE))
        if pages and page > pages:
            # A page past the end shows the last one, as the lists do.
            page = pages
            results = self._search(query, kind, page)
        paginator = Paginator(range(pages * RESULTS_PER_PAGE), RESULTS_PER_PAGE)
        return super().get_context_data(
            query=query,
            # The header's search box shows the query as it was searched.
            search_query=query,
            kind=kind,
            kind_label=search_kind(kind).label if kind else "",
            notices=_query_notices(form, query, bool(results.query.terms)),
            results=results,
            hits=results.hits,
            total=results.total,
            all_count=sum(results.counts.values()),
            kind_facets=[
                {
                    "kind": each.kind,
                    "label": each.label,
                    "count": results.counts[each.kind],
                    "selected": each.kind == kind,
                    "url": "?" + urlencode({"q": query, "kind": each.kind}),
                }
                for each in search_kinds()
                if results.counts[each.kind] or each.kind == kind
            ],
            all_kinds_url="?" + urlencode({"q": query}),
            page=page,
            pages=pages,
            page_obj=paginator.get_page(page) if pages > 1 else None,
            first_number=(page - 1) * RESULTS_PER_PAGE + 1,
            **kwargs,
        )

    @staticmethod
    def _search(query: str, kind: str, page: int):
        return site_search(
            query,
            kinds=[kind] if kind else None,
            limit=RESULTS_PER_PAGE,
            offset=(page - 1) * RESULTS_PER_PAGE,
            max_matches=MAX_MATCHES,
        )


class SuggestView(View):
    """Completions for the search box: {"results": [{"kind", "label", "slug",
    "text", "url"}, …], "message": "…"}, the URL of each record's page in the
    reader's language and a message telling how many there are, for screen
    readers."""

    def get(self, request, *args, **kwargs) -> JsonResponse:
        form = SearchForm(request.GET)
        query = _query_text(form)
        if len(query) < MIN_SUGGEST_LENGTH:
            return JsonResponse({"results": [], "message": ""})
        suggestions = suggest(query, limit=form.value("limit", 8))
        results = [
            {
                **asdict(suggestion),
                "label": str(search_kind(suggestion.kind).label_one),
                "url": search_kind(suggestion.kind).url(suggestion.slug),
            }
            for suggestion in suggestions
        ]
        if results:
            message = ngettext(
                "%(count)s suggestion. Use the up and down arrow keys to choose it.",
                "%(count)s suggestions. Use the up and down arrow keys to choose one.",
                len(results),
            ) % {"count": len(results)}
        else:
            message = _("No suggestions. Press Enter to search.")
        return JsonResponse({"results": results, "message": message})
