"""The event log's broadcast where it cannot wait for the channel layer."""

import asyncio
import logging

import pytest
from channels.layers import get_channel_layer

from conet.workshops import events
from conet.workshops.models import WorkshopEvent

pytestmark = pytest.mark.django_db


def test_an_event_emitted_beside_a_running_event_loop_is_stored_and_not_logged_as_an_error(
    workshop, caplog, monkeypatch
):
    # What the browser tests do: their main thread loads the demo (which emits when it promotes a
    # proposal) while Playwright's asyncio loop runs in that thread, where async_to_sync refuses.
    sent = []
    layer = get_channel_layer()

    async def record(group, message):
        sent.append(group)

    monkeypatch.setattr(layer, "group_send", record)
    event = WorkshopEvent.objects.create(
        workshop=workshop, seq=1, prev=0, kind="workshop", payload={}
    )

    async def beside_a_loop():
        events.broadcast(event)  # synchronous code, as the demo's, in the loop's thread

    with caplog.at_level(logging.INFO, logger="conet.workshops.events"):
        asyncio.run(beside_a_loop())
        events.broadcast(event)  # and without a loop it is sent
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "not broadcast" in caplog.text
    assert sent == [events.wide_group(workshop.pk)]
