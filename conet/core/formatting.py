"""Money, quantities and days as the reader writes them: `8.000 €` in German, `€8,000` in English,
`6` rather than `6.00` for a whole quantity, and a date that never breaks across two lines.

Django's own locale formats give the separators; the one thing they lack is where each language
puts the currency symbol, which CURRENCY_PLACEMENT says once. The template filters `money`,
`quantity` and `day` (conet/core/templatetags/conet.py) are the way pages use these.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language, gettext, gettext_noop

NO_BREAK = "\u00a0"
SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}
# Before or after the amount, and whether a space separates them (a no-break space, so the symbol
# never ends up alone on the next line). Languages not listed write the symbol after, with a space.
CURRENCY_PLACEMENT = {
    "en": ("before", ""),
    "nl": ("before", NO_BREAK),
}


def as_decimal(value) -> Decimal | None:
    """A number from a model field, a JSON snapshot's string or an int; None for no value."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_quantity(value, places: int = 2) -> str:
    """Grouped as the reader's language groups; no decimals for a whole quantity (6, not 6.00),
    otherwise at most `places`, without trailing zeros (2.5, 0.25)."""
    number = as_decimal(value)
    if number is None:
        return ""
    if number == number.to_integral_value():
        return formats.number_format(number, 0, use_l10n=True, force_grouping=True)
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    decimals = max(0, -rounded.as_tuple().exponent)
    return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)


def format_money(value, currency: str = "EUR") -> str:
    """An amount with its currency where the reader's language puts it; cents only when there are
    some (8.000 €, €8,000, € 8.000,50)."""
    number = as_decimal(value)
    if number is None:
        return ""
    places = 0 if number == number.to_integral_value() else 2
    amount = formats.number_format(number, places, use_l10n=True, force_grouping=True)
    symbol = SYMBOLS.get(currency, currency)
    language = (get_language() or "en").split("-")[0]
    side, space = CURRENCY_PLACEMENT.get(language, ("after", NO_BREAK))
    if side == "before":
        return f"{symbol}{space}{amount}"
    return f"{amount}{space}{symbol}"


def as_date(value) -> datetime.date | None:
    """A date from a date, a datetime (in the site's time zone) or an ISO string (as plan
    snapshots keep them)."""
    if isinstance(value, str) and value:
        try:
            value = parse_datetime(value) or parse_date(value)
        except ValueError:
            return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    return None


def format_day(value) -> str:
    """The reader's long date (30 giugno 2011, 30. Juni 2011, June 30, 2011)."""
    day = as_date(value)
    if day is None:
        return ""
    return formats.date_format(day, "DATE_FORMAT", use_l10n=True)


ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Stored in a sentence's fields in place of the name of someone who deleted their account
# (docs/privacy.md); read in the reader's language.
FORMER_MEMBER = gettext_noop("a former member")


def _readable(value):
    if not isinstance(value, str):
        return value
    if ISO_DAY.match(value):
        return format_day(value)
    if value == FORMER_MEMBER:
        return gettext(FORMER_MEMBER)
    return value


def readable_days(fields: dict) -> dict:
    """The fields of a stored sentence (an activity, a notification) with every ISO day written
    as the reader writes dates, and "a former member" in the reader's language; other values
    unchanged."""
    return {name: _readable(value) for name, value in fields.items()}
