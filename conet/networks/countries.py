"""Countries of the cities on the platform: ISO 3166-1 alpha-2 codes with translated names."""

from django.utils.translation import gettext_lazy as _

COUNTRIES = [
    ("AL", _("Albania")),
    ("AT", _("Austria")),
    ("BA", _("Bosnia and Herzegovina")),
    ("BE", _("Belgium")),
    ("BG", _("Bulgaria")),
    ("CH", _("Switzerland")),
    ("CY", _("Cyprus")),
    ("CZ", _("Czechia")),
    ("DE", _("Germany")),
    ("DK", _("Denmark")),
    ("EE", _("Estonia")),
    ("ES", _("Spain")),
    ("FI", _("Finland")),
    ("FR", _("France")),
    ("GB", _("United Kingdom")),
    ("GR", _("Greece")),
    ("HR", _("Croatia")),
    ("HU", _("Hungary")),
    ("IE", _("Ireland")),
    ("IS", _("Iceland")),
    ("IT", _("Italy")),
    ("LT", _("Lithuania")),
    ("LU", _("Luxembourg")),
    ("LV", _("Latvia")),
    ("ME", _("Montenegro")),
    ("MK", _("North Macedonia")),
    ("MT", _("Malta")),
    ("NL", _("Netherlands")),
    ("NO", _("Norway")),
    ("PL", _("Poland")),
    ("PT", _("Portugal")),
    ("RO", _("Romania")),
    ("RS", _("Serbia")),
    ("SE", _("Sweden")),
    ("SI", _("Slovenia")),
    ("SK", _("Slovakia")),
    ("TR", _("Türkiye")),
    ("UA", _("Ukraine")),
]

_NAMES = dict(COUNTRIES)
KNOWN_COUNTRIES = frozenset(_NAMES)


def country_name(code: str) -> str:
    """The country's name in the active language (a dict look-up, unlike get_FOO_display)."""
    name = _NAMES.get(code)
    return str(name) if name is not None else code


# The time zone a meeting in a city of the country is held in, where the person setting it up does
# not say (one zone per country).
COUNTRY_TIME_ZONES = {
    "DE": "Europe/Berlin", "IT": "Europe/Rome", "GB": "Europe/London", "UK": "Europe/London",
    "FR": "Europe/Paris", "BG": "Europe/Sofia", "RO": "Europe/Bucharest", "BE": "Europe/Brussels",
    "NL": "Europe/Amsterdam", "PL": "Europe/Warsaw", "SE": "Europe/Stockholm", "ES": "Europe/Madrid",
    "AT": "Europe/Vienna", "PT": "Europe/Lisbon", "GR": "Europe/Athens", "FI": "Europe/Helsinki",
}  # fmt: skip
DEFAULT_TIME_ZONE = "Europe/Brussels"


def time_zone_of(country: str) -> str:
    """The time zone of the country (ISO code), else Brussels'."""
    return COUNTRY_TIME_ZONES.get(country, DEFAULT_TIME_ZONE)
