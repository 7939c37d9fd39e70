"""The follow-up reaches the open screens: the facilitator makes a proposal an action of the city's
plan from the follow-up page, and the board and the projector, open in Italian, show it without a
reload; they count the people in the room as phones join and the facilitator removes one."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from conet.accounts.models import Role
from conet.core.languages import in_language
from conet.workshops.models import Phase, Proposal
from tests.factories import (
    CityFactory,
    LocalActionPlanFactory,
    MembershipFactory,
    NetworkFactory,
    PartnershipFactory,
)
from tests.workshops.factories import WorkshopFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}


@pytest.fixture
def site(served_site):
    return served_site


@pytest.fixture
def page_for(served_page):
    return lambda viewport=WIDE, session=None: served_page(viewport, session)


def _italian(text: str) -> str:
    with translation.override("it"):
        return gettext(text)


def test_a_promotion_and_the_people_in_the_room_reach_the_open_board(page_for, tmp_path):
    network, city = NetworkFactory(), CityFactory(name="Alba Iulia")
    partnership = PartnershipFactory(network=network, city=city)
    plan = LocalActionPlanFactory(partnership=partnership, title="Piano di Lumea Nouă")
    user = MembershipFactory(role=Role.CITY_COORDINATOR, network=None, city=city).user
    workshop = WorkshopFactory(city=city, created_by=user, title="Lumea Nouă")
    workshop.phases.filter(kind=Phase.Kind.IMPLEMENTATION).update(state=Phase.State.OPEN)
    proposal = Proposal.objects.create(workshop=workshop, title="Illuminare il parco")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.cookies["sessionid"].value
    live = _italian("Live")
    in_room = _italian("Participants in the room:")

    board = page_for(session=session)
    board.goto(in_language(reverse("workshops:board", args=[workshop.pk]), "it"))
    expect(board.locator("#connection")).to_have_text(live)
    expect(board.locator("#participant-count")).to_have_text(f"{in_room} 0")
    projector = page_for(session=session)
    projector.goto(in_language(reverse("workshops:projector", args=[workshop.pk]), "it"))
    expect(projector.locator("#connection")).to_have_text(live)

    phone = page_for(viewport=PHONE)
    phone.goto("/join/")
    phone.get_by_label("Workshop code").fill(workshop.code.lower())
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("Your name").fill("Ana")
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator("#connection")).to_have_text("Live")
    expect(board.locator("#participant-count")).to_have_text(f"{in_room} 1")
    expect(projector.locator("#participant-count")).to_have_text(f"{in_room} 1")

    office = page_for(session=session)
    office.goto(in_language(reverse("workshops:detail", args=[workshop.pk]), "it"))
    office.get_by_role("button", name=_italian("Remove")).click()
    expect(board.locator("#participant-count")).to_have_text(f"{in_room} 0")
    expect(projector.locator("#participant-count")).to_have_text(f"{in_room} 0")

    office.goto(in_language(reverse("workshops:followup", args=[workshop.pk]), "it"))
    office.locator(f"select[name='p{proposal.pk}-plan']").select_option(label=str(plan))
    office.get_by_role("button", name=_italian("Make it a draft action of the plan")).click()
    with translation.override("it"):
        became = gettext("Action %(number)s of %(plan)s") % {"number": 1, "plan": plan.title}
    for screen in (board, projector):
        expect(screen.locator(f"[data-proposal='{proposal.pk}'] .proposal-promoted")).to_have_text(
            became
        )
    assert Proposal.objects.get(pk=proposal.pk).action.number == 1

    board.screenshot(path=str(tmp_path / "board-1366-it.png"), full_page=True)
    board.set_viewport_size(PHONE)
    board.screenshot(path=str(tmp_path / "board-390-it.png"), full_page=True)
    projector.screenshot(path=str(tmp_path / "projector-1366-it.png"), full_page=True)
    print("screenshots in", tmp_path)
