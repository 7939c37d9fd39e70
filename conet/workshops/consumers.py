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
  ← {"type": "ack", "ref", …} or {"type": "error", "ref", "client_id"?, "code", "message",
     "fields"?, "retry_after"?}: every message is answered, in the phone's language, and no
     message closes the socket (checked in parse_message and PARSERS below, paced by limits.py).
Facilitators write through the HTTP views (views.py), which call the same services.
"""

import asyncio
import json
import logging
import re
from collections import deque
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import InMemoryChannelLayer
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import OperationalError, connections
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from conet.core.concurrency import EditConflict
from conet.core.http import scope_client_address
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
from conet.workshops.limits import TooFast
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


def _language(scope, workshop: Workshop) -> str:
    """The language replies come in: the page's own (board.js names it: `?language=ro`, or
    `?lang=ro`), else the language the resident chose with the switch (the language cookie),
    else the workshop's language: a socket opened without a page is still answered in the
    room's language, never in English by default."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    named = (query.get("language") or query.get("lang") or [""])[0]
    chosen = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME, "")
    for candidate in (named, chosen, workshop.language):
        try:
            return translation.get_supported_language_variant(candidate)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class BoardConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.language = settings.LANGUAGE_CODE
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
        self.language = _language(self.scope, self.workshop)
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
        # Whatever a screen sends, it gets an answer and the socket stays open: a socket that dropped
        # on a bad card made the phone send that card again on every reconnection, for ever.
        with translation.override(self.language):
            try:
                await self._receive(text_data)
            except Exception:
                log.exception("board message failed (workshop %s)", self.workshop_id)
                await self._error({}, "failed")

    async def _receive(self, text_data) -> None:
        try:
            message = parse_message(text_data)
        except BadMessage as bad:
            await self._error(bad.echo, bad.code)
            return
        kind = message["type"]
        if kind == "hello":
            await self._hello(message)
            return
        parser = PARSERS.get(kind)
        if parser is None or self.participant is None:
            await self._error(message, "bad_message")
            return
        try:
            arguments = parser(message)
            reply, outgoing = await database_sync_to_async(
                self._write, thread_sensitive=self.one_writer
            )(getattr(self, f"_{kind}"), arguments, self.language)
        except BadMessage as bad:
            await self._error(message, bad.code)
        except TooFast as refusal:
            log.info(
                "board write refused, too fast: participant %s from %s",
                self.participant.pk,
                scope_client_address(self.scope),
            )
            await self._error(
                message, refusal.code, refusal.message, retry_after=refusal.retry_after
            )
        except BoardRefusal as refusal:
            await self._error(message, refusal.code, refusal.message)
        except EditConflict:
            await self._error(message, "conflict")
        except ValidationError as error:
            fields = getattr(error, "message_dict", {"__all__": error.messages})
            text = " ".join(m for messages in fields.values() for m in messages)
            await self._error(message, "invalid", text, fields=fields)
        except (ObjectDoesNotExist, PermissionDenied):
            await self._error(message, "not_found")
        except OperationalError:  # the database is busy or away: the phone tries again later
            log.warning("board write waits: database unavailable", exc_info=True)
            await self._error(message, "unavailable", retry_after=5)
        except Exception:  # a fault of ours: the same message would fail again, so it stands
            log.exception("board write failed (workshop %s, %s)", self.workshop_id, kind)
            await self._error(message, "failed")
        else:
            for group, event in outgoing:
                await self.channel_layer.group_send(group, event)
            await self.send(text_data=encode({"type": "ack", "ref": message.get("ref"), **reply}))

    @staticmethod
    def _write(write, arguments: dict, language: str):
        """Run a write in the database thread; return its reply and the committed events."""
        with translation.override(language), collecting_broadcasts() as outgoing:
            reply = write(**arguments)
        return reply, outgoing

    async def _error(self, message, code, text=None, *, fields=None, retry_after=None):
        reply = {
            "type": "error",
            "ref": message.get("ref"),
            "code": code,
            "message": str(text or REFUSALS[code]),
        }
        if message.get("client_id"):
            reply["client_id"] = message["client_id"]
        if fields:
            reply["fields"] = fields
        if retry_after:
            reply["retry_after"] = retry_after
        await self.send(text_data=encode(reply))

    async def _hello(self, message):
        since = message.get("since")
        if not isinstance(since, int) or isinstance(since, bool) or not 0 <= since <= MAX_ID:
            since = 0
        through, events = await database_sync_to_async(events_since)(
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
        # "synced": the screen has every event of its own up to this number (the chains of
        # events.py, "A phone's gaps", are complete up to it).
        await self.send(text_data=encode({"type": "synced", "seq": max(through, last)}))
        await self._release(last)

    # Participants' writes (run in a worker thread; each is one service call) --------------------

    def _card(self, *, text, client_id, responds_to):
        card, created = services.post_card(
            self.workshop,
            participant=self.participant,
            text=text,
            client_id=client_id,
            responds_to=responds_to,
        )
        return {"client_id": card.client_id, "card": card.pk, "created": created}

    def _dot(self, *, cluster, add, ref):
        cluster = Cluster.objects.get(pk=cluster, workshop_id=self.workshop_id)
        left = services.place_dot(self.participant, cluster, add=add, ref=ref)
        return {"cluster": cluster.pk, "dots_left": left}

    def _move(self, *, card, cluster, position):
        card = Card.objects.get(pk=card, workshop_id=self.workshop_id)
        if cluster is not None:
            cluster = Cluster.objects.get(pk=cluster, workshop_id=self.workshop_id)
        services.move_card(card, cluster=cluster, position=position, participant=self.participant)
        return {"card": card.pk}

    def _proposal(self, *, proposal, version, fields):
        if proposal is not None:
            proposal = Proposal.objects.get(pk=proposal, workshop_id=self.workshop_id)
            if version is None:
                # An edit names the version it started from; without it, it would overwrite
                # whatever someone else saved since.
                raise EditConflict(proposal, list(fields))
            proposal = services.update_proposal(
                proposal,
                expected_version=version,
                fields=fields,
                participant=self.participant,
            )
        else:
            proposal = services.create_proposal(
                self.workshop, fields=fields, participant=self.participant
            )
        return {"proposal": proposal.pk, "version": proposal.version}

    def _help(self, *, proposal, helping):
        proposal = Proposal.objects.get(pk=proposal, workshop_id=self.workshop_id)
        helping = services.help_with_proposal(
            proposal, participant=self.participant, helping=helping
        )
        return {"proposal": proposal.pk, "helping": helping}


# Reading what a screen sends --------------------------------------------------------------------
# Every message is checked here, before any database work: its size, that it is a JSON object, that
# its text holds no control character (PostgreSQL cannot store NUL; no keyboard types the others),
# and the type of each field; ids fit a 64-bit database column.

MAX_MESSAGE_CHARS = 32_768  # a proposal of seven long fields fits with room to spare
MAX_ID = 2**63 - 1
MAX_POSITION = 100_000
# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

REFUSALS = {
    "bad_message": _("The board did not understand this message."),
    "bad_text": _("The text holds a control character (such as NUL) that a card cannot hold."),
    "too_long": _("This message is too long for the board."),
    "not_found": _("No such card, cluster or proposal."),
    "conflict": _("Someone else changed this meanwhile."),
    "unavailable": _("The board is busy: what you wrote is kept and sent again in a moment."),
    "failed": _("This could not be saved. Try again, or tell the facilitator."),
}


class BadMessage(Exception):
    """A message the board refuses as it stands; sending it again changes nothing."""

    def __init__(self, code: str = "bad_message", *, echo: dict | None = None):
        self.code = code
        self.echo = echo or {}  # the message's ref and client_id, where they could be read
        super().__init__(code)


def parse_message(text_data) -> dict:
    """The message as a JSON object with a string `type` and no control characters in its text."""
    if not isinstance(text_data, str):
        raise BadMessage()
    if len(text_data) > MAX_MESSAGE_CHARS:
        raise BadMessage("too_long")
    try:
        message = json.loads(text_data)
    except (ValueError, RecursionError):
        raise BadMessage() from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise BadMessage()
    # Replies echo these two (the phone drops a refused card from its outbox by its client_id):
    # only as plain short strings.
    echo = {}
    for key, longest in (("ref", 100), ("client_id", 64)):
        value = message.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > longest or CONTROL_CHARACTERS.search(value):
            raise BadMessage(echo=echo)
        echo[key] = value
    if any(CONTROL_CHARACTERS.search(text) for text in _strings(message)):
        raise BadMessage("bad_text", echo=echo)
    return message


def _strings(value):
    """Every string in a parsed JSON value, keys included (without recursion: nesting is free)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _id(value, *, optional: bool = False) -> int | None:
    if optional and value in (None, ""):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise BadMessage()
    return value


def _flag(message: dict, key: str, default: bool) -> bool:
    value = message.get(key, default)
    if not isinstance(value, bool):
        raise BadMessage()
    return value


def _text(message: dict, key: str, *, optional: bool = False) -> str:
    value = message.get(key)
    if optional and value is None:
        return ""
    if not isinstance(value, str):
        raise BadMessage()
    return value


def _parse_card(message: dict) -> dict:
    return {
        "text": _text(message, "text"),
        "client_id": message.get("client_id") or "",
        "responds_to": _id(message.get("responds_to"), optional=True),
    }


def _parse_dot(message: dict) -> dict:
    return {
        "cluster": _id(message.get("cluster")),
        "add": _flag(message, "add", True),
        "ref": message.get("ref") or "",
    }


def _parse_move(message: dict) -> dict:
    position = message.get("position")
    if position is not None and (
        isinstance(position, bool)
        or not isinstance(position, int)
        or not 0 <= position <= MAX_POSITION
    ):
        raise BadMessage()
    return {
        "card": _id(message.get("card")),
        "cluster": _id(message.get("cluster"), optional=True),
        "position": position,
    }


def _parse_proposal(message: dict) -> dict:
    fields = message.get("fields") or {}
    if not isinstance(fields, dict):
        raise BadMessage()
    for name, value in fields.items():
        if name == "cluster":
            fields[name] = _id(value, optional=True)
        elif not isinstance(value, str):
            raise BadMessage()
    return {
        "proposal": _id(message.get("id"), optional=True),
        "version": _id(message.get("version"), optional=True),
        "fields": fields,
    }


def _parse_help(message: dict) -> dict:
    return {"proposal": _id(message.get("proposal")), "helping": _flag(message, "helping", True)}


PARSERS = {
    "card": _parse_card,
    "dot": _parse_dot,
    "move": _parse_move,
    "proposal": _parse_proposal,
    "help": _parse_help,
}
