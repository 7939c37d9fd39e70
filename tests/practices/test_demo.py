"""The demo: the 97 URBACT practices and CoNet's guide with seven chapters; twice changes nothing."""

import pytest

from conet.networks.demo import load_demo
from conet.practices.demo import describe, load_practices_demo
from conet.practices.models import GoodPractice, Guide, Interview

pytestmark = pytest.mark.django_db


def test_the_demo_builds_conets_guide_and_running_it_twice_changes_nothing():
    load_demo()
    first = load_practices_demo()
    assert str(first["practices"]).startswith("97 created")
    guide = Guide.objects.get(network__slug="conet")
    chapters = list(guide.chapters.order_by("core_task__number"))
    assert [chapter.core_task.number for chapter in chapters] == [1, 2, 3, 4, 5, 6, 7]
    for chapter in chapters:
        assert chapter.practices.count() == 5
        assert chapter.core_task.approach.text
        assert chapter.excerpts.exists()
    interviews = Interview.objects.filter(network=guide.network)
    assert interviews.count() == 3 and all(i.is_demo and i.consent_to_publish for i in interviews)
    second = load_practices_demo()
    assert "0 created, 0 changed, 97 unchanged" in describe(second)[0]
    assert (second["guide"], second["approaches"], second["interviews"]) == (False, 0, 0)
    assert GoodPractice.objects.count() == 97 and Guide.objects.count() == 1
