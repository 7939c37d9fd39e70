"""Reads shared by the monitoring pages, the API and the CSV exports, each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Min, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from conet.monitoring.models import (
    Area,
    AreaLevel,
    CompositeIndex,
    IndexComponent,
    IndexResult,
    Indicator,
    Observation,
)
from conet.networks.models import City

# A level with more areas than this is not embedded in the map page: the map fetches the areas in
# view (at most MAP_FEATURE_LIMIT, simplified to the view's scale) and the table is paginated.
MAP_INLINE_LIMIT = 2000
MAP_FEATURE_LIMIT = 2000
TABLE_PAGE_SIZE = 100

# Five classes for an indicator map, by quintile; red is the more deprived end.
QUINTILE_COLOURS = ["#1a9850", "#a6d96a", "#fee08b", "#fc8d59", "#d73027"]


def cities_with_monitoring():
    """Cities that have monitoring areas, with their numbers of areas, indicators and indices."""
    areas = Area.objects.filter(city=OuterRef("pk")).order_by().values("city")
    return (
        City.objects.annotate(
            area_count=Subquery(areas.annotate(n=Count("pk")).values("n")[:1]),
            indicator_count=Count("indicators", distinct=True),
            index_count=Count("composite_indices", distinct=True),
        )
        .filter(area_count__gt=0)
        .order_by("name")
    )


def city_by_slug(slug: str) -> City:
    return get_object_or_404(City, slug=slug)


def levels_of(city: City) -> list[AreaLevel]:
    return list(
        AreaLevel.objects.filter(city=city)
        .annotate(
            area_count=Count("areas"),
            shape_count=Count("areas", filter=Q(areas__west__isnull=False)),
        )
        .order_by("position")
    )


def indicators_of(city: City):
    return Indicator.objects.filter(city=city).order_by("code")


def indices_of(city: City):
    return (
        CompositeIndex.objects.filter(city=city)
        .select_related("population_indicator", "row_index", "column_index")
        .prefetch_related(
            Prefetch("components", queryset=IndexComponent.objects.select_related("indicator"))
        )
        .order_by("code")
    )


def periods_of(city: City) -> list[str]:
    periods = set(
        Observation.objects.filter(indicator__city=city).values_list("period", flat=True).distinct()
    )
    return sorted(periods, reverse=True)


@dataclass
class Layer:
    """What the map colours: an indicator (by quintile) or an index (by its classes)."""

    kind: str  # "indicator" or "index"
    code: str
    name: str
    unit: str = ""
    legend: list[dict] = field(default_factory=list)  # {"class", "label", "colour", "count"}
    rows: list[dict] = field(default_factory=list)  # one per area of the level, with its value
    rolled_up: bool = False  # an index of finer areas, summed up per area of this level

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.code}"


@dataclass
class MapPage:
    city: City
    levels: list[AreaLevel]
    level: AreaLevel | None
    indicators: list[Indicator]
    indices: list[CompositeIndex]
    periods: list[str]
    period: str
    layer: Layer | None
    focus: Area | None = None
    tiled: bool = False  # too many areas to embed: the map asks for those in view
    bounds: tuple[float, float, float, float] | None = (
        None  # the level's (west, south, east, north)
    )
    table: Page | None = None  # the areas of the level, TABLE_PAGE_SIZE at a time, with values
    missing_shapes: int = 0

    @property
    def focus_feature(self) -> dict | None:
        """The plan's focus area, drawn as an outline over the map."""
        if self.focus is None or not self.focus.geometry:
            return None
        return {
            "type": "Feature",
            "geometry": self.focus.geometry,
            "properties": {"code": self.focus.code, "name": self.focus.name},
        }

    @property
    def features(self) -> list[dict]:
        """GeoJSON features for Leaflet: only the areas that have a shape."""
        if self.layer is None:
            return []
        return [
            {
                "type": "Feature",
                "geometry": row["geometry"],
                "properties": {
                    k: v for k, v in row.items() if k not in ("geometry", "id", "has_shape")
                },
            }
            for row in self.layer.rows
            if row.get("geometry")
        ]

    @property
    def areas_without_shape(self) -> int:
        return self.missing_shapes


