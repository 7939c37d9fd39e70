"""Invariants the database keeps for workshops, whatever code writes the row."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from conet.workshops.models import Workshop
from tests.factories import CityFactory, NetworkFactory
from tests.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


def _workshop(**place) -> Workshop:
    return Workshop.objects.create(
        title="Lumea Nouă", guiding_question="?", language="ro", starts_at=timezone.now(), **place
    )


def test_database_refuses_a_workshop_with_neither_city_nor_network():
    with pytest.raises(IntegrityError), transaction.atomic():
        _workshop()
    assert not Workshop.objects.exists()


def test_database_refuses_taking_the_last_owner_away():
    workshop = _workshop(city=CityFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Workshop.objects.filter(pk=workshop.pk).update(city=None)
    workshop.refresh_from_db()
    assert workshop.city_id is not None


def test_a_workshop_of_a_city_or_of_a_network_or_of_both_is_kept():
    city, network = CityFactory(), NetworkFactory()
    _workshop(city=city)
    _workshop(network=network)
    _workshop(city=city, network=network)
    assert Workshop.objects.count() == 3


def test_factory_gives_a_city_unless_a_network_is_given():
    network = NetworkFactory()
    assert WorkshopFactory().city is not None
    given = WorkshopFactory(network=network)
    assert (given.network, given.city) == (network, None)
