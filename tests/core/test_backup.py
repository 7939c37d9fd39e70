"""`conet backup` and `conet restore`: a round trip that compares every table and every upload.

Each installation is a child process with its own data folder and database: SQLite files, or new
PostgreSQL databases when the suite runs on PostgreSQL (DATABASE_URL set), so CI does the round trip
on both.
"""

import hashlib
import io
import os
import tarfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.processes import run_conet

SUITE_DATABASE = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SUITE_DATABASE.startswith(("postgres://", "postgresql://"))

MAKE_DATA = """
from django.core.files.base import ContentFile
from conet.meetings.models import MeetingDocument
from tests.meetings.factories import MeetingFactory
from tests.factories import UserFactory
meeting = MeetingFactory(title="Backed up: Ballarò, ½ day")
document = MeetingDocument(meeting=meeting, title="Slides", uploaded_by=UserFactory())
document.file.save("slides.pdf", ContentFile(b"%PDF-1.4 " + bytes(range(256)) * 50), save=False)
document.content_type = "application/pdf"
document.size = document.file.size
document.save()
"""

DUMP_TABLES = """
import hashlib, json
from django.db import connection
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        cursor.execute(f'SELECT * FROM "{table}"')
        rows = sorted(repr(row) for row in cursor.fetchall())
        out[table] = [len(rows), hashlib.sha256("\\n".join(rows).encode()).hexdigest()]
print("TABLES=" + json.dumps(out, sort_keys=True))
"""


def _database_url(name: str) -> str:
    parts = urlsplit(SUITE_DATABASE)
    return urlunsplit(parts._replace(path=f"/{name}"))


class Installations:
    """New installations (env dicts) with their own data folder and database, dropped at the end."""

    def __init__(self, root: Path):
        self.root = root
        self.databases: list[str] = []

    def new(self, label: str) -> dict:
        folder = self.root / label
        folder.mkdir()
        env = {"CONET_DATA_DIR": str(folder), "CONET_EMBEDDINGS": "none"}
        if ON_POSTGRES:
            import psycopg

            name = f"conet_backup_{label}_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(_database_url("postgres"), autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            self.databases.append(name)
            env["DATABASE_URL"] = _database_url(name)
        return env

    def drop(self) -> None:
        if self.databases:
            import psycopg

            with psycopg.connect(_database_url("postgres"), autocommit=True) as admin:
                for name in self.databases:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def installations(tmp_path_factory):
    made = Installations(tmp_path_factory.mktemp("installations"))
    yield made
    made.drop()


@pytest.fixture(scope="module")
def source(installations):
    """An installation with a meeting and an uploaded document, and its backup archive."""
    env = installations.new("source")
    _ok(run_conet("migrate", "--no-input", "-v", "0", env=env, timeout=300))
    _ok(run_conet("shell", "-c", MAKE_DATA, env=env))
    archive = installations.root / "conet.tar.gz"
    backed_up = _ok(run_conet("backup", str(archive), env=env))
    assert "1 uploaded files" in backed_up.stdout
    return env, archive


def _ok(result):
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _tables(env) -> str:
    out = _ok(run_conet("shell", "-c", DUMP_TABLES, env=env)).stdout
    return next(line for line in out.splitlines() if line.startswith("TABLES="))


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_backup_and_restore_give_back_every_table_and_every_upload(installations, source):
    source, archive = source
    target = installations.new("restored")
    _ok(run_conet("restore", "--check", str(archive), env=source))

    restored = _ok(run_conet("restore", str(archive), env=target))
    assert "Restored the" in restored.stdout
    assert _tables(target) == _tables(source)
    source_media = Path(source["CONET_DATA_DIR"]) / "media"
    target_media = Path(target["CONET_DATA_DIR"]) / "media"
    assert _files(target_media) == _files(source_media) != {}


def test_restore_refuses_an_installation_that_holds_data(source):
    source, archive = source
    refused = run_conet("restore", str(archive), env=source)
    assert refused.returncode != 0
    assert "not empty" in refused.stderr


def test_a_damaged_archive_is_refused_and_changes_nothing(installations, source, tmp_path):
    _source, archive = source
    target = installations.new("untouched")

    # The same archive with one upload changed but the manifest kept.
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as original, tarfile.open(damaged, "w:gz") as copy:
        for member in original:
            data = original.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data[:-1] + b"X"
            copy.addfile(member, io.BytesIO(data))
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    for bad, reason in [(damaged, "damaged"), (truncated, "damaged"), (tmp_path / "none", "exist")]:
        result = run_conet("restore", str(bad), env=target)
        assert result.returncode != 0
        assert reason in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert not (Path(target["CONET_DATA_DIR"]) / "media").exists()
    if not ON_POSTGRES:
        assert not (Path(target["CONET_DATA_DIR"]) / "conet.sqlite3").exists()
