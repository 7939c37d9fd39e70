"""A plan's sections can be translated by who runs the plan (the city's coordinator, an admin);
the working plan page shows them in the reader's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from conet.actionplans.models import PlanSection
from conet.core.models import ContentTranslation
from tests.factories import ALLOWED, assert_refused, outcome_table

pytestmark = pytest.mark.django_db

RUNS_PLAN = outcome_table({"platform_admin", "city_coordinator"})


@pytest.fixture
def section(plan):
    plan.partnership.city.languages = "it"
    plan.partnership.city.save()
    section = PlanSection.objects.get(plan=plan, kind="context")
    section.text = "Ballarò è un quartiere storico."
    section.save()
    return section


@pytest.mark.parametrize(("role", "outcome"), RUNS_PLAN.items())
def test_a_sections_translation_is_written_only_by_who_runs_the_plan(
    role, outcome, people, section, client_as
):
    url = reverse(
        "core:translation_edit", args=["actionplans.plansection", section.pk, "text", "en"]
    )
    response = client_as(people[role]).post(
        url, {"text": "Ballarò is a historic quarter.", "version": 0}
    )
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert ContentTranslation.objects.get().text == "Ballarò is a historic quarter."
    else:
        assert_refused(response, outcome)
        assert not ContentTranslation.objects.exists()


def test_the_working_plan_shows_a_section_in_the_readers_language(
    people, section, client_as, network, city
):
    client = client_as(people["city_coordinator"])
    url = reverse(
        "core:translation_edit", args=["actionplans.plansection", section.pk, "text", "de"]
    )
    client.post(url, {"text": "Ballarò ist ein historisches Viertel.", "version": 0})
    with translation.override("de"):
        plan_url = section.plan.get_absolute_url()
    page = client.get(plan_url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert (
        '<div class="content-text" lang="de"><p>Ballarò ist ein historisches Viertel.</p>' in page
    )
    with translation.override("fr"):
        plan_url = section.plan.get_absolute_url()
    page = client.get(plan_url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ballarò è un quartiere storico." in page and "Original en italien" in page
