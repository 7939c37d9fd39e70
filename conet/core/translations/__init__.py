"""Content in several languages: a version of each long public text per language.

Feature apps declare which fields of which model may be translated (`registry.register` in their
AppConfig.ready()); `core` stores the versions in one table (`ContentTranslation`) and never imports
the apps. Pages call `selectors.attach(objects)` once (one query for every object shown) and render
a text with `{% content_text obj "field" %}`. Editors use the page of `views.py`, scripts the API
of conet/api/translations.py; every write goes through `services.py`. Machine translation
(`machine.py`) is off unless CONET_TRANSLATION_URL names a backend. See docs/i18n.md and
docs/decisions/0004-content-translations.md.
"""
