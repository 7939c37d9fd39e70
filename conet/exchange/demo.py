"""The support-scheme demo: six invented experts, Sofia's open request and Palermo's completed one.

Sofia (Fakulteta, Roma housing and inclusion) has just asked and one expert is invited. Palermo
asked for know-how on governing Ballarò as one integrated plan; Giulia Ferrante accepted, visited
in November 2010, and both sides reported, linking what was taken over to the actions of
Ballarò's Local Action Plan. Everything goes through the services, by the people who would do it.
`load_exchange_demo()` creates what is missing and changes nothing on a second run.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from conet.accounts.models import Membership, Role, User
from conet.core.demo import DemoAccount, happened_on
from conet.exchange import services
from conet.exchange.models import (
    ExpertInvitation,
    ExpertProfile,
    SupportRequest,
    Visit,
    VisitReport,
)
from conet.networks.models import City, CoreTask, Network, Partnership

# e-mail, name, language, languages, core tasks, headline, skills, practices led, bio, availability
EXPERTS = [
    ("ivan.petrov@conet.example", "Ivan Petrov", "bg", "bg,en", [2, 6, 5],
     "Експерт по социално включване на роми и социални жилища",
     ["Интегрирани жилищни програми за ромски семейства", "Здравни и образователни медиатори",
      "Работа с общностни лидери"],
     ["Социални жилища и заетост за ромски семейства в Стара Загора"],
     "Социолог, работил двадесет години с ромски общности в България. Ръководил е проекти, които "
     "съчетават социални жилища, заетост и образование.",
     [(date(2026, 4, 1), date(2026, 7, 31))]),
    ("giulia.ferrante@conet.example", "Giulia Ferrante", "it", "it,en,fr", [7, 1],
     "Urbanista: rigenerazione dei centri storici e governance integrata",
     ["Piani integrati per quartieri storici degradati", "Tavoli di quartiere tra assessorati e cittadini",
      "Recupero di edifici abbandonati"],
     ["Programma integrato per il centro storico di Napoli"],
     "Architetta e urbanista, ha coordinato programmi di rigenerazione urbana nel Mezzogiorno.",
     [(date(2026, 2, 1), date(2026, 6, 30))]),
    ("katrin.vogel@conet.example", "Katrin Vogel", "de", "de,en", [1, 3],
     "Quartiersmanagerin, Bewohnerbeteiligung und Aktivierung im Quartier",
     ["Bewohnerbeteiligung und aktivierende Befragungen", "Quartiersräte und Quartiersfonds aufbauen"],
     ["Quartiersrat und Aktionsfonds in Berlin-Neukölln"],
     "Seit fünfzehn Jahren leitet sie Quartiersmanagement-Teams in Berlin.",
     [(date(2026, 3, 1), date(2026, 5, 31))]),
    ("ana.popescu@conet.example", "Ana Popescu", "ro", "ro,en,fr", [5, 2],
     "Educație incluzivă și prevenirea abandonului școlar",
     ["Mediatori școlari în comunități de romi", "Programe școală după școală"],
     ["Rețea de mediatori școlari în județul Cluj"],
     "Profesoară și formatoare; construiește programe de sprijin școlar pentru copiii din "
     "comunități marginalizate.",
     [(date(2026, 3, 15), date(2026, 6, 15))]),
    ("sophie.lambert@conet.example", "Sophie Lambert", "fr", "fr,nl,en", [4, 7],
     "Espaces publics, urbanisme temporaire et art urbain",
     ["Réaménagement d'espaces publics avec les habitants", "Occupation temporaire de bâtiments vides"],
     ["Occupation temporaire des anciennes halles de Molenbeek"],
     "Architecte paysagiste à Bruxelles.",
     [(date(2026, 4, 15), date(2026, 6, 30))]),
    ("lucia.fernandez@conet.example", "Lucía Fernández", "es", "es,en,it", [2, 4],
     "Vivienda: prevención de desahucios y vivienda vacía para uso social",
     ["Mediación entre propietarios e inquilinos", "Vivienda vacía para alquiler social"],
     ["Oficina de intermediación en vivienda de Sabadell"],
     "Trabajadora social y jurista.",
     [(date(2026, 6, 1), date(2026, 9, 30))]),
]  # fmt: skip

SOFIA = {
    "title": "Жилища и включване на ромските семейства във Факултета",
    "project": "Интегриран проект за квартал Факултета",
    "problem": "Много ромски семейства живеят в незаконни и пренаселени жилища, децата рано "
    "напускат училище, а безработицата е висока.",
    "know_how": "Как да съчетаем социални жилища с работа, училище и здравни медиатори, без да "
    "задълбочим сегрегацията.",
    "languages": "bg,en",
    "language": "bg",
    "budget": 6000,
    "preferred_start": date(2026, 5, 4),
    "preferred_end": date(2026, 5, 29),
}

# Sofia asks now. Her preferred dates and the experts' availability above were written for a
# request posted on this Monday; the demo moves them by whole weeks to lie ahead of the day it
# runs, so that an open request never asks for dates already past and the matching still fits.
WRITTEN_FOR = date(2026, 3, 9)


def _from_today(day: date) -> date:
    weeks = (timezone.localdate() - WRITTEN_FOR).days // 7
    return day + timedelta(weeks=max(weeks, 0))


PALERMO = {
    "title": "Governance integrata per Ballarò",
    "project": "Tavolo di quartiere di Ballarò",
    "problem": "Gli interventi dei diversi assessorati sono frammentati; edifici abbandonati e "
    "spazi pubblici degradati non vengono recuperati.",
    "know_how": "Come coordinare gli uffici comunali e i cittadini in un unico piano integrato per "
    "il centro storico, e come riusare gli edifici vuoti.",
    "languages": "it,en",
    "language": "it",
    "budget": 4500,
    "preferred_start": date(2010, 11, 8),
    "preferred_end": date(2010, 11, 26),
}

HOST_REPORT = {
    "understood": "Un tavolo di quartiere funziona solo se ogni assessorato vi manda chi può "
    "decidere, e se i cittadini hanno un posto fisso e un ordine del giorno condiviso.",
    "adapted": "Il nostro tavolo si riunirà ogni due mesi, presieduto dal vicesindaco; "
    "le associazioni dei migranti avranno un seggio.",
    "reused": "Il modello di convenzione per l'uso temporaneo degli edifici vuoti.",
    "language": "it",
}
HOST_ITEMS = [
    (1, "adapt", "Tavolo ogni due mesi con un seggio per le associazioni dei migranti"),
    (3, "reuse", "Convenzione tipo per l'uso temporaneo degli edifici vuoti"),
]
EXPERT_REPORT = {
    "understood": "Ballarò has strong civic actors (the parish, the market) but the city's "
    "departments do not plan together; empty buildings are the main lever.",
    "adapted": "Naples' integrated programme, cut to one quarter and to the city's own budget "
    "lines: one lead department, one shared timetable.",
    "reused": "The temporary-use agreement and the monitoring sheet of the Naples programme.",
    "language": "en",
}
EXPERT_ITEMS = [(2, "adapt", "One lead department and one timetable for the historic centre")]


def _expert(network: Network, tasks: dict, spec) -> ExpertProfile:
    from conet.networks.demo import DEMO_PASSWORD

    email, name, language, languages, numbers, headline, skills, led, bio, available = spec
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, name=name, language=language)
    Membership.objects.get_or_create(user=user, role=Role.EXPERT, network=network)
    profile = ExpertProfile.objects.filter(user=user).first()
    if profile is None:
        profile = services.create_profile(
            user,
            by=user,
            headline=headline,
            skills="\n".join(skills),
            practices_led="\n".join(led),
            bio=bio,
            languages=languages,
            language=language,
            core_tasks=[tasks[n] for n in numbers if n in tasks],
            availability=[(_from_today(start), _from_today(end)) for start, end in available],
        )
    return profile


def _sofia(partnership, coordinator, network_coordinator, tasks, experts) -> None:
    dates = {key: _from_today(SOFIA[key]) for key in ("preferred_start", "preferred_end")}
    request = services.post_request(
        partnership,
        by=coordinator,
        core_tasks=[tasks[n] for n in (2, 6) if n in tasks],
        **(SOFIA | dates),
    )
    services.invite(
        request,
        experts["ivan.petrov@conet.example"],
        by=network_coordinator,
        message="Ivan has run exactly this kind of programme in Stara Zagora.",
    )


def _palermo(partnership, coordinator, network_coordinator, tasks, experts) -> None:
    from conet.actionplans.models import Action

    actions = {
        action.number: action for action in Action.objects.filter(plan__partnership=partnership)
    }
    with happened_on(date(2010, 9, 13)) as posted:
        request = services.post_request(
            partnership,
            by=coordinator,
            core_tasks=[tasks[n] for n in (7, 1) if n in tasks],
            plan_action=actions.get(1),
            **PALERMO,
        )
        giulia = experts["giulia.ferrante@conet.example"]
        invitation = services.invite(request, giulia, by=network_coordinator)
    with happened_on(date(2010, 9, 24)):
        services.accept_invitation(
            invitation,
            by=giulia.user,
            expected_version=invitation.version,
            answer="Volentieri: a novembre posso venire tre giorni.",
        )
    request.refresh_from_db()
    with happened_on(date(2010, 10, 4)) as planned:
        visit = services.plan_visit(
            request,
            by=network_coordinator,
            starts_on=date(2010, 11, 16),
            ends_on=date(2010, 11, 18),
            travel="Volo Napoli–Palermo il 16 mattina; albergo in via Maqueda; costi a carico del "
            "programma di scambio (URBACT).",
            agenda="- 16/11: passeggiata a Ballarò con il gruppo locale\n"
            "- 17/11: tavolo con gli assessorati (urbanistica, servizi sociali, scuola)\n"
            "- 18/11: restituzione e prossimi passi",
        )

    def items(spec):
        return [(actions[n], stage, note) for n, stage, note in spec if n in actions]

    with happened_on(date(2010, 11, 30)) as reported:
        services.file_report(
            visit, by=coordinator, side="host", items=items(HOST_ITEMS), **HOST_REPORT
        )
        services.file_report(
            visit, by=giulia.user, side="expert", items=items(EXPERT_ITEMS), **EXPERT_REPORT
        )
    SupportRequest.objects.filter(pk=request.pk).update(created_at=posted)
    ExpertInvitation.objects.filter(pk=invitation.pk).update(created_at=posted)
    Visit.objects.filter(pk=visit.pk).update(created_at=planned)
    VisitReport.objects.filter(visit=visit).update(submitted_at=reported)


@transaction.atomic
def load_exchange_demo() -> dict:
    created = {"experts": 0, "requests": 0}
    network = Network.objects.filter(slug="conet").first()
    network_coordinator = User.objects.filter(email="coordinator@conet.example").first()
    if network is None or network_coordinator is None:
        return created
    tasks = {task.number: task for task in CoreTask.objects.filter(network=network)}
    before = ExpertProfile.objects.count()
    experts = {spec[0]: _expert(network, tasks, spec) for spec in EXPERTS}
    created["experts"] = ExpertProfile.objects.count() - before
    partnerships = {
        p.city.slug: p
        for p in Partnership.objects.filter(
            network=network, city__slug__in=["sofia", "palermo"]
        ).select_related("city", "network")
    }
    sofia = partnerships.get("sofia")
    if sofia is not None:
        from conet.networks.demo import DEMO_PASSWORD

        coordinator = User.objects.filter(email="sofia@conet.example").first()
        if coordinator is None:
            coordinator = User.objects.create_user(
                "sofia@conet.example",
                DEMO_PASSWORD,
                name="Maria Georgieva",
                language="bg",
            )
        Membership.objects.get_or_create(
            user=coordinator, role=Role.CITY_COORDINATOR, city=City.objects.get(slug="sofia")
        )
        if not SupportRequest.objects.filter(partnership=sofia, title=SOFIA["title"]).exists():
            _sofia(sofia, coordinator, network_coordinator, tasks, experts)
            created["requests"] += 1
    palermo = partnerships.get("palermo")
    palermo_coordinator = User.objects.filter(email="palermo@conet.example").first()
    if (
        palermo is not None
        and palermo_coordinator is not None
        and not SupportRequest.objects.filter(partnership=palermo, title=PALERMO["title"]).exists()
    ):
        _palermo(palermo, palermo_coordinator, network_coordinator, tasks, experts)
        created["requests"] += 1
    return created


def describe_exchange_demo(created: dict) -> list[str]:
    if not any(created.values()):
        return ["City-to-city exchange: already loaded; nothing changed."]
    return [
        f"City-to-city exchange: {created['experts']} expert profiles, "
        f"{created['requests']} support requests (Sofia open, Palermo visited and reported).",
    ]


def demo_accounts() -> list[DemoAccount]:
    """Sofia's coordinator, who has an open request, and the six experts with their profiles."""
    from conet.networks.demo import DEMO_PASSWORD

    wanted = {"sofia@conet.example": "city coordinator — sofia (open support request)"}
    wanted |= {spec[0]: f"expert with a profile — {spec[1]}" for spec in EXPERTS}
    existing = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    return [
        DemoAccount(email, DEMO_PASSWORD, description)
        for email, description in wanted.items()
        if email in existing
    ]
