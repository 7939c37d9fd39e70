"""The Pol.is export format: comments.csv, votes.csv, participants-votes.csv, summary.csv.

    files = export_files(consultation)          # {"comments.csv": "…", …}
    export_zip(consultation) -> bytes
    import_folder(path, city=…, slug=…, by=…)    # a new consultation; all or nothing

The columns are those of Pol.is's own export (and of the open data sets published with it):

- comments.csv: timestamp, datetime, comment-id, author-id, agrees, disagrees, moderated, comment-body
  (moderated: 1 accepted, 0 not yet, −1 rejected)
- votes.csv: timestamp, datetime, comment-id, voter-id, vote (1 agree, −1 disagree, 0 pass)
- participants-votes.csv: participant, group-id, n-comments, n-votes, n-agree, n-disagree, then one
  column per comment id with the participant's vote (empty: not seen)
- summary.csv: rows of key, value (topic, url, voters, voters-in-conv, commenters, comments, groups,
  conversation-description)
- set-aside-votes.csv (CoNet's own, only where a moderator set a suspicious burst aside): the votes
  of the participants set aside, with votes.csv's columns. They are in no other file's counts.

Timestamps are milliseconds since 1970 (UTC). A participant imported from Pol.is keeps the id it had
there (ids have gaps); the others are numbered in the order they joined, after the highest imported
id, from 0 when there is none. No name, address or account appears in the files.
"""

import csv
import hashlib
import io
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from conet.consultations import services
from conet.consultations.models import (
    IMPORTED_STATEMENT_MAX_LENGTH,
    Consultation,
    OpinionResult,
    Participant,
    Statement,
    Vote,
)
from conet.core import spreadsheet

