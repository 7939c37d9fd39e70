"""CSV import: every dialect a city's statistics office produces, and broken files that store nothing."""

import pytest

from conet.monitoring.models import IndexResult, Indicator, Observation
from conet.monitoring.readers import ImportFailed
from conet.monitoring.services import (
    IndexDefinition,
    create_indicator,
    define_index,
    import_observations,
)

BOM = "\ufeff"


@pytest.fixture
def indicators(monitored_city, admin):
    for code in ["S1", "S2"]:
        create_indicator(monitored_city, by=admin, code=code, name=f"Indicator {code}")


def values(city) -> dict:
    return {
        (i, a, p): v
        for i, a, p, v in Observation.objects.filter(area__city=city).values_list(
            "indicator__code", "area__code", "period", "value"
        )
    }


def test_long_layout_with_commas_and_decimal_points(monitored_city, admin, indicators):
    data = "area,indicator,period,value\nA1,S1,2021,1.5\nA2,S1,2021,-2.25\nA1,S2,2020,3\n"
    summary = import_observations(monitored_city, data.encode(), by=admin)
    assert summary.observations == 3
    assert summary.periods == ["2020", "2021"]
    assert values(monitored_city) == {
        ("S1", "A1", "2021"): 1.5, ("S1", "A2", "2021"): -2.25, ("S2", "A1", "2020"): 3.0,
    }  # fmt: skip


def test_wide_layout_with_semicolons_decimal_commas_and_bom(monitored_city, admin, indicators):
    data = f"{BOM}area;name;S1;S2\nA1;Area 1;1,5;1.234,5\nA2;Area 2;-0,25;\n"
    summary = import_observations(monitored_city, data.encode("utf-8"), by=admin, period="2021")
    assert summary.observations == 3  # the empty cell is no value, not an error
    assert values(monitored_city) == {
        ("S1", "A1", "2021"): 1.5, ("S2", "A1", "2021"): 1234.5, ("S1", "A2", "2021"): -0.25,
    }  # fmt: skip


def test_wide_layout_with_a_period_column_and_tabs(monitored_city, admin, indicators):
    data = "code\tperiod\tS1\nA1\t2020\t1\nA1\t2021\t2\n"
    import_observations(monitored_city, data.encode(), by=admin)
    assert values(monitored_city) == {("S1", "A1", "2020"): 1.0, ("S1", "A1", "2021"): 2.0}


def test_comma_separated_file_with_quoted_decimal_commas(monitored_city, admin, indicators):
    data = 'area,S1,S2\nA1,"1,5","2,75"\n'
    import_observations(monitored_city, data.encode(), by=admin, period="2021")
    assert values(monitored_city) == {("S1", "A1", "2021"): 1.5, ("S2", "A1", "2021"): 2.75}


def test_windows_1252_file_from_an_old_spreadsheet(monitored_city, admin, indicators):
    data = "area;name;S1\nA1;Straße;2,5\n".encode("cp1252")
    import_observations(monitored_city, data, by=admin, period="2021")
    assert values(monitored_city) == {("S1", "A1", "2021"): 2.5}


def test_decimal_separator_can_be_given(monitored_city, admin, indicators):
    data = "area;S1\nA1;1.500\n"
    import_observations(monitored_city, data.encode(), by=admin, period="2021", decimal=",")
    assert values(monitored_city) == {("S1", "A1", "2021"): 1500.0}


def test_a_second_import_replaces_the_values_it_repeats(monitored_city, admin, indicators):
    import_observations(monitored_city, b"area;S1\nA1;1\nA2;2\n", by=admin, period="2021")
    import_observations(monitored_city, b"area;S1\nA1;5\n", by=admin, period="2021")
    assert values(monitored_city) == {("S1", "A1", "2021"): 5.0, ("S1", "A2", "2021"): 2.0}


