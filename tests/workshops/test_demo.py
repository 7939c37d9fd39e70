"""The demo: Alba Iulia's Future Workshop on Lumea Nouă, through every phase, one proposal in the plan."""

from django.urls import reverse
from django.utils import timezone

from conet.accounts.models import User
from conet.actionplans.demo import load_actionplans_demo
from conet.actionplans.models import Action
from conet.networks.demo import load_demo
from conet.workshops import services
from conet.workshops.clustering import guess_language
from conet.workshops.demo import OPEN_TITLE, TITLE, describe_workshops_demo, load_workshops_demo
from conet.workshops.models import Card, Cluster, Dot, Phase, Proposal, Workshop


def test_the_lumea_noua_workshop_runs_through_every_phase_and_loads_once(db, client):
    load_demo()
    load_actionplans_demo()
    assert load_workshops_demo() is True

    workshop = Workshop.objects.get(title=TITLE)
    assert Workshop.objects.count() == 3  # one to run live, and Ballarò's in Palermo
    ballaro = Proposal.objects.get(workshop__city__slug="palermo")
    assert ballaro.action.number == 5 and ballaro.workshop.status == Workshop.Status.FINISHED
    assert workshop.city.slug == "alba-iulia"
    assert workshop.status == Workshop.Status.FINISHED
    assert workshop.starts_at.date().isoformat() == "2010-05-27"
    phases = list(workshop.phases.order_by("order"))
    assert [phase.kind for phase in phases] == ["critique", "fantasy", "implementation"]
    assert all(phase.state == Phase.State.CLOSED and phase.closed_at for phase in phases)
    assert phases[-1].closed_at.date().isoformat() == "2010-05-28"
    cards = list(Card.objects.filter(workshop=workshop))
    assert {guess_language(card.text) for card in cards} >= {"ro", "en"}
    assert Card.objects.filter(workshop=workshop, hidden=True).count() == 1
    assert Card.objects.filter(
        workshop=workshop, phase__kind="fantasy", responds_to__isnull=False
    ).exists()
    assert Cluster.objects.filter(workshop=workshop, chosen=True).count() == 4
    assert Dot.objects.filter(phase__workshop=workshop).exists()

    promoted = Proposal.objects.get(workshop=workshop, action__isnull=False)
    assert promoted.action.plan.partnership.city.slug == "alba-iulia"
    assert promoted.action.plan.status == "consultation"
    assert "O școală care îi ține pe copii" in promoted.action.description

    counts = (Workshop.objects.count(), Card.objects.count(), Action.objects.count())
    assert load_workshops_demo() is False
    assert (Workshop.objects.count(), Card.objects.count(), Action.objects.count()) == counts

    page = client.get(reverse("workshops:protocol", args=[workshop.pk]))
    assert page.status_code == 200
    assert "Mulți copii abandonează școala după clasa a patra" in page.content.decode()
    followup = client.get(reverse("workshops:followup", args=[workshop.pk])).content.decode()
    assert "Program after-school la Școala nr. 6" in followup


def test_the_demo_holds_a_workshop_the_coordinator_runs_live_at_once(db, client):
    load_demo()
    load_actionplans_demo()
    load_workshops_demo()
    workshop = Workshop.objects.get(title=OPEN_TITLE)
    assert workshop.city.slug == "alba-iulia" and workshop.language == "ro"
    assert workshop.status == Workshop.Status.PREPARATION
    assert workshop.starts_at > timezone.now()
    assert [p.state for p in workshop.phases.order_by("order")] == ["pending"] * 3
    lines = describe_workshops_demo(False)
    assert workshop.code in lines[0] and workshop.get_absolute_url() in lines[0]

    coordinator = User.objects.get(email="albaiulia@conet.example")
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    detail = client.get(workshop.get_absolute_url()).content.decode()
    assert f'id="join-code">{workshop.code}<' in detail and "Lock the board" in detail
    services.open_phase(workshop.phases.get(kind="critique"), by=coordinator)
    workshop.refresh_from_db()
    assert workshop.status == Workshop.Status.RUNNING
    join = client.get(reverse("workshops:join", args=[workshop.code]))
    assert join.status_code == 200 and "form" in join.context

    # Loading again changes nothing, the workshop being run included.
    assert load_workshops_demo() is False
    assert Workshop.objects.filter(title=OPEN_TITLE).count() == 1
    assert describe_workshops_demo(False) == lines


def test_without_alba_iulia_the_demo_loads_nothing(db):
    assert load_workshops_demo() is False
    assert not Workshop.objects.exists()