def map_page(
    city: City,
    *,
    layer: str = "",
    period: str = "",
    level: str = "",
    focus: str = "",
    in_box: tuple[float, float, float, float] | None = None,
    table_page: str | int | None = None,
) -> MapPage:
    """The map of one layer for one period at one level, with a focus area (an area code) outlined:
    eight queries at most, whatever the number of areas. With `in_box`, the layer holds only the
    areas with a shape in that box (the legend then counts those).

    A level of very many areas (over MAP_INLINE_LIMIT) is not read whole: the legend is counted
    in the database, and only the areas of the table's page `table_page` are read, with their
    values; the map asks for the areas in view (`features_in_view`)."""
    levels = levels_of(city)
    indicators = list(indicators_of(city))
    indices = list(CompositeIndex.objects.filter(city=city).order_by("code"))
    periods = periods_of(city)
    # Without a choice, the finest level that has shapes to draw (Berlin: its 58 forecast areas,
    # as its 542 planning areas come without shapes).
    chosen_level = (
        next((lv for lv in levels if lv.code == level), None)
        or next((lv for lv in levels if lv.shape_count), None)
        or next(iter(levels), None)
    )
    period = period if period in periods else (periods[0] if periods else "")
    kind, _sep, code = (layer or "").partition(":")
    if not code:
        kind, code = (
            ("index", indices[0].code)
            if indices
            else (("indicator", indicators[0].code) if indicators else ("", ""))
        )
    tiled = chosen_level is not None and chosen_level.area_count > MAP_INLINE_LIMIT
    chosen, table, missing = None, None, 0
    if chosen_level is not None and period:
        if tiled and in_box is None:
            fields = ["id", "code", "name", "west"]
            listing = Area.objects.filter(level=chosen_level).order_by("code").values(*fields)
            table = Paginator(listing, TABLE_PAGE_SIZE).get_page(table_page)
            areas = list(table.object_list)
        else:
            areas = _areas(chosen_level, with_geometry=True, box=in_box)
        chosen = _layer(
            kind, code, indices, indicators, chosen_level, period, areas,
            count_all=tiled and in_box is None,
        )  # fmt: skip
        if chosen is not None and table is not None:
            table.object_list = chosen.rows
            missing = Area.objects.filter(level=chosen_level, west__isnull=True).count()
        elif chosen is not None:
            table = Paginator(chosen.rows, TABLE_PAGE_SIZE).get_page(table_page)
            missing = sum(1 for row in chosen.rows if not row["has_shape"])
    focus_area = Area.objects.filter(city=city, code=focus).first() if focus else None
    bounds = _level_bounds(chosen_level) if tiled and chosen is not None else None
    return MapPage(
        city, levels, chosen_level, indicators, indices, periods, period, chosen, focus_area,
        tiled, bounds, table, missing,
    )  # fmt: skip


def _layer(
    kind, code, indices, indicators, level, period, areas: list[dict], count_all: bool = False
) -> Layer | None:
    """The layer's rows for `areas`; its legend counts those, or every area of the level."""
    if kind == "index":
        index = next((i for i in indices if i.code == code), None)
        return _index_layer(index, level, period, areas, count_all) if index else None
    if kind == "indicator":
        indicator = next((i for i in indicators if i.code == code), None)
        return _indicator_layer(indicator, level, period, areas) if indicator else None
    return None


def _level_bounds(level: AreaLevel) -> tuple[float, float, float, float] | None:
    found = Area.objects.filter(level=level).aggregate(
        west=Min("west"), south=Min("south"), east=Max("east"), north=Max("north")
    )
    return (
        None
        if found["west"] is None
        else tuple(found[k] for k in ("west", "south", "east", "north"))
    )


def _in_box(level: AreaLevel, box: tuple[float, float, float, float]):
    west, south, east, north = box
    return Area.objects.filter(
        level=level, west__lte=east, east__gte=west, south__lte=north, north__gte=south
    )


