"""Workshops for the tests: a running one with tables, participants and their tokens."""

import factory
from django.utils import timezone

from conet.workshops import services
from conet.workshops.models import Cluster, Phase, Table, Workshop, new_join_code
from tests.factories import CityFactory


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Future Workshop {n}")
    guiding_question = "How do we want to live in our neighbourhood?"
    language = "en"
    starts_at = factory.LazyFunction(timezone.now)
    place = "Community centre"
    code = factory.LazyFunction(new_join_code)
    # A workshop belongs to a city or a network (a database constraint): a city of its own unless
    # the test gives a network.
    network = None
    city = factory.Maybe(
        "network", yes_declaration=None, no_declaration=factory.SubFactory(CityFactory)
    )

    @factory.post_generation
    def phases(obj, create, extracted, **kwargs):
        if not create:
            return
        for order, kind in enumerate(services.PHASE_ORDER):
            Phase.objects.create(
                workshop=obj,
                kind=kind,
                order=order,
                dots_per_person=0 if kind == Phase.Kind.IMPLEMENTATION else 3,
            )


class TableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Table

    workshop = factory.SubFactory(WorkshopFactory)
    name = factory.Sequence(lambda n: f"Table {n}")


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    workshop = factory.SubFactory(WorkshopFactory)
    phase = factory.LazyAttribute(lambda o: o.workshop.phases.get(kind="critique"))
    title = factory.Sequence(lambda n: f"Cluster {n}")


def phase(workshop, kind="critique") -> Phase:
    return workshop.phases.get(kind=kind)


def open_phase(workshop, kind="critique", step="write") -> Phase:
    """Put the workshop in `kind`'s `step` directly (earlier phases closed), without events."""
    now = timezone.now()
    for p in workshop.phases.all():
        if p.order < phase(workshop, kind).order:
            p.state, p.closed_at = Phase.State.CLOSED, now
        elif p.kind == kind:
            p.state, p.step, p.opened_at = Phase.State.OPEN, step, now
        else:
            p.state = Phase.State.PENDING
        p.save()
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.RUNNING)
    workshop.refresh_from_db()
    return phase(workshop, kind)


def join(workshop, name="Ana", table=None, anonymous=False):
    """(participant, raw token)"""
    return services.join_workshop(workshop, display_name=name, table=table, anonymous=anonymous)
