"""Weights typed as the published percentages (IMD 2019: 22.5, 22.5, 13.5 …) are read as fractions."""

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from conet.monitoring.methods import normalised_weights, rank_exponential_index
from conet.monitoring.models import IndexResult
from conet.monitoring.services import IndexDefinition, define_index
from tests.monitoring.conftest import build_city

IMD_FRACTIONS = [0.225, 0.225, 0.135, 0.135, 0.093, 0.093, 0.093]
IMD_PERCENT = [22.5, 22.5, 13.5, 13.5, 9.3, 9.3, 9.3]


def test_published_percentages_become_the_published_fractions_exactly():
    weights, reading = normalised_weights(IMD_PERCENT, method="rank_exponential")
    assert reading == "percent"
    assert weights == pytest.approx(IMD_FRACTIONS, abs=1e-12)


def test_fractions_that_add_up_to_one_are_kept_as_given():
    assert normalised_weights(IMD_FRACTIONS, method="rank_exponential") == (IMD_FRACTIONS, "")


def test_relative_weights_of_a_rank_exponential_index_are_divided_by_their_sum():
    weights, reading = normalised_weights([2, 1, 1], method="rank_exponential")
    assert (weights, reading) == ([0.5, 0.25, 0.25], "relative")


def test_a_zscore_index_keeps_relative_weights_because_only_their_ratios_matter():
    assert normalised_weights([1, 1, 1], method="zscore") == ([1.0, 1.0, 1.0], "")


@given(
    st.lists(st.floats(min_value=0.01, max_value=50), min_size=1, max_size=8),
    st.sampled_from([1.0, 100.0, 7.0]),
)
def test_percentages_fractions_and_relative_weights_give_the_same_imd_scores(shares, total):
    shares = np.array(shares) / sum(shares)
    rng = np.random.default_rng(len(shares))
    values = rng.random((40, len(shares)))
    signs = np.ones(len(shares))
    reference = rank_exponential_index(values, weights=shares, signs=signs)
    typed, _reading = normalised_weights(list(shares * total), method="rank_exponential")
    again = rank_exponential_index(values, weights=np.array(typed), signs=signs)
    np.testing.assert_allclose(again.score, reference.score, atol=1e-9)
    assert (again.class_number == reference.class_number).all()


@pytest.mark.django_db
def test_an_index_defined_in_percentages_scores_as_in_fractions_and_says_so(admin):
    city = build_city(20)
    percent = define_index(
        city,
        IndexDefinition(
            code="imd-pct",
            name="Deprivation",
            method="rank_exponential",
            components=[("S1", 60), ("S2", 40)],
        ),
        by=admin,
    )
    assert [c.weight for c in percent.components.order_by("indicator__code")] == [0.6, 0.4]
    assert len(percent.notices) == 1 and "percentages" in percent.notices[0]

    def scores(code):
        rows = IndexResult.objects.filter(index__city=city, index__code=code, period="2021")
        return dict(rows.values_list("area__code", "score"))

    assert scores("imd-pct") == pytest.approx(scores("imd"), abs=1e-9)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("weights", "message"),
    [((-1, 1), "negative"), ((0, 0), "more than 0")],
)
def test_negative_or_all_zero_weights_are_refused_and_nothing_is_stored(admin, weights, message):
    city = build_city(5)
    before = city.composite_indices.count()
    components = [("S1", weights[0]), ("S2", weights[1])]
    with pytest.raises(ValidationError) as refused:
        define_index(
            city,
            IndexDefinition(code="x", name="X", method="rank_exponential", components=components),
            by=admin,
        )
    assert message in " ".join(refused.value.message_dict["components"])
    assert city.composite_indices.count() == before


@pytest.mark.django_db
def test_the_form_says_in_the_persons_language_how_the_weights_were_read(client, admin):
    city = build_city(5)
    client.force_login(admin)
    with translation.override("de"):
        url = reverse("monitoring:index_define", args=[city.slug])
    response = client.post(
        url,
        {"code": "imd2", "name": "IMD", "method": "rank_exponential", "components": "S1:60, S2:40"},
        HTTP_ACCEPT_LANGUAGE="de",
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("Prozent" in m for m in shown), shown


@pytest.mark.django_db
def test_the_api_returns_the_stored_fractions_and_the_notice(client, admin):
    city = build_city(5)
    client.force_login(admin)
    response = client.post(
        f"/api/v1/cities/{city.slug}/indices",
        {
            "code": "imd3",
            "name": "IMD",
            "method": "rank_exponential",
            "components": [
                {"indicator": "S1", "weight": 22.5},
                {"indicator": "S2", "weight": 77.5},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [c["weight"] for c in body["components"]] == pytest.approx([0.225, 0.775])
    assert body["notices"] and "percentages" in body["notices"][0]
