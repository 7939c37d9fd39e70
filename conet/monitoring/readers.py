"""Reading what cities upload: CSV tables in any of the usual dialects, and GeoJSON areas.

Nothing here writes; the services turn what is read into rows, inside one transaction. Every problem
is reported with the row (the line number in the file, the header being row 1) and the column.
"""

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from conet.core import spreadsheet
from conet.monitoring.models import CODE_MAX_LENGTH, Area

MAX_PROBLEMS = 200
MISSING = {"", "na", "n/a", "nan", "-", "–", "—", "."}
DELIMITERS = [";", ",", "\t"]
THOUSANDS_WITH_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
THOUSANDS_WITH_POINT = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


@dataclass
class Problem:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None and not self.column:
            return self.message
        if self.row is None:
            return _("Column “%(column)s”: %(message)s") % {
                "column": self.column,
                "message": self.message,
            }
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Problems:
    """Problems found so far; reading goes on after one, so a file's every bad cell is reported at once."""

    items: list[Problem] = field(default_factory=list)
    more: int = 0

    def add(self, row: int | None, column: str, message: str) -> None:
        problem = Problem(row, column, message)
        if self.items and self.items[-1] == problem:
            return  # an unknown area in a wide row is one problem, not one per column
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(problem)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.items)


class ImportFailed(Exception):
    """The file was refused; nothing was stored. `problems` names the row and column of each."""

    def __init__(self, problems: Problems):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems.items[:5]))

    @property
    def messages(self) -> list[str]:
        lines = [str(problem) for problem in self.problems.items]
        if self.problems.more:
            lines.append(_("… and %(count)s more problems.") % {"count": self.problems.more})
        return lines


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells)
    delimiter: str
    decimal: str  # "." or ","


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM; Windows-1252 (Excel's old default) if it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _sniff_delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _guess_decimal(rows: list[tuple[int, list[str]]], delimiter: str) -> str:
    """A decimal comma if some cell reads like "1,5" or "1.234,5"; a decimal point otherwise."""
    for _row, cells in rows:
        for cell in cells:
            text = cell.strip()
            if re.fullmatch(r"[+-]?[\d.]*\d,\d+", text) and (
                delimiter == ";" or not THOUSANDS_WITH_POINT.match(text)
            ):
                return ","
    return "."


def read_table(data: bytes, *, decimal: str = "auto") -> Table:
    text = decode(data)
    if not text.strip():
        problems = Problems()
        problems.add(None, "", _("The file is empty."))
        raise ImportFailed(problems)
    first_line = text.split("\n", 1)[0]
    delimiter = _sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader)]
        rows = [
            (reader.line_num, [spreadsheet.read_cell(c) for c in cells])
            for cells in reader
            if any(c.strip() for c in cells)
        ]
    except csv.Error as error:
        problems = Problems()
        problems.add(
            reader.line_num,
            "",
            _("The file is not a readable CSV table: %(error)s") % {"error": error},
        )
        raise ImportFailed(problems) from error
    if decimal == "auto":
        decimal = _guess_decimal(rows, delimiter)
    return Table(header=header, rows=rows, delimiter=delimiter, decimal=decimal)


