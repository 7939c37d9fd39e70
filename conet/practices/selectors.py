"""Reads that pages and the API share, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.core.translations.selectors import attach
from conet.networks.countries import KNOWN_COUNTRIES, country_name
from conet.networks.models import CoreTask, Network
from conet.practices.models import (
    ApproachText,
    GoodPractice,
    Guide,
    GuideChapter,
    Interview,
    InterviewAnswer,
    Status,
)

PAGE_SIZE = 20

# The URBACT size classes, by population.
CITY_SIZES = {
    "small": (None, 50_000),
    "medium": (50_000, 250_000),
    "large": (250_000, None),
}


def visible_practices(user) -> QuerySet[GoodPractice]:
    """Published practices, and the drafts the user may see (their network's, their city's)."""
    practices = GoodPractice.objects.all()
    if user is not None and user.is_authenticated and user.is_staff:
        return practices
    roles = roles_of(user)
    networks = {n for role, n in roles.network_roles}
    cities = {c for role, c in roles.city_roles if role == Role.CITY_COORDINATOR}
    return practices.filter(
        Q(status=Status.PUBLISHED) | Q(network_id__in=networks) | Q(city_id__in=cities)
    )


@dataclass
class PracticeFilters:
    core_task: int | None = None  # a CoreTask id
    country: str = ""  # a country code
    size: str = ""  # small | medium | large
    network: str = ""  # network slug
    q: str = ""  # words in the name, city or description

    @classmethod
    def from_query(cls, params) -> PracticeFilters:
        core_task = params.get("core_task", "")
        size = params.get("size", "")
        return cls(
            core_task=int(core_task) if core_task.isdigit() else None,
            country=params.get("country", "").upper()[:2],
            size=size if size in CITY_SIZES else "",
            network=params.get("network", "")[:80],
            q=params.get("q", "").strip()[:100],
        )


def filtered_practices(user, filters: PracticeFilters) -> QuerySet[GoodPractice]:
    practices = visible_practices(user)
    if filters.core_task:
        practices = practices.filter(core_tasks=filters.core_task)
    if filters.country:
        practices = practices.filter(country_code=filters.country)
    if filters.size:
        low, high = CITY_SIZES[filters.size]
        if low is not None:
            practices = practices.filter(population__gte=low)
        if high is not None:
            practices = practices.filter(population__lt=high)
    if filters.network:
        practices = practices.filter(network__slug=filters.network)
    if filters.q:
        practices = practices.filter(
            Q(name__icontains=filters.q)
            | Q(city_name__icontains=filters.q)
            | Q(description__icontains=filters.q)
        )
    return practices.order_by("name", "pk")


def practice_list_page(user, filters: PracticeFilters, page_number):
    """One page of practices with their core tasks: three queries however long the page."""
    practices = filtered_practices(user, filters).prefetch_related(
        Prefetch("core_tasks", queryset=CoreTask.objects.order_by("number"))
    )
    return Paginator(practices, PAGE_SIZE).get_page(page_number)


def filter_choices() -> dict:
    """The countries and core tasks that practices have, for the filter form."""
    countries = (
        GoodPractice.objects.filter(status=Status.PUBLISHED)
        .exclude(country_code="")
        .values_list("country_code", "country")
        .distinct()
        .order_by("country_code")
    )
    tasks = CoreTask.objects.filter(good_practices__status=Status.PUBLISHED).distinct()
    # The stored name is the record's own (often English); the filter names the country in the
    # reader's language where the code is known, sorted as the reader reads them.
    named = {
        (code, country_name(code) if code in KNOWN_COUNTRIES else name) for code, name in countries
    }
    return {
        "countries": sorted(named, key=lambda pair: pair[1].casefold()),
        "core_tasks": list(tasks.select_related("network").order_by("network__name", "number")),
    }


def practice_detail(slug: str) -> GoodPractice:
    practice = get_object_or_404(
        GoodPractice.objects.select_related("network", "city").prefetch_related(
            "core_tasks", "attachments", "label_assessments"
        ),
        slug=slug,
    )
    attach([practice])  # its texts in the reader's language: one query, none for the original's
    return practice


def similar_practices(practice: GoodPractice, limit: int = 5) -> list[GoodPractice]:
    """What search finds closest in meaning; nothing while search cannot tell (or is not there)."""
    try:
        from conet.search.selectors import similar_documents
    except ImportError:
        return []
    try:
        found = similar_documents("practice", practice.pk, limit=limit)
    except (AttributeError, LookupError):
        return []
    ids = [getattr(item, "object_id", item) for item in found]
    rows = GoodPractice.objects.filter(pk__in=ids, status=Status.PUBLISHED).only(
        "name", "slug", "city_name", "country", "country_code", "description"
    )
    by_id = {row.pk: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


# --- interviews and the guide ----------------------------------------------------------------


def network_by_slug(slug: str) -> Network:
    return get_object_or_404(Network, slug=slug)


def interviews_of(user, network: Network) -> QuerySet[Interview]:
    interviews = Interview.objects.filter(network=network).prefetch_related("answers")
    if not user.has_perm("practices.manage_guide", network):
        interviews = interviews.filter(status=Status.PUBLISHED)
    return interviews


def guides_of(user, network: Network) -> QuerySet[Guide]:
    guides = Guide.objects.filter(network=network)
    if not user.has_perm("practices.manage_guide", network):
        guides = guides.filter(status=Status.PUBLISHED)
    return guides


def guide_by_slug(network_slug: str, slug: str) -> Guide:
    return get_object_or_404(
        Guide.objects.select_related("network"), network__slug=network_slug, slug=slug
    )


def guide_contents(guide: Guide, *, published_only: bool = True) -> list[GuideChapter]:
    """Every chapter with its core task, approach text, practices and quoted answers.

    Six queries, whatever the number of chapters, practices and excerpts. Visitors see only
    published practices and excerpts of published interviews (consent given).
    """
    practices = GoodPractice.objects.only(
        "name", "slug", "city_name", "country", "country_code", "description", "population",
        "start_year", "end_year", "ongoing", "summary", "status", "language",
    ).order_by("name")  # fmt: skip
    excerpts = InterviewAnswer.objects.select_related("interview__network").order_by(
        "interview__person_name", "position"
    )
    if published_only:
        practices = practices.filter(status=Status.PUBLISHED)
        excerpts = excerpts.filter(interview__status=Status.PUBLISHED)
    chapters = list(
        GuideChapter.objects.filter(guide=guide)
        .select_related("core_task")
        .prefetch_related(
            Prefetch("practices", queryset=practices),
            Prefetch("excerpts", queryset=excerpts),
        )
        .order_by("core_task__number")
    )
    approaches = {
        approach.core_task_id: approach
        for approach in ApproachText.objects.filter(
            core_task_id__in=[chapter.core_task_id for chapter in chapters]
        )
    }
    for chapter in chapters:
        chapter.guide = guide
        chapter.approach_text = approaches.get(chapter.core_task_id)
    return chapters


def guide_chapter_list(guide: Guide) -> list[GuideChapter]:
    """The contents page: each chapter with its core task and number of published practices."""
    chapters = list(
        GuideChapter.objects.filter(guide=guide)
        .select_related("core_task")
        .annotate(practice_count=Count("practices", filter=Q(practices__status=Status.PUBLISHED)))
        .order_by("core_task__number")
    )
    for chapter in chapters:
        chapter.guide = guide
    return chapters


def chapter_of(chapters: list[GuideChapter], number: int) -> GuideChapter:
    for chapter in chapters:
        if chapter.core_task.number == number:
            return chapter
    from django.http import Http404

    raise Http404("no such chapter")
