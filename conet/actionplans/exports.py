"""CSV of actions and indicators, and the reading of an actions CSV for import.

Import reads every row first and reports every bad value by row and column; the service imports
nothing unless all rows are valid.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from conet.actionplans.models import Action, LocalActionPlan
from conet.core import spreadsheet
from conet.localgroups.models import Stakeholder

ACTION_COLUMNS = [
    "number", "title", "description", "lead", "partners", "start_date", "end_date", "cost",
    "funding_source", "objectives", "core_tasks", "risks", "status", "progress",
]  # fmt: skip
INDICATOR_COLUMNS = [
    "objective", "kind", "definition", "unit", "baseline", "target", "source", "frequency",
]  # fmt: skip
LIST_SEPARATOR = ";"


def actions_csv(actions) -> str:
    out = io.StringIO()
    writer = spreadsheet.writer(out)
    writer.writerow(ACTION_COLUMNS)
    for a in actions:
        writer.writerow(
            [
                a.number,
                a.title,
                a.description,
                a.lead,
                LIST_SEPARATOR.join(p.name for p in a.partners.all()),
                a.start_date or "",
                a.end_date or "",
                "" if a.cost is None else a.cost,
                a.funding_source,
                LIST_SEPARATOR.join(str(o.number) for o in a.objectives.all()),
                LIST_SEPARATOR.join(str(t.number) for t in a.core_tasks.all()),
                a.risks,
                a.status,
                a.progress,
            ]
        )
    return out.getvalue()


def indicators_csv(objectives) -> str:
    out = io.StringIO()
    writer = spreadsheet.writer(out)
    writer.writerow(INDICATOR_COLUMNS)
    for objective in objectives:
        for i in objective.indicators.all():
            writer.writerow(
                [
                    objective.number,
                    i.kind,
                    i.definition,
                    i.unit,
                    "" if i.baseline is None else i.baseline,
                    "" if i.target is None else i.target,
                    i.source,
                    i.frequency,
                ]
            )
    return out.getvalue()


@dataclass
class ImportError_:
    row: int
    column: str
    message: str


@dataclass
class ParsedActions:
    rows: list[dict]
    errors: list[ImportError_]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def read_actions(plan: LocalActionPlan, text: str) -> ParsedActions:
    """Every row as service arguments, or every error by row (the header is row 1) and column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    errors: list[ImportError_] = []
    if not reader.fieldnames or "title" not in reader.fieldnames:
        return ParsedActions([], [ImportError_(1, "title", _("The header has no column 'title'."))])
    unknown = [name for name in reader.fieldnames if name not in ACTION_COLUMNS]
    for name in unknown:
        errors.append(ImportError_(1, name, _("Unknown column.")))
    stakeholders = {
        s.name.casefold(): s
        for s in Stakeholder.objects.filter(group__partnership=plan.partnership)
    }
    objectives = {o.number: o for o in plan.objectives.all()}
    core_tasks = {t.number: t for t in plan.partnership.network.core_tasks.all()}
    statuses = set(Action.Status.values)
    rows = []
    for line, raw in enumerate(reader, start=2):
        values = {
            name: spreadsheet.read_cell((raw.get(name) or "").strip()) for name in ACTION_COLUMNS
        }
        row: dict = {}

        def bad(column: str, message: str, line=line) -> None:
            errors.append(ImportError_(line, column, message))

        if not values["title"]:
            bad("title", _("A title is required."))
        row["title"] = values["title"]
        for name in ("description", "lead", "funding_source", "risks"):
            row[name] = values[name]
        for name in ("title", "lead", "funding_source"):
            limit = Action._meta.get_field(name).max_length
            if len(values[name]) > limit:
                bad(
                    name,
                    _("Longer than %(limit)d characters (%(count)d).")
                    % {"limit": limit, "count": len(values[name])},
                )
        for name in ("start_date", "end_date"):
            row[name] = None
            if values[name]:
                try:
                    row[name] = date.fromisoformat(values[name])
                except ValueError:
                    bad(
                        name,
                        _("Not a date: %(value)s (write YYYY-MM-DD).") % {"value": values[name]},
                    )
        if row["start_date"] and row["end_date"] and row["end_date"] < row["start_date"]:
            bad("end_date", _("The end date is before the start date."))
        row["cost"] = None
        if values["cost"]:
            try:
                row["cost"] = Decimal(values["cost"])
            except InvalidOperation:
                bad("cost", _("Not a number: %(value)s.") % {"value": values["cost"]})
            else:
                if row["cost"] < 0:
                    bad("cost", _("The cost cannot be negative."))
        row["status"] = values["status"] or Action.Status.PLANNED
        if row["status"] not in statuses:
            bad("status", _("Unknown status: %(value)s.") % {"value": values["status"]})
        row["progress"] = 0
        if values["progress"]:
            try:
                row["progress"] = int(values["progress"])
            except ValueError:
                bad("progress", _("Not a whole number: %(value)s.") % {"value": values["progress"]})
            else:
                if not 0 <= row["progress"] <= 100:
                    bad("progress", _("Progress is between 0 and 100."))
        row["partners"] = []
        for name in _split(values["partners"]):
            if name.casefold() in stakeholders:
                row["partners"].append(stakeholders[name.casefold()])
            else:
                bad("partners", _("Unknown stakeholder: %(value)s.") % {"value": name})
        for column, known, target in (
            ("objectives", objectives, "objectives"),
            ("core_tasks", core_tasks, "core_tasks"),
        ):
            row[target] = []
            for part in _split(values[column]):
                if part.isdigit() and int(part) in known:
                    row[target].append(known[int(part)])
                else:
                    bad(column, _("Unknown number: %(value)s.") % {"value": part})
        rows.append(row)
    if not rows and not errors:
        errors.append(ImportError_(2, "title", _("The file has no rows.")))
    return ParsedActions(rows, errors)
