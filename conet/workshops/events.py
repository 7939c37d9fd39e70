"""The board's event log and its fan-out to the screens.

Every change on a board appends one numbered `WorkshopEvent` in the same transaction as the change
and is sent to the channel layer only after that transaction commits (Zulip's send_event_on_commit):
no screen is ever told about a card that was rolled back, and a phone that missed events while its
connection was down asks for everything after the last number it saw.

Groups: every screen of a workshop listens to `workshop.<id>` (workshop-wide events: phases, timer,
lock). A table's phones also listen to `workshop.<id>.table.<tid>`; the projector and the facilitators
listen to `workshop.<id>.tables`, which receives every table's events. A table event is therefore sent
twice (its table, all tables) whatever the number of tables.
"""

import asyncio
import contextlib
import contextvars
import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

from conet.workshops.models import Workshop, WorkshopEvent

log = logging.getLogger(__name__)

# The largest catch-up sent over the socket; a phone further behind reloads the page instead.
MAX_REPLAY = 2000


def wide_group(workshop_id: int) -> str:
    return f"workshop.{workshop_id}"


def table_group(workshop_id: int, table_id: int | None) -> str:
    return f"workshop.{workshop_id}.table.{table_id or 0}"


def all_tables_group(workshop_id: int) -> str:
    return f"workshop.{workshop_id}.tables"


def participant_group(participant_id: int) -> str:
    return f"workshop-participant.{participant_id}"


def event_dict(event: WorkshopEvent) -> dict:
    return {
        "type": "event",
        "seq": event.seq,
        "prev": event.prev,
        "kind": event.kind,
        "table": event.table_id,
        "data": event.payload,
    }


def encode(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


# A phone's gaps. Numbers are handed out in commit order, but with several server processes the
# broadcasts can reach a screen out of that order: a phone may hear 12 before 11. Had it said
# hello with the highest number it heard (12) after losing its connection in between, it would
# never get 11. A phone hears only its table's events and the workshop-wide ones, so it cannot
# tell a missing number from another table's; each event therefore carries `prev`, the number of
# the event before it for the same screens (its table's, or the workshop-wide chain). A screen
# knows each chain complete up to some number, says hello with the lowest of them (board.js,
# `Chains`), and drops what it hears twice. Screens that hear everything (facilitators, the
# projector) need no `prev`: every number is theirs.

# One statement that takes the number and the row's write lock (SQLite ≥ 3.35 and PostgreSQL),
# and reads the previous number of the same chain under that lock (index workshop_event_chain).
_EVENTS = WorkshopEvent._meta.db_table
_NEXT_SEQ = (
    f"UPDATE {Workshop._meta.db_table} SET last_event_seq = last_event_seq + 1 "
    "WHERE id = %s RETURNING last_event_seq, "
    f"(SELECT MAX(seq) FROM {_EVENTS} WHERE workshop_id = %s AND table_id {{table}})"
)
_NEXT_SEQ_WIDE = _NEXT_SEQ.format(table="IS NULL")
_NEXT_SEQ_TABLE = _NEXT_SEQ.format(table="= %s")


def emit(workshop_id: int, kind: str, payload: dict, *, table_id: int | None = None):
    """Append an event to the workshop's log (inside the caller's transaction) and broadcast it
    once that transaction commits. `table_id` None: every screen; else that table and the projector."""
    assert transaction.get_connection().in_atomic_block, (
        "emit() belongs inside the write's transaction"
    )
    # The UPDATE takes the workshop row's write lock until commit, so numbers are handed out in
    # commit order and never twice, on SQLite and PostgreSQL alike.
    with transaction.get_connection().cursor() as cursor:
        if table_id is None:
            cursor.execute(_NEXT_SEQ_WIDE, [workshop_id, workshop_id])
        else:
            cursor.execute(_NEXT_SEQ_TABLE, [workshop_id, workshop_id, table_id])
        seq, prev = cursor.fetchone()
    event = WorkshopEvent.objects.create(
        workshop_id=workshop_id,
        seq=seq,
        prev=prev or 0,
        table_id=table_id,
        kind=kind,
        payload=payload,
    )
    transaction.on_commit(lambda: broadcast(event), robust=True)
    return event


def _groups(event: WorkshopEvent) -> list[str]:
    if event.table_id is None:
        return [wide_group(event.workshop_id)]
    return [table_group(event.workshop_id, event.table_id), all_tables_group(event.workshop_id)]


# Set while a WebSocket consumer runs a write in its database thread: committed events are
# collected here and sent by the consumer itself once back on the event loop, so the one database
# thread does not wait for the loop to fan each event out.
_collected: contextvars.ContextVar[list | None] = contextvars.ContextVar("collected", default=None)


@contextlib.contextmanager
def collecting_broadcasts():
    collected: list = []
    token = _collected.set(collected)
    try:
        yield collected
    finally:
        _collected.reset(token)


def fan_out(event: WorkshopEvent) -> list[tuple[str, dict]]:
    """(group, message) pairs for a committed event; encoded once, not once per screen."""
    message = {"type": "board.event", "seq": event.seq, "text": encode(event_dict(event))}
    return [(group, message) for group in _groups(event)]


def broadcast(event: WorkshopEvent) -> None:
    """Send a committed event to its screens (or hand it to the consumer collecting them)."""
    collected = _collected.get()
    if collected is not None:
        collected.extend(fan_out(event))
        return
    layer = get_channel_layer()
    if layer is None:
        return
    if _loop_runs_here():
        log.info(
            "workshop event %s#%s stored, not broadcast: an event loop runs in this thread",
            event.workshop_id,
            event.seq,
        )
        return
    try:
        for group, message in fan_out(event):
            async_to_sync(layer.group_send)(group, message)
    except Exception:  # the change is stored; screens catch up from the log on their next hello
        log.exception("could not broadcast workshop event %s#%s", event.workshop_id, event.seq)


def _loop_runs_here() -> bool:
    """Whether this thread runs an asyncio loop, where async_to_sync cannot wait for a send.

    Requests never get here with a loop: under ASGI a sync view runs in a thread of its own, and a
    consumer collects its broadcasts (above). Only synchronous code that shares its thread with a
    loop does, which Django allows solely with DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests, whose
    main thread loads the demo (a promoted proposal emits) while Playwright's loop runs there. The
    event is stored and a screen catches up from the log on its next hello, so the send is
    skipped, noted without an error."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def tell_participant(participant_id: int, message: dict) -> None:
    """A message to one participant's open sockets (e.g. that they were removed), after commit."""

    def send():
        layer = get_channel_layer()
        if layer is not None and not _loop_runs_here():
            async_to_sync(layer.group_send)(participant_group(participant_id), message)

    transaction.on_commit(send, robust=True)


def events_since(
    workshop_id: int, since: int, *, table_id: int | None, everything: bool
) -> tuple[int, list[WorkshopEvent]]:
    """The events after `since` that a screen should have seen (all of them for the projector and
    facilitators, the workshop-wide ones and its own table's for a phone), and the number up to
    which that list is complete for the screen.

    That number is read first: events commit in number order, so every event up to it is visible
    to the second query (numbers after it are sent live, or in the next catch-up)."""
    through = (
        Workshop.objects.filter(pk=workshop_id).values_list("last_event_seq", flat=True).first()
    ) or 0
    events = WorkshopEvent.objects.filter(workshop_id=workshop_id, seq__gt=since).order_by("seq")
    if not everything:
        events = events.filter(Q(table__isnull=True) | Q(table_id=table_id))
    return through, list(events[: MAX_REPLAY + 1])