def _areas(level: AreaLevel, with_geometry: bool = True, box=None) -> list[dict]:
    fields = ["id", "code", "name", "west", *(["geometry"] if with_geometry else [])]
    areas = _in_box(level, box) if box else Area.objects.filter(level=level)
    return list(areas.order_by("code").values(*fields))


def _row(area: dict, city_slug: str, **values) -> dict:
    row = {
        "id": area["id"],
        "code": area["code"],
        "name": area["name"],
        # The reader's language prefix, without a reverse() per area of a map of thousands.
        "url": f"/{get_language()}/cities/{city_slug}/monitoring/areas/{area['code']}/",
        "has_shape": area["west"] is not None,
        **values,
    }
    if "geometry" in area:
        row["geometry"] = area["geometry"]
    return row


def _index_layer(
    index: CompositeIndex, level: AreaLevel, period: str, areas: list[dict], count_all: bool = False
) -> Layer:
    stored = IndexResult.objects.filter(index=index, period=period, area__level=level)
    counted = (
        dict(
            stored.exclude(class_number=None)
            .order_by()
            .values_list("class_number")
            .annotate(n=Count("pk"))
        )
        if count_all
        else None
    )
    if not count_all and not stored.exists():
        rolled = _rolled_up_index_layer(index, level, period, areas)
        if rolled is not None:
            return rolled
    if len(areas) <= 2000:  # a box: read only its areas' results
        stored = stored.filter(area_id__in=[area["id"] for area in areas])
    results = {
        area_id: (score, class_number, label)
        for area_id, score, class_number, label in stored.values_list(
            "area_id", "score", "class_number", "class_label"
        )
    }
    colours = index.class_colours
    counts: dict[int, int] = defaultdict(int)
    rows = []
    for area in areas:
        score, number, label = results.get(area["id"], (None, None, ""))
        if number and counted is None:
            counts[number] += 1
        rows.append(
            _row(
                area,
                level.city.slug,
                value=None if score is None else round(score, 3),
                class_number=number,
                class_label=label,
                colour=colours[number - 1] if number and number <= len(colours) else None,
            )
        )
    legend = [
        {
            "class": n,
            "label": label,
            "colour": colours[n - 1] if n <= len(colours) else "#999999",
            "count": (counted if counted is not None else counts).get(n, 0),
        }
        for n, label in enumerate(index.class_labels, start=1)
    ]
    return Layer("index", index.code, index.name, legend=legend, rows=rows)


def _rolled_up_index_layer(
    index: CompositeIndex, level: AreaLevel, period: str, areas: list[dict]
) -> Layer | None:
    """An index computed for finer areas, shown at a coarser level: each area takes the class in
    which most of its residents live (most of its finer areas, where population is unknown), and
    carries the share of its finer areas in each class and their names.

    Five queries, whatever the number of areas."""
    results = list(
        IndexResult.objects.filter(index=index, period=period)
        .exclude(class_number=None)
        .values_list("area_id", "class_number", "area__code", "area__name")
    )
    if not results:
        return None
    parent_of = dict(Area.objects.filter(city=level.city).values_list("id", "parent_id"))
    wanted = {area["id"] for area in areas}
    population = {}
    if index.population_indicator_id:
        population = dict(
            Observation.objects.filter(
                indicator_id=index.population_indicator_id,
                period=period,
                area_id__in=[area_id for area_id, *_rest in results],
            ).values_list("area_id", "value")
        )

    def ancestor(area_id):
        seen = 0
        while area_id is not None and area_id not in wanted and seen < 20:
            area_id, seen = parent_of.get(area_id), seen + 1
        return area_id if area_id in wanted else None

    members: dict[int, list[tuple]] = defaultdict(list)  # class, code, name, residents
    for area_id, number, code, name in results:
        if (top := ancestor(area_id)) is not None:
            members[top].append((number, code, name, population.get(area_id)))
    if not members:
        return None
    labels, colours = index.class_labels, index.class_colours
    counts: dict[int, int] = defaultdict(int)
    rows = []
    for area in areas:
        inside = sorted(members.get(area["id"], []), key=lambda member: member[1])
        by_class: dict[int, float] = defaultdict(float)
        residents: dict[int, float] = defaultdict(float)
        for number, _code, _name, people in inside:
            by_class[number] += 1
            if people:
                residents[number] += people
        weights = residents or by_class
        number = max(weights, key=lambda n: (weights[n], -n)) if weights else None
        if number:
            counts[number] += 1
        shares = [
            {
                "label": labels[n - 1] if n <= len(labels) else str(n),
                "colour": colours[n - 1] if n <= len(colours) else "#999999",
                "percent": round(100 * by_class[n] / len(inside)),
            }
            for n in sorted(by_class)
        ]
        rows.append(
            _row(
                area,
                level.city.slug,
                value=None,
                class_number=number,
                class_label=labels[number - 1] if number and number <= len(labels) else "",
                colour=colours[number - 1] if number and number <= len(colours) else None,
                shares=shares,
                by_residents=bool(residents),
                members=[
                    {
                        "code": code,
                        "name": name,
                        "class_label": labels[n - 1] if n <= len(labels) else "",
                    }
                    for n, code, name, _people in inside
                ],
            )
        )
    legend = [
        {
            "class": n,
            "label": label,
            "colour": colours[n - 1] if n <= len(colours) else "#999999",
            "count": counts.get(n, 0),
        }
        for n, label in enumerate(labels, start=1)
    ]
    return Layer("index", index.code, index.name, legend=legend, rows=rows, rolled_up=True)


