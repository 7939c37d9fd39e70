"""Reads shared by pages and the API, each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from conet.core.activity import events_for
from conet.core.models import ActivityEvent
from conet.core.translations.selectors import attach
from conet.networks.models import City, FactSheet, Network, Organisation, Partnership

FEED_LENGTH = 10


def _count_of(model, field: str):
    """A correlated COUNT subquery: unlike annotate(Count()), it does not GROUP BY every column
    of the outer rows before LIMIT, which made the home page slower with every network added."""
    counted = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted), 0)


def public_networks():
    return (
        Network.objects.select_related("contact_organisation")
        .annotate(partner_count=_count_of(Partnership, "network"))
        .order_by("-start_date", "name", "pk")
    )


def partnerships_of(network: Network):
    # Lead partner first, then by city name.
    return (
        Partnership.objects.filter(network=network)
        .select_related("city")
        .order_by("role", "city__name")
    )


@dataclass
class NetworkPage:
    network: Network
    partnerships: list[Partnership]
    core_tasks: list
    events: list[ActivityEvent]
    fact_sheets: list[FactSheet]

    @property
    def lead_partner(self) -> Partnership | None:
        return next((p for p in self.partnerships if p.is_lead_partner), None)

    @property
    def map_points(self) -> list[dict]:
        return [
            {
                "name": p.city.name,
                "country": p.city.get_country_display(),
                "lat": float(p.city.latitude),
                "lng": float(p.city.longitude),
                "url": p.city.get_absolute_url(),
                "lead": p.is_lead_partner,
                "focus": p.focus_area_name,
            }
            for p in self.partnerships
        ]


def network_page(slug: str) -> NetworkPage:
    """Everything the public network page shows: six queries, whatever the number of partners."""
    network = get_object_or_404(Network.objects.select_related("contact_organisation"), slug=slug)
    partnerships = list(partnerships_of(network))
    core_tasks = list(network.core_tasks.all())
    events = list(events_for([network])[:FEED_LENGTH])
    fact_sheets = []
    if network.contact_organisation_id:
        fact_sheets = list(
            FactSheet.objects.filter(organisation_id=network.contact_organisation_id)
            .exclude(network=network)
            .order_by("-start_date", "title")[:12]
        )
    attach([network])  # every translated text the page shows, in one query
    return NetworkPage(network, partnerships, core_tasks, events, fact_sheets)


def city_page(slug: str):
    city = get_object_or_404(
        City.objects.prefetch_related(
            Prefetch(
                "partnerships",
                queryset=Partnership.objects.select_related("network").order_by(
                    "-network__start_date"
                ),
            )
        ),
        slug=slug,
    )
    attach([city, *city.partnerships.all()])  # the texts in the reader's language, one query
    return city


def focus_area_page(network_slug: str, city_slug: str, area_slug: str) -> Partnership:
    """The partnership whose focus area the page shows, with its texts in the reader's language.
    The story's steps come from the capabilities' template tags, each in a fixed number of queries."""
    partnership = get_object_or_404(
        Partnership.objects.select_related("network", "city").exclude(focus_area_name=""),
        network__slug=network_slug,
        city__slug=city_slug,
        focus_area_slug=area_slug,
    )
    attach([partnership])
    return partnership


def focus_areas_of(city: City, network: Network | None = None) -> list[Partnership]:
    """The focus areas of `city` in `network` (all of the city's where None), with a page."""
    found = (
        Partnership.objects.filter(city=city)
        .exclude(focus_area_name="")
        .exclude(focus_area_slug="")
    )
    if network is not None:
        found = found.filter(network=network)
    return list(found.select_related("network", "city").order_by("network__name"))


def organisation_page(slug: str):
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related(
            Prefetch(
                "networks", queryset=Network.objects.annotate(partner_count=Count("partnerships"))
            ),
            Prefetch("fact_sheets", queryset=FactSheet.objects.select_related("network")),
        ),
        slug=slug,
    )
    attach([organisation])
    return organisation


def cities():
    return City.objects.annotate(network_count=_count_of(Partnership, "city")).order_by(
        "name", "pk"
    )


def search_cities(query: str):
    query = (query or "").strip()
    found = cities()
    if query:
        found = found.filter(Q(name__icontains=query) | Q(country__iexact=query))
    return found


def coordinated_network_ids(user) -> set[int]:
    """The networks this person coordinates (from the roles read once per request)."""
    from conet.accounts.models import Role
    from conet.accounts.roles import roles_of

    return {
        network_id
        for role, network_id in roles_of(user).network_roles
        if role == Role.NETWORK_COORDINATOR
    }
