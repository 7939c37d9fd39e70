"""The pages: set-up, joining by code, QR code and link, the boards; a bounded number of queries
whatever the number of cards and participants."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from conet.core.languages import in_language
from conet.workshops import selectors, services
from conet.workshops.consumers import TOKEN_COOKIE
from conet.workshops.models import Card, Participant
from tests.workshops.factories import ClusterFactory, join, open_phase


def _fill(workshop, n):
    critique = workshop.phases.get(kind="critique")
    cluster = ClusterFactory(workshop=workshop, phase=critique)
    for i in range(n):
        participant, _ = join(workshop, name=f"P{i}")
        Card.objects.create(
            workshop=workshop,
            phase=critique,
            participant=participant,
            text=f"c{i}",
            cluster=cluster,
        )


def test_joining_by_code_sets_the_device_token_and_opens_the_board(client, workshop, tables):
    response = client.get(reverse("workshops:join_start"), {"code": workshop.code.lower()})
    assert response.status_code == 302 and response.url == reverse(
        "workshops:join", args=[workshop.code]
    )
    response = client.post(response.url, {"display_name": "Ana", "table": tables[1].pk})
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert (participant.display_name, participant.table) == ("Ana", tables[1])
    raw = response.cookies[TOKEN_COOKIE.format(id=workshop.pk)].value
    assert participant.token_hash == services.token_hash(raw) != raw
    assert response.cookies[TOKEN_COOKIE.format(id=workshop.pk)]["httponly"]
    board = client.get(reverse("workshops:participant_board", args=[workshop.code]))
    assert board.status_code == 200
    assert workshop.guiding_question in board.content.decode()


def test_joining_needs_a_name_or_anonymity(client, workshop):
    url = reverse("workshops:join", args=[workshop.code])
    response = client.post(url, {"display_name": "  "})
    assert response.status_code == 200 and "display_name" in response.context["form"].errors
    assert not Participant.objects.exists()
    client.post(url, {"anonymous": "on"})
    assert Participant.objects.get().public_name == "Anonymous"


def test_an_unknown_code_says_so(client, db):
    response = client.get(reverse("workshops:join_start"), {"code": "ZZZZZZ"})
    assert response.status_code == 200 and "code" in response.context["form"].errors


def test_the_board_without_a_token_sends_to_the_join_page(client, workshop):
    response = client.get(reverse("workshops:participant_board", args=[workshop.code]))
    assert response.status_code == 302 and response.url == reverse(
        "workshops:join", args=[workshop.code]
    )


def test_a_removed_participant_must_join_again(client, workshop, facilitator):
    participant, raw = join(workshop)
    services.remove_participant(participant, by=facilitator)
    client.cookies[TOKEN_COOKIE.format(id=workshop.pk)] = raw
    response = client.get(reverse("workshops:participant_board", args=[workshop.code]))
    assert response.status_code == 302


def test_the_qr_code_is_a_standalone_svg_image(client, workshop):
    """Without the SVG namespace a browser shows a broken <img>; without a viewBox it cannot scale.
    (tests/e2e/test_workshop_journeys.py decodes the rendered code with a real QR reader.)"""
    response = client.get(reverse("workshops_machine:qr", args=[workshop.code.lower()]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = ElementTree.fromstring(response.content)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("viewBox")
    assert svg.find("{http://www.w3.org/2000/svg}title").text == f"Join {workshop.title}"


def test_both_pages_show_the_code_under_the_qr_code(client_as, workshop, facilitator):
    client = client_as(facilitator)
    for page in ("detail", "projector"):
        html = client.get(reverse(f"workshops:{page}", args=[workshop.pk])).content.decode()
        figure = html[html.index('<figure class="join-qr">') : html.index("</figure>")]
        assert reverse("workshops_machine:qr", args=[workshop.code]) in figure
        assert f'<span class="join-code" id="join-code">{workshop.code}</span>' in figure


def test_the_setup_page_names_the_wrong_field(client_as, people, city):
    url = reverse("workshops:create") + f"?city={city.pk}"
    response = client_as(people["city_coordinator"]).post(
        url, {"title": "", "card_max_length": "5"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"title", "guiding_question", "card_max_length", "starts_at"} <= set(errors)


@pytest.mark.parametrize("page", ["detail", "board", "projector"])
def test_facilitator_pages_take_the_same_queries_for_5_or_50_people(
    page, workshop, facilitator, client_as, django_assert_max_num_queries
):
    open_phase(workshop, "critique")
    client = client_as(facilitator)
    url = reverse(f"workshops:{page}", args=[workshop.pk])
    _fill(workshop, 5)
    client.get(url)  # first request of the test: one-off lookups (cached content types …)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _fill(workshop, 45)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_participant_board_state_is_a_fixed_number_of_queries(
    workshop, django_assert_num_queries
):
    open_phase(workshop, "critique")
    participant, _ = join(workshop)
    _fill(workshop, 3)
    with django_assert_num_queries(8):
        selectors.board_state(workshop, table_id=None, everything=False, participant=participant)
    _fill(workshop, 30)
    with django_assert_num_queries(8):
        state = selectors.board_state(
            workshop, table_id=None, everything=False, participant=participant
        )
    assert len(state["cards"]) == 33


def test_a_phone_sees_its_table_and_the_plenary_but_not_other_tables(workshop, tables):
    open_phase(workshop, "critique")
    one, _ = join(workshop, name="One", table=tables[0])
    two, _ = join(workshop, name="Two", table=tables[1])
    services.post_card(workshop, participant=one, text="from one")
    services.post_card(workshop, participant=two, text="from two")
    state = selectors.board_state(
        workshop, table_id=tables[0].pk, everything=False, participant=one
    )
    assert [c["text"] for c in state["cards"]] == ["from one"]
    everything = selectors.board_state(workshop, table_id=None, everything=True)
    assert {c["text"] for c in everything["cards"]} == {"from one", "from two"}


def test_anonymous_cards_carry_no_author(workshop):
    open_phase(workshop, "critique")
    participant, _ = join(workshop, name="Ana")
    card, _ = services.post_card(workshop, participant=participant, text="x")
    assert selectors.card_data(card, workshop)["author"] is None
    workshop.anonymous_cards = False
    assert selectors.card_data(card, workshop)["author"] == "Ana"


def test_one_rule_names_a_cards_author_for_the_room_and_the_record(workshop):
    from conet.workshops.rules import card_author

    open_phase(workshop, "critique")
    participant, _ = join(workshop, name="Ana")
    card, _ = services.post_card(workshop, participant=participant, text="x")
    workshop.anonymous_cards = False
    assert card_author(card, workshop) == "Ana"  # the live room
    assert card_author(card, workshop, names_shown=False) is None  # the record, for a visitor
    workshop.anonymous_cards = True
    assert card_author(card, workshop, names_shown=True) is None
    workshop.anonymous_cards = False
    card.participant = None  # the facilitator's own card
    assert card_author(card, workshop) is None


@pytest.mark.parametrize("page", ["join", "participant_board"])
def test_a_mistyped_join_link_is_a_404_with_the_code_form_again(page, client, db, settings):
    settings.DEBUG = True  # `make run`: still the resident's page, not Django's debug 404
    response = client.get(in_language(reverse(f"workshops:{page}", args=["ZZZZZZ"]), "it"))
    assert response.status_code == 404
    html = response.content.decode()
    assert "No workshop has this code" not in html  # in Italian
    assert response.context["form"].errors["code"]
    assert f'action="{in_language(reverse("workshops:join_start"), "it")}"' in html
    assert 'value="ZZZZZZ"' in html and 'href="/it/"' in html
