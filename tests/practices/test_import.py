"""Importing good practices: the 97 URBACT practices field for field, idempotence, refusal of broken files."""

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conet.practices.demo import URBACT_CSV as URBACT
from conet.practices.models import GoodPractice, Status

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def _urbact_rows() -> list[dict]:
    with URBACT.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_all_97_urbact_practices_are_stored_with_every_field_mapped():
    output = _run("import_practices", str(URBACT))
    assert "97 created, 0 changed" in output
    rows = _urbact_rows()
    assert len(rows) == 97 and GoodPractice.objects.count() == 97
    practices = {p.source_key: p for p in GoodPractice.objects.all()}
    for row in rows:
        p = practices[f"urbact-2017-{row['CodePractices']}"]
        assert p.name == row["Name"].strip()
        assert p.city_name == row["City"].strip()
        assert p.population == int(row["Pop"])
        assert p.country == row["Country"].strip()
        assert p.description == row["Description"].strip()
        assert p.start_year == (None if row["Start"] == "NA" else int(row["Start"]))
        end = row["End"].strip()
        if end.lower() in {"ongoing", "on going"}:
            assert (p.ongoing, p.end_year, p.end_note) == (True, None, "")
        elif end.isdigit():
            assert (p.ongoing, p.end_year, p.end_note) == (False, int(end), "")
        else:  # words such as "Annual", "ended in 2013", "not available" are kept as written
            assert not p.ongoing and p.end_note == end
        assert p.labelled_on == date(2017, 6, 2)  # DateLabel 02/06/2017
        assert p.budget == (None if row["Budget"] == "NA" else int(row["Budget"]))
        assert p.keywords == _lines(row["Kwords"])
        assert p.keywords_2020 == _lines(row["Kwords2020"])
        assert p.summary == row["Summary"].strip()
        assert p.solution == row["Solution"].strip()
        assert p.integrated_approach == row["Approach"].strip()
        assert p.participation == row["Participation"].strip()
        assert p.outcomes == row["Outcomes"].strip()
        assert p.transferability == row["Transferability"].strip()
        # AllText is the six sections joined: every section is found in it, so nothing is lost.
        all_text = " ".join(row["AllText"].split())
        for section in p.TEXT_SECTIONS:
            assert " ".join(getattr(p, section).split())[:300] in all_text
        assert p.country_code == row["CountryCode"]
        assert (p.region, p.continent) == (row["Region"].strip(), row["Continent"].strip())
        assert p.population_class == row["ClassePop"].strip()
        assert p.start_period == row["ClasseStart"].strip()
        assert p.location == ", ".join(part.strip() for part in row["location"].split(","))
        assert p.longitude == Decimal(row["Long"]).quantize(Decimal("0.000001"))
        assert p.latitude == Decimal(row["Lat"]).quantize(Decimal("0.000001"))
        assert p.geonames_id == int(row["geonameId"])
        assert p.city_ascii_name == row["asciiName"].strip()
        assert p.size_class == row["SizeClassURBACT"].strip()
        assert p.language == "en" and p.status == Status.PUBLISHED
    assert sum(p.ongoing for p in practices.values()) == 74  # 70 "Ongoing" + 4 "On going"
    assert practices["urbact-2017-1"].keywords[:2] == [
        "Integrated Urban Development",
        "Abandoned Spaces",
    ]


def test_importing_again_changes_nothing():
    out, err = io.StringIO(), io.StringIO()
    call_command("import_practices", str(URBACT), "--progress", stdout=out, stderr=err)
    assert "importing [" in err.getvalue() and "] 97/97" in err.getvalue()  # the progress bar
    before = {p.pk: (p.version, p.updated_at) for p in GoodPractice.objects.all()}
    output = _run("import_practices", str(URBACT))
    assert "0 created, 0 changed, 97 unchanged" in output
    assert {p.pk: (p.version, p.updated_at) for p in GoodPractice.objects.all()} == before


def test_a_changed_row_is_updated_and_counted_once(tmp_path):
    _run("import_practices", str(URBACT))
    rows = _urbact_rows()
    rows[0]["Budget"] = "300000"
    path = tmp_path / "changed.csv"
    _write_csv(path, rows)
    assert "0 created, 1 changed, 96 unchanged" in _run("import_practices", str(path))
    practice = GoodPractice.objects.get(source_key="urbact-2017-1")
    assert practice.budget == 300000 and practice.version == 2


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_a_csv_with_broken_rows_is_refused_naming_row_and_column_and_nothing_is_stored(tmp_path):
    rows = _urbact_rows()
    rows[2]["Budget"] = "about a million"
    rows[4]["Lat"] = "123.5"
    rows[4]["Start"] = "last year"
    rows[9]["Name"] = ""
    rows[11]["End"] = "1999"  # before its start
    path = tmp_path / "broken.csv"
    _write_csv(path, rows)
    with pytest.raises(CommandError, match="nothing was imported") as refused:
        _run("import_practices", str(path))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_practices", str(path), stderr=err, stdout=io.StringIO())
    report = err.getvalue()
    assert "row 3, column “Budget”: “about a million” is not an amount in euros" in report
    assert "row 5, column “Lat”: “123.5” is outside −90…90" in report
    assert "row 5, column “Start”: “last year” is not a year" in report
    assert "row 10, column “Name”: is empty" in report
    assert "row 12, column “End”: ends (1999) before it starts" in report
    assert "5 problems in 4 rows" in str(refused.value)
    assert GoodPractice.objects.count() == 0


