"""The demo as a manifest: each app declares its loader, `conet demo` runs them in order.

    register_demo("monitoring", load="conet.monitoring.demo.load_monitoring_demo", order=20)

`core` imports no feature app: loaders are named by their dotted path and imported when the demo
runs. Every loader creates what is missing and changes nothing that exists, so running the demo
twice changes nothing. An optional `describe` turns a loader's report into lines for the console;
an optional `accounts` lists the demo accounts the loader created that exist in the database, which
`conet demo` and every `conet serve` print last, so a newcomer always sees how to sign in.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils import timezone
from django.utils.module_loading import import_string

from conet.core.models import ActivityEvent


@dataclass(frozen=True)
class DemoLoader:
    name: str
    load: str
    order: int
    describe: str | None = None
    accounts: str | None = None


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    description: str


_LOADERS: dict[str, DemoLoader] = {}


def register_demo(
    name: str,
    *,
    load: str,
    order: int,
    describe: str | None = None,
    accounts: str | None = None,
) -> None:
    _LOADERS[name] = DemoLoader(name, load, order, describe, accounts)


def _in_order() -> list[DemoLoader]:
    return sorted(_LOADERS.values(), key=lambda loader: (loader.order, loader.name))


def run_demo() -> list[str]:
    """Run every registered loader in order; returns the lines they want shown."""
    lines = []
    for loader in _in_order():
        report = import_string(loader.load)()
        if loader.describe:
            lines.extend(import_string(loader.describe)(report))
    return lines


def demo_moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A moment of the network's history (in the site's time zone), for the demo's timestamps."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@contextmanager
def happened_on(day: datetime.date, hour: int = 10) -> Iterator[datetime.datetime]:
    """The activity recorded inside the block is dated `day`, not the day the demo was loaded.

    The demo replays 2008–2011 through the services, which stamp their events with the present;
    the feed and a plan's history must say when each step happened. Other timestamps the block
    writes (a comment's, a launched version's) are the loader's to set, with the moment yielded.
    """
    moment = demo_moment(day, hour)
    last = ActivityEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield moment
    ActivityEvent.objects.filter(pk__gt=last).update(created_at=moment)


def demo_accounts() -> list[DemoAccount]:
    """The demo accounts in the database, in loader order (none on an install without the demo)."""
    accounts = []
    for loader in _in_order():
        if loader.accounts:
            accounts.extend(import_string(loader.accounts)())
    return accounts


def account_lines(accounts: list[DemoAccount]) -> list[str]:
    if not accounts:
        return []
    passwords = {account.password for account in accounts}
    shared = passwords.pop() if len(passwords) == 1 else None
    lines = [f"Demo accounts (password for all: {shared}):" if shared else "Demo accounts:"]
    for account in accounts:
        password = "" if shared else f"  password {account.password}"
        lines.append(f"  {account.email:<32} {account.description}{password}")
    return lines
