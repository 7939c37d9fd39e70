"""Who may write what: every write path, page and API, over the ten roles; a refusal changes nothing."""

import json

import pytest

from conet.accounts.services import create_api_token
from conet.practices.models import (
    ApproachText,
    Attachment,
    GoodPractice,
    Guide,
    Interview,
    LabelAssessment,
)
from tests.conftest import ROLES

TEAM = {"platform_admin", "network_coordinator", "lead_expert", "expert"}
LEADS = {"platform_admin", "network_coordinator", "lead_expert"}

pytestmark = pytest.mark.django_db


def _ok(response) -> bool:
    return response.status_code in (200, 201, 302)


def _refused(response) -> bool:
    return response.status_code in (302, 403, 404) and not (
        response.status_code == 302
        and "/en/accounts/" not in response.get("Location", "/en/accounts/")
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_edits_a_published_practice(role, people, client_as, practice):
    response = client_as(people[role]).post(
        f"/en/practices/{practice.slug}/edit/",
        {"version": practice.version, "name": "Changed", "description": "d", "city_name": "X",
         "country": "Spain", "language": "en"},
    )  # fmt: skip
    practice.refresh_from_db()
    if role in TEAM:
        assert response.status_code == 302 and practice.name == "Changed"
    else:
        assert response.status_code in (302, 403, 404) and practice.name != "Changed"


@pytest.mark.parametrize("role", ROLES)
def test_the_city_coordinator_edits_their_citys_draft(role, people, client_as, draft):
    response = client_as(people[role]).post(
        f"/en/practices/{draft.slug}/edit/",
        {"version": draft.version, "name": "Better", "description": "d", "city_name": "X",
         "country": "Spain", "language": "en"},
    )  # fmt: skip
    draft.refresh_from_db()
    allowed = TEAM | {"city_coordinator"}
    assert (draft.name == "Better") == (role in allowed), response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_who_proposes_a_practice(role, people, client_as, network, city, core_tasks):
    response = client_as(people[role]).post(
        f"/en/networks/{network.slug}/practices/propose/",
        {"name": "Street school", "description": "Lessons outside", "city": city.pk,
         "language": "en", "core_tasks": [core_tasks[0].pk]},
    )  # fmt: skip
    created = GoodPractice.objects.filter(name="Street school").first()
    allowed = TEAM | {"city_coordinator"}
    assert (created is not None) == (role in allowed), response.status_code
    if created:
        assert created.status == "draft" and created.city == city


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_publishes(role, people, client_as, draft):
    client_as(people[role]).post(f"/en/practices/{draft.slug}/status/", {"status": "published"})
    draft.refresh_from_db()
    assert (draft.status == "published") == (role in TEAM)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_assesses_the_label(role, people, client_as, practice):
    client_as(people[role]).post(
        f"/en/practices/{practice.slug}/label/",
        {"european_relevance_met": "on", "european_relevance_comment": "Urban poverty is common."},
    )
    assert LabelAssessment.objects.exists() == (role in TEAM)


@pytest.mark.parametrize("role", ROLES)
def test_who_adds_a_link(role, people, client_as, practice):
    client_as(people[role]).post(
        f"/en/practices/{practice.slug}/attachments/",
        {"kind": "link", "title": "Website", "url": "https://example.org/"},
    )
    assert Attachment.objects.exists() == (role in TEAM)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_adds_interviews(role, people, client_as, network):
    client_as(people[role]).post(
        f"/en/networks/{network.slug}/interviews/new/",
        {"person_name": "Ana", "person_role": "Mayor", "interviewed_on": "2010-05-01",
         "language": "es", "consent_to_publish": "on",
         "answers-TOTAL_FORMS": "1", "answers-INITIAL_FORMS": "0",
         "answers-0-question": "Why?", "answers-0-answer": "Because."},
    )  # fmt: skip
    assert Interview.objects.filter(person_name="Ana").exists() == (role in TEAM)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_writes_approach_texts(role, people, client_as, network, core_tasks):
    client_as(people[role]).post(
        f"/en/networks/{network.slug}/approaches/1/",
        {"title": "Participation first", "text": "Because.", "language": "en"},
    )
    assert ApproachText.objects.filter(title="Participation first").exists() == (role in TEAM)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_edits_chapters(role, people, client_as, guide, practice):
    version = guide.version
    client_as(people[role]).post(
        f"/en/networks/{guide.network.slug}/guides/{guide.slug}/1/edit/",
        {"version": version, "introduction": "New words", "practices": [practice.pk]},
    )
    chapter = guide.chapters.get(core_task__number=1)
    assert (chapter.introduction == "New words") == (role in TEAM)


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinator_and_lead_expert_publish_the_guide(role, people, client_as, guide):
    guide.status = "draft"
    guide.save()
    client_as(people[role]).post(
        f"/en/networks/{guide.network.slug}/guides/{guide.slug}/status/", {"status": "published"}
    )
    guide.refresh_from_db()
    assert (guide.status == "published") == (role in LEADS)


def _api(client, user, method, path, payload):
    headers = {}
    if user is not None:
        _token, key = create_api_token(user, name="test")
        headers["Authorization"] = f"Bearer {key}"
    return getattr(client, method)(
        path, data=json.dumps(payload), content_type="application/json", headers=headers
    )


@pytest.mark.parametrize("role", ROLES)
def test_api_propose_practice_by_role(role, people, client, network, city, core_tasks):
    response = _api(
        client, people[role], "post", f"/api/v1/networks/{network.slug}/practices",
        {"name": "Tool library", "description": "Borrow", "city": city.slug, "core_tasks": [1]},
    )  # fmt: skip
    allowed = TEAM | {"city_coordinator"}
    assert (response.status_code == 201) == (role in allowed), response.content
    assert GoodPractice.objects.filter(name="Tool library").exists() == (role in allowed)


@pytest.mark.parametrize("role", ROLES)
def test_api_patch_practice_by_role(role, people, client, practice):
    response = _api(
        client, people[role], "patch", f"/api/v1/practices/{practice.slug}",
        {"version": practice.version, "summary": "New summary"},
    )  # fmt: skip
    practice.refresh_from_db()
    assert (practice.summary == "New summary") == (role in TEAM), response.content
    if role not in TEAM:
        assert response.status_code in (401, 403)


@pytest.mark.parametrize("role", ROLES)
def test_api_create_interview_by_role(role, people, client, network):
    response = _api(
        client, people[role], "post", f"/api/v1/networks/{network.slug}/interviews",
        {"person_name": "Jan", "person_role": "Teacher", "interviewed_on": "2010-01-02",
         "answers": [{"question": "Q?", "answer": "A."}]},
    )  # fmt: skip
    assert (response.status_code == 201) == (role in TEAM)
    assert Interview.objects.filter(person_name="Jan").exists() == (role in TEAM)


@pytest.mark.parametrize("role", ROLES)
def test_who_removes_an_attachment(role, people, client_as, practice):
    link = Attachment.objects.create(
        practice=practice, kind="link", title="Site", url="https://example.org/"
    )
    client_as(people[role]).post(f"/en/practices/{practice.slug}/attachments/{link.pk}/remove/")
    assert Attachment.objects.filter(pk=link.pk).exists() == (role not in TEAM)


@pytest.fixture
def interview(network):
    from tests.practices.factories import InterviewAnswerFactory

    return InterviewAnswerFactory(
        interview__network=network, interview__status="draft", question="Why?"
    ).interview


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_edits_an_interview(role, people, client_as, network, interview):
    client_as(people[role]).post(
        f"/en/networks/{network.slug}/interviews/{interview.pk}/edit/",
        {"version": interview.version, "person_name": "Renamed", "person_role": "Mayor",
         "interviewed_on": "2010-05-01", "language": "en", "consent_to_publish": "on",
         "answers-TOTAL_FORMS": "1", "answers-INITIAL_FORMS": "0",
         "answers-0-question": "Why?", "answers-0-answer": "Because."},
    )  # fmt: skip
    interview.refresh_from_db()
    assert (interview.person_name == "Renamed") == (role in TEAM)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_publishes_an_interview(role, people, client_as, network, interview):
    client_as(people[role]).post(
        f"/en/networks/{network.slug}/interviews/{interview.pk}/status/", {"status": "published"}
    )
    interview.refresh_from_db()
    assert (interview.status == "published") == (role in TEAM)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_starts_a_guide(role, people, client_as, network, core_tasks):
    client_as(people[role]).post(
        f"/en/networks/{network.slug}/guides/new/",
        {"title": "Second guide", "introduction": "Why", "language": "en"},
    )
    guide = Guide.objects.filter(title="Second guide").first()
    assert (guide is not None) == (role in TEAM)
    if guide:
        assert guide.chapters.count() == 7 and guide.status == "draft"


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_edits_the_guide_introduction(role, people, client_as, guide):
    client_as(people[role]).post(
        f"/en/networks/{guide.network.slug}/guides/{guide.slug}/edit/",
        {"version": guide.version, "title": guide.title, "introduction": "Rewritten",
         "language": "en"},
    )  # fmt: skip
    guide.refresh_from_db()
    assert (guide.introduction == "Rewritten") == (role in TEAM)


@pytest.mark.parametrize("role", ROLES)
def test_api_put_chapter_by_role(role, people, client, guide, practice):
    response = _api(
        client, people[role], "put",
        f"/api/v1/networks/{guide.network.slug}/guides/{guide.slug}/chapters/2",
        {"version": guide.version, "introduction": "Via the API", "practices": [practice.slug]},
    )  # fmt: skip
    chapter = guide.chapters.get(core_task__number=2)
    assert (chapter.introduction == "Via the API") == (role in TEAM), response.content
    assert (response.status_code == 200) == (role in TEAM)


@pytest.mark.parametrize("role", ROLES)
def test_api_publish_guide_by_role(role, people, client, guide):
    guide.status = "draft"
    guide.save()
    response = _api(
        client, people[role], "post",
        f"/api/v1/networks/{guide.network.slug}/guides/{guide.slug}/status",
        {"status": "published"},
    )  # fmt: skip
    guide.refresh_from_db()
    assert (guide.status == "published") == (role in LEADS), response.content


@pytest.mark.parametrize("role", ROLES)
def test_api_put_approach_by_role(role, people, client, network, core_tasks):
    response = _api(
        client, people[role], "put", f"/api/v1/networks/{network.slug}/approaches/4",
        {"title": "Infrastructure", "text": "Open schools after hours."},
    )  # fmt: skip
    assert ApproachText.objects.filter(title="Infrastructure").exists() == (role in TEAM)
    assert (response.status_code == 200) == (role in TEAM), response.content


def test_api_bad_chapter_input_names_the_field_and_changes_nothing(people, client, guide, draft):
    response = _api(
        client, people["network_coordinator"], "put",
        f"/api/v1/networks/{guide.network.slug}/guides/{guide.slug}/chapters/2",
        {"version": guide.version, "introduction": "x", "practices": [draft.slug]},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["practices"]
    assert guide.chapters.get(core_task__number=2).introduction == ""


def test_api_chapter_edit_from_an_old_guide_version_is_a_conflict(people, client, guide):
    response = _api(
        client, people["lead_expert"], "put",
        f"/api/v1/networks/{guide.network.slug}/guides/{guide.slug}/chapters/2",
        {"version": guide.version - 1 if guide.version > 1 else 999, "introduction": "stale"},
    )  # fmt: skip
    assert response.status_code == 409
    assert guide.chapters.get(core_task__number=2).introduction == ""


@pytest.mark.parametrize("version", [None, 0])
def test_api_replacing_an_approach_text_without_or_with_a_stale_version_changes_nothing(
    version, people, client, network, core_tasks
):
    path = f"/api/v1/networks/{network.slug}/approaches/4"
    lead = people["network_coordinator"]
    first = _api(client, lead, "put", path, {"title": "Infrastructure", "text": "Schools."})
    assert first.status_code == 200, first.content
    payload = {"title": "Overwritten", "text": "Gone."} | ({"version": version} if version else {})
    response = _api(client, lead, "put", path, payload)
    assert response.status_code == 409, response.content
    stored = ApproachText.objects.get(core_task=core_tasks[3])
    assert (stored.title, stored.version) == ("Infrastructure", first.json()["version"])
    payload["version"] = first.json()["version"]
    assert _api(client, lead, "put", path, payload).status_code == 200