FILES = ["comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"]
SET_ASIDE_FILE = "set-aside-votes.csv"  # only when a moderator set a burst aside
COMMENT_COLUMNS = [
    "timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated",
    "comment-body",
]  # fmt: skip
VOTE_COLUMNS = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
PARTICIPANT_COLUMNS = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
MODERATED = {
    Statement.Status.ACCEPTED: 1,
    Statement.Status.PENDING: 0,
    Statement.Status.REJECTED: -1,
}
STATUS_OF = {value: status for status, value in MODERATED.items()}


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _readable(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(
        "%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)"
    )


def _csv(header: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = spreadsheet.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def export_files(consultation: Consultation) -> dict[str, str]:
    """The four files as text. Four queries, whatever the size of the conversation."""
    participants = list(
        consultation.participants.order_by("pk").values_list(
            "pk", "polis_id", "set_aside_at", named=True
        )
    )
    number_of = _participant_numbers(participants)
    set_aside = {p.pk for p in participants if p.set_aside_at is not None}
    participants = [pk for pk in sorted(number_of, key=number_of.get) if pk not in set_aside]
    statements = list(consultation.statements.order_by("number"))
    comment_of = {s.pk: s.number for s in statements}
    every_vote = list(
        Vote.objects.filter(statement__consultation=consultation)
        .order_by("created_at", "pk")
        .values_list("created_at", "statement_id", "participant_id", "value")
    )
    # Votes a moderator set aside (a suspicious burst) count nowhere but stay in the record, in a
    # file of their own with votes.csv's columns; their participants keep their numbers.
    votes = [vote for vote in every_vote if vote[2] not in set_aside]
    aside_votes = [vote for vote in every_vote if vote[2] in set_aside]
    result = OpinionResult.objects.filter(consultation=consultation).first()
    group_of = {}
    if result:
        group_of = {pid: group for pid, _x, _y, group in result.data.get("participants", [])}

    agrees, disagrees = Counter(), Counter()
    by_participant: dict[int, dict[int, int]] = {}
    for _at, statement_id, participant_id, value in votes:
        if value == 1:
            agrees[statement_id] += 1
        elif value == -1:
            disagrees[statement_id] += 1
        by_participant.setdefault(participant_id, {})[comment_of[statement_id]] = value
    authored = Counter(s.author_id for s in statements if s.author_id)

    comments = _csv(
        COMMENT_COLUMNS,
        (
            [
                _millis(s.created_at),
                _readable(s.created_at),
                s.number,
                number_of.get(s.author_id, ""),
                agrees[s.pk],
                disagrees[s.pk],
                MODERATED[s.status],
                s.text,
            ]
            for s in statements
        ),
    )
    vote_rows = _csv(
        VOTE_COLUMNS,
        (
            [_millis(at), _readable(at), comment_of[sid], number_of[pid], value]
            for at, sid, pid, value in votes
        ),
    )
    numbers = [s.number for s in statements]
    participant_rows = []
    for pk in participants:
        cast = by_participant.get(pk, {})
        group = group_of.get(pk, -1)
        participant_rows.append(
            [
                number_of[pk],
                group if group >= 0 else "",
                authored[pk],
                len(cast),
                sum(1 for v in cast.values() if v == 1),
                sum(1 for v in cast.values() if v == -1),
                *[cast.get(number, "") for number in numbers],
            ]
        )
    participants_votes = _csv([*PARTICIPANT_COLUMNS, *map(str, numbers)], participant_rows)
    summary = _csv(
        ["key", "value"],
        [
            ["topic", consultation.question],
            ["url", consultation.get_absolute_url()],
            ["voters", len(by_participant)],
            ["voters-in-conv", result.participants_placed if result else 0],
            ["commenters", len(authored)],
            ["comments", len(statements)],
            ["groups", result.group_count if result else 0],
            ["conversation-description", consultation.description],
        ],
    )
    files = {
        "comments.csv": comments,
        "votes.csv": vote_rows,
        "participants-votes.csv": participants_votes,
        "summary.csv": summary,
    }
    if set_aside:
        files[SET_ASIDE_FILE] = _csv(
            VOTE_COLUMNS,
            (
                [_millis(at), _readable(at), comment_of[sid], number_of[pid], value]
                for at, sid, pid, value in aside_votes
            ),
        )
    return files


def _participant_numbers(participants) -> dict[int, int]:
    """pk → the id written in the files: the Pol.is id where there is one, else the next free one."""
    number_of = {p.pk: p.polis_id for p in participants if p.polis_id is not None}
    following = max(number_of.values(), default=-1) + 1
    for p in participants:
        if p.polis_id is None:
            number_of[p.pk] = following
            following += 1
    return number_of


def export_zip(consultation: Consultation) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in export_files(consultation).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def write_folder(consultation: Consultation, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in export_files(consultation).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# Import ----------------------------------------------------------------------------------------------


def _problem(file: str, row: int, column: str, message: str) -> ValidationError:
    return ValidationError(f"{file}, row {row}, column {column}: {message}")


def _read(folder: Path, name: str, required: list[str]) -> list[tuple[int, dict]]:
    path = folder / name
    if not path.exists():
        raise ValidationError(f"{name}: the file is missing from {folder}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if missing:
            raise ValidationError(f"{name}, row 1: missing column(s) {', '.join(missing)}")
        return list(enumerate(reader, start=2))


def _int(file: str, row: int, record: dict, column: str, allowed=None) -> int:
    raw = (record.get(column) or "").strip()
    try:
        value = int(float(raw)) if raw else None
    except ValueError:
        value = None
    if value is None or (allowed is not None and value not in allowed):
        expected = f"one of {', '.join(map(str, sorted(allowed)))}" if allowed else "a whole number"
        raise _problem(file, row, column, f"{raw!r} is not {expected}")
    return value


def _moment(file: str, row: int, record: dict) -> datetime:
    millis = _int(file, row, record, "timestamp")
    # Pol.is wrote seconds in some older exports; anything before 2001 in milliseconds is seconds.
    seconds = millis / 1000 if millis > 10**12 else millis
    return datetime.fromtimestamp(seconds, tz=UTC)


def _summary(folder: Path) -> dict[str, str]:
    path = folder / "summary.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}


@transaction.atomic
def import_folder(
    folder: Path, *, city, slug: str, by, network=None, language: str = "en"
) -> Consultation:
    """A new consultation from a Pol.is export folder; any bad row stops it with the file, row and
    column, and nothing is stored."""
    folder = Path(folder)
    summary = _summary(folder)
    comments = _read(
        folder, "comments.csv", ["timestamp", "comment-id", "moderated", "comment-body"]
    )
    votes = _read(folder, "votes.csv", ["timestamp", "comment-id", "voter-id", "vote"])
    question = (summary.get("topic") or "").strip() or slug
    consultation = services.create_consultation(
        city,
        by=by,
        network=network,
        slug=slug,
        question=question[:300],
        description=summary.get("conversation-description", ""),
        language=language,
        opens_at=timezone.now(),
    )

    # Participants: authors and voters, numbered as in the files, created in that order.
    voter_ids = set()
    for row, record in votes:
        voter_ids.add(_int("votes.csv", row, record, "voter-id"))
    for row, record in comments:
        if (record.get("author-id") or "").strip():
            voter_ids.add(_int("comments.csv", row, record, "author-id"))
    participant_of = {}
    for number in sorted(voter_ids):
        token = hashlib.sha256(f"polis:{slug}:{number}".encode()).hexdigest()
        participant_of[number] = Participant.objects.create(
            consultation=consultation, device_hash=Participant.hash_device(token), polis_id=number
        )

    statement_of = {}
    for row, record in sorted(
        comments, key=lambda item: _int("comments.csv", item[0], item[1], "comment-id")
    ):
        number = _int("comments.csv", row, record, "comment-id")
        if number in statement_of:
            raise _problem("comments.csv", row, "comment-id", f"{number} appears twice")
        text = " ".join(spreadsheet.read_cell(record.get("comment-body") or "").split())
        status = STATUS_OF[_int("comments.csv", row, record, "moderated", set(STATUS_OF))]
        # Pol.is keeps rejected comments whose text was removed; their votes still count.
        if not text and status != Statement.Status.REJECTED:
            raise _problem("comments.csv", row, "comment-body", "the statement is empty")
        if len(text) > IMPORTED_STATEMENT_MAX_LENGTH:
            raise _problem(
                "comments.csv", row, "comment-body",
                f"longer than {IMPORTED_STATEMENT_MAX_LENGTH} characters ({len(text)})",
            )  # fmt: skip
        author = (record.get("author-id") or "").strip()
        statement_of[number] = Statement(
            consultation=consultation,
            number=number,
            text=text,
            language=language,
            author=participant_of[int(float(author))] if author else None,
            status=status,
            created_at=_moment("comments.csv", row, record),
        )
    Statement.objects.bulk_create(statement_of.values())

    latest: dict[tuple[int, int], Vote] = {}
    ordered = sorted(votes, key=lambda item: (_moment("votes.csv", *item), item[0]))
    for row, record in ordered:
        number = _int("votes.csv", row, record, "comment-id")
        if number not in statement_of:
            raise _problem("votes.csv", row, "comment-id", f"no comment {number} in comments.csv")
        voter = _int("votes.csv", row, record, "voter-id")
        # A later vote on the same comment replaces the earlier one, as it did in Pol.is.
        latest[(voter, number)] = Vote(
            participant=participant_of[voter],
            statement=statement_of[number],
            value=_int("votes.csv", row, record, "vote", {-1, 0, 1}),
            created_at=_moment("votes.csv", row, record),
        )
    Vote.objects.bulk_create(
        sorted(latest.values(), key=lambda vote: vote.created_at), batch_size=2000
    )
    Consultation.objects.filter(pk=consultation.pk).update(votes_cast=len(votes))
    consultation.refresh_from_db()
    services.recompute(consultation)
    return consultation
