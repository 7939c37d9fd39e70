import pytest

from tests.meetings.factories import MeetingFactory


@pytest.fixture
def meeting(network, city):
    """A public thematic meeting of `network`, hosted by the partner city `city`."""
    return MeetingFactory(network=network, host_city=city, title="Thematic meeting", capacity=10)


def state():
    """Everything the meetings app stores, to show that a refused write changed nothing."""
    from conet.meetings.models import AgendaItem, Meeting, MeetingDocument, Registration

    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in [Meeting, AgendaItem, MeetingDocument, Registration]
    }
