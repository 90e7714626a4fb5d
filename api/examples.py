# ruff: noqa: E501  (addresses in the examples are longer than a line)
"""Examples for the OpenAPI description: real records of the seed content."""

# Generated from the seed content, long texts and lists shortened.
EXAMPLES: dict = {
    "regions": {
        "list": {
            "slug": "lower-lusatia",
            "url": "https://portal.example.org/api/v1/regions/lower-lusatia/",
            "name": "Lower Lusatia",
            "country": "DE",
            "nuts_code": "",
            "kind": "landscape",
            "kind_label": "Mining landscape",
            "mining_status": "declining",
            "mining_status_label": "Declining",
            "mining_ended_year": None,
            "commodities": [{"slug": "lignite", "name": "Lignite and brown coal"}],
            "population": None,
            "area_km2": None,
            "latitude": "51.550000",
            "longitude": "14.000000",
            "summary": "Lignite mining landscape in southern "
            "Brandenburg, where the International Building "
            "Exhibition (IBA) Fürst-Pückler-Land worked from "
            "2000 to 2010 on new uses…",
            "potentials_url": "https://portal.example.org/api/v1/potentials/?region=lower-lusatia",
            "good_practices_url": "https://portal.example.org/api/v1/good-practices/?region=lower-lusatia",
            "translations": ["en", "de"],
            "search_rank": None,
            "search_headline": None,
        },
        "detail": {
            "slug": "lower-lusatia",
            "url": "https://portal.example.org/api/v1/regions/lower-lusatia/",
            "name": "Lower Lusatia",
            "country": "DE",
            "nuts_code": "",
            "kind": "landscape",
            "kind_label": "Mining landscape",
            "mining_status": "declining",
            "mining_status_label": "Declining",
            "mining_ended_year": None,
            "commodities": [{"slug": "lignite", "name": "Lignite and brown coal"}],
            "population": None,
            "area_km2": None,
            "latitude": "51.550000",
            "longitude": "14.000000",
            "summary": "Lignite mining landscape in southern "
            "Brandenburg, where the International Building "
            "Exhibition (IBA) Fürst-Pückler-Land worked "
            "from 2000 to 2010 on new uses…",
            "potentials_url": "https://portal.example.org/api/v1/potentials/?region=lower-lusatia",
            "good_practices_url": "https://portal.example.org/api/v1/good-practices/?region=lower-lusatia",
            "translations": ["en", "de"],
            "search_rank": None,
            "search_headline": None,
            "description": "",
            "website": None,
            "partners": [
                {
                    "slug": "iba-fuerst-pueckler-land",
                    "url": "https://portal.example.org/api/v1/partners/iba-fuerst-pueckler-land/",
                    "name": "IBA Fürst-Pückler-Land",
                    "acronym": "IBA",
                    "country": "DE",
                }
            ],
            "links": [
                {
                    "kind": "source",
                    "kind_label": "Source",
                    "title": "IBA Fürst-Pückler-Land 2000–2010 (Wikipedia)",
                    "url": "https://de.wikipedia.org/wiki/Internationale_Bauausstellung_F%C3%BCrst-P%C3%BCckler-Land",
                }
            ],
        },
    },
    "partners": {
        "list": {
            "slug": "district-of-zwickau",
            "url": "https://portal.example.org/api/v1/partners/district-of-zwickau/",
            "name": "District of Zwickau, Economic Region of Chemnitz-Zwickau",
            "acronym": "",
            "kind": "regional_authority",
            "kind_label": "Regional authority",
            "country": "DE",
            "region": {
                "slug": "district-of-zwickau",
                "url": "https://portal.example.org/api/v1/regions/district-of-zwickau/",
                "name": "District of Zwickau",
                "country": "DE",
            },
            "website": "https://www.landkreis-zwickau.de/",
            "translations": ["en", "de"],
            "search_rank": None,
            "search_headline": None,
        },
        "detail": {
            "slug": "district-of-zwickau",
            "url": "https://portal.example.org/api/v1/partners/district-of-zwickau/",
            "name": "District of Zwickau, Economic Region of Chemnitz-Zwickau",
            "acronym": "",
            "kind": "regional_authority",
            "kind_label": "Regional authority",
            "country": "DE",
            "region": {
                "slug": "district-of-zwickau",
                "url": "https://portal.example.org/api/v1/regions/district-of-zwickau/",
                "name": "District of Zwickau",
                "country": "DE",
            },
            "website": "https://www.landkreis-zwickau.de/",
            "translations": ["en", "de"],
            "search_rank": None,
            "search_headline": None,
            "address": "Dezernat V, project ReSource\n"
            "Pf. 100176\n"
            "08067 Zwickau\n"
            "Germany",
            "email": "carsten.debes@landkreis-zwickau.de",
            "phone": "+49 (0) 375-272 15 92",
            "logo": None,
            "memberships": [
                {
                    "project": {
                        "slug": "resource",
                        "url": "https://portal.example.org/api/v1/projects/resource/",
                        "acronym": "ReSource",
                        "title": "Utilisation of "
                        "Post-mining "
                        "Potentials for "
                        "Sustainable "
                        "Re-development in "
                        "Central European "
                        "Mining Regions",
                    },
                    "role": "lead",
                    "role_label": "Lead partner",
                }
            ],
            "links": [],
        },
    },
    "projects": {
        "list": {
            "slug": "resource",
            "url": "https://portal.example.org/api/v1/projects/resource/",
            "acronym": "ReSource",
            "title": "Utilisation of Post-mining Potentials for "
            "Sustainable Re-development in Central European "
            "Mining Regions",
            "kind": "project",
            "kind_label": "Project",
            "programme": "central_europe",
            "programme_label": "Interreg IVB Central Europe",
            "fund": "erdf",
            "fund_label": "European Regional Development Fund (ERDF)",
            "start_date": "2009-01-01",
            "end_date": "2012-03-31",
            "website": "http://www.resource-ce.eu",
            "summary": "New growth from old mines: ReSource helps "
            "former mining regions in Central Europe to use "
            "the physical and mental legacy of mining as a "
            "resource for…",
            "partner_count": 10,
            "region_count": 7,
            "country_count": 5,
            "translations": ["en", "de"],
            "search_rank": None,
            "search_headline": None,
        },
        "detail": {
            "slug": "resource",
            "url": "https://portal.example.org/api/v1/projects/resource/",
            "acronym": "ReSource",
            "title": "Utilisation of Post-mining Potentials for "
            "Sustainable Re-development in Central European "
            "Mining Regions",
            "kind": "project",
            "kind_label": "Project",
            "programme": "central_europe",
            "programme_label": "Interreg IVB Central Europe",
            "fund": "erdf",
            "fund_label": "European Regional Development Fund (ERDF)",
            "start_date": "2009-01-01",
            "end_date": "2012-03-31",
            "website": "http://www.resource-ce.eu",
            "summary": "New growth from old mines: ReSource helps "
            "former mining regions in Central Europe to "
            "use the physical and mental legacy of mining "
            "as a resource for…",
            "partner_count": 10,
            "region_count": 7,
            "country_count": 5,
            "translations": ["en", "de"],
            "search_rank": None,
            "search_headline": None,
            "grant_agreement": "",
            "topic": "",
            "description": "The end of mining does not just leave "
            "brownfields and polluted land behind "
            "which must be cleaned up and regenerated. "
            "Affected cities and regions face major…",
            "headline_counts": {
                "partners": 10,
                "regions": 7,
                "countries": 5,
                "by_role": {"lead": 1, "partner": 6, "scientific": 3, "advisory": 0},
            },
            "memberships": [
                {
                    "role": "lead",
                    "role_label": "Lead partner",
                    "partner": {
                        "slug": "district-of-zwickau",
                        "url": "https://portal.example.org/api/v1/partners/district-of-zwickau/",
                        "name": "District of "
                        "Zwickau, Economic "
                        "Region of "
                        "Chemnitz-Zwickau",
                        "acronym": "",
                        "country": "DE",
                    },
                },
                {
                    "role": "partner",
                    "role_label": "Partner",
                    "partner": {
                        "slug": "educational-institution-employers-saxony-anhalt",
                        "url": "https://portal.example.org/api/v1/partners/educational-institution-employers-saxony-anhalt/",
                        "name": "Educational "
                        "Institution of "
                        "Employers "
                        "Association "
                        "Saxony-Anhalt",
                        "acronym": "",
                        "country": "DE",
                    },
                },
            ],
            "objectives": [
                "Identify the potentials that mining "
                "leaves behind — natural and cultural — "
                "and the uses they can be put to.",
                "Prove the economic feasibility of using "
                "them through pre-investment studies and "
                "pilot projects.",
            ],
            "stated_figures": [
                {
                    "kind": "countries",
                    "kind_label": "Countries",
                    "value": 5,
                    "source": "ReSource flyer (seed 000): "
                    "mining regions and "
                    "research partners from "
                    "five Central European "
                    "countries",
                },
                {
                    "kind": "regions",
                    "kind_label": "Regions",
                    "value": 7,
                    "source": "IOER paper (seed 003): 7 "
                    "Central European mining "
                    "regions",
                },
            ],
            "publications": [
                {
                    "slug": "resource-handbook",
                    "url": "https://portal.example.org/api/v1/publications/resource-handbook/",
                    "title": "Handbook of innovative "
                    "methods for post-mining "
                    "regional development",
                    "kind": "handbook",
                    "year": None,
                },
                {
                    "slug": "resource-internet-database",
                    "url": "https://portal.example.org/api/v1/publications/resource-internet-database/",
                    "title": "Internet database on "
                    "utilisation options for "
                    "post-mining potentials",
                    "kind": "database",
                    "year": None,
                },
            ],
            "links": [
                {
                    "kind": "website",
                    "kind_label": "Website",
                    "title": "ReSource project website",
                    "url": "http://www.resource-ce.eu",
                }
            ],
        },
    },
    "publications": {
        "list": {
            "slug": "mireu-slo-guidelines",
            "url": "https://portal.example.org/api/v1/publications/mireu-slo-guidelines/",
            "title": "EU level Social License to Operate (SLO) Guidelines",
            "kind": "guideline",
            "kind_label": "Guideline",
            "language": "en",
            "year": None,
            "project": {
                "slug": "mireu",
                "url": "https://portal.example.org/api/v1/projects/mireu/",
                "acronym": "MIREU",
                "title": "Mining and Metallurgy Regions of EU",
            },
            "summary": "Planned in MIREU's objectives: guidelines, "
            "at EU level, for earning and keeping the "
            "social licence to operate of extractive "
            "projects.",
            "file": None,
            "external_url": None,
            "translations": ["en"],
            "search_rank": None,
            "search_headline": None,
        },
        "detail": {
            "slug": "mireu-slo-guidelines",
            "url": "https://portal.example.org/api/v1/publications/mireu-slo-guidelines/",
            "title": "EU level Social License to Operate (SLO) Guidelines",
            "kind": "guideline",
            "kind_label": "Guideline",
            "language": "en",
            "year": None,
            "project": {
                "slug": "mireu",
                "url": "https://portal.example.org/api/v1/projects/mireu/",
                "acronym": "MIREU",
                "title": "Mining and Metallurgy Regions of EU",
            },
            "summary": "Planned in MIREU's objectives: "
            "guidelines, at EU level, for earning and "
            "keeping the social licence to operate of "
            "extractive projects.",
            "file": None,
            "external_url": None,
            "translations": ["en"],
            "search_rank": None,
            "search_headline": None,
            "links": [],
        },
    },
    "themes": {
        "list": {
            "slug": "natural-potentials",
            "url": "https://portal.example.org/api/v1/themes/natural-potentials/",
            "name": "Natural potentials",
            "description": "What the land, the water and the ground left "
            "by mining can still give: dumps used for "
            "biomass production and wind parks, mine water "
            "as a source of…",
            "order": 1,
            "categories": [
                {
                    "slug": "biomass",
                    "url": "https://portal.example.org/api/v1/categories/biomass/",
                    "name": "Biomass",
                },
                {
                    "slug": "geothermal-energy",
                    "url": "https://portal.example.org/api/v1/categories/geothermal-energy/",
                    "name": "Geothermal energy",
                },
            ],
            "potentials_url": "https://portal.example.org/api/v1/potentials/?theme=natural-potentials",
            "translations": ["en", "de"],
        },
        "detail": {
            "slug": "natural-potentials",
            "url": "https://portal.example.org/api/v1/themes/natural-potentials/",
            "name": "Natural potentials",
            "description": "What the land, the water and the ground "
            "left by mining can still give: dumps used "
            "for biomass production and wind parks, mine "
            "water as a source of…",
            "order": 1,
            "categories": [
                {
                    "slug": "biomass",
                    "url": "https://portal.example.org/api/v1/categories/biomass/",
                    "name": "Biomass",
                },
                {
                    "slug": "geothermal-energy",
                    "url": "https://portal.example.org/api/v1/categories/geothermal-energy/",
                    "name": "Geothermal energy",
                },
            ],
            "potentials_url": "https://portal.example.org/api/v1/potentials/?theme=natural-potentials",
            "translations": ["en", "de"],
        },
    },
    "categories": {
        "list": {
            "slug": "biomass",
            "url": "https://portal.example.org/api/v1/categories/biomass/",
            "name": "Biomass",
            "description": "Energy crops and short-rotation woods "
            "grown on dumps and reclaimed mining land.",
            "order": 0,
            "theme": {
                "slug": "natural-potentials",
                "url": "https://portal.example.org/api/v1/themes/natural-potentials/",
                "name": "Natural potentials",
            },
            "potentials_url": "https://portal.example.org/api/v1/potentials/?category=biomass",
            "translations": ["en", "de"],
        },
        "detail": {
            "slug": "biomass",
            "url": "https://portal.example.org/api/v1/categories/biomass/",
            "name": "Biomass",
            "description": "Energy crops and short-rotation woods "
            "grown on dumps and reclaimed mining "
            "land.",
            "order": 0,
            "theme": {
                "slug": "natural-potentials",
                "url": "https://portal.example.org/api/v1/themes/natural-potentials/",
                "name": "Natural potentials",
            },
            "potentials_url": "https://portal.example.org/api/v1/potentials/?category=biomass",
            "translations": ["en", "de"],
        },
    },
    "legacy types": {
        "list": {
            "slug": "mine-water",
            "url": "https://portal.example.org/api/v1/legacy-types/mine-water/",
            "name": "Mine water",
            "description": "Water that fills abandoned mine "
            "workings, often at a steady, usable "
            "temperature.",
            "order": 1,
            "potentials_url": "https://portal.example.org/api/v1/potentials/?legacy_type=mine-water",
            "translations": ["en", "de"],
        },
        "detail": {
            "slug": "mine-water",
            "url": "https://portal.example.org/api/v1/legacy-types/mine-water/",
            "name": "Mine water",
            "description": "Water that fills abandoned mine "
            "workings, often at a steady, usable "
            "temperature.",
            "order": 1,
            "potentials_url": "https://portal.example.org/api/v1/potentials/?legacy_type=mine-water",
            "translations": ["en", "de"],
        },
    },
    "potentials": {
        "list": {
            "slug": "lusatian-lake-district",
            "url": "https://portal.example.org/api/v1/potentials/lusatian-lake-district/",
            "title": "Lusatian Lake District",
            "summary": "A chain of lakes in flooded lignite open pits "
            "between Brandenburg and Saxony, several of "
            "them linked by navigable canals, turning a "
            "mining landscape into…",
            "stage": "implemented",
            "stage_label": "Implemented",
            "region": {
                "slug": "lower-lusatia",
                "url": "https://portal.example.org/api/v1/regions/lower-lusatia/",
                "name": "Lower Lusatia",
                "country": "DE",
            },
            "theme": {
                "slug": "natural-potentials",
                "url": "https://portal.example.org/api/v1/themes/natural-potentials/",
                "name": "Natural potentials",
            },
            "category": {
                "slug": "water-and-lakes",
                "url": "https://portal.example.org/api/v1/categories/water-and-lakes/",
                "name": "Water and lakes",
            },
            "legacy_types": [
                {
                    "slug": "open-pits-and-lakes",
                    "url": "https://portal.example.org/api/v1/legacy-types/open-pits-and-lakes/",
                    "name": "Open-pit voids and lakes",
                }
            ],
            "latitude": "51.500000",
            "longitude": "14.100000",
            "area_ha": None,
            "capacity_mw": None,
            "visitors_per_year": None,
            "status": "published",
            "status_label": "Published",
            "published_at": "2026-11-22T11:01:06.286416+01:00",
            "updated_at": "2026-11-22T11:01:06.289182+01:00",
            "translations": ["en", "de"],
            "search_rank": None,
            "search_headline": None,
        },
        "detail": {
            "slug": "lusatian-lake-district",
            "url": "https://portal.example.org/api/v1/potentials/lusatian-lake-district/",
            "title": "Lusatian Lake District",
            "summary": "A chain of lakes in flooded lignite open "
            "pits between Brandenburg and Saxony, "
            "several of them linked by navigable canals, "
            "turning a mining landscape into…",
            "stage": "implemented",
            "stage_label": "Implemented",
            "region": {
                "slug": "lower-lusatia",
                "url": "https://portal.example.org/api/v1/regions/lower-lusatia/",
                "name": "Lower Lusatia",
                "country": "DE",
            },
            "theme": {
                "slug": "natural-potentials",
                "url": "https://portal.example.org/api/v1/themes/natural-potentials/",
                "name": "Natural potentials",
            },
            "category": {
                "slug": "water-and-lakes",
                "url": "https://portal.example.org/api/v1/categories/water-and-lakes/",
                "name": "Water and lakes",
            },
            "legacy_types": [
                {
                    "slug": "open-pits-and-lakes",
                    "url": "https://portal.example.org/api/v1/legacy-types/open-pits-and-lakes/",
                    "name": "Open-pit voids and lakes",
                }
            ],
            "latitude": "51.500000",
            "longitude": "14.100000",
            "area_ha": None,
            "capacity_mw": None,
            "visitors_per_year": None,
            "status": "published",
            "status_label": "Published",
            "published_at": "2026-11-22T11:01:06.286416+01:00",
            "updated_at": "2026-11-22T11:01:06.289182+01:00",
            "translations": ["en", "de"],
            "search_rank": None,
            "search_headline": None,
            "description": "",
            "utilisation_options": "Water sports, boating between "
            "lakes, beaches, holiday "
            "housing, floating homes.",
            "owner": {
                "slug": "iba-fuerst-pueckler-land",
                "url": "https://portal.example.org/api/v1/partners/iba-fuerst-pueckler-land/",
                "name": "IBA Fürst-Pückler-Land",
                "acronym": "IBA",
                "country": "DE",
            },
            "actors": [
                {
                    "role": "planner",
                    "role_label": "Planner",
                    "partner": {
                        "slug": "iba-fuerst-pueckler-land",
                        "url": "https://portal.example.org/api/v1/partners/iba-fuerst-pueckler-land/",
                        "name": "IBA Fürst-Pückler-Land",
                        "acronym": "IBA",
                        "country": "DE",
                    },
                }
            ],
            "projects": [],
            "good_practices": [],
            "images": [],
            "links": [
                {
                    "kind": "source",
                    "kind_label": "Source",
                    "title": "Lausitzer Seenland (Wikipedia)",
                    "url": "https://de.wikipedia.org/wiki/Lausitzer_Seenland",
                }
            ],
        },
    },
    "good practices": {
        "list": {
            "slug": "systematic-thematic-development-of-mining-metallurgy-and-raw-materials",
            "url": "https://portal.example.org/api/v1/good-practices/systematic-thematic-development-of-mining-metallurgy-and-raw-materials/",
            "title": "Systematic thematic development of mining, "
            "metallurgy and raw materials in the region",
            "summary": "A cooperation model for regions to "
            "establish and maintain an effective "
            "interregional thematic network, in order "
            "to increase their influence on regional…",
            "kind": "cooperation_model",
            "kind_label": "Cooperation model",
            "practice_status": "",
            "practice_status_label": "",
            "region": {
                "slug": "lapland",
                "url": "https://portal.example.org/api/v1/regions/lapland/",
                "name": "Lapland",
                "country": "FI",
            },
            "main_institution": {
                "slug": "regional-council-of-lapland",
                "url": "https://portal.example.org/api/v1/partners/regional-council-of-lapland/",
                "name": "Regional Council of Lapland",
                "acronym": "",
                "country": "FI",
            },
            "themes": [
                {
                    "slug": "integrative-approaches",
                    "url": "https://portal.example.org/api/v1/themes/integrative-approaches/",
                    "name": "Integrative approaches",
                }
            ],
            "start_date": None,
            "end_date": None,
            "latitude": None,
            "longitude": None,
            "original_language": "en",
            "status": "published",
            "status_label": "Published",
            "published_at": "2026-11-22T11:01:06.355993+01:00",
            "updated_at": "2026-11-22T11:01:06.359351+01:00",
            "translations": ["en", "pl"],
            "search_rank": None,
            "search_headline": None,
        },
        "detail": {
            "slug": "systematic-thematic-development-of-mining-metallurgy-and-raw-materials",
            "url": "https://portal.example.org/api/v1/good-practices/systematic-thematic-development-of-mining-metallurgy-and-raw-materials/",
            "title": "Systematic thematic development of "
            "mining, metallurgy and raw materials in "
            "the region",
            "summary": "A cooperation model for regions to "
            "establish and maintain an effective "
            "interregional thematic network, in "
            "order to increase their influence on "
            "regional…",
            "kind": "cooperation_model",
            "kind_label": "Cooperation model",
            "practice_status": "",
            "practice_status_label": "",
            "region": {
                "slug": "lapland",
                "url": "https://portal.example.org/api/v1/regions/lapland/",
                "name": "Lapland",
                "country": "FI",
            },
            "main_institution": {
                "slug": "regional-council-of-lapland",
                "url": "https://portal.example.org/api/v1/partners/regional-council-of-lapland/",
                "name": "Regional Council of Lapland",
                "acronym": "",
                "country": "FI",
            },
            "themes": [
                {
                    "slug": "integrative-approaches",
                    "url": "https://portal.example.org/api/v1/themes/integrative-approaches/",
                    "name": "Integrative approaches",
                }
            ],
            "start_date": None,
            "end_date": None,
            "latitude": None,
            "longitude": None,
            "original_language": "en",
            "status": "published",
            "status_label": "Published",
            "published_at": "2026-11-22T11:01:06.355993+01:00",
            "updated_at": "2026-11-22T11:01:06.359351+01:00",
            "translations": ["en", "pl"],
            "search_rank": None,
            "search_headline": None,
            "description": "When a region and its stakeholders "
            "want to influence the key policies "
            "that affect the region and the "
            "development of its key industries, "
            "the region has to…",
            "resources_needed": "The resources the region "
            "allocates must match the "
            "planned activities. Local and "
            "regional funding is crucial at "
            "the beginning, while external "
            "sources of…",
            "evidence_of_success": "Neither the REMIX project "
            "nor its sister project "
            "MIREU (Horizon 2020) would "
            "exist without Lapland's key "
            "role and systematic "
            "planning in building a "
            "network…",
            "difficulties_encountered": "- No guarantee of "
            "short-term gains\n"
            "- Gaining and keeping "
            "the commitment to "
            "long-term cooperation\n"
            "- Communication: the "
            "process is not simple "
            "and demands the…",
            "potential_for_learning": "Learning from and "
            "transferring this good "
            "practice is possible for "
            "regions that would like "
            "a better foothold in a "
            "particular policy field. "
            "Taking the lead in…",
            "contact_name": "",
            "owner": {
                "slug": "regional-council-of-lapland",
                "url": "https://portal.example.org/api/v1/partners/regional-council-of-lapland/",
                "name": "Regional Council of Lapland",
                "acronym": "",
                "country": "FI",
            },
            "categories": [],
            "potentials": [],
            "projects": [
                {
                    "slug": "mireu",
                    "url": "https://portal.example.org/api/v1/projects/mireu/",
                    "acronym": "MIREU",
                    "title": "Mining and Metallurgy Regions of EU",
                },
                {
                    "slug": "remix",
                    "url": "https://portal.example.org/api/v1/projects/remix/",
                    "acronym": "REMIX",
                    "title": "Smart and Green Mining Regions of EU",
                },
            ],
            "links": [],
        },
    },
}


