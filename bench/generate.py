"""Bench data generator: networks, cities, partnerships, users, memberships and activity at a chosen scale.

    python bench/generate.py --networks 200 --cities 500 --partners-per-network 20 \\
        --users 2000 --events-per-network 50

It writes into the database named by DATABASE_URL when that is set (to bench PostgreSQL), otherwise into
its own SQLite file under --data-dir (default var/bench/conet.sqlite3) — never into the demo database under
var/. It also loads the real CoNet demo (`/networks/conet/`, 11 partners) and one generated network with
many partners (`/networks/gen-big/`, 60 by default), so a page can be compared at both sizes.

Everything generated has a slug or e-mail starting with `gen-`; the same seed gives the same data.
Running it again at the same scale changes nothing; at another scale it replaces the generated rows.
As a module: `configure()` once, then `ensure(Scale(...))`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "var" / "bench"
PREFIX = "gen-"
BIG_SLUG = "gen-big"
USER_DOMAIN = "bench.example"


@dataclass(frozen=True)
class Scale:
    networks: int = 200
    cities: int = 500
    partners_per_network: int = 20
    users: int = 2000
    events_per_network: int = 50
    big_partners: int = 60
    seed: int = 2008

    def check(self) -> None:
        for name, value in asdict(self).items():
            if name != "seed" and value < 0:
                raise ValueError(f"{name} must not be negative (got {value})")
        if self.partners_per_network > self.cities or self.big_partners > self.cities:
            raise ValueError(
                f"a network cannot have more partners ({max(self.partners_per_network, self.big_partners)})"
                f" than there are cities ({self.cities})"
            )


def configure(data_dir: Path | str | None = None) -> None:
    """Point CoNet at the bench data directory and set Django up. Call before any model import."""
    os.environ["CONET_DATA_DIR"] = str(Path(data_dir or DEFAULT_DATA_DIR).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- words the generated rows are made of -------------------------------------------------------

_SYLLABLES = [
    "ber", "lin", "pa", "ler", "mo", "ap", "el", "doorn", "za", "brze", "gi", "jon", "mal", "so",
    "fi", "al", "ba", "iu", "lia", "vaulx", "ve", "liv", "er", "pool", "bru", "xel", "gra", "nada",
    "to", "ri", "no", "wa", "rsaw", "kra", "kow", "bil", "bao", "lyon", "nan", "tes", "ham", "burg",
]  # fmt: skip
_COUNTRIES = ["AT", "BE", "BG", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "IT", "NL", "PL", "RO", "SE"]  # fmt: skip
_LANGUAGES = {
    "AT": "de", "BE": "fr,nl", "BG": "bg", "CZ": "en", "DE": "de", "DK": "en", "ES": "es",
    "FI": "sv", "FR": "fr", "GB": "en", "IT": "it", "NL": "nl", "PL": "pl", "RO": "ro", "SE": "sv",
}  # fmt: skip
_THEMES = [
    "Social cohesion in disadvantaged neighbourhoods",
    "Integrated urban regeneration",
    "Participation of young people in local policy",
    "Affordable housing and mixed neighbourhoods",
    "Local economies and social enterprises",
    "Migrants' inclusion through local support groups",
    "Green and healthy public spaces",
]
_WORDS = [
    "local", "support", "group", "action", "plan", "neighbourhood", "city", "partners",
    "participation", "housing", "youth", "school", "health", "economy", "transfer", "practice",
    "exchange", "visit", "expert", "meeting", "indicator", "review", "governance", "integrated",
    "approach", "community", "residents", "inclusion", "segregation", "infrastructure",
]  # fmt: skip


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _markdown(rng: random.Random, items: int) -> str:
    return "\n".join(f"- {_sentence(rng, rng.randint(12, 30))}" for _ in range(items))


def _at(day: date, rng: random.Random) -> datetime:
    return datetime(
        day.year, day.month, day.day, rng.randint(7, 19), rng.randint(0, 59), tzinfo=UTC
    )


@contextmanager
def _explicit_timestamps(*fields):
    """Let bulk_create keep the created_at we give (auto_now_add would overwrite it with now)."""
    saved = [field.auto_now_add for field in fields]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field, value in zip(fields, saved, strict=True):
            field.auto_now_add = value


# --- reading and writing the generated rows -----------------------------------------------------


def present(scale: Scale) -> bool:
    """Whether the database already holds the generated data at exactly this scale (and the demo)."""
    from conet.accounts.models import User
    from conet.core.models import ActivityEvent
    from conet.networks.models import City, Network, Partnership

    networks = Network.objects.filter(slug__startswith=PREFIX)
    expected_networks = scale.networks + (1 if scale.big_partners else 0)
    if networks.count() != expected_networks or not Network.objects.filter(slug="conet").exists():
        return False
    expected_partnerships = scale.networks * scale.partners_per_network + scale.big_partners
    ids = list(networks.values_list("pk", flat=True))
    return (
        City.objects.filter(slug__startswith=PREFIX).count() == scale.cities
        and Partnership.objects.filter(network__in=ids).count() == expected_partnerships
        and User.objects.filter(email__startswith=PREFIX).count() == scale.users
        and ActivityEvent.objects.filter(
            scope_type__model="network", scope_id__in=ids, kind__in=["update", "partnership.added"]
        ).count()
        == expected_networks * scale.events_per_network
    )


def foreign_networks() -> list[str]:
    """Networks that neither the demo nor this generator made: a sign this is someone's real database."""
    from conet.networks.models import Network

    return list(
        Network.objects.exclude(slug__startswith=PREFIX)
        .exclude(slug="conet")
        .values_list("slug", flat=True)[:5]
    )


