"""Judged queries over the seed content: what a reader types, in their language, and
the records that must come first.

Shared by the tests (each judged query finds its records in the top five, on
PostgreSQL) and by `bench/search.py`, which prints the mean reciprocal rank.
A record is "kind:slug", as `site_search` names kinds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from search.site import site_search

TOP = 5


@dataclass(frozen=True)
class JudgedQuery:
    language: str
    query: str
    expected: tuple[str, ...]

    def __str__(self) -> str:
        return f"[{self.language}] {self.query}"


def _q(language: str, query: str, *expected: str) -> JudgedQuery:
    return JudgedQuery(language, query, expected)


GEOTHERMAL = "potential:geothermal-energy-from-mine-water"
BIOMASS = "potential:biomass-on-mining-dumps"
WIND = "potential:wind-parks-on-mining-dumps"
BRIDGES = "potential:conveyor-bridges-as-event-backdrops"
F60 = "potential:f60-conveyor-bridge-lichterfeld"
HERITAGE = "potential:mining-heritage-and-change-of-mentality"
ROUTES = "potential:tourist-routes-through-mining-heritage"
LAKES = "potential:lusatian-lake-district"
LAPLAND_PRACTICE = (
    "goodpractice:"
    "systematic-thematic-development-of-mining-metallurgy-and-raw-materials"
)

JUDGED_QUERIES: tuple[JudgedQuery, ...] = (
    # English: words of titles, summaries and bodies, names and acronyms.
    _q("en", "geothermal energy", GEOTHERMAL),
    _q("en", "heat from mine water", GEOTHERMAL),
    _q("en", "biomass", BIOMASS),
    _q("en", "wind parks on dumps", WIND),
    _q("en", "conveyor bridge", F60, BRIDGES),
    _q("en", "F60", F60),
    _q("en", "lake district", LAKES),
    _q("en", "Erzberg show mine", "potential:erzberg-adventure-mine"),
    _q(
        "en",
        "Styrian Iron Route",
        "region:styrian-iron-route",
        "potential:styrian-iron-route-heritage-route",
        "partner:styrian-iron-route-association",
    ),
    _q("en", "zwickau", "region:district-of-zwickau", "partner:district-of-zwickau"),
    _q("en", "Lapland", "region:lapland", "partner:regional-council-of-lapland"),
    _q("en", "interregional cooperation model", LAPLAND_PRACTICE),
    _q(
        "en",
        "social license to operate",
        "publication:mireu-slo-guidelines",
        "publication:mireu-slo-toolkit",
    ),
    _q("en", "handbook", "publication:resource-handbook"),
    _q("en", "mining and metallurgy regions", "project:mireu"),
    _q("en", "MINEC", "project:minec"),
    _q("en", "IOER", "partner:ioer"),
    _q("en", "change of mentality", HERITAGE),
    _q("en", "tourist routes", ROUTES),
    # Accents and case left out, and typos.
    _q("en", "Salgotarjan", "region:salgotarjan", "partner:town-of-salgotarjan"),
    _q("en", "geotermal", GEOTHERMAL),
    _q("en", "biomas", BIOMASS),
    _q("en", "lusatia", "region:lower-lusatia", LAKES),
    _q("en", "convayor bridges", BRIDGES, F60),
    # German, with its stemmer.
    _q("de", "Grubenwasser", GEOTHERMAL),
    # (F60's German title has it inside a compound, "Abraumförderbrücke", which
    # the German stemmer does not split.)
    _q("de", "Förderbrücke", BRIDGES),
    _q("de", "Windpark", WIND),
    _q("de", "Lausitzer Seenland", LAKES),
    _q(
        "de",
        "Steirische Eisenstrasse",
        "region:styrian-iron-route",
        "potential:styrian-iron-route-heritage-route",
    ),
    _q("de", "Bergbauerbe", HERITAGE),
    # Polish, Czech and Slovenian: no stemmer, word starts instead.
    _q("pl", "biomasa", BIOMASS),
    _q("pl", "farmy wiatrowe", WIND),
    _q("pl", "energia geotermalna", GEOTHERMAL),
    _q("pl", "Laponia", "region:lapland"),
    _q("pl", "współpraca międzyregionalna", LAPLAND_PRACTICE),
    _q("pl", "Łużycka Kraina Jezior", LAKES),
    _q("cs", "větrné parky", WIND),
    _q("cs", "geotermální energie", GEOTHERMAL),
    _q("cs", "Sokolov", "region:sokolov-east", "partner:microregion-sokolov-east"),
    _q("sl", "rudarska dediščina", HERITAGE),
    _q("sl", "Zagorje", "region:zagorje-ob-savi"),
    _q("sl", "vetrne elektrarne", WIND),
    # Hungarian and Finnish, with their stemmers.
    _q("hu", "bányászati örökség", HERITAGE),
    _q("hu", "szélparkok", WIND),
    _q("hu", "Salgótarján", "region:salgotarjan", "partner:town-of-salgotarjan"),
    _q("fi", "tuulipuistot", WIND),
    _q("fi", "Lappi", "region:lapland"),
    _q("fi", "kaivosperintö", HERITAGE),
)


def ranked(judged: JudgedQuery, *, limit: int = TOP) -> list[str]:
    """The first `limit` hits of the site search, as "kind:slug"."""
    with translation.override(judged.language):
        results = site_search(judged.query, limit=limit)
    return [f"{hit.kind}:{hit.record.slug}" for hit in results.hits]


def reciprocal_rank(judged: JudgedQuery, hits: list[str]) -> float:
    """1 / the position of the first expected record, 0 when none is found."""
    for position, hit in enumerate(hits, start=1):
        if hit in judged.expected:
            return 1 / position
    return 0.0


def mean_reciprocal_rank(limit: int = 10) -> float:
    scores = [reciprocal_rank(j, ranked(j, limit=limit)) for j in JUDGED_QUERIES]
    return sum(scores) / len(scores)