# Writes by partner staff: what a request sends and what it gets back.
WRITE_EXAMPLES: dict = {
    "potentials": {
        "request": {
            "slug": "pit-lake-heat-pumps-grabendorf",
            "title": {
                "en": "Heat pumps on the Gräbendorf pit lake",
                "de": "Wärmepumpen am Gräbendorfer See",
            },
            "summary": {
                "en": "The flooded open pit's water as a heat source for the "
                "neighbouring village.",
                "de": "Das Wasser des gefluteten Tagebaus als Wärmequelle für das "
                "Nachbardorf.",
            },
            "stage": "studied",
            "region": "lower-lusatia",
            "category": "geothermal-energy",
            "legacy_types": ["open-pits-and-lakes", "mine-water"],
            "projects": ["resource"],
            "latitude": "51.690000",
            "longitude": "14.130000",
            "capacity_mw": "1.200",
        },
        "patch": {"summary": {"pl": "Woda zalanej odkrywki jako źródło ciepła."}},
        "response": {
            "slug": "pit-lake-heat-pumps-grabendorf",
            "url": "https://portal.example.org/api/v1/potentials/pit-lake-heat-pumps-grabendorf/",
            "title": {
                "en": "Heat pumps on the Gräbendorf pit lake",
                "de": "Wärmepumpen am Gräbendorfer See",
            },
            "summary": {
                "en": "The flooded open pit's water as a heat source for the "
                "neighbouring village.",
                "de": "Das Wasser des gefluteten Tagebaus als Wärmequelle für das "
                "Nachbardorf.",
            },
            "description": {},
            "utilisation_options": {},
            "stage": "studied",
            "region": "lower-lusatia",
            "category": "geothermal-energy",
            "legacy_types": ["mine-water", "open-pits-and-lakes"],
            "projects": ["resource"],
            "latitude": "51.690000",
            "longitude": "14.130000",
            "area_ha": None,
            "capacity_mw": "1.200",
            "visitors_per_year": None,
            "owner": "iba-fuerst-pueckler-land",
            "status": "draft",
            "status_label": "Draft",
            "review_comment": "",
            "published_at": None,
            "created_at": "2026-11-23T09:12:44.120391+01:00",
            "updated_at": "2026-11-23T09:12:44.120391+01:00",
            "transitions": ["submit"],
        },
    },
    "good practices": {
        "request": {
            "title": {
                "en": "Mine water heat for a school",
                "pl": "Ciepło z wód kopalnianych dla szkoły",
            },
            "summary": {"en": "A pilot heat pump fed by a flooded shaft."},
            "kind": "pilot_project",
            "practice_status": "ongoing",
            "original_language": "pl",
            "main_institution": "regional-council-of-lapland",
            "region": "lapland",
            "start_date": "2025-03-01",
            "themes": ["natural-potentials"],
            "categories": ["geothermal-energy"],
            "potentials": ["geothermal-energy-from-mine-water"],
        },
        "patch": {"title": {"fi": "Kaivosveden lämpö koululle"}},
        "response": {
            "slug": "mine-water-heat-for-a-school",
            "url": "https://portal.example.org/api/v1/good-practices/mine-water-heat-for-a-school/",
            "title": {
                "en": "Mine water heat for a school",
                "pl": "Ciepło z wód kopalnianych dla szkoły",
            },
            "summary": {"en": "A pilot heat pump fed by a flooded shaft."},
            "description": {},
            "resources_needed": {},
            "evidence_of_success": {},
            "difficulties_encountered": {},
            "potential_for_learning": {},
            "kind": "pilot_project",
            "practice_status": "ongoing",
            "original_language": "pl",
            "main_institution": "regional-council-of-lapland",
            "region": "lapland",
            "start_date": "2025-03-01",
            "end_date": None,
            "latitude": None,
            "longitude": None,
            "themes": ["natural-potentials"],
            "categories": ["geothermal-energy"],
            "potentials": ["geothermal-energy-from-mine-water"],
            "projects": [],
            "contact_name": "",
            "contact_email": "",
            "owner": "regional-council-of-lapland",
            "status": "draft",
            "status_label": "Draft",
            "review_comment": "",
            "published_at": None,
            "created_at": "2026-11-23T09:12:44.120391+01:00",
            "updated_at": "2026-11-23T09:12:44.120391+01:00",
            "transitions": ["submit"],
        },
    },
}

WRITE_ERROR_EXAMPLES: dict = {
    "Invalid fields": {
        "title": {
            "en": [
                "The English text is required: every other language falls back to it."
            ],
            "xx": ["Unknown language “xx”; choose from: en, de, pl, cs, hu, sl, fi."],
        },
        "region": ["There is no region with the slug “nowhere”."],
        "legacy_types": ["This list may not be empty."],
    },
    "Status set directly": {
        "status": [
            "The status changes only by the record's actions: submit, publish, "
            "send-back and archive. A new record is a draft."
        ]
    },
    "Record-wide rule": {
        "non_field_errors": ["Give both latitude and longitude, or neither."]
    },
}
