"""Factories for every model the tests need; one place, as STYLE.md asks."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType

from conet.accounts.models import Membership, Role, User
from conet.core.models import ActivityEvent
from conet.networks.models import City, FactSheet, Network, Organisation, Partnership

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    acronym = factory.Sequence(lambda n: f"N{n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    theme = "Social cohesion"
    objectives = "- Learn together"
    start_date = date(2024, 1, 1)
    end_date = date(2026, 12, 31)
    status = Network.Status.IMPLEMENTATION


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    country = "DE"
    population = 100_000
    latitude = factory.Sequence(lambda n: Decimal("40") + Decimal(n % 20) / 2)
    longitude = factory.Sequence(lambda n: Decimal("5") + Decimal(n % 30) / 2)
    languages = "de"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    network = factory.SubFactory(NetworkFactory)
    city = factory.SubFactory(CityFactory)
    role = Partnership.Role.PARTNER


class FactSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FactSheet

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Project {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.NETWORK_COORDINATOR
    network = factory.SubFactory(NetworkFactory)
    city = None


def activity(scope, kind: str = "update", text: str = "Something happened", **fields):
    return ActivityEvent.objects.create(
        kind=kind,
        scope_type=ContentType.objects.get_for_model(scope),
        scope_id=scope.pk,
        text=text,
        **fields,
    )


# Consultations (opinion mapping) ----------------------------------------------------------------


def _yesterday():
    import datetime

    from django.utils import timezone as tz

    return tz.now() - datetime.timedelta(days=1)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consultations.Consultation"

    city = factory.SubFactory(CityFactory)
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    question = factory.Sequence(lambda n: f"What should change in neighbourhood {n}?")
    language = "en"
    opens_at = factory.LazyFunction(_yesterday)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consultations.Statement"

    consultation = factory.SubFactory(ConsultationFactory)
    number = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Statement number {n}")
    status = "accepted"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consultations.Participant"

    consultation = factory.SubFactory(ConsultationFactory)
    device_hash = factory.Sequence(lambda n: f"{n:064x}")
