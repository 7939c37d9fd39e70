"""The protocol: every card (hidden ones marked), cluster, vote, decision, proposal and timing, as a
page, a PDF and a CSV; photos of paper boards; who may see what."""

import csv
import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conet.core.models import Photo
from conet.workshops import protocol
from conet.workshops.models import Card
from tests.conftest import ROLES
from tests.factories import ALLOWED, add_photo, assert_refused, outcome_table
from tests.workshops.results_data import HIDDEN_TEXT, build_workshop

RUNNERS = {"platform_admin", "network_coordinator", "lead_expert", "city_coordinator"}


@pytest.fixture
def record(people, city):
    return build_workshop(city=city, by=people["city_coordinator"])


@pytest.fixture
def running(people, city):
    return build_workshop(city=city, by=people["city_coordinator"], finished=False)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _png(size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 180, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile("board.png", buffer.getvalue(), content_type="image/png")


# The record --------------------------------------------------------------------------------------


def test_the_record_holds_every_card_cluster_vote_and_proposal(record):
    result = protocol.protocol_for(record.workshop, full=True)

    critique, fantasy, implementation = result.phases
    assert [cluster.title for cluster in critique.clusters] == ["Străzi întunecate", "Gunoi"]
    assert [cluster.dot_total for cluster in critique.clusters] == [5, 2]
    assert [cluster.rank for cluster in critique.clusters] == [1, 2]
    assert [cluster.title for cluster in critique.decisions] == ["Străzi întunecate"]
    assert critique.card_count == 5 and critique.hidden_count == 1 and critique.voters == 3
    assert [card.text for card in critique.unsorted] == ["Nu avem unde să ne jucăm"]
    assert fantasy.clusters[0].dot_total == 4 and fantasy.voters == 2
    assert str(critique.duration_text) == "50 min"
    assert fantasy.duration_text == "1 h 5 min"
    assert implementation.card_count == 0
    assert result.participants == 3
    assert result.card_count == 7
    [proposal] = result.proposals
    assert proposal.helper_count == 2 and proposal.helper_names == ["Ana", "Carmen"]


def test_a_hidden_card_stays_in_the_record_marked_hidden_but_its_text_only_for_the_facilitators(
    record,
):
    full = protocol.protocol_for(record.workshop, full=True)
    public = protocol.protocol_for(record.workshop, full=False)

    def hidden_cards(result):
        return [card for card in result.phases[0].clusters[1].record_cards if card.hidden]

    assert [card.shown_text for card in hidden_cards(full)] == [HIDDEN_TEXT]
    assert [card.shown_text for card in hidden_cards(public)] == [""]
    assert {card.author for card in public.phases[0].clusters[0].record_cards} == {""}
    assert {card.author for card in full.phases[0].clusters[0].record_cards} == {"Ana", "Bogdan"}


def test_anonymous_cards_carry_no_names_even_for_the_facilitators(people, city):
    record = build_workshop(city=city, by=people["city_coordinator"], anonymous=True)
    result = protocol.protocol_for(record.workshop, full=True)
    assert {card.author for record_ in result.phases for card in record_.unsorted} == {""}


def test_the_record_is_read_in_the_same_number_of_queries_whatever_the_number_of_cards(
    people, city, django_assert_num_queries
):
    small = build_workshop(city=city, by=people["city_coordinator"])
    large = build_workshop(city=city, by=people["city_coordinator"], extra_cards=40)
    with django_assert_num_queries(9):
        protocol.protocol_for(small.workshop, full=True)
    with django_assert_num_queries(9):
        result = protocol.protocol_for(large.workshop, full=True)
    assert result.phases[0].card_count == 45


# The CSV -----------------------------------------------------------------------------------------


def _csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    text = text.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_csv_parses_back_into_every_card_cluster_and_proposal(record, client_as, people):
    response = client_as(people["city_coordinator"]).get(
        reverse("workshops:protocol_csv", args=[record.workshop.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert list(rows[0]) == protocol.CSV_COLUMNS
    cards = {row["text"]: row for row in rows if row["record"] == "card"}
    every_card = [card.text for card in record.critique_cards + record.fantasy_cards]
    assert set(cards) == {*every_card, HIDDEN_TEXT}
    assert cards[HIDDEN_TEXT]["hidden"] == "yes"
    assert cards["Străzile sunt întunecate noaptea"]["cluster"] == str(record.dark.pk)
    assert cards["Străzile sunt întunecate noaptea"]["author"] == "Ana"
    assert cards["It would be nice if solar lamps lit every path"]["responds_to"] == (
        "Străzi întunecate"
    )
    clusters = {row["text"]: row for row in rows if row["record"] == "cluster"}
    assert clusters["Străzi întunecate"]["dots"] == "5"
    assert clusters["Străzi întunecate"]["rank"] == "1"
    assert clusters["Străzi întunecate"]["chosen"] == "yes"
    [proposal] = [row for row in rows if row["record"] == "proposal"]
    assert proposal["text"] == "Solar lamps on Strada Lalelelor"
    assert "first step: Ask the town hall" in proposal["detail"]
    assert [row["text"] for row in rows if row["record"] == "helper"] == ["Ana", "Carmen"]
    [workshop] = [row for row in rows if row["record"] == "workshop"]
    assert "participants: 3" in workshop["detail"]
    phases = [row for row in rows if row["record"] == "phase"]
    assert "opened: 2010-05-27T09:00:00+00:00" in phases[0]["detail"]


def test_a_visitor_gets_the_csv_of_a_finished_workshop_without_hidden_text_or_names(
    record, client_as
):
    rows = _csv_rows(
        client_as(None).get(reverse("workshops:protocol_csv", args=[record.workshop.pk]))
    )
    hidden = [row for row in rows if row["hidden"] == "yes"]
    assert len(hidden) == 1 and hidden[0]["text"] == ""
    assert {row["author"] for row in rows} == {""}
    assert [row["text"] for row in rows if row["record"] == "helper"] == ["", ""]


# The PDF -----------------------------------------------------------------------------------------


def test_the_pdf_holds_the_card_texts_in_their_languages(record, client_as, people):
    response = client_as(people["city_coordinator"]).get(
        reverse("workshops:protocol_pdf", args=[record.workshop.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    text = " ".join(text.split())
    for card in record.critique_cards + record.fantasy_cards:
        assert card.text in text
    assert HIDDEN_TEXT in text
    assert "Solar lamps on Strada Lalelelor" in text
    assert "Lumina pe fiecare strada" not in text  # the diacritics survive: ă, ș
    assert "Lumină pe fiecare stradă" in text


def test_the_pdf_includes_photos_of_paper_boards(record, people):
    photo = add_photo(record.workshop, alt_text="Tabla mesei 1")
    photo.caption = "Masa 1, critica"
    photo.save()
    from django.test import Client

    client = Client()
    client.force_login(people["city_coordinator"])
    response = client.get(reverse("workshops:protocol_pdf", args=[record.workshop.pk]))
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    images = [image for page in reader.pages for image in page.images]
    assert images  # the photo (pypdf may also list its alpha mask)
    assert "Masa 1, critica" in " ".join(page.extract_text() for page in reader.pages)


# The page and who may see it ---------------------------------------------------------------------


def test_the_page_shows_the_record_and_marks_hidden_cards(record, client_as, people):
    page = client_as(people["city_coordinator"]).get(
        reverse("workshops:protocol", args=[record.workshop.pk])
    )
    content = page.content.decode()
    assert page.status_code == 200
    assert "Străzile sunt întunecate noaptea" in content
    assert HIDDEN_TEXT in content and "personal attack" in content
    assert "Solar lamps on Strada Lalelelor" in content
    visitor = client_as(None).get(reverse("workshops:protocol", args=[record.workshop.pk]))
    assert visitor.status_code == 200
    assert HIDDEN_TEXT not in visitor.content.decode()
    assert "The facilitator hid this card." in visitor.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["protocol", "protocol_csv"])
def test_the_protocol_of_a_running_workshop_is_for_the_people_running_it(
    running, people, client_as, role, name
):
    expected = outcome_table(RUNNERS)[role]
    response = client_as(people[role]).get(reverse(f"workshops:{name}", args=[running.workshop.pk]))
    if expected == ALLOWED:
        assert response.status_code == 200
    else:
        assert_refused(response, expected)


# Photos of paper boards --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_attach_a_photo_of_a_paper_board(record, people, client_as, role):
    expected = outcome_table(RUNNERS)[role]
    response = client_as(people[role]).post(
        reverse("core:photos", args=["workshops.workshop", record.workshop.pk]),
        {"image": _png(), "alt_text": "Tabla mesei 1", "caption": "Masa 1"},
    )
    if expected == ALLOWED:
        assert response.status_code == 302
        [photo] = Photo.objects.all()
        assert photo.caption == "Masa 1"
        page = client_as(None).get(photo.small_url)
        assert page.status_code == 200  # the workshop is finished: its results are public
    else:
        assert_refused(response, expected)
        assert not Photo.objects.exists()


def test_the_photos_of_a_running_workshop_are_for_the_people_running_it(running, client_as):
    photo = add_photo(running.workshop)
    assert client_as(None).get(photo.large_url).status_code == 404


def test_the_protocol_page_shows_its_photos(record, client_as):
    add_photo(record.workshop, alt_text="Tabla mesei 1")
    page = client_as(None).get(reverse("workshops:protocol", args=[record.workshop.pk]))
    assert 'alt="Tabla mesei 1"' in page.content.decode()
    assert 'property="og:image"' in page.content.decode()


def test_a_file_that_is_not_a_photo_is_refused_naming_the_field(record, people, client_as):
    fake = SimpleUploadedFile("board.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client_as(people["city_coordinator"]).post(
        reverse("core:photos", args=["workshops.workshop", record.workshop.pk]),
        {"image": fake, "alt_text": "Tabla"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["image"]
    assert not Photo.objects.exists()


# Search ------------------------------------------------------------------------------------------


@pytest.fixture
def _search_registry():
    """Registering in a test must not leave the kind registered for the tests that follow."""
    from conet.search import registry

    before = dict(registry._registry)
    yield
    registry._registry.clear()
    registry._registry.update(before)


def test_a_finished_workshop_is_one_search_document_of_its_results(
    record, running, _search_registry
):
    from conet.search.registry import get
    from conet.workshops.search import register_workshops, workshop_document

    register_workshops()
    assert get("workshop").document is workshop_document
    document = workshop_document(record.workshop)
    assert document.title == "Lumea Nouă: our neighbourhood"
    assert "Străzi întunecate" in document.body and "Lumină pe fiecare stradă" in document.body
    assert "Solar lamps on Strada Lalelelor" in document.summary
    assert "Ask the town hall" in document.body
    assert HIDDEN_TEXT not in document.body and "Ana" not in document.body
    assert document.city == record.workshop.city.name
    assert workshop_document(running.workshop) is None


def test_the_protocol_page_takes_as_many_queries_for_many_cards_as_for_few(people, city, client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = build_workshop(city=city, by=people["city_coordinator"])
    large = build_workshop(city=city, by=people["city_coordinator"], extra_cards=40)
    client = client_as(people["city_coordinator"])
    client.get(reverse("workshops:protocol", args=[small.workshop.pk]))
    counts = []
    for record in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("workshops:protocol", args=[record.workshop.pk])).status_code
                == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_card_that_looks_like_a_formula_is_written_as_text(record):
    Card.objects.filter(pk=record.critique_cards[3].pk).update(text='=HYPERLINK("http://x")')
    rows = list(
        csv.DictReader(
            io.StringIO(protocol.protocol_csv(protocol.protocol_for(record.workshop, full=True)))
        )
    )
    assert '\'=HYPERLINK("http://x")' in [row["text"] for row in rows]
