"""Index definitions and recomputation through the services."""

import pytest
from django.core.exceptions import ValidationError

from conet.monitoring.models import CompositeIndex, IndexResult, Indicator
from conet.monitoring.services import (
    IndexDefinition,
    create_indicator,
    define_index,
    import_observations,
)


@pytest.fixture
def data(monitored_city, admin):
    for code, worse in [("S1", True), ("INC", False), ("EW", False)]:
        create_indicator(monitored_city, by=admin, code=code, name=code, higher_is_worse=worse)
    import_observations(
        monitored_city,
        b"area;S1;INC;EW\nA1;1;400;1000\nA2;2;300;1000\nA3;3;200;250\nA4;4;100;1000\n",
        by=admin,
        period="2021",
    )
    return monitored_city


def classes(code: str) -> dict[str, str]:
    return dict(
        IndexResult.objects.filter(index__code=code).values_list("area__code", "class_label")
    )


def test_zscore_index_leaves_out_areas_under_the_population_threshold(data, admin):
    define_index(
        data,
        IndexDefinition(
            code="status", name="Status", method="zscore", components=[("S1", 1.0)],
            cutoffs=[0.0], class_labels=["better", "worse"],
            population_indicator="EW", population_threshold=300,
        ),
        by=admin,
    )  # fmt: skip
    # A3 has 250 residents: left out, and the others are standardised among themselves.
    assert classes("status") == {"A1": "better", "A2": "better", "A4": "worse"}


def test_a_higher_is_better_indicator_counts_against_deprivation(data, admin):
    define_index(
        data,
        IndexDefinition(
            code="income", name="Income", method="zscore", components=[("INC", 1.0)],
            cutoffs=[0.0], class_labels=["better", "worse"],
        ),
        by=admin,
    )  # fmt: skip
    assert classes("income") == {"A1": "better", "A2": "better", "A3": "worse", "A4": "worse"}


def test_matrix_follows_a_redefined_index(data, admin):
    for code, cutoffs in [("a", [0.0]), ("b", [10.0])]:
        define_index(
            data,
            IndexDefinition(
                code=code, name=code, method="zscore", components=[("S1", 1.0)],
                cutoffs=cutoffs, class_labels=["low", "high"],
            ),
            by=admin,
        )  # fmt: skip
    define_index(
        data,
        IndexDefinition(code="m", name="m", method="matrix", row_index="a", column_index="b"),
        by=admin,
    )
    assert classes("m")["A4"] == "high / low"
    assert CompositeIndex.objects.get(code="m").class_labels == [
        "low / low", "low / high", "high / low", "high / high",
    ]  # fmt: skip
    define_index(
        data,
        IndexDefinition(
            code="a", name="a", method="zscore", components=[("S1", 1.0)],
            cutoffs=[10.0], class_labels=["low", "high"],
        ),
        by=admin,
    )  # fmt: skip
    assert classes("m")["A4"] == "low / low"


@pytest.mark.parametrize(
    ("definition", "field"),
    [
        (IndexDefinition(code="x y", name="X", method="zscore", components=[("S1", 1)]), "code"),
        (IndexDefinition(code="x", name="", method="zscore", components=[("S1", 1)]), "name"),
        (IndexDefinition(code="x", name="X", method="magic", components=[("S1", 1)]), "method"),
        (IndexDefinition(code="x", name="X", method="zscore", components=[("NOPE", 1)]), "components"),
        (IndexDefinition(code="x", name="X", method="zscore", components=[]), "components"),
        (IndexDefinition(code="x", name="X", method="zscore", components=[("S1", 1), ("S1", 2)]), "components"),
        (IndexDefinition(code="x", name="X", method="zscore", components=[("S1", 1)], cutoffs=[1, 0]), "cutoffs"),
        (IndexDefinition(code="x", name="X", method="zscore", components=[("S1", 1)], cutoffs=[0], class_labels=["a"]), "class_labels"),
        (IndexDefinition(code="x", name="X", method="zscore", components=[("S1", 1)], population_indicator="NOPE"), "population_indicator"),
        (IndexDefinition(code="x", name="X", method="matrix", row_index="nope", column_index="nope"), "row_index"),
    ],
)  # fmt: skip
def test_bad_definitions_name_the_field_and_store_nothing(data, admin, definition, field):
    with pytest.raises(ValidationError) as refusal:
        define_index(data, definition, by=admin)
    assert field in refusal.value.message_dict
    assert not CompositeIndex.objects.exists()
    assert not IndexResult.objects.exists()


def test_indicator_codes_are_unique_per_city(data, admin):
    with pytest.raises(ValidationError) as refusal:
        create_indicator(data, by=admin, code="S1", name="Again")
    assert "code" in refusal.value.message_dict
    assert Indicator.objects.filter(code="S1").count() == 1
