"""A city coordinator builds a plan in a real browser (issue 3 acceptance): starts the plan, builds
a small problem tree, adds two actions, and exports the PDF, whose extracted text holds both
action titles."""

import io

import pytest
from playwright.sync_api import expect

from conet.accounts.models import Role
from tests.factories import (
    PASSWORD,
    CityFactory,
    MembershipFactory,
    NetworkFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator(transactional_db):
    network = NetworkFactory(slug="conet-e2e", name="CoNet e2e")
    city = CityFactory(slug="palermo-e2e", name="Palermo")
    PartnershipFactory(network=network, city=city)
    user = UserFactory(email="palermo-e2e@example.org")
    MembershipFactory(role=Role.CITY_COORDINATOR, network=None, city=city, user=user)
    return user


def _add_node(page, kind: str, statement: str, parent: str | None = None) -> None:
    tree = page.locator("#problem-tree")
    tree.locator("summary").click()
    form = tree.locator("form")
    form.locator("select[name=kind]").select_option(kind)
    if parent:
        form.locator("select[name=parent]").select_option(label=parent)
    form.locator("input[name=statement]").fill(statement)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#problem-tree .problem-tree")).to_contain_text(statement)


def _add_action(page, title: str, start: str, end: str, cost: str) -> None:
    page.locator("#actions").get_by_role("button", name="Add an action").click()
    form = page.locator("main form")
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=start_date]").fill(start)
    form.locator("input[name=end_date]").fill(end)
    form.locator("input[name=cost]").fill(cost)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".action-table")).to_contain_text(title)


def test_a_coordinator_builds_a_tree_adds_two_actions_and_exports_the_pdf(coordinator, page):
    page.goto("/en/accounts/login/")
    page.fill("input[name=username]", coordinator.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()

    page.goto("/en/networks/conet-e2e/palermo-e2e/plan/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the plan").click()
    expect(page.locator("h1")).to_contain_text("Local Action Plan of Palermo")

    _add_node(page, "core", "Early school leaving in Ballarò")
    _add_node(page, "cause", "No after-school care", parent="Early school leaving in Ballarò")
    _add_node(page, "effect", "Youth unemployment", parent="Early school leaving in Ballarò")
    tree = page.locator("#problem-tree .problem-tree")
    expect(tree.locator(".trunk .tree-node.core")).to_contain_text("Early school leaving")
    expect(tree.locator(".causes .tree-node.cause")).to_contain_text("No after-school care")
    expect(tree.locator(".effects .tree-node.effect")).to_contain_text("Youth unemployment")

    _add_action(page, "Homework club in the oratory", "2026-01-15", "2026-06-30", "12000")
    _add_action(page, "Night walks for safer streets", "2026-03-01", "2026-12-31", "4500")
    expect(page.locator(".gantt rect.gantt-bar")).to_have_count(2)
    expect(page.locator(".funding-table tfoot")).to_contain_text("16,500")

    # Rendering the PDF takes seconds on a busy machine: allow for it.
    with page.expect_download(timeout=90_000) as download_info:
        page.get_by_role("link", name="PDF").click(no_wait_after=True)
    download = download_info.value
    content = open(download.path(), "rb").read()  # noqa: SIM115 (Playwright owns the file)
    assert content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert "Homework club in the oratory" in text
    assert "Night walks for safer streets" in text
    assert "Early school leaving in Ballarò" in text