def test_a_json_file_with_a_mapping_is_imported_and_its_broken_items_are_named(tmp_path):
    mapping = {"title": "name", "town": "city_name", "nation": "country", "pitch": "description",
               "money": "budget", "id": "source_key", "tags": "keywords", "finished": "end_year",
               "remark": None}  # fmt: skip
    items = [
        {"id": "a", "title": "Street school", "town": "Gijón", "nation": "Spain",
         "pitch": "Lessons on the square", "money": "€ 1.5 million", "tags": ["Education", "Youth"],
         "finished": 2019, "remark": "skip me"},
        {"id": "b", "title": "Tool library", "town": "Malmö", "nation": "Sweden",
         "pitch": "Borrow a drill", "money": "40 000 EUR", "tags": "Sharing; Economy",
         "finished": None, "remark": ""},
    ]  # fmt: skip
    good = tmp_path / "good.json"
    good.write_text(json.dumps(items), encoding="utf-8")
    mapping_file = tmp_path / "mapping.json"  # a mapping may also be a file
    mapping_file.write_text(json.dumps(mapping), encoding="utf-8")
    output = _run(
        "import_practices", str(good), "--mapping", str(mapping_file), "--status", "draft"
    )
    assert "2 created, 0 changed" in output
    street = GoodPractice.objects.get(source_key="a")
    assert (street.budget, street.keywords, street.end_year) == (
        1_500_000,
        ["Education", "Youth"],
        2019,
    )
    assert street.status == Status.DRAFT
    assert GoodPractice.objects.get(source_key="b").keywords == ["Sharing", "Economy"]

    items.append({"id": "c", "title": "", "town": "Sofia", "nation": "Bulgaria", "pitch": "x",
                  "money": "lots", "tags": [], "finished": "soon", "remark": ""})  # fmt: skip
    items[0]["money"] = "2 million"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(items), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 problems in 1 rows"):
        call_command("import_practices", str(bad), "--mapping", json.dumps(mapping), stderr=err)
    assert "row 3, column “money”: “lots” is not an amount in euros" in err.getvalue()
    assert "row 3, column “finished”: “soon” is not a year" in err.getvalue()
    assert "row 3, column “title”: is empty" in err.getvalue()
    assert GoodPractice.objects.count() == 2
    assert GoodPractice.objects.get(source_key="a").budget == 1_500_000  # row 1's change not kept


def test_a_mapping_naming_a_missing_column_or_unknown_field_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Title,Town\nA,B\n", encoding="utf-8")
    with pytest.raises(CommandError, match="column “Nation”, which the file does not have"):
        _run("import_practices", str(path), "--mapping", '{"Title": "name", "Nation": "country"}')
    with pytest.raises(CommandError, match="unknown field “colour”"):
        _run("import_practices", str(path), "--mapping", '{"Title": "colour"}')
    with pytest.raises(CommandError, match="give a mapping"):
        _run("import_practices", str(path))


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_export_and_import_round_trip_keeps_every_field(tmp_path, file_format):
    _run("import_practices", str(URBACT))
    fields = ["source_key", "slug", *GoodPractice.RECORD_FIELDS, "status"]
    before = list(GoodPractice.objects.order_by("source_key").values(*fields))
    path = tmp_path / f"practices.{file_format}"
    _run("export_practices", "--format", file_format, "--output", str(path))
    assert "0 created, 0 changed, 97 unchanged" in _run("import_practices", str(path))
    GoodPractice.objects.all().delete()
    assert "97 created" in _run("import_practices", str(path))
    assert list(GoodPractice.objects.order_by("source_key").values(*fields)) == before


def test_what_the_model_refuses_is_reported_by_row_and_column_too(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "title,town,nation,pitch,lang,started,ended,still\n"
        "Ok,Bari,Italy,Fine,it,2010,,no\n"
        "Twice,Bari,Italy,Both,it,2010,2012,yes\n",
        encoding="utf-8",
    )
    mapping = {"title": "name", "town": "city_name", "nation": "country", "pitch": "description",
               "lang": "language", "started": "start_year", "ended": "end_year", "still": "ongoing"}  # fmt: skip
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problems in 1 rows"):
        call_command("import_practices", str(path), "--mapping", json.dumps(mapping), stderr=err)
    assert "row 2, column “ended”: An ongoing practice has no end year." in err.getvalue()
    assert GoodPractice.objects.count() == 0


def test_a_failure_while_storing_rolls_back_every_row(tmp_path, network):
    from conet.networks.services import set_default_core_tasks

    set_default_core_tasks(network)
    items = [
        {"name": f"Practice {n}", "city_name": "Bari", "country": "Italy", "description": "d",
         "source_key": f"k{n}", "core_tasks": [1, 2]}
        for n in range(5)
    ]  # fmt: skip
    items[3]["core_tasks"] = [9]  # CoNet has seven core tasks
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    with pytest.raises(CommandError, match="row 4: no core task"):
        _run("import_practices", str(path), "--network", network.slug)
    assert GoodPractice.objects.count() == 0  # rows 1–3 were written, then rolled back
    items[3]["core_tasks"] = [7]
    path.write_text(json.dumps(items), encoding="utf-8")
    assert "5 created" in _run("import_practices", str(path), "--network", network.slug)
    assert GoodPractice.objects.get(source_key="k3").core_tasks.get().number == 7
