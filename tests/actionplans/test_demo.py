"""The action-plan demo: Palermo's launched plan for Ballarò in implementation, Alba Iulia's draft in
consultation."""

from django.urls import reverse

from conet.actionplans.demo import BALLARO_ACTIONS, load_actionplans_demo
from conet.actionplans.models import Action, LocalActionPlan, PeerReview, ProblemNode
from conet.core.languages import in_language
from conet.networks.demo import load_demo


def test_the_demo_plans_walk_the_workflow_and_load_once(db, client):
    load_demo()
    assert load_actionplans_demo() is True
    ballaro = LocalActionPlan.objects.get(partnership__city__slug="palermo")
    assert ballaro.status == "implementation"  # launched in 2011, its actions under way
    assert sorted(ballaro.actions.values_list("progress", flat=True)) == [35, 50, 60, 80, 100]
    assert ballaro.versions.get().label == "1.0"
    assert ballaro.actions.count() == len(BALLARO_ACTIONS) >= 4
    assert ballaro.problem_nodes.filter(kind="core").count() == 1
    assert ballaro.problem_nodes.filter(kind="cause").count() == 3
    assert ballaro.reviews.count() == 2
    lumea = LocalActionPlan.objects.get(partnership__city__slug="alba-iulia")
    assert lumea.status == "consultation"
    assert not lumea.versions.exists()

    # Visitors see Ballarò's launched version and nothing of the draft.
    html = client.get(reverse("actionplans:plan", args=["conet", "palermo"])).content.decode()
    assert "Ballarò neighbourhood table" in html
    assert client.get(reverse("actionplans:plan", args=["conet", "alba-iulia"])).status_code == 404

    counts = (
        LocalActionPlan.objects.count(), Action.objects.count(), ProblemNode.objects.count(),
        PeerReview.objects.count(),
    )  # fmt: skip
    assert load_actionplans_demo() is False
    assert counts == (
        LocalActionPlan.objects.count(), Action.objects.count(), ProblemNode.objects.count(),
        PeerReview.objects.count(),
    )  # fmt: skip


def test_without_the_network_demo_nothing_is_made(db):
    assert load_actionplans_demo() is False
    assert not LocalActionPlan.objects.exists()


def test_the_demo_dates_each_step_of_the_plans_when_it_happened(db):
    from conet.actionplans.models import PlanVersion
    from conet.core.models import ActivityEvent

    load_demo()
    load_actionplans_demo()
    version = PlanVersion.objects.get(plan__partnership__city__slug="palermo")
    assert version.launched_at.date().isoformat() == "2011-02-15"
    # Every event of the two plans happened while the network ran (2008–2011), none today.
    years = {
        event.created_at.year for event in ActivityEvent.objects.filter(kind__startswith="plan.")
    }
    assert years and years <= {2009, 2010, 2011}
    launched = ActivityEvent.objects.get(kind="plan.launched")
    assert launched.created_at == version.launched_at


def test_a_launched_version_reads_its_section_headings_in_the_readers_language(db, client):
    from django.utils import translation

    from conet.actionplans.models import PlanSection

    load_demo()
    load_actionplans_demo()
    url = reverse("actionplans:plan", args=["conet", "palermo"])
    body = client.get(in_language(url, "it")).content.decode()
    with translation.override("it"):
        heading = str(PlanSection.Kind.CONTEXT.label)
    assert heading != "Context: the city at a glance"
    assert f"<h2>{heading}</h2>" in body.replace("&#x27;", "'")
    assert "Context: the city at a glance" not in body
