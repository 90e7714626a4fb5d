"""Search at scale: latency of ranked search with facet counts, and of suggestions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rp_search_bench \\
        .venv/bin/python bench/search.py

1. The judged queries (tests/search/judged_queries.py) run over the seed
   content alone, in a fresh database beside the bench one (`…_judged`), and their
   mean reciprocal rank is printed.
2. The bench database gets the seed content and a generated data set: 100,000
   potentials and 20,000 good practices over 1,000 regions, each written in English
   and in the language of its region's country (German, Polish, Czech, Hungarian,
   Slovenian, Finnish), from the real taxonomy's names in every language. It is
   generated once and reused while its size matches (`--regenerate` starts over).
3. Over a mix of queries in the seven languages (specific and broad words, place
   names, typos), it times, warm, after one untimed pass:
   - ranked search with facet counts: `search_page()`, the first page of 20
     potentials (with their region and category), the number of hits, and counts
     per theme, country and stage — what the results page and the API ask for —
     and the same through `.search()`, `.count()` and `facet_counts()`;
   - the site search of the results page (every kind, counts per kind);
   - suggestions for prefixes of 2 to 10 letters;
   - the naive way: the same page, count and facets with `icontains` over the
     same columns (the reader's language and English), no index usable.
   It prints p50/p95 for each, and the ratio of the naive scan to ranked search.

Only a database whose name contains "bench" is ever written to.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resource_portal.settings")
# Production settings (DEBUG off, so no query log) with a throwaway key: the bench
# serves no one.
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "localhost")

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rp_search_bench"
PAGE = 20
FACETS = {
    "theme": "category__theme__slug",
    "country": "region__country",
    "stage": "stage",
}

# --- The generated data set ------------------------------------------------------

COUNTRIES = {
    "DE": "de",
    "AT": "de",
    "PL": "pl",
    "CZ": "cs",
    "HU": "hu",
    "SI": "sl",
    "FI": "fi",
}
SYLLABLES = {
    "de": [
        "berg",
        "dorf",
        "au",
        "feld",
        "hain",
        "stein",
        "bach",
        "kohl",
        "ritz",
        "wald",
        "lich",
        "ten",
        "gers",
        "hau",
        "sen",
        "mark",
        "brück",
        "roda",
    ],
    "pl": [
        "bór",
        "ice",
        "wo",
        "sko",
        "rze",
        "ków",
        "chów",
        "gór",
        "lesz",
        "nowa",
        "wał",
        "brzy",
        "szcz",
        "dąb",
        "ów",
        "ino",
        "sła",
        "kra",
    ],
    "cs": [
        "hrad",
        "ov",
        "ice",
        "lom",
        "ná",
        "bor",
        "ště",
        "dol",
        "kov",
        "ří",
        "most",
        "sok",
        "lib",
        "ín",
        "čany",
        "jez",
        "vod",
        "ná",
    ],
    "hu": [
        "bá",
        "nya",
        "tar",
        "ján",
        "vár",
        "hegy",
        "falu",
        "ker",
        "szén",
        "ős",
        "domb",
        "pa",
        "kő",
        "egres",
        "telek",
        "sződ",
        "ri",
        "gyes",
    ],
    "sl": [
        "trb",
        "ovlje",
        "za",
        "gor",
        "je",
        "hrast",
        "nik",
        "šent",
        "ljub",
        "vel",
        "enje",
        "kam",
        "ska",
        "dol",
        "sav",
        "ica",
        "rud",
        "ovo",
    ],
    "fi": [
        "kemi",
        "järvi",
        "koski",
        "lahti",
        "salmi",
        "vaara",
        "la",
        "pää",
        "kylä",
        "mäki",
        "ranta",
        "suo",
        "tunturi",
        "oja",
        "niemi",
        "aho",
        "lampi",
        "vuo",
    ],
}
# Sentences for summaries and descriptions, in each language, with slots for the
# category, legacy type and place names of the record.
SENTENCES = {
    "en": [
        "{legacy} near {place} can be used for {category}.",
        "The site was mined for decades and left {legacy} behind.",
        "A feasibility study examined {category} on the former mine site.",
        "Local partners plan to combine {category} with tourism and nature.",
        "The municipality of {place} owns most of the land.",
        "Pilot projects showed that the {legacy} are stable enough for new uses.",
        "Investors, the region and the mining company share the costs.",
        "Visitors learn about the history of coal mining in {place}.",
        "Heat pumps, solar panels and storage were tested on reclaimed land.",
        "The landscape changed from an open pit into lakes and forests.",
        "Regional development agencies support the transition of the area.",
        "Experience from other mining regions in Europe was taken into account.",
    ],
    "de": [
        "{legacy} bei {place} eignen sich für {category}.",
        "Am Standort wurde jahrzehntelang Bergbau betrieben; zurück blieben {legacy}.",
        "Eine Machbarkeitsstudie untersuchte {category} auf dem ehemaligen Gelände.",
        "Partner vor Ort wollen {category} mit Tourismus und Naturschutz verbinden.",
        "Die Gemeinde {place} besitzt den größten Teil der Flächen.",
        "Pilotprojekte zeigten, dass die {legacy} für neue Nutzungen stabil sind.",
        "Investoren, Region und Bergbauunternehmen teilen sich die Kosten.",
        "Besucher erfahren in {place} mehr über die Geschichte des Kohlebergbaus.",
        "Wärmepumpen, Solaranlagen und Speicher wurden auf rekultivierten Flächen "
        "erprobt.",
        "Aus dem Tagebau wurde eine Landschaft aus Seen und Wäldern.",
        "Regionale Entwicklungsagenturen begleiten den Strukturwandel.",
        "Erfahrungen anderer Bergbauregionen Europas flossen ein.",
    ],
    "pl": [
        "{legacy} w pobliżu {place} można wykorzystać: {category}.",
        "Przez dziesięciolecia prowadzono tu wydobycie, pozostawiając {legacy}.",
        "Studium wykonalności zbadało możliwości: {category} na terenie kopalni.",
        "Lokalni partnerzy chcą połączyć {category} z turystyką i przyrodą.",
        "Gmina {place} jest właścicielem większości gruntów.",
        "Projekty pilotażowe wykazały, że tereny są stabilne dla nowych funkcji.",
        "Inwestorzy, region i spółka górnicza dzielą się kosztami.",
        "Zwiedzający poznają historię górnictwa węglowego w {place}.",
        "Na zrekultywowanych terenach testowano pompy ciepła i panele słoneczne.",
        "Wyrobisko odkrywkowe zamieniło się w krajobraz jezior i lasów.",
        "Regionalne agencje rozwoju wspierają transformację obszaru.",
        "Wykorzystano doświadczenia innych regionów górniczych Europy.",
    ],
    "cs": [
        "{legacy} u obce {place} lze využít: {category}.",
        "Po desetiletí se zde těžilo a zůstaly zde {legacy}.",
        "Studie proveditelnosti posoudila možnosti: {category} na území dolu.",
        "Místní partneři chtějí spojit {category} s turistikou a přírodou.",
        "Obec {place} vlastní většinu pozemků.",
        "Pilotní projekty ukázaly, že území je stabilní pro nové využití.",
        "Investoři, kraj a těžební společnost sdílejí náklady.",
        "Návštěvníci poznávají historii těžby uhlí v obci {place}.",
        "Na rekultivovaných plochách byla testována tepelná čerpadla a solární panely.",
        "Z lomu vznikla krajina jezer a lesů.",
        "Regionální rozvojové agentury podporují proměnu území.",
        "Byly využity zkušenosti jiných těžebních regionů Evropy.",
    ],
    "hu": [
        "A {place} melletti terület hasznosítható: {category}.",
        "Évtizedekig bányásztak itt, és {legacy} maradtak vissza.",
        "Megvalósíthatósági tanulmány vizsgálta a lehetőségeket: {category}.",
        "A helyi partnerek összekapcsolnák: {category}, turizmus és természet.",
        "{place} önkormányzata birtokolja a földterület nagy részét.",
        "Kísérleti projektek igazolták, hogy a terület alkalmas új hasznosításra.",
        "A befektetők, a régió és a bányavállalat megosztják a költségeket.",
        "A látogatók megismerik a szénbányászat történetét: {place}.",
        "Hőszivattyúkat és napelemeket teszteltek a rekultivált területen.",
        "A külszíni bányából tavak és erdők tája lett.",
        "Regionális fejlesztési ügynökségek segítik a térség átalakulását.",
        "Európa más bányavidékeinek tapasztalatait is felhasználták.",
    ],
    "sl": [
        "{legacy} pri kraju {place} je mogoče uporabiti: {category}.",
        "Desetletja so tu kopali premog in ostala so {legacy}.",
        "Študija izvedljivosti je preučila možnosti: {category}.",
        "Lokalni partnerji želijo povezati {category} s turizmom in naravo.",
        "Občina {place} je lastnica večine zemljišč.",
        "Pilotni projekti so pokazali, da je območje stabilno za nove rabe.",
        "Vlagatelji, regija in rudnik si delijo stroške.",
        "Obiskovalci spoznajo zgodovino premogovništva v kraju {place}.",
        "Na saniranih zemljiščih so preizkusili toplotne črpalke in sončne elektrarne.",
        "Iz dnevnega kopa je nastala pokrajina jezer in gozdov.",
        "Regionalne razvojne agencije podpirajo preobrazbo območja.",
        "Upoštevali so izkušnje drugih rudarskih regij v Evropi.",
    ],
    "fi": [
        "{place} alueen kohde soveltuu: {category}.",
        "Alueella louhittiin vuosikymmeniä, ja jäljelle jäi: {legacy}.",
        "Toteutettavuusselvitys tutki mahdollisuuksia: {category}.",
        "Paikalliset kumppanit yhdistävät kohteen matkailuun ja luontoon.",
        "{place} kunta omistaa suurimman osan maasta.",
        "Pilottihankkeet osoittivat alueen soveltuvan uuteen käyttöön.",
        "Sijoittajat, maakunta ja kaivosyhtiö jakavat kustannukset.",
        "Kävijät tutustuvat kaivostoiminnan historiaan: {place}.",
        "Lämpöpumppuja ja aurinkopaneeleja testattiin kunnostetulla alueella.",
        "Avolouhoksesta tuli järvien ja metsien maisema.",
        "Alueelliset kehitysyhtiöt tukevat alueen muutosta.",
        "Hyödynnettiin muiden Euroopan kaivosalueiden kokemuksia.",
    ],
}
# Features of a site, a few to each record, so that words other than the taxonomy's
# are spread thinly as in real descriptions.
FEATURES = {
    "en": "shaft headframe slag tailings quarry spoil railway siding pumping station "
    "washery coking plant power station sawmill brickworks tunnel adit gallery "
    "reservoir wetland vineyard orchard meadow museum workshop hostel campsite "
    "observation tower cycle path climbing wall marina",
    "de": "Schacht Fördergerüst Schlacke Absetzbecken Steinbruch Abraum Gleisanschluss "
    "Pumpwerk Kohlenwäsche Kokerei Kraftwerk Sägewerk Ziegelei Tunnel Stollen "
    "Strecke Speicherbecken Feuchtgebiet Weinberg Obstgarten Wiese Museum Werkstatt "
    "Herberge Zeltplatz Aussichtsturm Radweg Kletterwand Hafen",
    "pl": "szyb wieża szlaka osadnik kamieniołom nadkład bocznica pompownia płuczka "
    "koksownia elektrownia tartak cegielnia tunel sztolnia chodnik zbiornik "
    "mokradło winnica sad łąka muzeum warsztat schronisko kemping wieża widokowa "
    "ścieżka rowerowa ścianka przystań",
    "cs": "šachta těžní věž struska odkaliště lom skrývka vlečka čerpací stanice "
    "úpravna koksovna elektrárna pila cihelna tunel štola chodba nádrž mokřad "
    "vinice sad louka muzeum dílna ubytovna kemp rozhledna cyklostezka "
    "lezecká stěna přístav",
    "hu": "akna aknatorony salak zagytározó kőfejtő meddő iparvágány szivattyútelep "
    "szénmosó kokszoló erőmű fűrésztelep téglagyár alagút táró vágat víztározó "
    "vizes élőhely szőlő gyümölcsös rét múzeum műhely szálló kemping kilátó "
    "kerékpárút mászófal kikötő",
    "sl": "jašek izvozni stolp žlindra jalovišče kamnolom odkrivka industrijski tir "
    "črpališče separacija koksarna elektrarna žaga opekarna predor rov hodnik "
    "zadrževalnik mokrišče vinograd sadovnjak travnik muzej delavnica hostel "
    "kamp razgledni stolp kolesarska pot plezalna stena pristan",
    "fi": "kuilu nostotorni kuona rikastushiekka louhos pintamaa pistoraide "
    "pumppaamo rikastamo koksaamo voimalaitos saha tiilitehdas tunneli "
    "ajotunneli perä tekojärvi kosteikko viinitarha hedelmätarha niitty museo "
    "työpaja retkeilymaja leirintäalue näkötorni pyörätie kiipeilyseinä satama",
}
FEATURE_SENTENCE = {
    "en": "The site also has a {a} and a {b}.",
    "de": "Zum Gelände gehören auch {a} und {b}.",
    "pl": "Na terenie znajduje się także {a} i {b}.",
    "cs": "K areálu patří také {a} a {b}.",
    "hu": "A területhez tartozik még {a} és {b}.",
    "sl": "Na območju sta tudi {a} in {b}.",
    "fi": "Alueella on myös {a} ja {b}.",
}
TITLE = {
    "en": "{category} on {legacy} in {place}",
    "de": "{category}: {legacy} in {place}",
    "pl": "{category}: {legacy}, {place}",
    "cs": "{category}: {legacy}, {place}",
    "hu": "{category}: {legacy}, {place}",
    "sl": "{category}: {legacy}, {place}",
    "fi": "{category}: {legacy}, {place}",
}
PRACTICE_TITLE = {
    "en": "{place}: {kind} for {category}",
    "de": "{place}: {kind} – {category}",
    "pl": "{place}: {kind} – {category}",
    "cs": "{place}: {kind} – {category}",
    "hu": "{place}: {kind} – {category}",
    "sl": "{place}: {kind} – {category}",
    "fi": "{place}: {kind} – {category}",
}
PRACTICE_KIND = {
    "en": "pilot project",
    "de": "Pilotprojekt",
    "pl": "projekt pilotażowy",
    "cs": "pilotní projekt",
    "hu": "kísérleti projekt",
    "sl": "pilotni projekt",
    "fi": "pilottihanke",
}

# --- The query mix ---------------------------------------------------------------

QUERIES = [
    ("en", "geothermal energy"),
    ("en", "mine water heat pumps"),
    ("en", "biomass"),
    ("en", "wind energy dumps"),
    ("en", "conveyor bridge"),
    ("en", "lakes forests"),
    ("en", "headframe museum"),
    ("en", "tailings"),
    ("en", "feasibility study"),
    ("en", "tourist routes"),
    ("en", "mining heritage"),
    ("en", "geotermal"),
    ("en", "biomas"),
    ("en", "Salgotarjan"),
    ("en", "zwickau"),
    ("en", "solar"),
    ("en", "brownfield land"),
    ("de", "Grubenwasser"),
    ("de", "Windenergie Halden"),
    ("de", "Tagebau Seen"),
    ("de", "Bergbauerbe"),
    ("de", "Machbarkeitsstudie"),
    ("de", "Kokerei"),
    ("pl", "energia geotermalna"),
    ("pl", "hałdy"),
    ("pl", "dziedzictwo górnicze"),
    ("pl", "turystyka"),
    ("pl", "sztolnia"),
    ("cs", "větrná energie"),
    ("cs", "důlní vody"),
    ("cs", "hornické dědictví"),
    ("hu", "bányavíz"),
    ("hu", "napenergia"),
    ("hu", "meddőhányók"),
    ("sl", "rudarska dediščina"),
    ("sl", "sončna energija"),
    ("fi", "kaivosvesi"),
    ("fi", "tuulivoima"),
    ("fi", "matkailureitit"),
]
PREFIXES = [
    ("en", "ge"),
    ("en", "geo"),
    ("en", "geoth"),
    ("en", "biom"),
    ("en", "wind en"),
    ("en", "lusat"),
    ("en", "salgo"),
    ("en", "conveyor b"),
    ("de", "grub"),
    ("de", "bergbaue"),
    ("pl", "hałd"),
    ("pl", "dziedz"),
    ("cs", "hornick"),
    ("hu", "bánya"),
    ("sl", "rudar"),
    ("fi", "kaivos"),
    ("fi", "tuul"),
    ("en", "mi"),
]


def _bench_url() -> str:
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres") or "bench" not in parts.path:
        sys.exit(
            "bench/search.py writes to its database: DATABASE_URL must be a "
            f"PostgreSQL database whose name contains 'bench' (got {url!r})."
        )
    return url


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _ensure_database(url: str, *, fresh: bool = False) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and fresh:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')


def _quiet_migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --- Step 1: the judged queries --------------------------------------------------


def judged_mean_reciprocal_rank(url: str) -> None:
    """MRR of the judged queries over the seed content alone, in its own database."""
    import subprocess

    judged_url = _with_database(url, urlsplit(url).path.lstrip("/") + "_judged")
    _ensure_database(judged_url, fresh=True)
    # A child process: Django's settings are read once per process.
    subprocess.run(
        [sys.executable, __file__, "--judged-only"],
        env={**os.environ, "DATABASE_URL": judged_url},
        check=True,
    )


def _judged_only() -> None:
    import django

    django.setup()
    _quiet_migrate()
    print(judged_summary())


def judged_summary() -> str:
    """Loads the seed content into the current database and scores the judged
    queries over it."""
    from portal.seed import seed_content_load
    from search.vocabulary import search_index_rebuild
    from tests.search.judged_queries import (
        JUDGED_QUERIES,
        TOP,
        ranked,
        reciprocal_rank,
    )

    seed_content_load()
    search_index_rebuild(vectors=False)
    scores = []
    misses = []
    for judged in JUDGED_QUERIES:
        hits = ranked(judged, limit=10)
        scores.append(reciprocal_rank(judged, hits))
        if not set(judged.expected) <= set(hits[:TOP]):
            misses.append(str(judged))
    return (
        f"Judged queries: {len(JUDGED_QUERIES)} in "
        f"{len({j.language for j in JUDGED_QUERIES})} languages, over the seed "
        f"content; mean reciprocal rank {sum(scores) / len(scores):.3f}; "
        f"all expected records in the top {TOP}: "
        f"{len(JUDGED_QUERIES) - len(misses)}/{len(JUDGED_QUERIES)}"
        + (f" (missed: {', '.join(misses)})" if misses else "")
    )


# --- Step 2: the data set --------------------------------------------------------


def _place_name(rng: random.Random, language: str) -> str:
    syllables = SYLLABLES[language]
    name = "".join(rng.choice(syllables) for _ in range(rng.choice([2, 2, 3])))
    return name.capitalize()


def _paragraph(rng: random.Random, language: str, count: int, **slots) -> str:
    sentences = rng.sample(SENTENCES[language], count)
    return " ".join(sentence.format(**slots) for sentence in sentences)


def _features(rng: random.Random, language: str) -> str:
    first, second = rng.sample(FEATURES[language].split(), 2)
    return FEATURE_SENTENCE[language].format(a=first, b=second)


def generate(potentials: int, practices: int, regions: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from core.models import Link
    from editorial.models import Status
    from goodpractices.models import GoodPractice
    from portal.seed import seed_content_load
    from potentials.models import Category, Potential, Theme
    from regions.models import LegacyType, Partner, Region
    from search.models import SearchWord

    rng = random.Random(42)
    started = time.perf_counter()
    # Everything generated before, and what refers to it; the links too, which
    # refer to their records by key alone, and the seed loads again below.
    tables = [GoodPractice, Potential, Partner, Region, Link, SearchWord]
    with connection.cursor() as cursor:
        # Checks deferred to the end of a transaction the caller opened (a test)
        # would make TRUNCATE refuse.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "TRUNCATE "
            + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables)
            + " CASCADE"
        )
    seed_content_load()
    categories = list(Category.objects.all())
    legacy_types = list(LegacyType.objects.all())
    themes = list(Theme.objects.all())
    now = timezone.now()

    def name_of(record, language: str) -> str:
        return getattr(record, f"name_{language}") or record.name_en

    with transaction.atomic():
        region_objects = []
        for number in range(regions):
            country = rng.choice(list(COUNTRIES))
            language = COUNTRIES[country]
            place = f"{_place_name(rng, language)}"
            region_objects.append(
                Region(
                    name=place,
                    name_en=place,
                    slug=f"bench-region-{number}",
                    country=country,
                    kind=rng.choice(Region.Kind.values),
                    summary_en=f"Mining region around {place}.",
                )
            )
        region_objects = Region.objects.bulk_create(region_objects, batch_size=1000)
        partners = Partner.objects.bulk_create(
            [
                Partner(
                    name=f"Development agency {region.name}",
                    name_en=f"Development agency {region.name}",
                    slug=f"bench-partner-{region.pk}",
                    kind=Partner.Kind.DEVELOPMENT_AGENCY,
                    country=region.country,
                    region=region,
                )
                for region in region_objects
            ],
            batch_size=1000,
        )
        print(f"  {regions} regions and partners", flush=True)

        through = Potential.legacy_types.through
        batch: list = []
        links: list = []
        for number in range(potentials):
            region_index = rng.randrange(regions)
            region, owner = region_objects[region_index], partners[region_index]
            category = rng.choice(categories)
            legacy = rng.choice(legacy_types)
            language = COUNTRIES[region.country.code]
            values = {}
            for code in dict.fromkeys(["en", language]):
                slots = {
                    "category": name_of(category, code).lower(),
                    "legacy": name_of(legacy, code).lower(),
                    "place": region.name,
                }
                title = TITLE[code].format(**slots)
                values[f"title_{code}"] = title[0].upper() + title[1:]
                values[f"summary_{code}"] = _paragraph(rng, code, 2, **slots)
                values[f"description_{code}"] = " ".join(
                    [_paragraph(rng, code, 3, **slots), _features(rng, code)]
                )
                values[f"utilisation_options_{code}"] = _paragraph(
                    rng, code, 1, **slots
                )
            batch.append(
                Potential(
                    slug=f"bench-potential-{number}",
                    title=values["title_en"],
                    summary=values["summary_en"],
                    region=region,
                    category=category,
                    owner=owner,
                    stage=rng.choice(Potential.Stage.values),
                    status=Status.PUBLISHED if rng.random() < 0.9 else Status.DRAFT,
                    published_at=now,
                    **values,
                )
            )
            links.append(legacy)
            if len(batch) == 2000 or number == potentials - 1:
                created = Potential.objects.bulk_create(batch)
                through.objects.bulk_create(
                    through(potential_id=potential.pk, legacytype_id=legacy.pk)
                    for potential, legacy in zip(created, links, strict=True)
                )
                batch, links = [], []
                if (number + 1) % 20000 == 0:
                    print(f"  {number + 1} potentials", flush=True)
        batch = []
        for number in range(practices):
            region_index = rng.randrange(regions)
            region, institution = region_objects[region_index], partners[region_index]
            category = rng.choice(categories)
            legacy = rng.choice(legacy_types)
            language = COUNTRIES[region.country.code]
            values = {}
            for code in dict.fromkeys(["en", language]):
                slots = {
                    "category": name_of(category, code).lower(),
                    "legacy": name_of(legacy, code).lower(),
                    "place": region.name,
                    "kind": PRACTICE_KIND[code],
                }
                values[f"title_{code}"] = PRACTICE_TITLE[code].format(**slots)
                values[f"summary_{code}"] = _paragraph(rng, code, 2, **slots)
                values[f"description_{code}"] = " ".join(
                    [_paragraph(rng, code, 4, **slots), _features(rng, code)]
                )
                values[f"evidence_of_success_{code}"] = _paragraph(
                    rng, code, 2, **slots
                )
            batch.append(
                GoodPractice(
                    slug=f"bench-practice-{number}",
                    title=values["title_en"],
                    summary=values["summary_en"],
                    kind=rng.choice(GoodPractice.Kind.values),
                    main_institution=institution,
                    owner=institution,
                    region=region,
                    status=Status.PUBLISHED,
                    published_at=now,
                    original_language=language,
                    **values,
                )
            )
            if len(batch) == 2000 or number == practices - 1:
                created = GoodPractice.objects.bulk_create(batch)
                GoodPractice.themes.through.objects.bulk_create(
                    GoodPractice.themes.through(
                        goodpractice_id=practice.pk, theme_id=rng.choice(themes).pk
                    )
                    for practice in created
                )
                batch = []
        print(f"  {practices} good practices", flush=True)
    print(f"Generated in {time.perf_counter() - started:.0f} s", flush=True)


def prepare(potentials: int, practices: int, regions: int, regenerate: bool) -> None:
    from django.db import connection

    from potentials.models import Potential
    from search.vocabulary import search_index_rebuild

    have = Potential.objects.filter(slug__startswith="bench-").count()
    if regenerate or have != potentials:
        print(f"Generating the data set ({potentials} potentials)…", flush=True)
        generate(potentials, practices, regions)
        started = time.perf_counter()
        # bulk_create bypasses save(): the vectors are generated columns and
        # current already; the typo vocabulary is not.
        search_index_rebuild(vectors=False)
        print(f"Vocabulary built in {time.perf_counter() - started:.0f} s", flush=True)
        connection.cursor().execute("VACUUM ANALYZE")


# --- Step 3: timings -------------------------------------------------------------


def _time(operation: Callable[[], object], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        operation()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _report(label: str, timings: list[float]) -> tuple[float, float]:
    p50, p95 = _percentiles(timings)
    print(f"  {label:<44} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   ({len(timings)})")
    return p50, p95


def ranked_search_with_facets(language: str, query: str):
    """A results page: `search_page()`, one pass over the matches."""
    from django.utils import translation

    from potentials.models import Potential
    from search.facets import search_page

    with translation.override(language):
        return search_page(
            Potential.objects.published().select_related("region", "category"),
            query,
            facets=FACETS,
            limit=PAGE,
        )


def ranked_search_step_by_step(language: str, query: str) -> tuple:
    """The same through the contract's three calls: page, count, facets."""
    from django.utils import translation

    from potentials.models import Potential
    from search.facets import facet_counts

    with translation.override(language):
        results = (
            Potential.objects.published()
            .search(query)
            .select_related("region", "category")
        )
        return list(results[:PAGE]), results.count(), facet_counts(results, FACETS)


