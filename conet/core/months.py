"""Month names as they stand inside a date.

Django's Italian, Romanian and Bulgarian catalogues capitalise the month names ("15 Febbraio
2011"), which these languages write in lower case. Django translates the names that its date
formats use with these very msgids, and CoNet's catalogues (LOCALE_PATHS) take precedence over
Django's, so naming them here keeps them in our catalogues (`make messages` finds them) and every
date on every page reads "15 febbraio 2011".
"""

from django.utils.translation import gettext_noop

MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