def test_missing_indicators_are_created_when_asked(monitored_city, admin):
    summary = import_observations(
        monitored_city,
        b"area;NEW1\nA1;1\n",
        by=admin,
        period="2021",
        create_missing_indicators=True,
    )
    assert summary.created_indicators == ["NEW1"]
    assert Indicator.objects.get(city=monitored_city, code="NEW1").name == "NEW1"


def test_columns_that_are_not_indicators_can_be_skipped(monitored_city, admin, indicators):
    summary = import_observations(
        monitored_city,
        b"area;S1;Remarks\nA1;1;fine\n",
        by=admin,
        period="2021",
        ignore_unknown_columns=True,
    )
    assert summary.skipped_columns == ["Remarks"]
    assert values(monitored_city) == {("S1", "A1", "2021"): 1.0}


def _refused(city, admin, data: str, **options) -> list[str]:
    before = values(city), Indicator.objects.count()
    with pytest.raises(ImportFailed) as refusal:
        import_observations(city, data.encode(), by=admin, **options)
    assert (values(city), Indicator.objects.count()) == before, "a refused file stored something"
    return refusal.value.messages


def test_broken_file_names_every_bad_row_and_column_and_stores_nothing(
    monitored_city, admin, indicators
):
    data = "area;S1;S2\nA1;1,5;2\nA9;1;2\nA2;abc;2\nA3;1;2.5\n"
    messages = _refused(monitored_city, admin, data, period="2021")
    assert messages == [
        "Row 3, column “area”: No area with the code “A9”.",
        "Row 4, column “S1”: “abc” is not a number.",
        "Row 5, column “S2”: “2.5” mixes decimal separators; this file uses a decimal comma.",
    ]


def test_long_file_with_an_unknown_indicator_and_a_repeated_value(
    monitored_city, admin, indicators
):
    data = "area,indicator,period,value\nA1,S1,2021,1\nA1,XX,2021,2\nA1,S1,2021,3\n"
    messages = _refused(monitored_city, admin, data)
    assert messages == [
        "Row 3, column “indicator”: No indicator with the code “XX”.",
        "Row 4, column “value”: The same value is given twice (first in row 2).",
    ]


def test_unknown_indicator_column_is_named(monitored_city, admin, indicators):
    messages = _refused(monitored_city, admin, "area;S1;Typo\nA1;1;2\n", period="2021")
    assert messages == ["Column “Typo”: No indicator with the code “Typo”."]


def test_wide_file_without_a_period_asks_for_one(monitored_city, admin, indicators):
    messages = _refused(monitored_city, admin, "area;S1\nA1;1\n")
    assert messages == ["Column “period”: The file has no period column: give the period."]


def test_short_row_and_empty_file_are_refused(monitored_city, admin, indicators):
    assert _refused(monitored_city, admin, "area;S1;S2\nA1;1\n", period="2021") == [
        "Row 2: The row has 2 cells; the header has 3."
    ]
    assert _refused(monitored_city, admin, "") == ["The file is empty."]
    assert _refused(monitored_city, admin, "area;S1\n", period="2021") == [
        "The file holds no values."
    ]


def test_importing_recomputes_the_indices_that_read_the_data(monitored_city, admin, indicators):
    import_observations(
        monitored_city, b"area;S1;S2\nA1;1;4\nA2;2;3\nA3;3;2\nA4;4;1\n", by=admin, period="2021"
    )
    define_index(
        monitored_city,
        IndexDefinition(
            code="deprivation",
            name="Deprivation",
            method="rank_exponential",
            components=[("S1", 0.5), ("S2", 0.5)],
        ),
        by=admin,
    )
    first = dict(IndexResult.objects.values_list("area__code", "rank"))
    # A1 and A4 are each most deprived on one component and least on the other: they tie.
    assert first == {"A1": 1, "A4": 1, "A2": 3, "A3": 3}
    summary = import_observations(monitored_city, b"area;S1\nA1;100\n", by=admin, period="2021")
    assert summary.recomputed == {"deprivation": 4}
    ranks = dict(IndexResult.objects.values_list("area__code", "rank"))
    assert ranks["A1"] == 1
    assert IndexResult.objects.count() == 4