def quintile_breaks(values: list[float]) -> list[float]:
    if not values:
        return []
    return [float(b) for b in np.unique(np.quantile(np.asarray(values), [0.2, 0.4, 0.6, 0.8]))]


def _indicator_layer(
    indicator: Indicator, level: AreaLevel, period: str, areas: list[dict]
) -> Layer:
    values = dict(
        Observation.objects.filter(
            indicator=indicator, period=period, area__level=level
        ).values_list("area_id", "value")
    )
    breaks = quintile_breaks(list(values.values()))
    colours = QUINTILE_COLOURS if indicator.higher_is_worse else QUINTILE_COLOURS[::-1]
    colours = colours[: len(breaks) + 1] if len(breaks) < 4 else colours
    # Every area of the level counts in the legend, also when only some are listed.
    classes = np.searchsorted(breaks, np.fromiter(values.values(), float), side="left") + 1
    counts = {int(n): int(c) for n, c in zip(*np.unique(classes, return_counts=True), strict=True)}
    rows = []
    for area in areas:
        value = values.get(area["id"])
        number = int(np.searchsorted(breaks, value, side="left")) + 1 if value is not None else None
        rows.append(
            _row(
                area,
                level.city.slug,
                value=value,
                class_number=number,
                class_label="",
                colour=colours[number - 1] if number else None,
            )
        )
    bounds = [None, *breaks, None]
    legend = []
    for n in range(1, len(breaks) + 2):
        low, high = bounds[n - 1], bounds[n]
        if low is None and high is None:
            label = _("all values")
        elif low is None:
            label = _("up to %(high)s") % {"high": _number(high)}
        elif high is None:
            label = _("over %(low)s") % {"low": _number(low)}
        else:
            label = f"{_number(low)} – {_number(high)}"
        legend.append(
            {"class": n, "label": label, "colour": colours[n - 1], "count": counts.get(n, 0)}
        )
    for row in rows:
        if row["class_number"]:
            row["class_label"] = legend[row["class_number"] - 1]["label"]
    return Layer(
        "indicator", indicator.code, indicator.name, unit=indicator.unit, legend=legend, rows=rows
    )


def _number(value: float) -> str:
    return f"{value:.4g}"


@dataclass
class AreaPage:
    area: Area
    ancestors: list[Area]
    children: list[Area]
    periods: list[str]
    # indicator → {period: value}; the indicators in code order
    table: list[tuple[Indicator, dict[str, float]]]
    results: list[tuple[CompositeIndex, list[IndexResult]]]


