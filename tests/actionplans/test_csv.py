"""CSV of actions and indicators; CSV import of actions that reports every bad value by row and
column and imports nothing unless every row is valid."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conet.actionplans import services
from conet.actionplans.models import Action
from conet.localgroups.services import group_of
from tests.factories import ActionFactory, IndicatorFactory, ObjectiveFactory, StakeholderFactory

HEADER = "title,lead,partners,start_date,end_date,cost,funding_source,objectives,status,progress\n"


@pytest.fixture
def school(plan):
    return StakeholderFactory(group=group_of(plan.partnership), name="Scuola Ballarò")


@pytest.fixture
def objective(plan):
    return ObjectiveFactory(plan=plan, number=1)


def errors_of(result) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in result.errors]


def test_valid_rows_are_all_imported(people, plan, school, objective):
    text = HEADER + (
        "Homework club,School,Scuola Ballarò,2026-01-01,2026-06-30,12000,ESF,1,planned,0\n"
        "Street festival,Parish,,2026-05-01,2026-05-02,3000.50,City,,running,20\n"
    )
    result = services.import_actions(plan, by=people["city_coordinator"], text=text)
    assert result.errors == []
    first, second = Action.objects.order_by("number")
    assert (first.title, first.cost, list(first.partners.all()), list(first.objectives.all())) == (
        "Homework club", Decimal("12000"), [school], [objective],
    )  # fmt: skip
    assert (second.number, second.cost, second.progress) == (2, Decimal("3000.50"), 20)


def test_bad_date_unknown_stakeholder_and_negative_cost_are_reported_by_row_and_column(
    people, plan, school
):
    text = HEADER + (
        "Good one,School,Scuola Ballarò,2026-01-01,2026-02-01,100,ESF,,planned,0\n"
        "Bad date,School,,2026-13-01,2026-02-01,100,ESF,,planned,0\n"
        "Unknown partner,School,Nobody Inc,2026-01-01,2026-02-01,100,ESF,,planned,0\n"
        "Negative,School,,2026-01-01,2026-02-01,-5,ESF,,planned,0\n"
    )
    result = services.import_actions(plan, by=people["city_coordinator"], text=text)
    assert errors_of(result) == [(3, "start_date"), (4, "partners"), (5, "cost")]
    assert "Nobody Inc" in result.errors[1].message
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    ("line", "column"),
    [
        (",School,,,,,,,planned,0", "title"),
        ("X,,,2026-05-01,2026-01-01,,,,planned,0", "end_date"),
        ("X,,,,,abc,,,planned,0", "cost"),
        ("X,,,,,,,7,planned,0", "objectives"),
        ("X,,,,,,,,finished,0", "status"),
        ("X,,,,,,,,planned,101", "progress"),
    ],
)
def test_every_kind_of_bad_value_names_its_column(people, plan, line, column):
    result = services.import_actions(plan, by=people["city_coordinator"], text=HEADER + line)
    assert errors_of(result) == [(2, column)]
    assert not Action.objects.exists()


def test_a_file_without_a_title_column_is_refused(people, plan):
    result = services.import_actions(plan, by=people["city_coordinator"], text="name,cost\nX,1\n")
    assert errors_of(result) == [(1, "title")]


def test_the_import_page_shows_the_report_and_imports_nothing(people, plan, client_as):
    url = reverse(
        "actionplans:actions_import",
        args=[plan.partnership.network.slug, plan.partnership.city.slug],
    )
    upload = SimpleUploadedFile("a.csv", (HEADER + "X,,,2026-02-30,,,,,planned,0\n").encode())
    response = client_as(people["city_coordinator"]).post(url, {"file": upload})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was imported" in html and "start_date" in html and "<td>2</td>" in html
    assert not Action.objects.exists()


def test_the_import_page_is_refused_to_lsg_members(people, plan, client_as):
    url = reverse(
        "actionplans:actions_import",
        args=[plan.partnership.network.slug, plan.partnership.city.slug],
    )
    upload = SimpleUploadedFile("a.csv", (HEADER + "X,,,,,,,,planned,0\n").encode())
    assert client_as(people["lsg_member"]).post(url, {"file": upload}).status_code == 403
    assert not Action.objects.exists()


def test_exported_actions_import_again(people, plan, school, objective):
    action = ActionFactory(plan=plan, title="Homework club", cost=Decimal("12000.00"))
    action.partners.add(school)
    action.objectives.add(objective)
    client_url = reverse(
        "actionplans:actions_csv", args=[plan.partnership.network.slug, plan.partnership.city.slug]
    )
    from django.test import Client

    client = Client()
    client.force_login(people["city_coordinator"])
    exported = client.get(client_url).content.decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert rows[0]["title"] == "Homework club" and rows[0]["partners"] == "Scuola Ballarò"
    result = services.import_actions(plan, by=people["city_coordinator"], text=exported)
    assert result.errors == []
    assert Action.objects.filter(title="Homework club").count() == 2


def test_indicators_csv_lists_every_indicator_with_its_objective(people, plan, client_as):
    objective = ObjectiveFactory(plan=plan, number=3)
    IndicatorFactory(objective=objective, definition="Pupils in the club", target=Decimal(80))
    url = reverse(
        "actionplans:indicators_csv",
        args=[plan.partnership.network.slug, plan.partnership.city.slug],
    )
    response = client_as(people["lead_expert"]).get(url)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows == [
        {"objective": "3", "kind": "result", "definition": "Pupils in the club", "unit": "people",
         "baseline": "10.00", "target": "80.00", "source": "", "frequency": ""},
    ]  # fmt: skip


def test_visitors_cannot_download_a_draft(plan, client_as):
    url = reverse(
        "actionplans:actions_csv", args=[plan.partnership.network.slug, plan.partnership.city.slug]
    )
    assert client_as(None).get(url).status_code == 403


def test_an_over_long_title_or_lead_is_reported_and_nothing_is_imported(people, plan):
    text = HEADER + (
        "Good one,School,,2026-01-01,2026-02-01,100,ESF,,planned,0\n"
        f"{'T' * 201},School,,2026-01-01,2026-02-01,100,ESF,,planned,0\n"
        f"Fine,{'L' * 500},,2026-01-01,2026-02-01,100,ESF,,planned,0\n"
    )
    result = services.import_actions(plan, by=people["city_coordinator"], text=text)
    assert errors_of(result) == [(3, "title"), (4, "lead")]
    assert "200" in result.errors[0].message
    assert not Action.objects.exists()
