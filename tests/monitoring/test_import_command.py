"""`conet monitoring_import`: the CSV import on the command line, with a progress bar for large files."""

import io

import pytest
from django.core.management import CommandError, call_command

from conet.monitoring import services
from conet.monitoring.management.commands.monitoring_import import ProgressBar
from conet.monitoring.models import Observation
from conet.monitoring.services import store_observations
from tests.monitoring.conftest import build_city


@pytest.fixture
def big_city(db, monkeypatch):
    """250 areas, with progress reported every 100 rows and values stored 200 at a time (the
    real steps are 1,000 and 2,000: the same arithmetic, ten times smaller)."""
    monkeypatch.setattr(services, "PROGRESS_EVERY", 100)
    monkeypatch.setattr(services, "BATCH", 200)
    monkeypatch.setattr(services, "UPSERT_ROWS", 200)
    return build_city(250, slug="bigville")


def _file(tmp_path, text: str):
    path = tmp_path / "values.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_large_file_is_imported_and_every_step_reports_its_progress(big_city, tmp_path):
    lines = ["area;S1;S2"] + [f"A{n};{n},5;{n * 2}" for n in range(1, 251)]
    calls = []
    store_observations(
        big_city,
        "\n".join(lines).encode(),
        period="2022",
        progress=lambda step, done, total: calls.append((step, done, total)),
    )
    checks = [(done, total) for step, done, total in calls if step == "check"]
    assert checks == [(100, 250), (200, 250), (250, 250)]
    stores = [(done, total) for step, done, total in calls if step == "store"]
    assert stores == [(200, 500), (400, 500), (500, 500)]  # 200 values a batch
    assert calls[-1] == ("indices", 1, 1)
    assert Observation.objects.filter(period="2022").count() == 500


def test_the_command_draws_a_bar_per_step_and_says_what_it_stored(big_city, tmp_path, capsys):
    lines = ["area;S1"] + [f"A{n};{n}" for n in range(1, 251)]
    out = io.StringIO()
    call_command(
        "monitoring_import", "bigville", str(_file(tmp_path, "\n".join(lines))),
        "--period", "2023", stdout=out,
    )  # fmt: skip
    err = capsys.readouterr().err  # not a terminal: one line per tenth of each step
    assert "Checking rows" in err and "[##############################] 100% 250/250" in err
    assert "Storing values" in err and "Recomputing indices" in err
    assert "250 values imported for 1 indicators and the periods 2023." in out.getvalue()
    assert "Index status:" in out.getvalue()
    assert Observation.objects.filter(period="2023").count() == 250


def test_a_bad_file_names_the_row_and_column_and_stores_nothing(big_city, tmp_path):
    before = Observation.objects.count()
    path = _file(tmp_path, "area;S1\nA1;1\nA2;lots\nNOPE;3\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "monitoring_import", "bigville", str(path), "--period", "2024", "--no-progress",
            stderr=err,
        )  # fmt: skip
    report = err.getvalue()
    assert "Row 3" in report and "S1" in report
    assert "Row 4" in report and "NOPE" in report
    assert Observation.objects.count() == before


def test_an_unknown_city_or_file_is_named(big_city, tmp_path):
    with pytest.raises(CommandError, match="No city with the slug"):
        call_command("monitoring_import", "atlantis", str(_file(tmp_path, "x")))
    with pytest.raises(CommandError, match="No file at"):
        call_command("monitoring_import", "bigville", str(tmp_path / "missing.csv"))


def test_on_a_terminal_the_bar_is_redrawn_in_place():
    stream = io.StringIO()
    bar = ProgressBar(stream, width=10, interactive=True)
    for done in (0, 500, 1000):
        bar("check", done, 1000)
    bar("store", 10, 10)
    bar.close()
    text = stream.getvalue()
    assert text.count("\r") == 4 and text.endswith("\n")
    assert "[#####.....]  50% 500/1,000" in text
    assert "\rStoring values" in text.replace("\n", "")