def area_page(city: City, code: str) -> AreaPage:
    """An area's values for every indicator and period, and its index results: five queries."""
    area = get_object_or_404(
        Area.objects.select_related("level", "parent__parent__parent__parent"), city=city, code=code
    )
    ancestors, node = [], area
    for _depth in range(4):  # as deep as select_related reaches
        if not node.parent_id:
            break
        node = node.parent
        ancestors.append(node)
    children = list(area.children.order_by("code").only("code", "name", "city_id")[:200])
    by_indicator: dict[int, dict[str, float]] = defaultdict(dict)
    indicators: dict[int, Indicator] = {}
    periods: set[str] = set()
    for observation in Observation.objects.filter(area=area).select_related("indicator"):
        indicators[observation.indicator_id] = observation.indicator
        by_indicator[observation.indicator_id][observation.period] = observation.value
        periods.add(observation.period)
    table = [
        (indicator, by_indicator[pk])
        for pk, indicator in sorted(indicators.items(), key=lambda item: item[1].code)
    ]
    grouped: dict[int, list[IndexResult]] = defaultdict(list)
    index_by_id = {}
    for result in (
        IndexResult.objects.filter(area=area)
        .select_related("index")
        .order_by("index__code", "period")
    ):
        grouped[result.index_id].append(result)
        index_by_id[result.index_id] = result.index
    results = [(index_by_id[pk], grouped[pk]) for pk in index_by_id]
    return AreaPage(area, ancestors, children, sorted(periods), table, results)


@dataclass
class IndicatorPage:
    indicator: Indicator
    period: str
    periods: list[str]
    level: AreaLevel | None
    levels: list[AreaLevel]
    values: list[float]

    @property
    def summary(self) -> dict | None:
        if not self.values:
            return None
        values = np.asarray(self.values)
        return {
            "count": len(values),
            "minimum": float(values.min()),
            "median": float(np.median(values)),
            "mean": float(values.mean()),
            "maximum": float(values.max()),
        }


def indicator_page(city: City, code: str, *, period: str = "", level: str = "") -> IndicatorPage:
    indicator = get_object_or_404(Indicator, city=city, code=code)
    periods = sorted(
        Observation.objects.filter(indicator=indicator).values_list("period", flat=True).distinct(),
        reverse=True,
    )
    period = period if period in periods else (periods[0] if periods else "")
    levels = levels_of(city)
    chosen = next((lv for lv in levels if lv.code == level), None) or next(iter(levels), None)
    values = list(
        Observation.objects.filter(indicator=indicator, period=period, area__level=chosen)
        .order_by("value")
        .values_list("value", flat=True)
    )
    return IndicatorPage(indicator, period, periods, chosen, levels, values)


@dataclass
class Comparison:
    areas: list[Area]
    period: str
    periods: list[str]
    rows: list[tuple[Indicator, list[float | None]]]
    index_rows: list[tuple[CompositeIndex, list[IndexResult | None]]]


MAX_COMPARED = 6


def comparison(city: City, codes: list[str], *, period: str = "") -> Comparison:
    """Up to six areas side by side: their indicator values and index classes for one period."""
    codes = list(dict.fromkeys(code for code in codes if code))[:MAX_COMPARED]
    found = {
        a.code: a for a in Area.objects.filter(city=city, code__in=codes).select_related("level")
    }
    missing = [code for code in codes if code not in found]
    if missing:
        raise Http404(_("No area with the code %(code)s.") % {"code": missing[0]})
    areas = [found[code] for code in codes]
    periods = periods_of(city)
    period = period if period in periods else (periods[0] if periods else "")
    values: dict[tuple[int, int], float] = {}
    indicators: dict[int, Indicator] = {}
    for observation in Observation.objects.filter(area__in=areas, period=period).select_related(
        "indicator"
    ):
        indicators[observation.indicator_id] = observation.indicator
        values[(observation.indicator_id, observation.area_id)] = observation.value
    rows = [
        (indicator, [values.get((pk, area.pk)) for area in areas])
        for pk, indicator in sorted(indicators.items(), key=lambda item: item[1].code)
    ]
    results: dict[tuple[int, int], IndexResult] = {}
    index_by_id: dict[int, CompositeIndex] = {}
    for result in IndexResult.objects.filter(area__in=areas, period=period).select_related("index"):
        results[(result.index_id, result.area_id)] = result
        index_by_id[result.index_id] = result.index
    index_rows = [
        (index, [results.get((pk, area.pk)) for area in areas])
        for pk, index in sorted(index_by_id.items(), key=lambda item: item[1].code)
    ]
    return Comparison(areas, period, periods, rows, index_rows)


