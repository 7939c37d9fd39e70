"""The demo step indexes every registered kind; running it twice changes nothing."""

import pytest

from conet.search.demo import describe_search_demo, load_search_demo
from conet.search.models import IndexCounter, SearchDocument
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_indexes_what_is_registered_and_twice_changes_nothing(organisation_kind):
    OrganisationFactory(name="CESIE")
    counts = load_search_demo()
    assert counts["organisation"] == 1
    assert SearchDocument.objects.filter(kind="organisation").count() == 1
    counter = IndexCounter.objects.get().value
    load_search_demo()
    assert IndexCounter.objects.get().value == counter
    assert describe_search_demo({"organisation": 1}) == [
        "search: indexed 1 organisation (meaning search follows in the background)"
    ]
