"""The Pol.is export format: export, import, round trip, and clear messages for bad files."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conet.consultations import polis, services
from conet.consultations.models import Consultation, Participant, Statement, Vote
from conet.consultations.simulation import planted_conversation
from tests.factories import ConsultationFactory, ParticipantFactory, StatementFactory


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def conversation(city):
    """60 participants in two planted camps voting on 12 statements; one statement rejected."""
    consultation = ConsultationFactory(city=city, slug="original", question="Ballarò, tomorrow?")
    statements = [
        StatementFactory(consultation=consultation, number=n, text=f"Statement, with comma {n}")
        for n in range(12)
    ]
    statements[0].author = ParticipantFactory(consultation=consultation)
    statements[0].save()
    Statement.objects.filter(pk=statements[11].pk).update(
        status=Statement.Status.REJECTED, moderation_reason="Off topic"
    )
    planted = planted_conversation(60, 12, n_groups=2, vote_share=0.8, loyalty=0.95, seed=3)
    participants = [
        statements[0].author,
        *ParticipantFactory.create_batch(59, consultation=consultation),
    ]
    table = planted.table
    votes = [
        Vote(
            participant=participants[table.participant_ids[r]],
            statement=statements[table.statement_ids[c]],
            value=int(v),
        )
        for r, c, v in zip(table.rows, table.cols, table.values, strict=True)
    ]
    Vote.objects.bulk_create(votes)
    Consultation.objects.filter(pk=consultation.pk).update(votes_cast=len(votes))
    services.recompute(consultation)
    return consultation


def test_export_has_the_four_files_with_polis_columns(conversation):
    files = polis.export_files(conversation)
    assert set(files) == set(polis.FILES)
    comments = _rows(files["comments.csv"])
    assert comments[0] == polis.COMMENT_COLUMNS
    assert comments[1][2:4] == ["0", "0"]  # comment 0 written by participant 0
    assert comments[1][7] == "Statement, with comma 0"
    assert comments[12][6] == "-1"  # rejected
    votes = _rows(files["votes.csv"])
    assert votes[0] == polis.VOTE_COLUMNS
    assert len(votes) - 1 == Vote.objects.count()
    participants = _rows(files["participants-votes.csv"])
    assert participants[0][:6] == polis.PARTICIPANT_COLUMNS
    assert participants[0][6:] == [str(n) for n in range(12)]
    groups = {row[1] for row in participants[1:]}
    assert groups == {"0", "1"}
    summary = dict(_rows(files["summary.csv"])[1:])
    assert summary["topic"] == "Ballarò, tomorrow?"
    assert summary["groups"] == "2"


def test_export_holds_no_personal_data(conversation, people):
    participant = Participant.objects.filter(consultation=conversation).last()
    participant.user = people["lsg_member"]
    participant.save()
    text = "".join(polis.export_files(conversation).values())
    assert people["lsg_member"].email not in text
    assert people["lsg_member"].name not in text
    assert participant.device_hash not in text


def test_round_trip_gives_the_same_statements_votes_and_groups(conversation, people, tmp_path):
    polis.write_folder(conversation, tmp_path)
    imported = polis.import_folder(
        tmp_path, city=conversation.city, slug="imported", by=people["platform_admin"]
    )
    first = polis.export_files(conversation)
    second = polis.export_files(imported)
    assert second["comments.csv"] == first["comments.csv"]
    assert second["votes.csv"] == first["votes.csv"]
    assert second["participants-votes.csv"] == first["participants-votes.csv"]
    assert imported.question == conversation.question
    assert imported.result.group_count == conversation.result.group_count == 2


def test_import_command_reports_what_it_loaded(conversation, people, tmp_path):
    polis.write_folder(conversation, tmp_path)
    out = io.StringIO()
    call_command(
        "import_polis", str(tmp_path), "--city", conversation.city.slug, "--slug", "again",
        stdout=out,
    )  # fmt: skip
    assert "Imported 12 statements" in out.getvalue()
    assert Consultation.objects.filter(slug="again").exists()


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        ("votes.csv", ("vote", "2"), "votes.csv, row 2, column vote: '2' is not one of -1, 0, 1"),
        ("votes.csv", ("comment-id", "99"), "votes.csv, row 2, column comment-id: no comment 99"),
        ("comments.csv", ("comment-body", ""), "comments.csv, row 2, column comment-body"),
        ("comments.csv", ("moderated", "x"), "comments.csv, row 2, column moderated"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_imported(
    conversation, people, tmp_path, file, change, message
):
    polis.write_folder(conversation, tmp_path)
    rows = _rows((tmp_path / file).read_text())
    column = rows[0].index(change[0])
    rows[1][column] = change[1]
    with (tmp_path / file).open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    before = (Consultation.objects.count(), Statement.objects.count(), Vote.objects.count())
    with pytest.raises(CommandError) as error:
        call_command(
            "import_polis", str(tmp_path), "--city", conversation.city.slug, "--slug", "bad",
            "--by", people["platform_admin"].email,
        )  # fmt: skip
    assert message in str(error.value)
    after = (Consultation.objects.count(), Statement.objects.count(), Vote.objects.count())
    assert after == before


def test_a_missing_file_is_named(people, city, tmp_path):
    with pytest.raises(CommandError, match=r"comments.csv: the file is missing"):
        call_command("import_polis", str(tmp_path), "--city", city.slug, "--slug", "x")


@pytest.fixture
def keep_connection(monkeypatch):
    # `conet …` runs a command the way the shell does, and Django closes the connections afterwards;
    # inside a test's transaction (PostgreSQL) that would end the test's own connection.
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def test_cli_dispatches_conet_import_polis(conversation, people, tmp_path, keep_connection):
    from conet.cli import main

    polis.write_folder(conversation, tmp_path)
    main(["import", "polis", str(tmp_path), "--city", conversation.city.slug, "--slug", "cli"])
    assert Consultation.objects.filter(slug="cli").exists()


def test_cli_dispatches_conet_export_polis(conversation, tmp_path, keep_connection):
    from conet.cli import main

    main(["export", "polis", conversation.slug, str(tmp_path)])
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(polis.FILES)


POLIS_OPEN_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "polis_open_data"


def _latest_votes(votes_csv: str) -> dict[tuple[str, str], str]:
    """(voter-id, comment-id) → the vote that counts (a later vote replaces an earlier one)."""
    rows = list(csv.DictReader(io.StringIO(votes_csv)))
    rows.sort(key=lambda row: int(row["timestamp"]))
    return {(row["voter-id"], row["comment-id"]): row["vote"] for row in rows}


def test_participant_ids_with_gaps_survive_import_and_export(people, city, tmp_path):
    (tmp_path / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1403054214196,x,0,10,1,0,1,First\n"
        "1403054214197,x,1,3,0,1,1,Second\n"
    )
    (tmp_path / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "1403054214200,x,0,10,1\n"
        "1403054214201,x,1,10,-1\n"
        "1403054214202,x,0,3,-1\n"
        "1403054214203,x,1,27,1\n"
    )
    imported = polis.import_folder(tmp_path, city=city, slug="gaps", by=people["platform_admin"])
    # A participant who joins afterwards gets the next free id, never one of the imported ones.
    ParticipantFactory(consultation=imported)
    files = polis.export_files(imported)
    assert _latest_votes(files["votes.csv"]) == {
        ("10", "0"): "1", ("10", "1"): "-1", ("3", "0"): "-1", ("27", "1"): "1",
    }  # fmt: skip
    assert [row[3] for row in _rows(files["comments.csv"])[1:]] == ["10", "3"]
    rows = {row[0]: row for row in _rows(files["participants-votes.csv"])[1:]}
    assert list(rows) == ["3", "10", "27", "28"]
    assert rows["10"][3] == "2"  # n-votes: participant 10 cast two votes, as in the files


@pytest.mark.parametrize(
    "conversation_name",
    sorted(p.name for p in POLIS_OPEN_DATA.iterdir() if p.is_dir())
    if POLIS_OPEN_DATA.exists()
    else ["15-per-hour-seattle"],
)
def test_a_real_polis_conversation_keeps_every_vote_with_its_voter(conversation_name, people, city):
    folder = POLIS_OPEN_DATA / conversation_name
    if not folder.exists():
        pytest.skip(f"{folder} is not beside this checkout")
    imported = polis.import_folder(folder, city=city, slug="real", by=people["platform_admin"])
    exported = polis.export_files(imported)
    original = _latest_votes((folder / "votes.csv").read_text(encoding="utf-8-sig"))
    assert _latest_votes(exported["votes.csv"]) == original
