"""API for networks, cities, partnerships and activity."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from conet.api.auth import WRITE_AUTH
from conet.core.activity import describe, events_for
from conet.networks import selectors, services
from conet.networks.models import City, Network, Partnership

router = Router(tags=["networks"])


class CityOut(Schema):
    slug: str
    name: str
    country: str
    population: int | None
    latitude: float
    longitude: float
    languages: list[str] = Field(..., alias="language_list")
    url: str = Field(..., alias="get_absolute_url")
    version: int  # what PATCH /cities/{slug} asks for


class NetworkSummary(Schema):
    slug: str
    name: str
    acronym: str
    theme: str
    status: str
    start_date: date | None
    end_date: date | None
    url: str = Field(..., alias="get_absolute_url")


class NetworkOut(NetworkSummary):
    objectives: str
    activities: str
    results: str
    programme: str
    funding: str
    contacts: str
    language: str
    version: int


class NetworkPatch(Schema):
    version: int
    name: str | None = None
    acronym: str | None = None
    theme: str | None = None
    status: Network.Status | None = None
    objectives: str | None = None
    activities: str | None = None
    results: str | None = None
    programme: str | None = None
    funding: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    contacts: str | None = None
    language: str | None = None


class PartnershipOut(Schema):
    city: CityOut
    role: str
    focus_area_name: str
    focus_area_description: str
    version: int


class PartnershipIn(Schema):
    city: str = Field(..., description="the city's slug")
    role: Partnership.Role = Partnership.Role.PARTNER
    focus_area_name: str = ""
    focus_area_description: str = ""


class PartnershipPatch(Schema):
    version: int
    role: Partnership.Role | None = None
    focus_area_name: str | None = None
    focus_area_description: str | None = None


class CityIn(Schema):
    name: str = Field(..., max_length=120)
    slug: str = Field("", max_length=80, description="Made from the name when left out.")
    country: str = Field(..., max_length=2, description="ISO 3166-1 alpha-2, e.g. IT")
    population: int | None = None
    latitude: float
    longitude: float
    languages: str = Field("", max_length=60, description="Language codes, e.g. it,en")
    description: str = ""


class CityPatch(Schema):
    version: int
    name: str | None = None
    population: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    languages: str | None = None
    description: str | None = None


class EventOut(Schema):
    id: int
    kind: str
    text: str
    language: str
    created_at: datetime
    actor: str | None
    link: str

    @staticmethod
    def resolve_text(event) -> str:
        return describe(event)

    @staticmethod
    def resolve_actor(event) -> str | None:
        return event.actor.name if event.actor else None


class UpdateIn(Schema):
    text: str
    language: str = "en"


def _changes(payload: Schema) -> tuple[int, dict]:
    data = payload.dict(exclude_unset=True)
    return data.pop("version"), data


@router.get("/networks", response=list[NetworkSummary])
@paginate
def list_networks(request):
    return selectors.public_networks()


@router.get("/networks/{slug}", response=NetworkOut)
def get_network(request, slug: str):
    return get_object_or_404(Network, slug=slug)


@router.patch("/networks/{slug}", response=NetworkOut, auth=WRITE_AUTH)
def patch_network(request, slug: str, payload: NetworkPatch):
    network = get_object_or_404(Network, slug=slug)
    version, changes = _changes(payload)
    return services.update_network(
        network, by=request.user, expected_version=version, changes=changes
    )


@router.get("/networks/{slug}/partnerships", response=list[PartnershipOut])
def list_partnerships(request, slug: str):
    network = get_object_or_404(Network, slug=slug)
    return selectors.partnerships_of(network)


@router.post("/networks/{slug}/partnerships", response={201: PartnershipOut}, auth=WRITE_AUTH)
def add_partnership(request, slug: str, payload: PartnershipIn):
    network = get_object_or_404(Network, slug=slug)
    city = get_object_or_404(City, slug=payload.city)
    fields = payload.dict(exclude={"city"})
    return 201, services.add_partnership(network, city, by=request.user, **fields)


@router.patch("/networks/{slug}/partnerships/{city_slug}", response=PartnershipOut, auth=WRITE_AUTH)
def patch_partnership(request, slug: str, city_slug: str, payload: PartnershipPatch):
    partnership = get_object_or_404(
        Partnership.objects.select_related("network", "city"),
        network__slug=slug,
        city__slug=city_slug,
    )
    version, changes = _changes(payload)
    return services.update_partnership(
        partnership, by=request.user, expected_version=version, changes=changes
    )


@router.delete("/networks/{slug}/partnerships/{city_slug}", response={204: None}, auth=WRITE_AUTH)
def delete_partnership(request, slug: str, city_slug: str):
    partnership = get_object_or_404(
        Partnership.objects.select_related("network", "city"),
        network__slug=slug,
        city__slug=city_slug,
    )
    services.remove_partnership(partnership, by=request.user)
    return 204, None


@router.get("/networks/{slug}/activity", response=list[EventOut])
@paginate
def list_activity(request, slug: str):
    network = get_object_or_404(Network, slug=slug)
    return events_for([network])


@router.post("/networks/{slug}/activity", response={201: EventOut}, auth=WRITE_AUTH)
def post_activity(request, slug: str, payload: UpdateIn):
    network = get_object_or_404(Network, slug=slug)
    return 201, services.post_update(
        network, by=request.user, text=payload.text, language=payload.language
    )


@router.get("/cities", response=list[CityOut])
@paginate
def list_cities(request, q: str = ""):
    return selectors.search_cities(q)


@router.post("/cities", response={201: CityOut}, auth=WRITE_AUTH)
def create_city(request, payload: CityIn):
    """A new city (platform admins)."""
    return 201, services.create_city(by=request.user, **payload.dict())


@router.get("/cities/{slug}", response=CityOut)
def get_city(request, slug: str):
    return get_object_or_404(City, slug=slug)


@router.patch("/cities/{slug}", response=CityOut, auth=WRITE_AUTH)
def patch_city(request, slug: str, payload: CityPatch):
    city = get_object_or_404(City, slug=slug)
    version, changes = _changes(payload)
    return services.update_city(city, by=request.user, expected_version=version, changes=changes)
