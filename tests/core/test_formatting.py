"""Money, quantities and days follow the reader's language (issue 12, item 8)."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from conet.core.formatting import format_day, format_money, format_quantity

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "€8,000"),
        ("de", f"8.000{NBSP}€"),
        ("it", f"8.000{NBSP}€"),
        ("fr", f"8{NBSP}000{NBSP}€"),
        ("nl", f"€{NBSP}8.000"),
        ("es", f"8{NBSP}000{NBSP}€"),
        ("sv", f"8{NBSP}000{NBSP}€"),
    ],
)
def test_a_whole_amount_has_no_cents_and_its_currency_where_the_language_puts_it(
    language, expected
):
    with translation.override(language):
        assert format_money(Decimal("8000.00")) == expected
        # the way plan snapshots keep amounts: as strings
        assert format_money("8000.00") == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "€1,250.50"), ("de", f"1.250,50{NBSP}€"), ("it", f"1.250,50{NBSP}€")],
)
def test_an_amount_with_cents_keeps_them(language, expected):
    with translation.override(language):
        assert format_money(Decimal("1250.5")) == expected


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", "6.00", "6"),
        ("en", Decimal("0.00"), "0"),
        ("en", Decimal("12500"), "12,500"),
        ("de", Decimal("12500"), "12.500"),
        ("en", Decimal("2.50"), "2.5"),
        ("de", Decimal("2.50"), "2,5"),
        ("it", Decimal("0.125"), "0,13"),
        ("pl", 3, "3"),
    ],
)
def test_a_whole_quantity_shows_no_decimals(language, value, expected):
    with translation.override(language):
        assert format_quantity(value).replace(NBSP, " ") == expected.replace(NBSP, " ")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "June 30, 2011"),
        ("de", "30. Juni 2011"),
        ("it", "30 giugno 2011"),
        ("ro", "30 iunie 2011"),
        ("bg", "30 юни 2011"),
        ("fr", "30 juin 2011"),
    ],
)
def test_a_day_is_written_in_the_readers_language(language, expected):
    with translation.override(language):
        assert format_day("2011-06-30") == expected
        assert format_day(datetime.date(2011, 6, 30)) == expected


def test_an_italian_day_has_no_leading_zero_and_a_lowercase_month():
    with translation.override("it"):
        assert format_day("2026-05-04") == "4 maggio 2026"


def test_no_value_reads_as_a_dash_and_a_day_never_breaks_across_lines():
    template = Template(
        "{% load conet %}{{ none|money }} {{ none|quantity }} {{ none|day }}|{{ when|day }}"
    )
    with translation.override("it"):
        rendered = template.render(Context({"none": None, "when": "2011-06-30"}))
    empty, day = rendered.split("|")
    assert empty == "— — —"
    assert day.startswith('<time datetime="2011-06-30" class="nowrap">')


def test_stored_sentences_write_iso_days_as_the_reader_does():
    from conet.core.formatting import readable_days

    with translation.override("de"):
        fields = readable_days({"date": "2010-11-16", "title": "Ballarò", "count": 3})
    assert fields == {"date": "16. November 2010", "title": "Ballarò", "count": 3}
