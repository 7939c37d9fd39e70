"""Every write to the monitoring data: imports, indicator and index definitions, index results.

An import is one transaction: a file with one bad cell stores nothing, and the report names every bad
row and column. Index results are recomputed inside the same transaction as the data they read, so a
reader never sees new observations beside old results. That is fast enough to do synchronously (a few
thousand areas take milliseconds; 35,000 areas well under a second, see docs/benchmarks.md); when the
platform gets its task queue, `recompute_indices_for` is the function to hand to it.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from conet.core.activity import record_activity
from conet.core.permissions import require
from conet.monitoring import methods
from conet.monitoring.models import (
    Area,
    AreaLevel,
    CompositeIndex,
    IndexComponent,
    IndexResult,
    Indicator,
    Observation,
    validate_code,
)
from conet.monitoring.readers import (
    NAME_MAX_LENGTH,
    ImportFailed,
    Problems,
    checked_geometry,
    parse_number,
    read_geojson,
    read_table,
)
from conet.networks.models import City

LONG_COLUMNS = {"area", "indicator", "period", "value"}
AREA_ALIASES = ["area", "area_code", "code"]
NAME_ALIASES = {"name", "area_name"}
BATCH = 2000
INSERT_ROWS = 500  # 8 values a row: under SQLite's 32,766 parameters and PostgreSQL's 65,535
DEFAULT_COLOURS = {
    2: ["#1a9850", "#d73027"],
    3: ["#1a9850", "#fee08b", "#d73027"],
    4: ["#1a9850", "#fee08b", "#fc8d59", "#d73027"],
    5: ["#1a9850", "#a6d96a", "#fee08b", "#fc8d59", "#d73027"],
}
# Deciles and larger: from most deprived (class 1, dark red) to least deprived (dark green).
DECILE_COLOURS = [
    "#a50026", "#d73027", "#f46d43", "#fdae61", "#fee08b",
    "#d9ef8b", "#a6d96a", "#66bd63", "#1a9850", "#006837",
]  # fmt: skip


# Observations ---------------------------------------------------------------------------------


# progress(step, done, total): step is "check" (rows read and checked), "store" (values written)
# or "indices" (composite indices recomputed). Called every PROGRESS_EVERY rows and at each end.
Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 1000


@dataclass
class ImportSummary:
    observations: int = 0
    periods: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    created_indicators: list[str] = field(default_factory=list)
    skipped_columns: list[str] = field(default_factory=list)
    recomputed: dict[str, int] = field(default_factory=dict)  # index code → results stored


@transaction.atomic
def import_observations(
    city: City,
    data: bytes,
    *,
    by,
    period: str = "",
    decimal: str = "auto",
    create_missing_indicators: bool = False,
    ignore_unknown_columns: bool = False,
) -> ImportSummary:
    """Observations from a CSV file, long (area, indicator, period, value) or wide (area, [period],
    one column per indicator code). Nothing is stored unless every row is good."""
    require(by, "monitoring.manage_city", city)
    summary = store_observations(
        city,
        data,
        period=period,
        decimal=decimal,
        create_missing_indicators=create_missing_indicators,
        ignore_unknown_columns=ignore_unknown_columns,
    )
    record_activity(
        kind="monitoring.observations_imported",
        scope=city,
        actor=by,
        data={"city": city.name, "count": summary.observations},
    )
    return summary


@transaction.atomic
def store_observations(
    city: City,
    data: bytes,
    *,
    period: str = "",
    decimal: str = "auto",
    create_missing_indicators: bool = False,
    ignore_unknown_columns: bool = False,
    column_map: dict[str, str | None] | None = None,
    area_column: str = "",
    progress: Progress | None = None,
) -> ImportSummary:
    """The import itself, without the permission check (the demo loader calls it directly).

    `column_map` renames headers to indicator codes (None drops a column); `area_column` names the
    column that holds the area codes when it is not called area, area_code or code. `progress`
    hears how far checking and storing have come (the command line draws it as a bar).
    """
    report = progress or (lambda step, done, total: None)
    table = read_table(data, decimal=decimal)
    total_rows = len(table.rows)

    def checked(count: int) -> None:
        if count % PROGRESS_EVERY == 0 or count == total_rows:
            report("check", count, total_rows)

    header = [(column_map or {}).get(name, name) for name in table.header]
    lowered = [name.lower() if name else "" for name in header]
    problems = Problems()
    areas = dict(Area.objects.filter(city=city).values_list("code", "pk"))
    indicators = dict(Indicator.objects.filter(city=city).values_list("code", "pk"))
    period = (period or "").strip()
    if period and len(period) > 20:
        problems.add(None, "period", _("A period has at most 20 characters."))
        raise ImportFailed(problems)

    # (indicator code, area id, period) → (value, row)
    values: dict[tuple[str, int, str], tuple[float, int]] = {}
    summary = ImportSummary()

    def take(row: int, column: str, area_code: str, indicator: str, when: str, cell: str):
        area_id = areas.get(area_code)
        if area_id is None:
            problems.add(
                row, area_label, _("No area with the code “%(code)s”.") % {"code": area_code}
            )
            return
        if not when:
            problems.add(row, period_label, _("The period is empty."))
            return
        if len(when) > 20:
            problems.add(row, period_label, _("A period has at most 20 characters."))
            return
        try:
            value = parse_number(cell, table.decimal)
        except ValueError as error:
            problems.add(row, column, str(error))
            return
        if value is None:
            return
        key = (indicator, area_id, when)
        if key in values:
            problems.add(
                row,
                column,
                _("The same value is given twice (first in row %(row)s).")
                % {"row": values[key][1]},
            )
            return
        values[key] = (value, row)

    if set(lowered) >= LONG_COLUMNS:
        position = {name: lowered.index(name) for name in LONG_COLUMNS}
        area_label, period_label = table.header[position["area"]], table.header[position["period"]]
        for count, (row, cells) in enumerate(table.rows, start=1):
            checked(count)
            if len(cells) < len(header):
                problems.add(
                    row,
                    "",
                    _("The row has %(found)s cells; the header has %(expected)s.")
                    % {"found": len(cells), "expected": len(header)},
                )
                continue
            code = cells[position["indicator"]].strip()
            if code not in indicators:
                if not create_missing_indicators:
                    problems.add(
                        row,
                        table.header[position["indicator"]],
                        _("No indicator with the code “%(code)s”.") % {"code": code},
                    )
                    continue
                _check_new_code(code, row, table.header[position["indicator"]], problems)
            take(
                row,
                table.header[position["value"]],
                cells[position["area"]].strip(),
                code,
                cells[position["period"]].strip() or period,
                cells[position["value"]],
            )
    else:
        wanted = area_column.lower() if area_column else None
        candidates = [wanted] if wanted else AREA_ALIASES
        area_index = next((lowered.index(name) for name in candidates if name in lowered), None)
        if area_index is None:
            problems.add(
                None,
                area_column or "area",
                _(
                    "The file needs a column “area” (area codes), or the columns area, indicator, period and value."
                ),
            )
            raise ImportFailed(problems)
        area_label = table.header[area_index]
        period_index = lowered.index("period") if "period" in lowered else None
        period_label = table.header[period_index] if period_index is not None else "period"
        if period_index is None and not period:
            problems.add(None, "period", _("The file has no period column: give the period."))
            raise ImportFailed(problems)
        value_columns = []
        for position, (original, code) in enumerate(zip(table.header, header, strict=True)):
            if position in (area_index, period_index) or code is None:
                continue
            if code.lower() in NAME_ALIASES or not code:
                continue
            if code not in indicators:
                if ignore_unknown_columns and not create_missing_indicators:
                    summary.skipped_columns.append(original)
                    continue
                if not create_missing_indicators:
                    problems.add(
                        None, original, _("No indicator with the code “%(code)s”.") % {"code": code}
                    )
                    continue
                _check_new_code(code, None, original, problems)
            value_columns.append((position, original, code))
        for count, (row, cells) in enumerate(table.rows, start=1):
            checked(count)
            if len(cells) < len(header):
                problems.add(
                    row,
                    "",
                    _("The row has %(found)s cells; the header has %(expected)s.")
                    % {"found": len(cells), "expected": len(header)},
                )
                continue
            when = cells[period_index].strip() if period_index is not None else period
            area_code = cells[area_index].strip()
            for position, original, code in value_columns:
                take(row, original, area_code, code, when, cells[position])
    if problems:
        raise ImportFailed(problems)
    if not values:
        problems.add(None, "", _("The file holds no values."))
        raise ImportFailed(problems)

    for code in sorted({key[0] for key in values} - set(indicators)):
        indicators[code] = Indicator.objects.create(city=city, code=code, name=code).pk
        summary.created_indicators.append(code)
    rows = [
        (indicators[code], area_id, when, value)
        for (code, area_id, when), (value, _row) in values.items()
    ]
    _upsert_observations(rows, lambda done: report("store", done, len(rows)))
    summary.observations = len(rows)
    summary.periods = sorted({key[2] for key in values})
    summary.indicators = sorted({key[0] for key in values})
    report("indices", 0, 1)
    summary.recomputed = recompute_indices_for(
        city, [indicators[code] for code in summary.indicators], summary.periods
    )
    report("indices", 1, 1)
    return summary


OBSERVATION_COLUMNS = ["indicator", "area", "period", "value"]
UPSERT_ROWS = 5000  # 4 values a row: under SQLite's 32,766 parameters


def _upsert_observations(rows: list[tuple], stored: Callable[[int], None]) -> None:
    """Insert (indicator id, area id, period, value) rows, replacing the value of those that exist.

    Not bulk_create: building and preparing a model instance per value made 230,000 values take
    15 s (England's 32,844 areas × 7 domains). On PostgreSQL, COPY into a temporary table and one
    INSERT … ON CONFLICT from it; elsewhere, multi-row INSERT … ON CONFLICT (SQLite ≥ 3.24).
    """
    quote = connection.ops.quote_name
    table = quote(Observation._meta.db_table)
    names = [quote(Observation._meta.get_field(name).column) for name in OBSERVATION_COLUMNS]
    columns, key = ", ".join(names), ", ".join(names[:3])
    on_conflict = f"ON CONFLICT ({key}) DO UPDATE SET {names[3]} = excluded.{names[3]}"
    # Atomic of its own: the temporary table is dropped on commit, which in autocommit would be
    # straight after its CREATE (the demo loader and the tests call this outside a transaction).
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMPORARY TABLE conet_observation_import ("
                f"{names[0]} bigint, {names[1]} bigint, {names[2]} varchar(20), "
                f"{names[3]} double precision) ON COMMIT DROP"
            )
            with cursor.cursor.copy(
                f"COPY conet_observation_import ({columns}) FROM STDIN"
            ) as copy:
                for done, row in enumerate(rows, start=1):
                    copy.write_row(row)
                    if done % UPSERT_ROWS == 0:
                        stored(done)
            cursor.execute(
                # In the unique index's order: each index page is visited once, not at random.
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM conet_observation_import "
                f"ORDER BY {key} {on_conflict}"
            )
            cursor.execute("DROP TABLE conet_observation_import")
            stored(len(rows))
            return
        one_row = f"({', '.join(['%s'] * len(names))})"
        for start in range(0, len(rows), UPSERT_ROWS):
            batch = rows[start : start + UPSERT_ROWS]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one_row] * len(batch))} "
                f"{on_conflict}",
                [value for row in batch for value in row],
            )
            stored(start + len(batch))


def _check_new_code(code: str, row, column: str, problems: Problems) -> None:
    try:
        validate_code(code)
    except ValidationError as error:
        problems.add(row, column, " ".join(error.messages))


# Areas ----------------------------------------------------------------------------------------


@dataclass
class AreaRow:
    code: str
    name: str
    level: str  # an AreaLevel code of the city
    parent: str = ""  # the parent area's code
    geometry: dict | None = None


def ensure_level(city: City, code: str, name: str = "", position: int | None = None) -> AreaLevel:
    level, created = AreaLevel.objects.get_or_create(
        city=city, code=code, defaults={"name": name or code, "position": position or 0}
    )
    if not created and position is not None and level.position != position:
        level.position = position
        level.save(update_fields=["position"])
    return level


def save_areas(city: City, rows: list[AreaRow], *, keep_geometry: bool = True) -> int:
    """Create or update areas by code; parents may come later in `rows` or exist already.
    Without permission check: the import service and the demo loader call it inside their transaction."""
    levels = {level.code: level for level in AreaLevel.objects.filter(city=city)}
    existing = {area.code: area for area in Area.objects.filter(city=city)}
    new, changed = [], []
    for row in rows:
        area = existing.get(row.code)
        level = levels[row.level]
        if area is None:
            area = Area(city=city, code=row.code, name=row.name, level=level, geometry=row.geometry)
            area.set_bounds()
            new.append(area)
            existing[row.code] = area
        else:
            area.name, area.level = row.name, level
            if row.geometry is not None or not keep_geometry:
                area.geometry = row.geometry
                area.set_bounds()
            changed.append(area)
    Area.objects.bulk_create(new, batch_size=BATCH)
    Area.objects.bulk_update(
        changed, ["name", "level", "geometry", "west", "south", "east", "north"], batch_size=BATCH
    )
    with_parent = []
    for row in rows:
        if row.parent:
            area = existing[row.code]
            area.parent_id = existing[row.parent].pk
            with_parent.append(area)
    Area.objects.bulk_update(with_parent, ["parent"], batch_size=BATCH)
    return len(rows)


AREA_COLUMNS = ["code", "name", "level", "parent"]
LEVEL_NAME_MAX_LENGTH = AreaLevel._meta.get_field("name").max_length


@transaction.atomic
def import_areas_geojson(
    city: City,
    data: bytes,
    *,
    by,
    level: str,
    level_name: str = "",
    code_property: str = "code",
    name_property: str = "name",
    parent_property: str = "",
    source_crs: str = "",
) -> int:
    """Areas with their shapes from GeoJSON (any CRS pyproj knows; stored as WGS 84). A feature
    whose geometry is null makes an area without a shape; an area's shape can come in a later file."""
    require(by, "monitoring.manage_city", city)
    problems = Problems()
    try:
        validate_code(level)
    except ValidationError as error:
        problems.add(None, "level", " ".join(error.messages))
        raise ImportFailed(problems) from None
    shapes = read_geojson(
        data,
        code_property=code_property,
        name_property=name_property,
        parent_property=parent_property,
        source_crs=source_crs,
    )
    # A file of shapes without names keeps the names the areas have (else the code is the name).
    names = dict(Area.objects.filter(city=city).values_list("code", "name"))
    rows = [
        AreaRow(s.code, s.name or names.get(s.code) or s.code, level, s.parent, s.geometry)
        for s in shapes
    ]
    columns = {"code": code_property, "name": name_property, "parent": parent_property}
    return _save_checked_areas(
        city, rows, [s.row for s in shapes], by=by, columns=columns, level_names={level: level_name}
    )


@transaction.atomic
def import_areas_table(city: City, data: bytes, *, by) -> int:
    """Areas from a CSV table with the columns code, name, level and (optional) parent; no shapes.
    Levels that the city does not have yet are made; existing areas keep their shapes."""
    require(by, "monitoring.manage_city", city)
    table = read_table(data)
    problems = Problems()
    header = [column.strip().lower() for column in table.header]
    missing = [column for column in AREA_COLUMNS[:3] if column not in header]
    if missing:
        problems.add(
            1,
            "",
            _(
                "The table needs the columns code, name and level (parent is optional); missing: %(columns)s."
            )
            % {"columns": ", ".join(missing)},
        )
        raise ImportFailed(problems)
    where = {column: header.index(column) for column in AREA_COLUMNS if column in header}

    def cell(cells: list[str], column: str) -> str:
        position = where.get(column)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    rows = [
        AreaRow(
            cell(cells, "code"), cell(cells, "name"), cell(cells, "level"), cell(cells, "parent")
        )
        for _number, cells in table.rows
    ]
    if not rows:
        problems.add(None, "", _("The table has no areas."))
        raise ImportFailed(problems)
    return _save_checked_areas(city, rows, [number for number, _cells in table.rows], by=by)


@transaction.atomic
def save_area_list(city: City, rows: list[AreaRow], *, by) -> int:
    """Areas given one by one (the API): created or updated by code; a shape given is checked and
    stored, an area given without one keeps the shape it has."""
    require(by, "monitoring.manage_city", city)
    problems = Problems()
    checked = []
    for position, row in enumerate(rows, start=1):
        if row.geometry is not None:
            geometry, problem = checked_geometry(row.geometry)
            if problem:
                problems.add(position, "geometry", problem)
            row = AreaRow(row.code, row.name, row.level, row.parent, geometry)
        checked.append(row)
    if problems:
        raise ImportFailed(problems)
    return _save_checked_areas(city, checked, list(range(1, len(rows) + 1)), by=by)


def _save_checked_areas(
    city: City,
    rows: list[AreaRow],
    numbers: list[int],
    *,
    by,
    columns: dict[str, str] | None = None,
    level_names: dict[str, str] | None = None,
) -> int:
    """Check every row (codes, names, levels, parents, no loops), then store all or nothing."""
    columns = {
        "code": "code",
        "name": "name",
        "level": "level",
        "parent": "parent",
        **(columns or {}),
    }
    problems = Problems()
    known = dict(Area.objects.filter(city=city).values_list("code", "parent__code"))
    in_file: dict[str, int] = {}
    for number, row in zip(numbers, rows, strict=True):
        for column, value in (("code", row.code), ("level", row.level)):
            try:
                validate_code(value)
            except ValidationError as error:
                problems.add(number, columns[column], " ".join(error.messages))
        if not row.name:
            problems.add(number, columns["name"], _("Give the area a name."))
        elif len(row.name) > NAME_MAX_LENGTH:
            problems.add(
                number,
                columns["name"],
                _("Longer than %(limit)d characters (%(count)d).")
                % {"limit": NAME_MAX_LENGTH, "count": len(row.name)},
            )
        if row.code in in_file:
            problems.add(
                number,
                columns["code"],
                _("The code “%(code)s” is given twice (first in row %(row)s).")
                % {"code": row.code, "row": in_file[row.code]},
            )
        in_file.setdefault(row.code, number)
    parents = {**known, **{row.code: row.parent or None for row in rows}}
    for number, row in zip(numbers, rows, strict=True):
        if not row.parent:
            continue
        if row.parent not in parents:
            problems.add(
                number,
                columns["parent"],
                _("No area with the code “%(code)s”.") % {"code": row.parent},
            )
        elif _leads_back(row.code, parents):
            problems.add(
                number,
                columns["parent"],
                _("The parents of “%(code)s” lead back to it.") % {"code": row.code},
            )
    if problems:
        raise ImportFailed(problems)
    _ensure_levels(city, rows, parents, level_names or {})
    count = save_areas(city, rows)
    record_activity(
        kind="monitoring.areas_imported",
        scope=city,
        actor=by,
        data={"city": city.name, "count": count},
    )
    return count


def _leads_back(code: str, parents: dict[str, str | None]) -> bool:
    seen, current = {code}, parents.get(code)
    while current:
        if current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def _ensure_levels(
    city: City, rows: list[AreaRow], parents: dict[str, str | None], names: dict[str, str]
) -> None:
    """Make the levels the rows name that the city lacks. Levels are ordered by their areas'
    parents (position 0 is the smallest), so districts and their planning areas order themselves
    whichever file came first."""
    existing = {level.code: level for level in AreaLevel.objects.filter(city=city)}
    new = {row.level for row in rows} - set(existing)
    if not new:
        return
    level_of = dict(Area.objects.filter(city=city).values_list("code", "level__code"))
    level_of.update({row.code: row.level for row in rows})
    above: dict[str, set[str]] = defaultdict(set)
    for code, parent in parents.items():
        if parent and level_of.get(code) != level_of.get(parent):
            above[level_of[code]].add(level_of[parent])

    def depth(level: str, path: frozenset = frozenset()) -> int:
        higher = above.get(level, set()) - path - {level}
        return 1 + max((depth(h, path | {level}) for h in higher), default=-1)

    depths = {level: depth(level) for level in {*existing, *new}}
    deepest = max(depths.values())
    related = set(above) | {level for higher in above.values() for level in higher}
    for level in sorted(new):
        name = (names.get(level) or level)[:LEVEL_NAME_MAX_LENGTH]
        ensure_level(city, level, name, deepest - depths[level])
    for level in sorted(set(existing) & related):  # an existing level may now have one below it
        ensure_level(city, level, position=deepest - depths[level])


# Indicators and indices ------------------------------------------------------------------------


INDICATOR_FIELDS = ["code", "name", "unit", "source", "description", "higher_is_worse", "language"]


@transaction.atomic
def create_indicator(city: City, *, by, **fields) -> Indicator:
    require(by, "monitoring.manage_city", city)
    indicator = Indicator(city=city, **{k: v for k, v in fields.items() if k in INDICATOR_FIELDS})
    indicator.full_clean(validate_unique=False, validate_constraints=False)
    if Indicator.objects.filter(city=city, code=indicator.code).exists():
        raise ValidationError({"code": _("This city already has an indicator with this code.")})
    indicator.save()
    return indicator


@dataclass
class IndexDefinition:
    code: str
    name: str
    method: str
    components: list[tuple[str, float]] = field(default_factory=list)  # (indicator code, weight)
    cutoffs: list[float] = field(default_factory=list)
    class_labels: list[str] = field(default_factory=list)
    class_colours: list[str] = field(default_factory=list)
    population_indicator: str = ""
    population_threshold: float | None = None
    row_index: str = ""
    column_index: str = ""
    description: str = ""


@transaction.atomic
def define_index(city: City, definition: IndexDefinition, *, by) -> CompositeIndex:
    """A new composite index (or a new definition of an existing code), computed at once."""
    require(by, "monitoring.manage_city", city)
    index = save_index_definition(city, definition)
    record_activity(
        kind="monitoring.index_defined",
        scope=city,
        actor=by,
        data={"city": city.name, "index": index.name},
    )
    return index


def save_index_definition(city: City, d: IndexDefinition) -> CompositeIndex:
    errors: dict[str, list[str]] = defaultdict(list)
    indicators = {i.code: i for i in Indicator.objects.filter(city=city)}
    method = d.method
    try:
        validate_code(d.code)
    except ValidationError as error:
        errors["code"].extend(error.messages)
    if not d.name.strip():
        errors["name"].append(_("Give the index a name."))
    if method not in CompositeIndex.Method.values:
        errors["method"].append(
            _("Choose one of: %(methods)s.") % {"methods": ", ".join(CompositeIndex.Method.values)}
        )
    missing = [code for code, _w in d.components if code not in indicators]
    if missing:
        errors["components"].append(
            _("No indicator with the code: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    if len({code for code, _w in d.components}) != len(d.components):
        errors["components"].append(_("An indicator is named twice."))
    if method in {"zscore", "rank_exponential"} and not d.components:
        errors["components"].append(_("Name at least one indicator."))
    weights = [weight for _code, weight in d.components]
    if any(weight < 0 for weight in weights):
        errors["components"].append(
            _("A weight cannot be negative: say on the indicator whether a higher value is worse.")
        )
    elif weights and not any(weights):
        errors["components"].append(_("At least one weight must be more than 0."))
    cutoffs = list(d.cutoffs)
    if method == "zscore":
        if cutoffs != sorted(cutoffs) or len(set(cutoffs)) != len(cutoffs):
            errors["cutoffs"].append(_("Give the cut-offs in ascending order, each once."))
        if d.class_labels and len(d.class_labels) != len(cutoffs) + 1:
            errors["class_labels"].append(
                _("Give one class name more than cut-offs (%(count)s).")
                % {"count": len(cutoffs) + 1}
            )
    population = None
    if d.population_indicator:
        population = indicators.get(d.population_indicator)
        if population is None:
            errors["population_indicator"].append(
                _("No indicator with the code “%(code)s”.") % {"code": d.population_indicator}
            )
    row = column = None
    if method == "matrix":
        others = {
            i.code: i for i in CompositeIndex.objects.filter(city=city).exclude(method="matrix")
        }
        row, column = others.get(d.row_index), others.get(d.column_index)
        if row is None:
            errors["row_index"].append(_("Name a z-score or rank index of this city."))
        if column is None:
            errors["column_index"].append(_("Name a z-score or rank index of this city."))
    if errors:
        raise ValidationError(dict(errors))

    classes = _class_count(method, cutoffs, row, column)
    labels = list(d.class_labels)
    if method == "matrix":
        labels = [f"{r} / {c}" for r in _labels(row) for c in _labels(column)]
    elif not labels:
        labels = [str(n) for n in range(1, classes + 1)]
    colours = list(d.class_colours) or (
        DEFAULT_COLOURS.get(classes)
        or (DECILE_COLOURS if classes == 10 else _matrix_colours(row, column))
    )
    index, _created = CompositeIndex.objects.update_or_create(
        city=city,
        code=d.code,
        defaults={
            "name": d.name,
            "description": d.description,
            "method": method,
            "cutoffs": cutoffs if method == "zscore" else [],
            "class_labels": labels,
            "class_colours": colours,
            "population_indicator": population,
            "population_threshold": d.population_threshold,
            "row_index": row,
            "column_index": column,
        },
    )
    weights, reading = methods.normalised_weights(weights, method=method)
    index.components.all().delete()
    IndexComponent.objects.bulk_create(
        IndexComponent(index=index, indicator=indicators[code], weight=weight)
        for (code, _given), weight in zip(d.components, weights, strict=True)
    )
    index.notices = _weight_notices(reading, d.components, weights)
    recompute_index(index)
    # A matrix built on this index crosses its new classes.
    built_on = Q(row_index=index) | Q(column_index=index)
    for matrix in CompositeIndex.objects.filter(city=city, method="matrix").filter(built_on):
        recompute_index(matrix)
    return index


def _weight_notices(reading: str, given, stored: list[float]) -> list[str]:
    """What the person should know about how their weights were read (shown after saving)."""
    if not reading:
        return []
    values = ", ".join(
        f"{code} {weight:g}" for (code, _given), weight in zip(given, stored, strict=True)
    )
    total = sum(weight for _code, weight in given)
    if reading == "percent":
        return [
            _(
                "The weights add up to %(total)s, so they were read as percentages"
                " and stored as fractions: %(weights)s."
            )
            % {"total": f"{total:g}", "weights": values}
        ]
    return [
        _(
            "The weights of a rank–exponential index must add up to 1; yours add up to %(total)s,"
            " so each was divided by that sum: %(weights)s."
        )
        % {"total": f"{total:g}", "weights": values}
    ]


def _class_count(method: str, cutoffs: list[float], row, column) -> int:
    if method == "zscore":
        return len(cutoffs) + 1
    if method == "rank_exponential":
        return 10
    return len(_labels(row)) * len(_labels(column)) if row and column else 0


def _labels(index: CompositeIndex | None) -> list[str]:
    return list(index.class_labels) if index else []


def _matrix_colours(row, column) -> list[str]:
    """Each matrix cell takes the colour of its row class (status decides the map colour)."""
    if not row or not column:
        return []
    return [colour for colour in row.class_colours for _c in column.class_labels]


# Computing ------------------------------------------------------------------------------------


def recompute_indices_for(
    city: City, indicator_ids: list[int], periods: list[str]
) -> dict[str, int]:
    """Recompute every index of `city` that reads one of these indicators, for these periods,
    then the matrices built on those indices."""
    reads = Q(components__indicator_id__in=indicator_ids) | Q(
        population_indicator_id__in=indicator_ids
    )
    done: dict[str, int] = {}
    for index in CompositeIndex.objects.filter(city=city).filter(reads).distinct():
        done[index.code] = recompute_index(index, periods)
    if done:
        built_on = Q(row_index__code__in=list(done)) | Q(column_index__code__in=list(done))
        for matrix in CompositeIndex.objects.filter(city=city, method="matrix").filter(built_on):
            done[matrix.code] = recompute_index(matrix, periods)
    return done


def recompute_index(index: CompositeIndex, periods: list[str] | None = None) -> int:
    """Compute and store the results of `index` for `periods` (all periods with data if None).

    An area takes part in a period when it has a value for every component (and, with a population
    threshold, a population value at or above it) in that period.
    """
    if index.method == CompositeIndex.Method.MATRIX:
        return _recompute_matrix(index, periods)
    components = list(index.components.select_related("indicator"))
    indicator_ids = [c.indicator_id for c in components]
    threshold = index.population_threshold if index.population_indicator_id else None
    columns = indicator_ids + ([index.population_indicator_id] if threshold is not None else [])
    stale = IndexResult.objects.filter(index=index)
    if periods is None:  # everything anew, including periods that have no data any more
        periods = sorted(
            Observation.objects.filter(indicator_id__in=indicator_ids)
            .order_by()
            .values_list("period", flat=True)
            .distinct()
        )
    else:
        stale = stale.filter(period__in=periods)
    stale.delete()
    if not indicator_ids:
        return 0
    weights = np.array([c.weight for c in components], dtype=float)
    signs = np.array([1.0 if c.indicator.higher_is_worse else -1.0 for c in components])
    stored = 0
    for period in periods:
        areas, matrix = _read_matrix(columns, period)
        values = matrix[:, : len(indicator_ids)]
        taking_part = ~np.isnan(values).any(axis=1)
        if threshold is not None:
            with np.errstate(invalid="ignore"):
                taking_part &= matrix[:, -1] >= threshold  # no population value: left out
        if not taking_part.any():
            continue
        outcome = compute(index, values[taking_part], weights, signs)
        stored += _store(index, period, areas[taking_part].tolist(), outcome)
    return stored


def _read_matrix(indicator_ids: list[int], period: str) -> tuple[np.ndarray, np.ndarray]:
    """The areas (sorted ids) with a value of any of these indicators in `period`, and a matrix of
    their values, one column per indicator id, NaN where an area has none.

    Read through the cursor into numpy, not through the ORM into dicts: for 245,000 values that is
    the difference between a quarter and one and a half seconds.
    """
    query = (
        Observation.objects.filter(indicator_id__in=set(indicator_ids), period=period)
        .order_by()
        .values_list("indicator_id", "area_id", "value")
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        data = np.array(cursor.fetchall(), dtype=float).reshape(-1, 3)
    areas, rows = np.unique(data[:, 1].astype(np.int64), return_inverse=True)
    matrix = np.full((len(areas), len(indicator_ids)), np.nan)
    indicators = data[:, 0].astype(np.int64)
    for column, indicator_id in enumerate(indicator_ids):
        chosen = indicators == indicator_id
        matrix[rows[chosen], column] = data[chosen, 2]
    return areas, matrix


def compute(index: CompositeIndex, matrix: np.ndarray, weights, signs) -> methods.IndexOutcome:
    if index.method == CompositeIndex.Method.ZSCORE:
        return methods.zscore_index(matrix, weights=weights, signs=signs, cutoffs=index.cutoffs)
    return methods.rank_exponential_index(matrix, weights=weights, signs=signs)


def _store(index: CompositeIndex, period: str, area_list: list[int], outcome) -> int:
    labels = index.class_labels
    numbers = outcome.class_number.tolist()
    ranks = outcome.rank.tolist() if outcome.rank is not None else [None] * len(area_list)
    rows = [
        (
            index.pk,
            area_id,
            period,
            total,
            score,
            rank,
            number,
            labels[number - 1] if number <= len(labels) else str(number),
        )
        for area_id, total, score, rank, number in zip(
            area_list, outcome.total.tolist(), outcome.score.tolist(), ranks, numbers, strict=True
        )
    ]
    _insert_results(rows)
    return len(rows)


RESULT_COLUMNS = [
    "index",
    "area",
    "period",
    "total",
    "score",
    "rank",
    "class_number",
    "class_label",
]


def _insert_results(rows: list[tuple]) -> None:
    """Insert results given as tuples in RESULT_COLUMNS order.

    Not bulk_create: it builds a model instance and prepares every value through the ORM, about
    0.15 ms a row — 5 s for 35,000 areas. On PostgreSQL, COPY: 0.6 s for 35,000 rows where
    psycopg's client-side binding of multi-row INSERTs took 7 s. Elsewhere, multi-row VALUES.
    """
    quote = connection.ops.quote_name
    table = quote(IndexResult._meta.db_table)
    columns = ", ".join(quote(IndexResult._meta.get_field(name).column) for name in RESULT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        one_row = f"({', '.join(['%s'] * len(RESULT_COLUMNS))})"
        for start in range(0, len(rows), INSERT_ROWS):
            batch = rows[start : start + INSERT_ROWS]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one_row] * len(batch)),
                [value for row in batch for value in row],
            )


def _recompute_matrix(index: CompositeIndex, periods: list[str] | None) -> int:
    row, column = index.row_index, index.column_index
    results = IndexResult.objects.filter(index_id__in=[row.pk, column.pk])
    stale = IndexResult.objects.filter(index=index)
    if periods is not None:
        results = results.filter(period__in=periods)
        stale = stale.filter(period__in=periods)
    stale.delete()
    classes: dict[tuple[str, int], dict[int, int]] = defaultdict(dict)
    for index_id, area_id, period, number in results.values_list(
        "index_id", "area_id", "period", "class_number"
    ):
        classes[(period, area_id)][index_id] = number
    columns = len(column.class_labels)
    rows = []
    for (period, area_id), found in sorted(classes.items()):
        if row.pk in found and column.pk in found:
            group = int(methods.cross_classes(found[row.pk], found[column.pk], columns))
            rows.append(
                (index.pk, area_id, period, None, None, None, group, index.class_labels[group - 1])
            )
    _insert_results(rows)
    return len(rows)