def parse_number(text: str, decimal: str) -> float | None:
    """The value of a cell, None for an empty or "NA" cell; ValueError for anything else."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if text.lower() in MISSING:
        return None
    if decimal == ",":
        if "." in text and not THOUSANDS_WITH_COMMA.match(text):
            raise ValueError(
                _("“%(text)s” mixes decimal separators; this file uses a decimal comma.")
                % {"text": text}
            )
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        if not THOUSANDS_WITH_POINT.match(text):
            raise ValueError(
                _("“%(text)s” has a comma; this file uses a decimal point.") % {"text": text}
            )
        text = text.replace(",", "")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(_("“%(text)s” is not a number.") % {"text": text}) from None
    if not math.isfinite(value):
        raise ValueError(_("“%(text)s” is not a finite number.") % {"text": text})
    return value


# GeoJSON ---------------------------------------------------------------------------------------

WGS84_NAMES = {
    "",
    "epsg:4326",
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:epsg::4326",
    "crs84",
}


@dataclass
class AreaShape:
    code: str
    name: str
    parent: str
    geometry: dict | None  # None: the feature's geometry is null (an area without a shape yet)
    row: int  # the feature's position, 1-based


NAME_MAX_LENGTH = Area._meta.get_field("name").max_length  # what the database keeps


def _too_long(text: str, limit: int) -> str:
    """The problem with `text` if it is longer than the database keeps, else ""."""
    if len(text) <= limit:
        return ""
    return _("Longer than %(limit)d characters (%(count)d).") % {"limit": limit, "count": len(text)}


def _crs_of(document: dict) -> str:
    crs = document.get("crs")
    properties = crs.get("properties") if isinstance(crs, dict) else None
    return str(properties.get("name") or "") if isinstance(properties, dict) else ""


def _epsg(name: str) -> str:
    """ "urn:ogc:def:crs:EPSG::25833", "EPSG:25833" or "25833" → "EPSG:25833"."""
    name = name.strip()
    match = re.search(r"(\d{4,6})\s*$", name)
    if name.lower() in WGS84_NAMES or name.upper().endswith("CRS84"):
        return "EPSG:4326"
    if match:
        return f"EPSG:{match.group(1)}"
    return name


def _map_coordinates(geometry: dict, convert) -> dict:
    def walk(coordinates):
        if coordinates and isinstance(coordinates[0], int | float):
            x, y = convert(float(coordinates[0]), float(coordinates[1]))
            return [round(x, 6), round(y, 6)]
        return [walk(part) for part in coordinates]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def _positions(coordinates):
    if coordinates and isinstance(coordinates[0], int | float):
        yield coordinates
        return
    for part in coordinates:
        yield from _positions(part)


def _valid_rings(geometry: dict) -> bool:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return False
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4 or ring[0] != ring[-1]:
                return False
            if any(not isinstance(p, list) or len(p) < 2 or not _numbers(p[:2]) for p in ring):
                return False
    return True


def _numbers(values) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def checked_geometry(geometry, convert=None) -> tuple[dict | None, str]:
    """A Polygon or MultiPolygon in WGS 84 longitude/latitude (converted by `convert` when given),
    or None and what is wrong with it."""
    if (
        not isinstance(geometry, dict)
        or geometry.get("type") not in {"Polygon", "MultiPolygon"}
        or not isinstance(geometry.get("coordinates"), list)
        or not _valid_rings(geometry)
    ):
        return None, _("Give a Polygon or MultiPolygon with closed rings.")
    if convert is not None:
        try:
            geometry = _map_coordinates(geometry, convert)
        except (TypeError, ValueError, IndexError):
            return None, _("The coordinates are not numbers.")
    if any(
        not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90) or not all(map(math.isfinite, p[:2]))
        for p in _positions(geometry["coordinates"])
    ):
        return None, _(
            "The coordinates are not longitude and latitude. If the file is in a projected "
            "system (such as EPSG:25833), give it as the source coordinate system."
        )
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}, ""


def read_geojson(
    data: bytes,
    *,
    code_property: str = "code",
    name_property: str = "name",
    parent_property: str = "",
    source_crs: str = "",
) -> list[AreaShape]:
    """Areas from a GeoJSON FeatureCollection, converted to WGS 84 longitude/latitude.

    The source CRS is `source_crs` if given, else the file's (old-style) "crs" member, else WGS 84.
    """
    problems = Problems()
    try:
        document = json.loads(decode(data))
    except json.JSONDecodeError as error:
        problems.add(error.lineno, "", _("The file is not JSON: %(error)s") % {"error": error.msg})
        raise ImportFailed(problems) from error
    except RecursionError as error:  # nested deeper than any shape: a probe, not a map
        problems.add(None, "", _("The file is nested too deeply to be a GeoJSON of areas."))
        raise ImportFailed(problems) from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        problems.add(None, "type", _("The file is not a GeoJSON FeatureCollection."))
        raise ImportFailed(problems)
    crs = _epsg(source_crs or _crs_of(document))
    convert = _converter(crs, problems)
    shapes = []
    features = document.get("features") or []
    if not isinstance(features, list):
        problems.add(None, "features", _("The file is not a GeoJSON FeatureCollection."))
        raise ImportFailed(problems)
    for position, feature in enumerate(features, start=1):
        feature = feature if isinstance(feature, dict) else {}
        properties = (
            feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        )
        geometry = feature.get("geometry", {})
        code = str(properties.get(code_property) or "").strip()
        name = str(properties.get(name_property) or "").strip()  # "" : keep or use the code
        if not code:
            problems.add(position, code_property, _("The feature has no code."))
            continue
        if too_long := _too_long(code, CODE_MAX_LENGTH) or _too_long(name, NAME_MAX_LENGTH):
            column = code_property if len(code) > CODE_MAX_LENGTH else name_property
            problems.add(position, column, too_long)
            continue
        if geometry is not None:  # null (GeoJSON's "unlocated"): an area without a shape yet
            geometry, problem = checked_geometry(geometry, convert)
            if problem:
                problems.add(position, "geometry", problem)
                continue
        shapes.append(
            AreaShape(
                code=code,
                name=name,
                parent=str(properties.get(parent_property) or "").strip()
                if parent_property
                else "",
                geometry=geometry,
                row=position,
            )
        )
    if not shapes and not problems:
        problems.add(None, "features", _("The file has no features."))
    if problems:
        raise ImportFailed(problems)
    return shapes


def _converter(crs: str, problems: Problems):
    """A function (x, y) → (longitude, latitude), or None when the source is WGS 84 already."""
    if crs == "EPSG:4326":
        return None
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(crs)
    except CRSError:
        problems.add(None, "crs", _("Unknown coordinate system: %(crs)s") % {"crs": crs})
        raise ImportFailed(problems) from None
    transformer = Transformer.from_crs(source, CRS.from_epsg(4326), always_xy=True)
    return transformer.transform
