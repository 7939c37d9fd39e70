"""What the search index knows about a Future Workshop: the results of finished workshops only.

One document per workshop: its guiding question, the titles of the chosen and ranked clusters of
each phase and the proposals (what, first step) — the protocol's results, never single cards or
names. A running workshop is not searchable (`workshop_document` returns None). Call
`register_workshops()` from the app's ready().
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from conet.search.registry import Searchable, SearchDocumentData, register
from conet.workshops.models import Cluster, Proposal, Workshop


def workshop_document(workshop: Workshop) -> SearchDocumentData | None:
    if workshop.status != Workshop.Status.FINISHED:
        return None
    city = workshop.city
    clusters = sorted(
        workshop.clusters.all(), key=lambda cluster: (not cluster.chosen, cluster.order)
    )
    proposals = list(workshop.proposals.all())
    cluster_titles = [cluster.title for cluster in clusters if cluster.title]
    proposal_lines = [
        " — ".join(part for part in [proposal.title, proposal.what, proposal.first_step] if part)
        for proposal in proposals
    ]
    network = workshop.network.slug if workshop.network_id else ""
    if not network and city is not None:
        partnership = city.partnerships.select_related("network").first()
        network = partnership.network.slug if partnership else ""
    return SearchDocumentData(
        title=workshop.title,
        url=workshop.get_absolute_url(),
        language=workshop.language,
        summary=" — ".join(
            [workshop.guiding_question, *[proposal.title for proposal in proposals]]
        )[:1000],
        body="\n".join([workshop.guiding_question, *cluster_titles, *proposal_lines]),
        network=network,
        country=city.country if city else "",
        city=city.name if city else "",
        city_population=city.population if city else None,
        extra={"starts_at": workshop.starts_at.isoformat(), "place": workshop.place},
    )


def register_workshops() -> None:
    register(
        Searchable(
            kind="workshop",
            label=_("Future Workshop"),
            model=Workshop,
            queryset=lambda: Workshop.objects.select_related("city", "network").prefetch_related(
                Prefetch("clusters", queryset=Cluster.objects.order_by("phase__order", "order")),
                Prefetch("proposals", queryset=Proposal.objects.order_by("order", "pk")),
            ),
            document=workshop_document,
        )
    )
