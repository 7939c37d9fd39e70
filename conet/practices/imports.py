"""Reading good practices from a CSV or JSON file: every row checked before anything is stored.

A mapping names, for each column of the file, the field it fills (`null` skips a column):

    {"Name": "name", "City": "city_name", "Budget": "budget", "Notes": null}

Three mappings need no writing: the URBACT Good Practice export (recognised by its `CodePractices`
column), CoNet's own export (columns named like the fields) and any file whose columns are field
names. Parsing turns text into values and names the row and column of every value it cannot read;
`conet.practices.services.import_practices` stores the rows only when there is no problem at all.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conet.core import spreadsheet
from conet.practices.models import GoodPractice

# The URBACT Good Practice database export of 2017, column by column.
URBACT_MAPPING: dict[str, str | None] = {
    "Name": "name",
    "City": "city_name",
    "Pop": "population",
    "Country": "country",
    "Description": "description",
    "Start": "start_year",
    "End": "end",  # "Ongoing", a year, or words: split into end_year, ongoing and end_note
    "DateLabel": "labelled_on",
    "Budget": "budget",
    "Kwords": "keywords",
    "Summary": "summary",
    "Solution": "solution",
    "Approach": "integrated_approach",
    "Participation": "participation",
    "Outcomes": "outcomes",
    "Transferability": "transferability",
    "CountryCode": "country_code",
    "Region": "region",
    "Continent": "continent",
    "AllText": None,  # the six text sections joined: kept as the sections themselves
    "CodePractices": "source_key",
    "ClassePop": "population_class",
    "ClasseStart": "start_period",
    "location": "location",
    "Long": "longitude",
    "Lat": "latitude",
    "Kwords2020": "keywords_2020",
    "geonameId": "geonames_id",
    "asciiName": "city_ascii_name",
    "SizeClassURBACT": "size_class",
}
URBACT_KEY_PREFIX = "urbact-2017-"

# Fields a mapping may fill; "end" is the URBACT mixed column, "core_tasks" lists core-task numbers.
IMPORTABLE_FIELDS = {
    "source_key", "slug", "status", "core_tasks", "end", *GoodPractice.RECORD_FIELDS,
}  # fmt: skip
REQUIRED_FIELDS = ["name", "city_name", "country", "description"]
EXPORT_FIELDS = ["source_key", "slug", *GoodPractice.RECORD_FIELDS, "status", "core_tasks"]

MISSING = {"", "na", "n/a", "n.a.", "not available", "none", "null", "-", "unknown"}
ONGOING = {"ongoing", "on going", "on-going", "continuing", "in progress"}
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d|2100)\b")


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV, not JSON, unknown columns in the mapping …)."""


@dataclass
class Problem:
    row: int  # 1 is the first record after the header; 0 is the file or the mapping itself
    column: str
    message: str

    def __str__(self) -> str:
        fields = {"row": self.row, "column": self.column, "message": self.message}
        if not self.row:
            if self.column:
                return _("file, column “%(column)s”: %(message)s") % fields
            return _("file: %(message)s") % fields
        if self.column:
            return _("row %(row)s, column “%(column)s”: %(message)s") % fields
        return _("row %(row)s: %(message)s") % fields


@dataclass
class ParsedRow:
    row: int
    values: dict = field(default_factory=dict)
    core_task_numbers: list[int] | None = None


# --- reading ---------------------------------------------------------------------------------


def read_records(path: str | Path, file_format: str | None = None) -> tuple[list[str], list[dict]]:
    """The columns and records of a CSV (with a header) or JSON (a list of objects) file."""
    path = Path(path)
    file_format = file_format or ("json" if path.suffix.lower() == ".json" else "csv")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"cannot read {path}: {exc}") from exc
    return parse_text(text, file_format)


