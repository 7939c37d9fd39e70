"""The live board over a WebSocket: /ws/workshops/<id>/board/.

Who is on the other end: a participant (their device token, from the cookie set when they joined)
or a facilitator (their session); a facilitator's socket also serves the projector. A phone hears
its table's events and the workshop-wide ones; facilitators and the projector hear everything.

The protocol, in JSON messages:
  → {"type": "hello", "since": N}     first message: the last event number the screen has seen;
  ← every event after N (from the database), then {"type": "synced", "seq": M}, then live events.
  ← {"type": "event", "seq", "kind", "table", "data"}
  → {"type": "card", "client_id", "text", "responds_to"?}   (participants)
  → {"type": "dot", "cluster", "add": true|false, "ref"?}
  → {"type": "move", "card", "cluster", "position"?}        (where participants may cluster)
  → {"type": "proposal", "id"?, "version"?, "fields": {…}} / {"type": "help", "proposal", "helping"}
  ← {"type": "ack", "ref", …} or {"type": "error", "ref", "code", "message", "fields"?}
Facilitators write through the HTTP views (views.py), which call the same services.
"""

import asyncio
import json
import logging
from collections import deque

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import InMemoryChannelLayer
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import connections

from conet.core.concurrency import EditConflict
from conet.workshops import services
from conet.workshops.events import (
    MAX_REPLAY,
    all_tables_group,
    collecting_broadcasts,
    encode,
    event_dict,
    events_since,
    participant_group,
    table_group,
    wide_group,
)
from conet.workshops.fanout import fanout
from conet.workshops.models import Card, Cluster, Proposal, Workshop
from conet.workshops.rules import BoardRefusal

log = logging.getLogger(__name__)

TOKEN_COOKIE = "conet_workshop_{id}"
# Events that arrive before the screen's hello are held back; a screen that never says hello
# gets them live after this many.
HOLD_LIMIT = 500


def _identify(workshop_id: int, raw_token: str | None, user):
    """(workshop, participant or None, facilitator?) or None if the socket must be refused."""
    workshop = Workshop.objects.filter(pk=workshop_id).first()
    if workshop is None:
        return None
    participant = services.participant_for_token(workshop_id, raw_token)
    if participant is not None:
        if participant.removed:
            return None
        return workshop, participant, False
    if (
        user is not None
        and user.is_authenticated
        and user.has_perm("workshops.facilitate", workshop)
    ):
        return workshop, None, True
    return None


class BoardConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        # SQLite takes one writer at a time: queue the writes in one thread rather than have
        # threads poll for its lock. PostgreSQL writes from a pool of threads side by side.
        self.one_writer = connections["default"].vendor == "sqlite"
        self.workshop_id = int(self.scope["url_route"]["kwargs"]["workshop_id"])
        cookies = self.scope.get("cookies", {})
        raw = cookies.get(TOKEN_COOKIE.format(id=self.workshop_id))
        found = await database_sync_to_async(_identify)(
            self.workshop_id, raw, self.scope.get("user")
        )
        if found is None:
            await self.close(code=4403)
            return
        self.workshop, self.participant, self.facilitator = found
        self.table_id = self.participant.table_id if self.participant else None
        self.groups_joined = [wide_group(self.workshop_id)]
        if self.facilitator:
            self.groups_joined.append(all_tables_group(self.workshop_id))
        else:
            self.groups_joined.append(table_group(self.workshop_id, self.table_id))
            self.groups_joined.append(participant_group(self.participant.pk))
        self.holding = True
        self.held: list[dict] = []
        self.replayed_until = 0
        self.outbox: deque[dict] = deque()
        self.wake = asyncio.Event()
        self.sender = asyncio.create_task(self._send_events())
        # With the in-memory layer, the board's groups are shared by every socket of the process
        # (fanout.py). With Redis each socket subscribes itself (channels-redis's receive loop
        # does not take a second long-lived reader of process-local channels well); the
        # participant's own group (told when removed) always goes through the channel layer.
        self.shared = isinstance(self.channel_layer, InMemoryChannelLayer)
        for group in self.groups_joined:
            if self.shared and not group.startswith("workshop-participant."):
                await fanout().join(group, self)
            else:
                await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            if self.shared and not group.startswith("workshop-participant."):
                await fanout().leave(group, self)
            else:
                await self.channel_layer.group_discard(group, self.channel_name)
        if getattr(self, "sender", None) is not None:
            self.sender.cancel()

    def deliver(self, message: dict) -> None:
        """A board event for this socket (from the process's shared subscription)."""
        self.outbox.append(message)
        self.wake.set()

    async def _send_events(self) -> None:
        try:
            while True:
                await self.wake.wait()
                self.wake.clear()
                while self.outbox:
                    await self.board_event(self.outbox.popleft())
        except asyncio.CancelledError:
            raise
        except Exception:  # the socket went away mid-send; disconnect() cleans up
            log.info("stopped sending to a closed board socket", exc_info=True)

    async def dispatch(self, message):
        # Channels closes stale database connections before every message it dispatches, which is
        # a hop to the database thread. The board's fan-out touches no database (each write goes
        # through database_sync_to_async, which does the same closing), so it skips the hop: with
        # 300 phones, that is 300 hops less for every card.
        if message["type"] == "board.event":
            await self.board_event(message)
            return
        await super().dispatch(message)

    # From the channel layer ----------------------------------------------------------------------

    async def board_event(self, message):
        if self.holding:
            self.held.append(message)
            if len(self.held) > HOLD_LIMIT:
                await self._release(0)
            return
        # Events may arrive out of number order (two writers, two server processes); only those
        # the catch-up already sent are skipped, the screen itself ignores a number seen twice.
        if message["seq"] <= self.replayed_until:
            return
        await self.send(text_data=message["text"])

    async def participant_removed(self, message):
        await self.send(text_data=encode({"type": "removed"}))
        await self.close(code=4403)

    async def _release(self, replayed_until: int) -> None:
        self.holding = False
        self.replayed_until = max(self.replayed_until, replayed_until)
        held, self.held = self.held, []
        for message in sorted(held, key=lambda m: m["seq"]):
            await self.board_event(message)

    # From the screen -----------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        try:
            message = json.loads(text_data or "{}")
            kind = message.get("type")
        except (ValueError, AttributeError):
            await self._error({}, "bad_message", "Not a JSON object.")
            return
        if kind == "hello":
            await self._hello(message)
            return
        handler = {
            "card": self._card,
            "dot": self._dot,
            "move": self._move,
            "proposal": self._proposal,
            "help": self._help,
        }.get(kind)
        if handler is None or self.participant is None:
            await self._error(message, "bad_message", "Unknown message.")
            return
        try:
            reply, outgoing = await database_sync_to_async(
                self._write, thread_sensitive=self.one_writer
            )(handler, message)
        except BoardRefusal as refusal:
            await self._error(message, refusal.code, refusal.message)
        except EditConflict:
            await self._error(message, "conflict", "Someone else changed this meanwhile.")
        except ValidationError as error:
            fields = getattr(error, "message_dict", {"__all__": error.messages})
            text = " ".join(m for messages in fields.values() for m in messages)
            await self._error(message, "invalid", text, fields=fields)
        except (ObjectDoesNotExist, PermissionDenied, ValueError, TypeError, KeyError):
            await self._error(message, "not_found", "No such card, cluster or proposal.")
        else:
            for group, event in outgoing:
                await self.channel_layer.group_send(group, event)
            await self.send(text_data=encode({"type": "ack", "ref": message.get("ref"), **reply}))

    @staticmethod
    def _write(handler, message):
        """Run a write in the database thread; return its reply and the committed events."""
        with collecting_broadcasts() as outgoing:
            reply = handler(message)
        return reply, outgoing

    async def _error(self, message, code, text, fields=None):
        reply = {"type": "error", "ref": message.get("ref"), "code": code, "message": str(text)}
        if message.get("client_id"):
            reply["client_id"] = message["client_id"]
        if fields:
            reply["fields"] = fields
        await self.send(text_data=encode(reply))

    async def _hello(self, message):
        try:
            since = max(0, int(message.get("since") or 0))
        except (TypeError, ValueError):
            since = 0
        events = await database_sync_to_async(events_since)(
            self.workshop_id, since, table_id=self.table_id, everything=self.facilitator
        )
        if len(events) > MAX_REPLAY:
            await self.send(text_data=encode({"type": "reload"}))
            await self._release(0)
            return
        last = since
        for event in events:
            await self.send(text_data=encode(event_dict(event)))
            last = event.seq
        await self.send(text_data=encode({"type": "synced", "seq": last}))
        await self._release(last)

    # Participants' writes (run in a worker thread; each is one service call) --------------------

    def _card(self, message):
        card, created = services.post_card(
            self.workshop,
            participant=self.participant,
            text=str(message.get("text", "")),
            client_id=str(message.get("client_id", "")),
            responds_to=message.get("responds_to"),
        )
        return {"client_id": card.client_id, "card": card.pk, "created": created}

    def _dot(self, message):
        cluster = Cluster.objects.get(pk=int(message["cluster"]), workshop_id=self.workshop_id)
        left = services.place_dot(
            self.participant,
            cluster,
            add=bool(message.get("add", True)),
            ref=str(message.get("ref") or ""),
        )
        return {"cluster": cluster.pk, "dots_left": left}

    def _move(self, message):
        card = Card.objects.get(pk=int(message["card"]), workshop_id=self.workshop_id)
        cluster = None
        if message.get("cluster"):
            cluster = Cluster.objects.get(pk=int(message["cluster"]), workshop_id=self.workshop_id)
        services.move_card(
            card, cluster=cluster, position=message.get("position"), participant=self.participant
        )
        return {"card": card.pk}

    def _proposal(self, message):
        fields = message.get("fields") or {}
        if not isinstance(fields, dict):
            raise ValueError("fields")
        if message.get("id"):
            proposal = Proposal.objects.get(pk=int(message["id"]), workshop_id=self.workshop_id)
            proposal = services.update_proposal(
                proposal,
                expected_version=int(message.get("version") or proposal.version),
                fields=fields,
                participant=self.participant,
            )
        else:
            proposal = services.create_proposal(
                self.workshop, fields=fields, participant=self.participant
            )
        return {"proposal": proposal.pk, "version": proposal.version}

    def _help(self, message):
        proposal = Proposal.objects.get(pk=int(message["proposal"]), workshop_id=self.workshop_id)
        helping = services.help_with_proposal(
            proposal, participant=self.participant, helping=bool(message.get("helping", True))
        )
        return {"proposal": proposal.pk, "helping": helping}
