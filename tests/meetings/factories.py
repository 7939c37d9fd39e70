"""Factories for meetings (kept with the meeting tests)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from conet.meetings.models import AgendaItem, Meeting, Registration
from tests.factories import NetworkFactory, UserFactory


def in_days(days: float, hour: int = 10) -> datetime:
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    network = factory.SubFactory(NetworkFactory)
    kind = Meeting.Kind.THEMATIC
    title = factory.Sequence(lambda n: f"Thematic meeting {n}")
    starts_at = factory.LazyFunction(lambda: in_days(10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=8))
    time_zone = "Europe/Berlin"
    capacity = None


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    starts_at = factory.LazyAttribute(lambda o: o.meeting.starts_at)
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.REGISTERED


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("Europe/Berlin"))
