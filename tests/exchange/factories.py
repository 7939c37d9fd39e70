"""Factories for the support scheme."""

from datetime import date

import factory

from conet.exchange.models import (
    Availability,
    ExpertInvitation,
    ExpertProfile,
    SupportRequest,
    Visit,
)
from tests.factories import PartnershipFactory, UserFactory


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile

    user = factory.SubFactory(UserFactory)
    headline = factory.Sequence(lambda n: f"Expert {n} on neighbourhood work")
    skills = "Resident participation\nNeighbourhood councils"
    languages = "en,de"
    language = "en"


class AvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Availability

    profile = factory.SubFactory(ExpertProfileFactory)
    starts_on = date(2026, 3, 1)
    ends_on = date(2026, 5, 31)


class SupportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRequest

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Support request {n}")
    project = "Neighbourhood table"
    problem = "Departments plan separately."
    know_how = "How to run a neighbourhood table with residents."
    languages = "en,de"
    language = "en"
    preferred_start = date(2026, 4, 1)
    preferred_end = date(2026, 4, 30)
    created_by = factory.SubFactory(UserFactory)


class ExpertInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertInvitation

    request = factory.SubFactory(SupportRequestFactory)
    expert = factory.SubFactory(ExpertProfileFactory)
    invited_by = factory.SubFactory(UserFactory)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    request = factory.SubFactory(SupportRequestFactory)
    starts_on = date(2026, 4, 14)
    ends_on = date(2026, 4, 16)