def parse_text(text: str, file_format: str) -> tuple[list[str], list[dict]]:
    if file_format == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"not JSON: {exc}") from exc
        if isinstance(data, dict) and isinstance(data.get("practices"), list):
            data = data["practices"]
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise ImportFileError('JSON must be a list of objects, or {"practices": [...]}')
        columns: list[str] = []
        for item in data:
            columns.extend(key for key in item if key not in columns)
        return columns, data
    if file_format != "csv":
        raise ImportFileError(f"unknown format {file_format!r}: use csv or json")
    try:
        reader = csv.DictReader(io.StringIO(text))
        columns = list(reader.fieldnames or [])
        records = [
            {key: spreadsheet.read_cell(value) if isinstance(value, str) else value
             for key, value in record.items()}
            for record in reader
        ]  # fmt: skip
    except csv.Error as exc:
        raise ImportFileError(f"not CSV: {exc}") from exc
    if not columns:
        raise ImportFileError("the file has no header row")
    return columns, records


def choose_mapping(columns: list[str], mapping: dict | None) -> tuple[dict[str, str | None], str]:
    """The mapping to use and the prefix of source keys; checks a given mapping against the columns."""
    if mapping is None:
        if "CodePractices" in columns:
            return dict(URBACT_MAPPING), URBACT_KEY_PREFIX
        if "name" in columns:  # CoNet's own export, or any file with field names as columns
            return {column: column for column in columns if column in IMPORTABLE_FIELDS}, ""
        raise ImportFileError(
            "the columns are not URBACT's nor field names: give a mapping with --mapping"
        )
    problems = []
    for column, target in mapping.items():
        if target is not None and target not in IMPORTABLE_FIELDS:
            problems.append(f"“{column}” maps to unknown field “{target}”")
        if column not in columns:
            problems.append(f"the mapping names column “{column}”, which the file does not have")
    if problems:
        raise ImportFileError("; ".join(problems))
    return dict(mapping), ""


# --- parsing ---------------------------------------------------------------------------------


class BadValue(ValueError):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value).strip()


def _missing(value) -> bool:
    return _text(value).lower() in MISSING


def parse_integer(value, *, what: str = gettext_lazy("a whole number")) -> int | None:
    if value is None or _missing(value):
        return None
    if isinstance(value, bool):
        raise BadValue(_("“%(value)s” is not %(what)s") % {"value": value, "what": what})
    if isinstance(value, int):
        return value
    text = _text(value).replace("\u00a0", "").replace(" ", "").replace("’", "").replace("'", "")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):  # 1,500,000 or 1.500.000
        text = re.sub(r"[.,]", "", text)
    if re.fullmatch(r"\d+([.,]0+)?", text):
        return int(re.split(r"[.,]", text)[0])
    raise BadValue(_("“%(value)s” is not %(what)s") % {"value": _text(value), "what": what})


