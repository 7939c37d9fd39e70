"""The eleven thematic meetings of CoNet, one in each partner city, 2009–2011, with agendas.

Alba Iulia (27–28 May 2010) is documented on the project page: participation, with Robert Jungk's
Future Workshop on the Roma neighbourhood Lumea Nouă. The other themes follow the seven core tasks.
Running the loader twice changes nothing.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from conet.accounts.models import User
from conet.meetings.models import AgendaItem, Meeting, Registration
from conet.networks.countries import time_zone_of
from conet.networks.models import City, CoreTask, Network

# city slug, first day, title, theme, core task numbers, venue
MEETINGS = [
    ("berlin", date(2009, 1, 28), "Kick-off: integrated approaches to social cohesion",
     "The baseline study and what each city brings to the network", [7], "Senatsverwaltung für Stadtentwicklung"),
    ("liverpool", date(2009, 3, 26), "Strengthening local networks",
     "Neighbourhood management and partnerships of residents, agencies and business", [3], "Liverpool Town Hall"),
    ("vaulx-en-velin", date(2009, 5, 13), "Reducing segregation",
     "Housing renewal, mixed neighbourhoods and the Grand Projet de Ville", [6], "Hôtel de Ville"),
    ("apeldoorn", date(2009, 6, 17), "Attractive social infrastructure",
     "Community schools and multi-purpose neighbourhood centres", [4], "Stadhuis Apeldoorn"),
    ("malmo", date(2009, 9, 23), "Include everyone",
     "Reaching the missing voices: newcomers, older residents and people out of work", [2], "Malmö Stadshus"),
    ("zabrze", date(2009, 11, 18), "Children and young people in post-industrial neighbourhoods",
     "Youth work, schools and leisure after the mines", [5], "Urząd Miejski w Zabrzu"),
    ("gijon", date(2010, 2, 24), "From school to work",
     "Education and employment paths for young people in disadvantaged areas", [5, 4], "Ayuntamiento de Gijón"),
    ("brussels", date(2010, 4, 21), "Neighbourhood contracts and local partnerships",
     "How the Brussels neighbourhood contracts bring residents and services together", [3, 1], "Hôtel de Ville de Bruxelles"),
    ("alba-iulia", date(2010, 5, 27), "Participation: a Future Workshop for Lumea Nouă",
     "Robert Jungk's Future Workshop on the Roma neighbourhood Lumea Nouă (about 1,900 inhabitants): "
     "education first, and citizen safety as the local group asked", [1, 2, 5], "Primăria Alba Iulia"),
    ("sofia", date(2010, 10, 27), "Roma inclusion and desegregation",
     "Integrated programmes for Roma neighbourhoods: housing, schools and health mediators", [2, 6], "Sofia Municipality"),
    ("palermo", date(2011, 3, 23), "Governance and integrated planning — final conference",
     "Ballarò and the Local Action Plans: what the network learnt, and CoNet's Guide to Social Cohesion", [7, 3], "Palazzo delle Aquile"),
]  # fmt: skip

GENERIC_AGENDA = [
    (0, time(9, 0), time(9, 30), "Welcome by the host city", "Host city's deputy mayor"),
    (0, time(9, 30), time(11, 0), "The host city's approach", "Host city's project team"),
    (
        0,
        time(11, 30),
        time(13, 0),
        "Peer review of the Local Action Plans",
        "Prof. Dr. Rotraut Weeber",
    ),
    (0, time(14, 30), time(18, 0), "Site visit in the focus area", "Local Support Group"),
    (1, time(9, 0), time(12, 0), "Working groups on the theme", "Thematic experts"),
    (1, time(12, 0), time(13, 0), "Conclusions and next steps", "Network coordinator (Berlin)"),
]

ALBA_IULIA_AGENDA = [
    (0, time(9, 0), time(9, 45), "Welcome and the Future Workshop method", "Primăria Alba Iulia; facilitators"),
    (0, time(9, 45), time(11, 30), "Critique phase: what is wrong in Lumea Nouă?", "All participants, in groups of up to 20"),
    (0, time(11, 45), time(13, 0), "Clustering and dot voting on the critiques", "Facilitators"),
    (0, time(14, 30), time(17, 30), "Fantasy phase: “It would be nice if…”", "Working groups"),
    (1, time(9, 0), time(11, 30), "Implementation phase: from utopias to proposals for the Local Action Plan", "Working groups with the Local Support Group"),
    (1, time(11, 45), time(13, 0), "Education and citizen safety: commitments and first steps", "Local Support Group of Alba Iulia"),
]  # fmt: skip


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock).replace(tzinfo=zone)


@transaction.atomic
def load_meetings_demo() -> dict:
    network = Network.objects.filter(slug="conet").first()
    if network is None:
        return {"meetings": 0, "upcoming": 0}
    cities = {city.slug: city for city in City.objects.filter(partnerships__network=network)}
    tasks = {task.number: task for task in CoreTask.objects.filter(network=network)}
    coordinator = User.objects.filter(email="coordinator@conet.example").first()
    created = 0
    for slug, first_day, title, theme, task_numbers, venue in MEETINGS:
        city = cities.get(slug)
        if city is None:
            continue
        zone_name = time_zone_of(city.country)
        zone = ZoneInfo(zone_name)
        meeting, is_new = Meeting.objects.get_or_create(
            network=network,
            title=title,
            defaults={
                "kind": Meeting.Kind.THEMATIC,
                "host_city": city,
                "theme": theme,
                "description": f"CoNet's thematic meeting in {city.name}: {theme}.",
                "language": "en",
                "starts_at": _at(first_day, time(9, 0), zone),
                "ends_at": _at(first_day + timedelta(days=1), time(13, 0), zone),
                "time_zone": zone_name,
                "venue": venue,
                "address": city.name,
                "capacity": 40,
                "registration_open": False,
                "created_by": coordinator,
            },
        )
        if not is_new:
            continue
        created += 1
        meeting.core_tasks.set([tasks[n] for n in task_numbers if n in tasks])
        agenda = ALBA_IULIA_AGENDA if slug == "alba-iulia" else GENERIC_AGENDA
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                starts_at=_at(first_day + timedelta(days=offset), start, zone),
                ends_at=_at(first_day + timedelta(days=offset), end, zone),
                title=item_title,
                speakers=speakers,
            )
            for offset, start, end, item_title, speakers in agenda
        )
        if slug == "alba-iulia":
            meeting.minutes = (
                "About 60 residents, officers and partners took part. The critique phase produced "
                "cards on school drop-out, the lack of pre-school places, unsafe streets at night and "
                "missing public lighting; the fantasy phase turned them into a neighbourhood school "
                "centre and a safety partnership with the police. Both became proposals for the "
                "Local Action Plan of Alba Iulia."
            )
            meeting.outputs = (
                "- Proposal: a neighbourhood school centre with pre-school places in Lumea Nouă\n"
                "- Proposal: a local safety partnership and street lighting\n"
                "- The protocol of the Future Workshop (every card, cluster and vote)"
            )
            meeting.save(update_fields=["minutes", "outputs"])
            people = User.objects.filter(email__endswith="@conet.example").exclude(
                email="admin@conet.example"
            )
            Registration.objects.bulk_create(
                Registration(
                    meeting=meeting,
                    user=person,
                    status=Registration.Status.REGISTERED,
                    attended=True,
                )
                for person in people
            )
    _link_outputs(network)
    return {"meetings": created, "upcoming": _upcoming(network, cities, tasks, coordinator)}


# Two meetings ahead of today, so that a newcomer can register: weeks ahead, title, theme,
# host city slug, kind, seats, core tasks, venue.
UPCOMING = [
    (5, "Reunion: Local Support Groups fifteen years on",
     "What the partner cities' Local Support Groups became, and what each would keep",
     "berlin", Meeting.Kind.THEMATIC, 40, [3, 7], "Senatsverwaltung für Stadtentwicklung"),
    (9, "Site visit: Ballarò's neighbourhood table at work",
     "A morning with the neighbourhood table and the market traders of Ballarò",
     "palermo", Meeting.Kind.SITE_VISIT, 20, [3, 1], "Mercato di Ballarò"),
]  # fmt: skip


def _upcoming(network, cities: dict, tasks: dict, coordinator) -> int:
    """The meetings ahead, dated from today. A second run leaves them as they are while they are
    still ahead, and moves them ahead again once they have passed, so the demo always has some."""
    created = 0
    today = timezone.localdate()
    for weeks, title, theme, slug, kind, seats, task_numbers, venue in UPCOMING:
        city = cities.get(slug)
        if city is None:
            continue
        zone_name = time_zone_of(city.country)
        zone = ZoneInfo(zone_name)
        # Wednesdays, as the network's meetings were.
        first_day = today + timedelta(weeks=weeks, days=(2 - today.weekday()) % 7)
        one_day = kind == Meeting.Kind.SITE_VISIT
        when = {
            "starts_at": _at(first_day, time(9, 30), zone),
            "ends_at": _at(first_day + timedelta(days=0 if one_day else 1), time(13, 0), zone),
        }
        meeting = Meeting.objects.filter(network=network, title=title).first()
        if meeting is not None:
            if meeting.is_past:
                Meeting.objects.filter(pk=meeting.pk).update(**when)
            continue
        meeting = Meeting.objects.create(
            network=network,
            title=title,
            kind=kind,
            host_city=city,
            theme=theme,
            description=f"{theme}. Registration is open; seats are limited to {seats}.",
            language="en",
            time_zone=zone_name,
            venue=venue,
            address=city.name,
            capacity=seats,
            registration_open=True,
            created_by=coordinator,
            **when,
        )
        meeting.core_tasks.set([tasks[n] for n in task_numbers if n in tasks])
        created += 1
    return created


def _link_outputs(network) -> None:
    """Alba Iulia's workshop fed its own plan; the final conference in Palermo looked at Ballarò's."""
    from conet.actionplans.models import Action

    for slug in ["alba-iulia", "palermo"]:
        meeting = Meeting.objects.filter(network=network, host_city__slug=slug).first()
        if meeting is None:
            continue
        actions = Action.objects.filter(
            plan__partnership__network=network, plan__partnership__city__slug=slug
        )
        if actions.exists() and not meeting.plan_actions.exists():
            meeting.plan_actions.set(actions[:3])


def describe_meetings_demo(report: dict) -> list[str]:
    lines = []
    if report["meetings"]:
        lines.append(f"meetings: {report['meetings']} thematic meetings added")
    if report.get("upcoming"):
        lines.append(
            f"meetings: {report['upcoming']} upcoming meetings added, open for registration"
        )
    return lines
