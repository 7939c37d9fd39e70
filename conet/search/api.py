"""GET /api/v1/search: the search page's results as JSON (public, like the pages it finds)."""

from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from conet.api.auth import reader
from conet.search import registry, selectors

router = Router(tags=["search"])

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class SearchParams(Schema):
    q: str = Field(..., min_length=1, max_length=300, description="what to find, in any language")
    kind: list[str] = Field(default_factory=list, description="practice, plan, meeting, …")
    language: str = Field("", description="only texts written in this language")
    country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2")
    city_size: Literal["", "small", "medium", "large"] = ""
    network: str = ""
    core_task: str = Field("", description="core task number, e.g. 3")
    page: int = Field(1, ge=1)
    per_page: int = Field(20, ge=1, le=100)
    mode: Literal["fused", "fulltext", "meaning"] = "fused"


class HitOut(Schema):
    kind: str
    kind_label: str
    object_id: int
    title: str
    url: str
    summary: str = Field(description="a snippet, HTML: matches in <mark>, the rest escaped")
    language: str
    score: float
    facets: dict
    matched_by: list[str]


class FacetOut(Schema):
    value: str
    count: int


class SearchOut(Schema):
    query: str
    mode: str
    total: int
    page: int
    per_page: int
    num_pages: int
    hits: list[HitOut]
    facets: dict[str, list[FacetOut]]


@router.get(
    "/search", response=SearchOut, auth=reader, summary="Search everything, in any language"
)
def search(request, params: Query[SearchParams]):
    known = {s.kind for s in registry.searchables()}
    bad = [kind for kind in params.kind if kind not in known]
    if bad:
        raise ValidationError({"kind": _("Unknown kind: %(kinds)s.") % {"kinds": ", ".join(bad)}})
    if params.language and params.language not in LANGUAGE_CODES:
        raise ValidationError(
            {"language": _("Unknown language: %(code)s.") % {"code": params.language}}
        )
    results = selectors.search(
        params.q,
        language=get_language(),
        kinds=params.kind or None,
        filters={
            "language": params.language,
            "country": params.country,
            "city_size": params.city_size,
            "network": params.network,
            "core_task": params.core_task,
        },
        page=params.page,
        per_page=params.per_page,
        mode=params.mode,
        signed_in=request.user.is_authenticated,
    )
    return {
        "query": results.query,
        "mode": results.mode,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "num_pages": results.num_pages,
        "hits": [
            {**hit.__dict__, "summary": str(hit.summary), "matched_by": list(hit.matched_by)}
            for hit in results.hits
        ],
        "facets": {
            name: [{"value": value, "count": count} for value, count in values]
            for name, values in results.facets.items()
        },
    }