def parse_budget(value) -> int | None:
    """Euros as whole numbers: 260000, 1,500,000, 1.500.000, € 40 000, 40000 EUR, 1.5 million."""
    if value is None or _missing(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0:
            raise BadValue(_("“%(value)s” is not an amount in euros") % {"value": value})
        return int(value)
    text = re.sub(r"€|euros?|eur", "", _text(value).lower()).strip()
    million = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(m|million|mio\.?)", text)
    if million:
        return int(Decimal(million.group(1).replace(",", ".")) * 1_000_000)
    try:
        amount = parse_integer(text, what=gettext_lazy("an amount in euros"))
    except BadValue:
        raise BadValue(
            _("“%(value)s” is not an amount in euros") % {"value": _text(value)}
        ) from None
    return amount


def parse_year(value) -> int | None:
    year = parse_integer(value, what=gettext_lazy("a year"))
    if year is not None and not 1800 <= year <= 2100:
        raise BadValue(
            _("“%(value)s” is not a year between 1800 and 2100") % {"value": _text(value)}
        )
    return year


def parse_end(value) -> dict:
    """URBACT's End column: "Ongoing", a year, or words ("ended in 2013", "Annual")."""
    text = " ".join(_text(value).split())
    if text.lower() in ONGOING:
        return {"ongoing": True, "end_year": None, "end_note": ""}
    if re.fullmatch(r"\d{4}", text):
        return {"ongoing": False, "end_year": parse_year(text), "end_note": ""}
    if text.lower() in MISSING:
        return {"ongoing": False, "end_year": None, "end_note": text}
    years = YEAR.findall(text)
    return {"ongoing": False, "end_year": int(years[0]) if years else None, "end_note": text}


def parse_boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in {"1", "true", "yes", "y", "ja", "oui", "si", "sì"}:
        return True
    if text in {"", "0", "false", "no", "n", "nein", "non"}:
        return False
    raise BadValue(_("“%(value)s” is not yes or no") % {"value": _text(value)})


def parse_keywords(value) -> list[str]:
    """One keyword a line (URBACT's indented lists), or separated by semicolons."""
    if isinstance(value, list):
        items = [str(item) for item in value]
    else:
        text = _text(value)
        items = re.split(r"[\n;]", text) if text else []
    return [" ".join(item.split()) for item in items if item.strip()]


def parse_coordinate(value, limit: int) -> Decimal | None:
    if value is None or _missing(value):
        return None
    try:
        number = Decimal(_text(value).replace(",", "."))
    except InvalidOperation:
        raise BadValue(_("“%(value)s” is not a number") % {"value": _text(value)}) from None
    if not number.is_finite() or not -limit <= number <= limit:
        raise BadValue(
            _("“%(value)s” is outside −%(limit)s…%(limit)s")
            % {"value": _text(value), "limit": limit}
        )
    return number.quantize(Decimal("0.000001"))


def parse_date(value) -> date | None:
    if value is None or _missing(value):
        return None
    text = _text(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise BadValue(_("“%(value)s” is not a date (use 2017-06-02 or 02/06/2017)") % {"value": text})


def parse_core_tasks(value) -> list[int]:
    if isinstance(value, list):
        items = value
    else:
        items = [item for item in re.split(r"[,;\s]+", _text(value)) if item]
    numbers = []
    for item in items:
        number = parse_integer(item, what=gettext_lazy("a core-task number"))
        if number is not None:
            numbers.append(number)
    return numbers


def _max_length(name: str) -> int | None:
    return getattr(GoodPractice._meta.get_field(name), "max_length", None)


def parse_value(target: str, raw) -> dict:
    """The model values that one cell fills."""
    if target == "end":
        return parse_end(raw)
    if target in {"population", "geonames_id"}:
        return {target: parse_integer(raw)}
    if target in {"start_year", "end_year"}:
        return {target: parse_year(raw)}
    if target == "budget":
        return {target: parse_budget(raw)}
    if target in {"keywords", "keywords_2020"}:
        return {target: parse_keywords(raw)}
    if target == "latitude":
        return {target: parse_coordinate(raw, 90)}
    if target == "longitude":
        return {target: parse_coordinate(raw, 180)}
    if target == "labelled_on":
        return {target: parse_date(raw)}
    if target == "ongoing":
        return {target: parse_boolean(raw)}
    if target == "core_tasks":
        return {target: parse_core_tasks(raw)}
    text = _text(raw)
    if target == "location":
        text = re.sub(r"\s*,\s*", ", ", text)
    if target == "country_code":
        text = text.upper()
        if text and not re.fullmatch(r"[A-Z]{2}", text):
            raise BadValue(_("“%(value)s” is not a two-letter country code") % {"value": text})
    if target == "language":
        text = text.lower() or "en"
        if text not in {code for code, _name in settings.LANGUAGES}:
            raise BadValue(_("“%(value)s” is not a language of the platform") % {"value": text})
    if target == "status":
        text = text.lower() or "draft"
        if text not in {"draft", "published"}:
            raise BadValue(_("“%(value)s” is not draft or published") % {"value": text})
    limit = _max_length(target) if target not in {"source_key", "slug"} else 120
    if limit and len(text) > limit:
        raise BadValue(
            _("longer than %(limit)s characters (%(length)s)")
            % {"limit": limit, "length": len(text)}
        )
    return {target: text}


def parse_records(
    records: list[dict],
    mapping: dict[str, str | None],
    *,
    key_prefix: str = "",
    language: str = "en",
) -> tuple[list[ParsedRow], list[Problem]]:
    """Every record as model values, and every problem found, by row and column."""
    columns_of = {target: column for column, target in mapping.items() if target}
    rows: list[ParsedRow] = []
    problems: list[Problem] = []
    seen_keys: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        parsed = ParsedRow(row=number, values={"language": language})
        for column, target in mapping.items():
            if not target:
                continue
            try:
                values = parse_value(target, record.get(column))
            except BadValue as exc:
                problems.append(Problem(number, column, str(exc)))
                continue
            if target == "core_tasks":
                parsed.core_task_numbers = values["core_tasks"]
            else:
                parsed.values.update(values)
        values = parsed.values
        for name in REQUIRED_FIELDS:
            if (
                name in columns_of
                and not values.get(name)
                and not any(p.row == number and p.column == columns_of[name] for p in problems)
            ):
                problems.append(Problem(number, columns_of[name], _("is empty")))
            elif name not in columns_of and number == 1:
                problems.append(Problem(0, name, _("no column is mapped to this required field")))
        start, end = values.get("start_year"), values.get("end_year")
        if start and end and end < start:
            column = columns_of.get("end") or columns_of.get("end_year") or "end"
            problems.append(
                Problem(
                    number,
                    column,
                    _("ends (%(end)s) before it starts (%(start)s)") % {"end": end, "start": start},
                )
            )
        if not any(problem.row == number for problem in problems):
            problems.extend(_model_problems(number, values, columns_of))
        key = values.get("source_key") or ""
        key = (
            f"{key_prefix}{key}"
            if key
            else slugify(f"{values.get('name', '')}-{values.get('city_name', '')}")[:120]
        )
        values["source_key"] = key
        if key in seen_keys:
            column = columns_of.get("source_key") or columns_of.get("name", "")
            problems.append(
                Problem(
                    number,
                    column,
                    _("the same record as row %(row)s (“%(key)s”)")
                    % {"row": seen_keys[key], "key": key},
                )
            )
        seen_keys.setdefault(key, number)
        rows.append(parsed)
    return rows, problems


def _model_problems(number: int, values: dict, columns_of: dict) -> list[Problem]:
    """What the model itself refuses (lengths, ranges, language codes), named by column."""
    fields = {f.name for f in GoodPractice._meta.concrete_fields}
    practice = GoodPractice(**{name: value for name, value in values.items() if name in fields})
    try:
        practice.clean_fields(exclude=["slug", "source_key"])
        practice.clean()
    except ValidationError as error:
        problems = []
        for name, messages in error.message_dict.items():
            column = columns_of.get(name) or (
                columns_of.get("end", name) if name in {"end_year", "ongoing"} else name
            )
            problems.extend(Problem(number, column, str(message)) for message in messages)
        return problems
    return []


# --- writing ---------------------------------------------------------------------------------


def export_value(practice: GoodPractice, name: str, *, for_json: bool):
    if name == "core_tasks":
        numbers = sorted(task.number for task in practice.core_tasks.all())
        return numbers if for_json else ",".join(str(n) for n in numbers)
    value = getattr(practice, name)
    if isinstance(value, list):
        return value if for_json else "\n".join(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return None if for_json else ""
    return value


def export_rows(practices, *, for_json: bool) -> list[dict]:
    return [
        {name: export_value(practice, name, for_json=for_json) for name in EXPORT_FIELDS}
        for practice in practices
    ]


def to_csv(practices) -> str:
    buffer = io.StringIO()
    writer = spreadsheet.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    writer.writerows(export_rows(practices, for_json=False))
    return buffer.getvalue()


def to_json(practices) -> str:
    return json.dumps(
        {"practices": export_rows(practices, for_json=True)}, ensure_ascii=False, indent=1
    )
