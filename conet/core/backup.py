"""Backup and restore of a whole installation: the database and the uploads, in one archive.

    write_backup(path)     while the site runs: a consistent database snapshot (SQLite's online
                           backup, or pg_dump), then every file under MEDIA_ROOT, then a manifest
                           with the size and SHA-256 of each member
    read_manifest(path)    the manifest, after checking every member against it
    restore_backup(path)   into an empty installation only; a damaged archive changes nothing

The archive is a gzipped tar:

    database.sqlite3 | database.pgdump     the snapshot (pg_dump's custom format)
    media/…                                the uploads, with their paths under MEDIA_ROOT
    manifest.json                          written last, once every checksum is known

The snapshot is taken before the uploads are read, so every file that a row of the snapshot names
is already on disk. The secret key is not in the archive: keep SECRET_KEY (or var/secret_key) with
it, or people sign in again and signed links made before stop working.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "conet-backup/1"
MANIFEST = "manifest.json"
SNAPSHOT = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
CHUNK = 1 << 20


class BackupError(Exception):
    """Something a person can act on: said in one sentence, nothing changed."""


@dataclass
class Summary:
    path: Path
    vendor: str
    files: int
    bytes: int


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in SNAPSHOT:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _pg_env() -> tuple[list[str], dict]:
    """pg_dump/pg_restore connection options for the default database, the password in the
    environment (never on the command line, where `ps` would show it)."""
    db = settings.DATABASES["default"]
    options = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        options += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        options += ["--port", str(db["PORT"])]
    if db.get("USER"):
        options += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return options, env


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (it comes with PostgreSQL's client)")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{command[0]} failed: {reason}")


def _snapshot(vendor: str, target: Path) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent state while other writers go on.
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        options, env = _pg_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *options], env)


def _add(archive: tarfile.TarFile, source: Path, name: str, manifest: dict) -> int:
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    info = archive.gettarinfo(str(source), arcname=name)
    with source.open("rb") as handle:
        archive.addfile(info, handle)
    manifest[name] = {"size": info.size, "sha256": digest.hexdigest()}
    return info.size


def write_backup(path: Path) -> Summary:
    """Write the archive to `path` (a new file; an existing one is refused, never overwritten)."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already: choose a new file name")
    vendor = _vendor()
    media_root = Path(settings.MEDIA_ROOT)
    members: dict[str, dict] = {}
    total = 0
    partial = path.with_name(path.name + ".partial")
    try:
        with tempfile.TemporaryDirectory() as work, tarfile.open(partial, "w:gz") as archive:
            snapshot = Path(work) / SNAPSHOT[vendor]
            _snapshot(vendor, snapshot)
            total += _add(archive, snapshot, SNAPSHOT[vendor], members)
            if media_root.is_dir():
                for source in sorted(p for p in media_root.rglob("*") if p.is_file()):
                    name = str(PurePosixPath(MEDIA) / source.relative_to(media_root).as_posix())
                    total += _add(archive, source, name, members)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database": vendor,
                "migrations": sorted(
                    f"{app}.{name}"
                    for app, name in MigrationRecorder(connection).applied_migrations()
                ),
                "members": members,
            }
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
        partial.rename(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Summary(path, vendor, sum(n.startswith(MEDIA + "/") for n in members), total)


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:gz")
    except FileNotFoundError as exc:
        raise BackupError(f"{path} does not exist") from exc
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{path} is not a CoNet backup (not a readable archive: {exc})") from exc


def read_manifest(path: Path) -> dict:
    """The manifest, once every member is checked against it: any difference is a BackupError."""
    path = Path(path)
    try:
        with _open(path) as archive:
            try:
                manifest = json.load(archive.extractfile(MANIFEST))
            except KeyError as exc:
                raise BackupError(f"{path} has no manifest: it is incomplete or not ours") from exc
            if manifest.get("format") != FORMAT:
                raise BackupError(f"{path} is in format {manifest.get('format')!r}, not {FORMAT}")
            expected = dict(manifest["members"])
            for member in archive:
                if member.name == MANIFEST:
                    continue
                entry = expected.pop(member.name, None)
                if entry is None or not member.isfile():
                    raise BackupError(
                        f"{path} holds {member.name}, which its manifest does not list"
                    )
                digest = hashlib.sha256()
                handle = archive.extractfile(member)
                for chunk in iter(lambda handle=handle: handle.read(CHUNK), b""):
                    digest.update(chunk)
                if digest.hexdigest() != entry["sha256"] or member.size != entry["size"]:
                    raise BackupError(f"{path} is damaged: {member.name} differs from its checksum")
            if expected:
                raise BackupError(f"{path} is incomplete: {sorted(expected)[0]} is missing")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(f"{path} is damaged ({exc})") from exc
    return manifest


def _database_is_empty() -> bool:
    """No tables at all: not even `conet migrate`'s, which the snapshot brings with it."""
    return not connection.introspection.table_names()


def restore_backup(path: Path) -> Summary:
    """Restore the archive into this installation, which must have an empty database and no uploads."""
    path = Path(path)
    manifest = read_manifest(path)
    vendor = _vendor()
    if manifest["database"] != vendor:
        raise BackupError(
            f"{path} holds a {manifest['database']} database; this installation uses {vendor}"
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(f"{media_root} is not empty: restore into a new installation")
    if not _database_is_empty():
        raise BackupError("the database is not empty: restore into a new, empty database")

    with tempfile.TemporaryDirectory() as work, _open(path) as archive:
        snapshot = Path(work) / SNAPSHOT[vendor]
        with archive.extractfile(SNAPSHOT[vendor]) as source, snapshot.open("wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        if vendor == "sqlite":
            database = Path(settings.DATABASES["default"]["NAME"])
            connections.close_all()
            for leftover in [database, Path(f"{database}-wal"), Path(f"{database}-shm")]:
                leftover.unlink(missing_ok=True)
            database.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(snapshot, database)
        else:
            options, env = _pg_env()
            connections.close_all()
            command = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction"]
            _run([*command, *options, str(snapshot)], env)
        files = 0
        for member in archive:
            if not member.name.startswith(MEDIA + "/"):
                continue
            relative = PurePosixPath(member.name).relative_to(MEDIA)
            if ".." in relative.parts or relative.is_absolute():
                raise BackupError(f"{path} names a file outside the uploads: {member.name}")
            target = media_root.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, target.open("wb") as handle:
                shutil.copyfileobj(source, handle, CHUNK)
            files += 1
    total = sum(entry["size"] for entry in manifest["members"].values())
    return Summary(path, vendor, files, total)
