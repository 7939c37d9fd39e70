"""One subscription per board group per server process, shared by the process's sockets.

Through the channel layer each socket would be its own subscriber: a card on a board of 300 phones
becomes 300 layer messages, each copied, queued, dispatched and checked for stale database
connections by its consumer. Here the process subscribes once to each group it has sockets for,
receives each event once, and appends its (already encoded) text to the waiting list of every
local socket; each socket's own sender task writes it out, so one slow phone never holds up the
others. Used with the in-memory layer (one process); with Redis the sockets subscribe themselves.
"""

import asyncio
import weakref
from collections import defaultdict

from channels.layers import get_channel_layer

_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Fanout]" = weakref.WeakKeyDictionary()


class Fanout:
    def __init__(self):
        self.layer = get_channel_layer()
        self.members: dict[str, set] = defaultdict(set)
        self.readers: dict[str, tuple[str, asyncio.Task]] = {}

    async def join(self, group: str, screen) -> None:
        self.members[group].add(screen)
        if group not in self.readers:
            channel = await self.layer.new_channel("workshop-fanout")
            self.readers[group] = (channel, asyncio.create_task(self._read(group, channel)))
            await self.layer.group_add(group, channel)

    async def leave(self, group: str, screen) -> None:
        members = self.members.get(group)
        if members is None:
            return
        members.discard(screen)
        if not members:
            del self.members[group]
            channel, reader = self.readers.pop(group)
            reader.cancel()
            await self.layer.group_discard(group, channel)

    async def _read(self, group: str, channel: str) -> None:
        while True:
            message = await self.layer.receive(channel)
            for screen in tuple(self.members.get(group, ())):
                screen.deliver(message)


def fanout() -> Fanout:
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Fanout()
    return hub
