"""The CoNet demo: the URBACT II network as DOMAIN.md §1 and the CoNet project page describe it.

`load_demo()` creates what is missing and touches nothing that exists, so running it twice changes nothing.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from conet.accounts.models import Membership, Role, User
from conet.core.demo import DemoAccount
from conet.core.models import ActivityEvent
from conet.networks.models import City, FactSheet, Network, Organisation, Partnership
from conet.networks.services import set_default_core_tasks

DEMO_PASSWORD = "conet-demo-2008"

# name, slug, country, population, latitude, longitude, languages
CITIES = [
    ("Berlin", "berlin", "DE", 3_850_000, "52.520008", "13.404954", "de"),
    ("Palermo", "palermo", "IT", 630_000, "38.115556", "13.361389", "it"),
    ("Liverpool", "liverpool", "GB", 496_000, "53.408371", "-2.991573", "en"),
    ("Vaulx-en-Velin", "vaulx-en-velin", "FR", 52_000, "45.778600", "4.920600", "fr"),
    ("Sofia", "sofia", "BG", 1_280_000, "42.697708", "23.321868", "bg"),
    ("Alba Iulia", "alba-iulia", "RO", 64_000, "46.066700", "23.583300", "ro"),
    ("Brussels", "brussels", "BE", 1_240_000, "50.850346", "4.351721", "fr,nl"),
    ("Apeldoorn", "apeldoorn", "NL", 166_000, "52.211157", "5.969923", "nl"),
    ("Zabrze", "zabrze", "PL", 156_000, "50.324928", "18.785719", "pl"),
    ("Malmö", "malmo", "SE", 362_000, "55.604981", "13.003822", "sv"),
    ("Gijón", "gijon", "ES", 268_000, "43.532201", "-5.661120", "es"),
]

FOCUS_AREAS = {
    "palermo": (
        "Ballarò",
        "The connection between problems of development and issues of territorial governance has "
        "been investigated in the perspective of exploring governance patterns and specific effects "
        "of territorial policies. In Ballarò even multi-goal services (neighbourhood centres, "
        "decentralised health, social, sports and cultural services) would not overcome the area's "
        "structural deficiencies; the Local Support Group asked for a more comprehensive and "
        "coordinated intervention: governance and integrated planning.",
    ),
    "alba-iulia": (
        "Lumea Nouă",
        "A Roma neighbourhood of about 1,900 inhabitants. The work focuses on education; the local "
        "group also raised citizen safety.",
    ),
}

OBJECTIVES = (
    "- To learn more about integrated approaches to strengthen social cohesion in disadvantaged "
    "neighbourhoods and implement this knowledge in innovative local projects"
)
ACTIVITIES = (
    "- Local Support Groups working on Local Action Plans.\n"
    "- Thematic meetings, one in each partner city, and a city-to-city project support scheme "
    "bringing officers and experts from one city to another city to ensure a direct transfer of "
    "know-how.\n"
    "- Exchange of best practices about integrated approaches to strengthen social cohesion in "
    "disadvantaged neighbourhoods."
)
RESULTS = (
    "- **Local Action Plan Palermo, Italy** – In a context like Ballarò, even multi-goal services – "
    "neighbourhood centres, decentralised health, social, sports and cultural infrastructure – would "
    "not be the right measure to overcome the structural deficiencies of the focus area. The CoNet "
    "Local Support Group identified as a long-term solution a more comprehensive and coordinated "
    "intervention, working towards governance and integrated planning.\n"
    "- **CoNet's Guide to Social Cohesion** – Academic approaches, good practice examples and "
    "interviews with practitioners and politicians along seven core tasks improving disadvantaged "
    "neighbourhoods in the EU."
)

CESIE_DESCRIPTION = (
    "CESIE, as a European centre of studies and initiatives, is dedicated to the promotion of "
    "research and development so as to increase and improve future-oriented innovation process in "
    "educational, social, economic and cultural spheres."
)
FACT_SHEETS = [
    ("Cityzen – For a sustainable European Society", "European Cooperation, Citizens"),
    ("CREINTWIN – Creative Intercultural Twinning", "European Cooperation, Youth"),
    ("EUnify 2014", "European Cooperation, Citizens"),
    ("Let's Raise the Curtain – Creative workshop for European women from rural context", "Adults"),
    (
        "Empowering disadvantaged/deprived urban areas",
        "Research: what slows down the development and empowerment of disadvantaged urban areas",
    ),
]


@dataclass
class DemoUser:
    email: str
    name: str
    role: str  # a Role value, or "admin"
    scope: str  # "network", a city slug, or "" for the platform
    language: str


DEMO_USERS = [
    DemoUser("admin@conet.example", "Samuel Okafor", "admin", "", "en"),
    DemoUser("coordinator@conet.example", "Katharina Berger", Role.NETWORK_COORDINATOR, "network", "de"),
    DemoUser("weeber@conet.example", "Prof. Dr. Rotraut Weeber", Role.LEAD_EXPERT, "network", "de"),
    DemoUser("expert@conet.example", "Thomas Hall", Role.EXPERT, "network", "en"),
    DemoUser("palermo@conet.example", "Giuseppe Lo Bianco", Role.CITY_COORDINATOR, "palermo", "it"),
    DemoUser("lsg.palermo@conet.example", "Rosa Mancuso", Role.LSG_MEMBER, "palermo", "it"),
    DemoUser("albaiulia@conet.example", "Ioana Mureșan", Role.CITY_COORDINATOR, "alba-iulia", "ro"),
]  # fmt: skip


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def _event(network: Network, kind: str, when: date, **fields) -> None:
    event = ActivityEvent.objects.create(
        kind=kind,
        scope_type=ContentType.objects.get_for_model(Network),
        scope_id=network.pk,
        **fields,
    )
    ActivityEvent.objects.filter(pk=event.pk).update(created_at=_at(when))


@transaction.atomic
def load_demo() -> dict:
    """Create the CoNet network, its cities, CESIE and one user per role. Returns what was created."""
    created = {"network": False, "cities": 0, "users": 0}
    cesie, _ = Organisation.objects.get_or_create(
        slug="cesie",
        defaults={
            "name": "CESIE",
            "country": "IT",
            "city_name": "Palermo",
            "website": "https://cesie.org",
            "description": CESIE_DESCRIPTION,
        },
    )
    cities = {}
    for name, slug, country, population, lat, lng, languages in CITIES:
        city, was_created = City.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "country": country,
                "population": population,
                "latitude": Decimal(lat),
                "longitude": Decimal(lng),
                "languages": languages,
            },
        )
        cities[slug] = city
        created["cities"] += was_created
    network, was_created = Network.objects.get_or_create(
        slug="conet",
        defaults={
            "name": "CoNet – Cohesion Network",
            "acronym": "CoNet",
            "theme": "Integrated approaches to social cohesion in disadvantaged neighbourhoods",
            "objectives": OBJECTIVES,
            "activities": ACTIVITIES,
            "results": RESULTS,
            "programme": "URBACT II – Thematic Networks",
            "funding": "ERDF – European Regional Development Fund",
            "start_date": date(2008, 4, 21),
            "end_date": date(2011, 5, 20),
            "status": Network.Status.CLOSED,
            "contact_organisation": cesie,
            "contacts": "CESIE, Palermo (Italy)",
            "language": "en",
        },
    )
    if was_created:
        created["network"] = True
        set_default_core_tasks(network)
        for _name, slug, *_rest in CITIES:
            focus_name, focus_description = FOCUS_AREAS.get(slug, ("", ""))
            Partnership.objects.create(
                network=network,
                city=cities[slug],
                role=Partnership.Role.LEAD_PARTNER
                if slug == "berlin"
                else Partnership.Role.PARTNER,
                focus_area_name=focus_name,
                focus_area_description=focus_description,
            )
        _event(network, "network.created", date(2008, 4, 21), data={"network": network.name})
        _event(
            network,
            "update",
            date(2010, 5, 28),
            text=(
                "The CoNet meeting on 27 and 28 May 2010 in Alba Iulia focused on participation. "
                "Participants used the Future Workshop method developed by Robert Jungk to elaborate "
                "ideas and strategies for the Lumea Nouă neighbourhood."
            ),
            language="en",
        )
        _event(
            network,
            "update",
            date(2011, 5, 20),
            text="CoNet's Guide to Social Cohesion is published: approaches, good practices and "
            "interviews along seven core tasks.",
            language="en",
        )
        for title, summary in FACT_SHEETS:
            FactSheet.objects.create(organisation=cesie, title=title, summary=summary)
        FactSheet.objects.create(
            organisation=cesie,
            title=network.name,
            summary="URBACT II thematic network of eleven cities led by Berlin.",
            programme=network.programme,
            start_date=network.start_date,
            end_date=network.end_date,
            network=network,
        )
    for demo in DEMO_USERS:
        user = User.objects.filter(email=demo.email).first()
        if user is None:
            user = User.objects.create_user(
                demo.email,
                DEMO_PASSWORD,
                name=demo.name,
                language=demo.language,
                is_staff=demo.role == "admin",
                is_superuser=demo.role == "admin",
            )
            created["users"] += 1
        if demo.role == "admin":
            continue
        scope = {"network": network} if demo.scope == "network" else {"city": cities[demo.scope]}
        Membership.objects.get_or_create(user=user, role=demo.role, **scope)
    _demo_photos(cities["alba-iulia"], network)
    return created


def _demo_photos(city: City, network: Network) -> None:
    """A drawn picture on Alba Iulia's page and on its focus area, Lumea Nouă."""
    from conet.core.models import Photo
    from conet.core.photos import services as photos
    from conet.core.photos.demo import drawn_street

    admin = User.objects.filter(is_superuser=True, email__endswith="@conet.example").first()
    if admin is None or Photo.objects.exists():
        return
    partnership = Partnership.objects.filter(network=network, city=city).first()
    for obj in (city, partnership):
        if obj is not None:
            photos.add_photo(
                obj,
                drawn_street(),
                by=admin,
                alt_text="Drawing of a row of brightly painted low houses under an evening sky",
                caption="Lumea Nouă, Alba Iulia (a drawing made for the demo)",
            )


def describe(created: dict) -> list[str]:
    """What `conet demo` prints about the network (the accounts follow last, from demo_accounts)."""
    return [
        "Loaded the CoNet network with its 11 partner cities."
        if created["network"]
        else "The CoNet network is already there; nothing changed.",
        "Sign in at /accounts/login/ ; the network page is /networks/conet/",
    ]


def demo_accounts() -> list[DemoAccount]:
    """One account per role, those that exist (the platform admin first)."""
    existing = set(
        User.objects.filter(email__in=[demo.email for demo in DEMO_USERS]).values_list(
            "email", flat=True
        )
    )
    accounts = []
    for demo in DEMO_USERS:
        if demo.email not in existing:
            continue
        role = "platform admin" if demo.role == "admin" else str(demo.role.label)
        scope = {"network": "CoNet", "": "the platform"}.get(demo.scope, demo.scope)
        accounts.append(DemoAccount(demo.email, DEMO_PASSWORD, f"{role} — {scope}"))
    return accounts
