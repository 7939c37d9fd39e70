"""What search sees of a good practice: published ones only, with the facets its filters use."""

from django.utils.translation import gettext_lazy as _

from conet.practices.models import GoodPractice, Status
from conet.search.registry import Searchable, SearchDocumentData


def practice_document(practice: GoodPractice) -> SearchDocumentData | None:
    if practice.status != Status.PUBLISHED:
        return None
    return SearchDocumentData(
        title=practice.name,
        url=practice.get_absolute_url(),
        language=practice.language,
        summary=practice.description,
        body=practice.full_text,
        network=practice.network.slug if practice.network_id else "",
        country=practice.country_code,
        city=practice.city_name,
        city_population=practice.population,
        core_tasks=tuple(
            str(task.number) for task in practice.core_tasks.all()
        ),  # as search filters
        extra={"keywords": practice.keywords},
    )


searchable = Searchable(
    kind="practice",
    label=_("Good practice"),
    model=GoodPractice,
    queryset=lambda: GoodPractice.objects.select_related("network").prefetch_related("core_tasks"),
    document=practice_document,
)