def observations_for_export(city: City):
    return (
        Observation.objects.filter(indicator__city=city)
        .order_by("indicator__code", "period", "area__code")
        .values_list("area__code", "indicator__code", "period", "value")
    )


def results_for_export(city: City):
    return (
        IndexResult.objects.filter(index__city=city)
        .order_by("index__code", "period", "area__code")
        .values_list(
            "index__code",
            "area__code",
            "period",
            "total",
            "score",
            "rank",
            "class_number",
            "class_label",
        )
    )


def areas_for_export(city: City):
    return (
        Area.objects.filter(city=city)
        .order_by("level__position", "code")
        .values_list("code", "name", "level__code", "parent__code")
    )


# The map of very many areas: only the areas in view, simplified to the view's scale ------------


@dataclass
class FeaturesInView:
    features: list[dict]
    in_view: int  # areas with a shape in the box
    truncated: bool  # more than MAP_FEATURE_LIMIT: none sent, the map asks to zoom in

    def as_geojson(self) -> dict:
        return {
            "type": "FeatureCollection",
            "features": self.features,
            "in_view": self.in_view,
            "truncated": self.truncated,
        }


def parse_bbox(text: str) -> tuple[float, float, float, float] | None:
    """`west,south,east,north` in degrees (Leaflet's toBBoxString), or None if it is not that."""
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except (ValueError, AttributeError):
        return None
    if not (west <= east and south <= north):
        return None
    return west, south, east, north


def features_in_view(
    city: City, *, layer: str, period: str, level: str, bbox: tuple[float, float, float, float]
) -> FeaturesInView:
    """The layer's areas whose bounding box meets `bbox`, with their values and classes: six
    queries at most, whatever the number of areas; coordinates snapped to about a pixel of a
    1,000-pixel-wide view of the box, so a whole-city view of small areas stays light."""
    levels = levels_of(city)
    chosen = next((lv for lv in levels if lv.code == level), None) or next(iter(levels), None)
    if chosen is None:
        return FeaturesInView([], 0, False)
    count = _in_box(chosen, bbox).count()  # before any value is read: zoomed out, this is all
    if count > MAP_FEATURE_LIMIT:
        return FeaturesInView([], count, True)
    page = map_page(city, layer=layer, period=period, level=chosen.code, in_box=bbox)
    if page.layer is None:
        return FeaturesInView([], 0, False)
    west, south, east, north = bbox
    step = max(east - west, north - south) / 1000 or 1e-6
    features = [
        {
            "type": "Feature",
            "geometry": simplify(row["geometry"], step),
            "properties": {
                k: v for k, v in row.items() if k not in ("geometry", "id", "has_shape")
            },
        }
        for row in page.layer.rows
    ]
    return FeaturesInView(features, count, False)


def simplify(geometry: dict, step: float) -> dict:
    """Snap coordinates to a grid of `step` degrees and drop the points that fall together; a ring
    that would shrink below a triangle keeps its bounding box, so no area disappears from the map."""

    def ring(points: list) -> list:
        coordinates = np.asarray([point[:2] for point in points], dtype=float)
        snapped = np.round(np.round(coordinates / step) * step, 6)
        keep = np.ones(len(snapped), dtype=bool)
        keep[1:] = np.any(snapped[1:] != snapped[:-1], axis=1)
        kept = snapped[keep]
        if len(kept) >= 4 and (kept[0] == kept[-1]).all():
            return kept.tolist()
        w, s = coordinates.min(axis=0).tolist()
        e, n = coordinates.max(axis=0).tolist()
        return [[w, s], [e, s], [e, n], [w, n], [w, s]]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geometry["coordinates"]]}
    return {
        "type": "MultiPolygon",
        "coordinates": [[ring(r) for r in polygon] for polygon in geometry["coordinates"]],
    }
