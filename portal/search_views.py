"""The search pages: results across every kind of record, and suggestions as JSON.

Both only read what the reader sends through a form, so no input can fail them: an
unreadable value counts as not given.
"""

from __future__ import annotations

from dataclasses import asdict
from math import ceil
from urllib.parse import urlencode

from django import forms
from django.http import JsonResponse
from django.views.generic import TemplateView, View

from search.facets import MAX_PAGE_MATCHES
from search.kinds import search_kinds
from search.query import MAX_QUERY_LENGTH
from search.site import site_search
from search.suggestions import MIN_SUGGEST_LENGTH, suggest

RESULTS_PER_PAGE = 20
# Deeper pages cost more and help no one: refine the query instead.
MAX_PAGE = 50
MAX_SUGGESTIONS = 20
# Matches read per kind for a page; beyond it the page says "more than".
MAX_MATCHES = MAX_PAGE_MATCHES


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
    # An overlong query is cut, not refused.
    return form.value("q") or (form.data.get("q") or "")[:MAX_QUERY_LENGTH].strip()


class SearchResultsView(TemplateView):
    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        query = _query_text(form)
        kind = form.value("kind", "")
        page = form.value("page", 1)
        results = site_search(
            query,
            kinds=[kind] if kind else None,
            limit=RESULTS_PER_PAGE,
            offset=(page - 1) * RESULTS_PER_PAGE,
            max_matches=MAX_MATCHES,
        )
        pages = min(MAX_PAGE, ceil(results.total / RESULTS_PER_PAGE))
        return super().get_context_data(
            query=query,
            kind=kind,
            results=results,
            hits=results.hits,
            total=results.total,
            all_count=sum(results.counts.values()),
            kind_facets=[
                {
                    "kind": search_kind.kind,
                    "label": search_kind.label,
                    "count": results.counts[search_kind.kind],
                    "selected": search_kind.kind == kind,
                    "url": "?" + urlencode({"q": query, "kind": search_kind.kind}),
                }
                for search_kind in search_kinds()
                if results.counts[search_kind.kind]
            ],
            all_kinds_url="?" + urlencode({"q": query}),
            page=page,
            pages=pages,
            previous_url=self._page_url(query, kind, page - 1) if page > 1 else None,
            next_url=(self._page_url(query, kind, page + 1) if page < pages else None),
            **kwargs,
        )

    @staticmethod
    def _page_url(query: str, kind: str, page: int) -> str:
        parameters = {"q": query, **({"kind": kind} if kind else {}), "page": page}
        return "?" + urlencode(parameters)


class SuggestView(View):
    """Completions for the search box: {"results": [{"kind", "slug", "text"}, …]}."""

    def get(self, request, *args, **kwargs) -> JsonResponse:
        form = SearchForm(request.GET)
        query = _query_text(form)
        if len(query) < MIN_SUGGEST_LENGTH:
            return JsonResponse({"results": []})
        suggestions = suggest(query, limit=form.value("limit", 8))
        return JsonResponse({"results": [asdict(s) for s in suggestions]})