def remove_generated() -> None:
    """Delete every generated row (the demo stays)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from conet.accounts.models import User
    from conet.core.models import ActivityEvent
    from conet.networks.models import City, Network, Organisation

    with transaction.atomic():
        ids = list(Network.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))
        ActivityEvent.objects.filter(
            scope_type=ContentType.objects.get_for_model(Network), scope_id__in=ids
        ).delete()
        Network.objects.filter(pk__in=ids).delete()  # partnerships, core tasks, memberships cascade
        City.objects.filter(slug__startswith=PREFIX).delete()
        Organisation.objects.filter(slug__startswith=PREFIX).delete()
        User.objects.filter(email__startswith=PREFIX).delete()


def generate(scale: Scale) -> dict:
    """Write the generated rows (the database must hold none yet). Returns counts and the time taken."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from conet.accounts.models import Membership, Role, User
    from conet.core.models import ActivityEvent
    from conet.networks import core_tasks
    from conet.networks.models import (
        City,
        CoreTask,
        FactSheet,
        Network,
        Organisation,
        Partnership,
    )

    scale.check()
    rng = random.Random(scale.seed)
    started = time.perf_counter()
    with transaction.atomic():
        # Organisations, each with a few fact sheets (the network page lists up to 12 of them).
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"{_name(rng, 3)} Institute",
                slug=f"{PREFIX}org-{i}",
                country=rng.choice(_COUNTRIES),
                city_name=_name(rng),
                description=_sentence(rng, 25),
            )
            for i in range(max(1, scale.networks // 10))
        )
        FactSheet.objects.bulk_create(
            FactSheet(
                organisation=organisation,
                title=f"{_name(rng, 3)} – {_sentence(rng, 4)}",
                summary=_sentence(rng, 15),
                start_date=date(rng.randint(2005, 2024), rng.randint(1, 12), 1),
            )
            for organisation in organisations
            for _ in range(rng.randint(2, 8))
        )

        cities = City.objects.bulk_create(
            City(
                name=f"{_name(rng, rng.randint(2, 3))} {i}",
                slug=f"{PREFIX}city-{i}",
                country=(country := rng.choice(_COUNTRIES)),
                population=rng.randint(20_000, 3_000_000),
                latitude=Decimal(f"{rng.uniform(36, 64):.6f}"),
                longitude=Decimal(f"{rng.uniform(-9, 28):.6f}"),
                languages=_LANGUAGES[country],
                description=_sentence(rng, 30),
            )
            for i in range(scale.cities)
        )

        def network(slug: str, name: str) -> Network:
            start = date(rng.randint(2005, 2024), rng.randint(1, 12), rng.randint(1, 28))
            return Network(
                name=name,
                acronym=name.split()[0][:12],
                slug=slug,
                theme=rng.choice(_THEMES),
                objectives=_markdown(rng, rng.randint(1, 3)),
                activities=_markdown(rng, rng.randint(2, 4)),
                results=_markdown(rng, rng.randint(1, 4)),
                programme="URBACT – Action Planning Networks",
                funding="ERDF – European Regional Development Fund",
                start_date=start,
                end_date=start + timedelta(days=rng.randint(700, 1500)),
                status=rng.choice(list(Network.Status.values)),
                contact_organisation=rng.choice(organisations),
                contacts=f"{_name(rng)} {_name(rng)}, lead expert",
                language="en",
            )

        networks = [
            network(f"{PREFIX}net-{i}", f"{_name(rng, 3)} Network {i}")
            for i in range(scale.networks)
        ]
        if scale.big_partners:
            networks.append(network(BIG_SLUG, f"Big Network ({scale.big_partners} partners)"))
        networks = Network.objects.bulk_create(networks)

        partnerships, size_of = [], {}
        for net in networks:
            size = scale.big_partners if net.slug == BIG_SLUG else scale.partners_per_network
            size_of[net.pk] = size
            for position, city in enumerate(rng.sample(cities, size)):
                focus = rng.random() < 0.6
                partnerships.append(
                    Partnership(
                        network=net,
                        city=city,
                        role=Partnership.Role.LEAD_PARTNER if position == 0 else "partner",
                        focus_area_name=f"{_name(rng)} district" if focus else "",
                        focus_area_description=_sentence(rng, 40) if focus else "",
                    )
                )
        Partnership.objects.bulk_create(partnerships, batch_size=2000)

        task_names = [
            (core_tasks.translated_names(english), original)
            for english, original in core_tasks.DEFAULT_CORE_TASKS
        ]
        CoreTask.objects.bulk_create(
            CoreTask(
                network=net,
                number=number,
                names=names,
                original_name=original,
                colour=core_tasks.COLOURS[number - 1],
            )
            for net in networks
            for number, (names, original) in enumerate(task_names, start=1)
        )

        # One hash for everyone: hashing 2,000 passwords would take minutes and measures nothing.
        password = make_password("bench-password-2008")
        users = User.objects.bulk_create(
            (
                User(
                    email=f"{PREFIX}user-{i}@{USER_DOMAIN}",
                    name=f"{_name(rng)} {_name(rng, 3)}",
                    language=rng.choice(["en", "de", "it", "fr", "es", "pl"]),
                    password=password,
                )
                for i in range(scale.users)
            ),
            batch_size=1000,
        )
        network_roles = [Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT, Role.EXPERT]
        city_roles = [Role.CITY_COORDINATOR, Role.LSG_MEMBER]
        memberships = []
        for user in users:
            if rng.random() < 0.3 and networks:
                memberships.append(
                    Membership(
                        user=user, role=rng.choice(network_roles), network=rng.choice(networks)
                    )
                )
            elif cities:
                memberships.append(
                    Membership(user=user, role=rng.choice(city_roles), city=rng.choice(cities))
                )
        Membership.objects.bulk_create(memberships, batch_size=2000)

        # Activity: partners joining and updates written by people, spread over each network's life.
        network_type = ContentType.objects.get_for_model(Network)
        by_network: dict[int, list[Partnership]] = {}
        for partnership in partnerships:
            by_network.setdefault(partnership.network_id, []).append(partnership)
        events = []
        for net in networks:
            days = max(1, (net.end_date - net.start_date).days)
            for _ in range(scale.events_per_network):
                when = _at(net.start_date + timedelta(days=rng.randrange(days)), rng)
                if rng.random() < 0.4 and by_network.get(net.pk):
                    partnership = rng.choice(by_network[net.pk])
                    fields = {
                        "kind": "partnership.added",
                        "data": {"city": partnership.city.name, "role": partnership.role},
                    }
                else:
                    fields = {
                        "kind": "update",
                        "text": _sentence(rng, rng.randint(15, 60)),
                        "language": "en",
                    }
                events.append(
                    ActivityEvent(
                        scope_type=network_type,
                        scope_id=net.pk,
                        actor=rng.choice(users) if users and rng.random() < 0.7 else None,
                        public=rng.random() < 0.9,
                        created_at=when,
                        **fields,
                    )
                )
        with _explicit_timestamps(ActivityEvent._meta.get_field("created_at")):
            ActivityEvent.objects.bulk_create(events, batch_size=2000)

    return {
        "organisations": len(organisations),
        "cities": len(cities),
        "networks": len(networks),
        "partnerships": len(partnerships),
        "users": len(users),
        "memberships": len(memberships),
        "events": len(events),
        "seconds": round(time.perf_counter() - started, 2),
    }


def ensure(scale: Scale, *, force: bool = False) -> dict:
    """Load the demo and make sure the generated data is there at `scale`; regenerate only if it is not."""
    from conet.networks.demo import load_demo

    scale.check()
    if not force and (foreign := foreign_networks()):
        raise SystemExit(
            "generate.py: this database holds networks it did not make "
            f"({', '.join(foreign)} …); refusing to write into it (pass --force to do it anyway)"
        )
    load_demo()
    if present(scale):
        return {"generated": False, "scale": asdict(scale)}
    remove_generated()
    counts = generate(scale)
    return {"generated": True, "scale": asdict(scale), "counts": counts}


def scale_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = Scale()
    parser.add_argument("--networks", type=int, default=defaults.networks)
    parser.add_argument("--cities", type=int, default=defaults.cities)
    parser.add_argument("--partners-per-network", type=int, default=defaults.partners_per_network)
    parser.add_argument("--users", type=int, default=defaults.users)
    parser.add_argument("--events-per-network", type=int, default=defaults.events_per_network)
    parser.add_argument(
        "--big-partners",
        type=int,
        default=defaults.big_partners,
        help=f"partners of the extra network /networks/{BIG_SLUG}/ (0: no such network)",
    )
    parser.add_argument("--seed", type=int, default=defaults.seed)


def scale_from(args: argparse.Namespace) -> Scale:
    return Scale(
        networks=args.networks,
        cities=args.cities,
        partners_per_network=args.partners_per_network,
        users=args.users,
        events_per_network=args.events_per_network,
        big_partners=args.big_partners,
        seed=args.seed,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    scale_arguments(parser)
    parser.add_argument(
        "--data-dir",
        default=str(DEFAULT_DATA_DIR),
        help="CONET_DATA_DIR for this run; the SQLite file is <data-dir>/conet.sqlite3 "
        "unless DATABASE_URL is set (default: %(default)s)",
    )
    parser.add_argument("--migrate", action="store_true", help="apply migrations first")
    parser.add_argument(
        "--force", action="store_true", help="write even into a database with other networks"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    try:
        scale = scale_from(args)
        scale.check()
    except ValueError as exc:
        parser.error(str(exc))
    configure(args.data_dir)
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    from django.db import connection

    result = ensure(scale, force=args.force)
    result["database"] = connection.settings_dict["NAME"]
    if args.json:
        print(json.dumps(result))
    elif result["generated"]:
        counts = ", ".join(f"{value} {name}" for name, value in result["counts"].items())
        print(f"generate.py: wrote {counts} into {result['database']}")
    else:
        print(f"generate.py: {result['database']} already holds this scale; nothing to do")


if __name__ == "__main__":
    main()
