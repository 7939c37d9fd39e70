"""The seven core tasks of CoNet's Guide to Social Cohesion: the default taxonomy of a new network.

Names are kept per language in `CoreTask.names`, so a network may define its own tasks in its own words.
"""

from django.utils import translation
from django.utils.translation import gettext_noop

DEFAULT_CORE_TASKS = [
    (gettext_noop("Improve participation"), "Teilhabe verbessern"),
    (gettext_noop("Include everyone"), "Alle einbeziehen"),
    (gettext_noop("Strengthen local networks"), "Die örtlichen Netzwerke stärken"),
    (
        gettext_noop("Develop attractive social infrastructure"),
        "Soziale Infrastruktur attraktiv ausbauen",
    ),
    (gettext_noop("Foster children and young people"), "Jugendliche und Kinder fördern"),
    (gettext_noop("Reduce segregation"), "Segregation reduzieren"),
    (
        gettext_noop("Develop disadvantaged neighbourhoods as part of the whole city"),
        "Benachteiligte Stadtteile als Teil der Gesamtstadt entwickeln",
    ),
]

COLOURS = ["#1b6ca8", "#c2410c", "#15803d", "#7c3aed", "#a16207", "#be123c", "#0f766e"]


def translated_names(english: str) -> dict[str, str]:
    """The name in every interface language, from the shipped translations."""
    from django.conf import settings

    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names[code] = translation.gettext(english)
    return names
