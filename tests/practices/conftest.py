import pytest

from conet.networks.services import set_default_core_tasks
from conet.practices import services
from conet.practices.models import GuideChapter
from tests.practices.factories import GoodPracticeFactory, GuideFactory, InterviewAnswerFactory


@pytest.fixture(autouse=True)
def _own_media_folder(settings, tmp_path):
    """Uploads and guide PDFs of a test go to its own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def core_tasks(network):
    set_default_core_tasks(network)
    return list(network.core_tasks.order_by("number"))


@pytest.fixture
def practice(network, city, core_tasks):
    """A published practice of the network, from its partner city."""
    practice = GoodPracticeFactory(network=network, city=city, city_name=city.name)
    practice.core_tasks.set(core_tasks[:2])
    return practice


@pytest.fixture
def draft(network, city):
    return GoodPracticeFactory(network=network, city=city, status="draft", name="Draft idea")


@pytest.fixture
def guide(network, core_tasks):
    """A published guide with seven chapters, each with two practices and one excerpt."""
    guide = GuideFactory(network=network)
    for task in core_tasks:
        chapter = GuideChapter.objects.create(guide=guide, core_task=task)
        chapter.practices.set(GoodPracticeFactory.create_batch(2))
        chapter.excerpts.set([InterviewAnswerFactory(interview__network=network)])
        services.ApproachText.objects.create(
            core_task=task, title=f"Approach {task.number}", text="**Why** it matters."
        )
    return guide