def naive_scan_with_facets(language: str, query: str) -> tuple:
    from django.db.models import Q
    from django.utils import translation

    from potentials.models import Potential
    from search.facets import facet_counts
    from search.query import search_terms

    condition = Q()
    for term in search_terms(query):
        condition &= Q(
            *(
                Q(**{f"{field}_{code}__icontains": term})
                for field in ("title", "summary", "description", "utilisation_options")
                for code in dict.fromkeys([language, "en"])
            ),
            _connector=Q.OR,
        )
    with translation.override(language):
        results = (
            Potential.objects.published()
            .filter(condition)
            .select_related("region", "category")
        )
        return list(results[:PAGE]), results.count(), facet_counts(results, FACETS)


def site_search_page(language: str, query: str):
    from django.utils import translation

    from search.site import site_search

    with translation.override(language):
        return site_search(query, limit=PAGE)


def suggestions(language: str, prefix: str) -> list:
    from django.utils import translation

    from search.suggestions import suggest

    with translation.override(language):
        return suggest(prefix)


def measure(runs: int, naive_runs: int) -> None:
    from django.db import connection

    from goodpractices.models import GoodPractice
    from potentials.models import Potential
    from regions.models import Region

    print(
        f"Data: {Potential.objects.count()} potentials "
        f"({Potential.objects.published().count()} published), "
        f"{GoodPractice.objects.count()} good practices, "
        f"{Region.objects.count()} regions; PostgreSQL "
        f"{connection.cursor().connection.info.server_version}",
        flush=True,
    )
    for language, query in QUERIES:  # warm the caches, untimed
        ranked_search_with_facets(language, query)
    for language, prefix in PREFIXES:
        suggestions(language, prefix)
    # As the serving process does (resource_portal/wsgi.py): what is loaded by now
    # is left out of the cycle collector's full collections, which otherwise
    # stopped one search in a few hundred for some 50 ms.
    gc.freeze()

    ranked: list[float] = []
    slowest: list[tuple[float, str]] = []
    for language, query in QUERIES:
        timings = _time(partial(ranked_search_with_facets, language, query), runs)
        ranked += timings
        slowest.append((max(timings), f"[{language}] {query}"))
    print("Latency, warm:")
    _, ranked_p95 = _report("ranked search + count + 3 facets, one pass", ranked)
    steps: list[float] = []
    for language, query in QUERIES:
        steps += _time(partial(ranked_search_step_by_step, language, query), runs)
    _report("the same as .search(), .count(), facet_counts()", steps)
    site: list[float] = []
    for language, query in QUERIES:
        site += _time(partial(site_search_page, language, query), max(1, runs // 2))
    _report("site search, 6 kinds + counts per kind", site)
    suggest_timings: list[float] = []
    for language, prefix in PREFIXES:
        suggest_timings += _time(partial(suggestions, language, prefix), runs)
    _report("suggestions (5 kinds)", suggest_timings)
    naive: list[float] = []
    for language, query in QUERIES:
        naive += _time(partial(naive_scan_with_facets, language, query), naive_runs)
    if naive:
        _, naive_p95 = _report("naive icontains + count + 3 facet counts", naive)
        naive_p50 = _percentiles(naive)[0]
        ranked_p50 = _percentiles(ranked)[0]
        print(
            f"Naive scan / ranked search: {naive_p50 / ranked_p50:.1f}x at p50, "
            f"{naive_p95 / ranked_p95:.1f}x at p95"
        )
    else:
        print("(naive scan skipped: --naive-runs 0)")
    print("Slowest ranked searches (worst run):")
    for milliseconds, label in sorted(slowest, reverse=True)[:5]:
        print(f"  {milliseconds:8.1f} ms  {label}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--potentials", type=int, default=100_000)
    parser.add_argument("--practices", type=int, default=20_000)
    parser.add_argument("--regions", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query")
    parser.add_argument("--naive-runs", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--skip-judged", action="store_true")
    parser.add_argument("--judged-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    url = _bench_url()
    if options.judged_only:
        _judged_only()
        return
    if not options.skip_judged:
        judged_mean_reciprocal_rank(url)
    _ensure_database(url)
    import django

    django.setup()
    _quiet_migrate()
    prepare(options.potentials, options.practices, options.regions, options.regenerate)
    measure(options.runs, options.naive_runs)


if __name__ == "__main__":
    main()
