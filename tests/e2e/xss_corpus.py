"""An XSS corpus of our own, and the filling of every text field of the demo with it.

Each payload, if it ever ran, sets `window.__xss` (or opens a dialog); the browser test asserts that
neither happens and that no payload left an element or a `javascript:` address on the page.
"""

from django.apps import apps
from django.db import models

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=2">',
    "<svg onload=window.__xss=3>",
    '<iframe srcdoc="<script>parent.__xss=4</script>"></iframe>',
    "<details open ontoggle=window.__xss=5>",
    "<input autofocus onfocus=window.__xss=6>",
    '"><img src=x onerror=window.__xss=7>',
    "'><svg/onload=alert(8)>",
    "[click](javascript:window.__xss=9)",
    '<a href="javascript:window.__xss=10">link</a>',
    "<math><mtext></table><mglyph><style><img src=x onerror=window.__xss=11>",
    "{{7|add:7}}ZZ{% now 'Y' %}ZZ",
    '<div style="width:expression(window.__xss=12)">css</div>',
    "</script><script>window.__xss=13</script>",
    "\u202e<img src=x onerror=window.__xss=14>\u202c",
    "\uff1cscript\uff1ewindow.__xss=15\uff1c/script\uff1e",
    '<a href="jav&#x09;ascript:window.__xss=16">tab</a>',
    '![x](x" onerror="window.__xss=17)',
    '<object data="javascript:window.__xss=18"></object>',
    '<form><button formaction="javascript:window.__xss=19">go</button></form>',
    "[a](JaVaScRiPt:alert(20))",
    "<body onload=window.__xss=21>",
    "${alert(22)}`${alert(22)}`",
    "<svg><animate onbegin=window.__xss=23 attributeName=x dur=1s>",
    "<base href=javascript:/a/><a href=x>24</a>",
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=25>">',
]
EVERYTHING = " ".join(PAYLOADS)

CONET_APPS = {
    "accounts",
    "actionplans",
    "consultations",
    "core",
    "exchange",
    "localgroups",
    "meetings",
    "monitoring",
    "networks",
    "notifications",
    "practices",
    "workshops",
}
# Text that is not prose: identifiers, codes and machine formats a person never types as text.
NOT_PROSE = (
    "slug",
    "code",
    "token",
    "key",
    "language",
    "languages",
    "country",
    "currency",
    "password",
    "colour",
    "color",
    "geometry",
    "geojson",
    "hash",
    "kind",
    "status",
    "icon",
    "timezone",
    "zone",
    "time_zone",
    "address",
    "user_agent",
    "reason",
    "path",
    "file",
    "mime",
    "content_type",
    "checksum",
    "device",
    "session",
    "link",
    "prefix",
    "period",
    "section",
    "fingerprint",
    "url",
    "client_id",
    "role",
    "phase",
    "unit",
    "scope_type",
    "verb",
    "event",
    "email",
)


def prose_fields(model) -> list[models.Field]:
    fields = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if isinstance(field, models.SlugField | models.EmailField | models.URLField):
            continue
        if field.choices or field.primary_key or field.unique:
            continue
        if any(part == field.name or field.name.endswith("_" + part) for part in NOT_PROSE):
            continue
        fields.append(field)
    return fields


def payload_for(field: models.Field, n: int) -> str | None:
    if isinstance(field, models.TextField) and not field.max_length:
        return EVERYTHING
    limit = field.max_length or 0
    for offset in range(len(PAYLOADS)):
        candidate = PAYLOADS[(n + offset) % len(PAYLOADS)]
        if len(candidate) <= limit:
            return candidate
    return None


def fill_every_text_field() -> list[str]:
    """Writes the corpus into every prose field of every row; returns the `model.field`s filled."""
    filled = []
    n = 0
    for model in apps.get_models():
        if model._meta.app_label not in CONET_APPS or model._meta.proxy:
            continue
        fields = prose_fields(model)
        if not fields:
            continue
        if model._meta.label == "core.AuditEntry":
            # Append-only: the corpus goes in as new entries (the audit page shows their summary).
            model.objects.bulk_create(
                [model(action="login.failed", summary=payload[:500]) for payload in PAYLOADS]
            )
            filled.append("core.AuditEntry.summary")
            continue
        rows = list(model.objects.all())
        for row in rows:
            for field in fields:
                value = payload_for(field, n)
                n += 1
                # Only text that is there: an empty field stays empty, as the model's rules may
                # require (contact details only with consent, for one).
                if value is not None and getattr(row, field.attname):
                    setattr(row, field.attname, value)
        if rows:
            model.objects.bulk_update(rows, [f.name for f in fields], batch_size=200)
            filled += [f"{model._meta.label}.{f.name}" for f in fields]
    return filled
