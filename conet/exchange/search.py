"""What the search index knows about a support request while it is open.

Request pages need a sign-in, so the kind is members-only: visitors never find requests. Even so
the index keeps only the request's face — title, project, the know-how needed, city and core
tasks — never the problem's details or the budget; closed requests leave the index.
"""

from django.utils.translation import gettext_lazy as _

from conet.exchange.models import SupportRequest
from conet.search.registry import Searchable, SearchDocumentData, register


def request_document(request: SupportRequest) -> SearchDocumentData | None:
    if request.status == SupportRequest.Status.CLOSED:
        return None
    city = request.partnership.city
    return SearchDocumentData(
        title=request.title,
        url=request.get_absolute_url(),
        language=request.language,
        summary=" — ".join(part for part in [request.project, request.know_how[:500]] if part),
        body=request.know_how,
        network=request.partnership.network.slug,
        country=city.country,
        city=city.name,
        city_population=city.population,
        core_tasks=tuple(str(task.number) for task in request.core_tasks.all()),
        extra={"status": request.status},
    )


def register_requests() -> None:
    register(
        Searchable(
            kind="request",
            label=_("Support request"),
            model=SupportRequest,
            queryset=lambda: SupportRequest.objects.select_related(
                "partnership__city", "partnership__network"
            ).prefetch_related("core_tasks"),
            document=request_document,
            members_only=True,
        )
    )
