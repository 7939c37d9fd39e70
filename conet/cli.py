"""The `conet` command: serve, demo, compilemessages, and every Django management command.

conet serve [--host 127.0.0.1] [--port 8000] [--workers 1] [--no-tasks]
                           prints its address and, where the demo is loaded, the demo accounts
conet worker               run background tasks from the Redis queue (at scale; see docs/operations.md)
conet demo                 load the CoNet network (running it twice changes nothing)
conet migrate | createsuperuser | shell | …
"""

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit, urlunsplit


def _fail(message: str) -> NoReturn:
    print(f"conet: {message}", file=sys.stderr)
    raise SystemExit(2)


def _masked(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        _fail(f"configuration error: {exc}")


def _check_database() -> None:
    """Stop with one line, not a traceback, when the database cannot be reached or is not migrated."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    url = os.environ.get("DATABASE_URL", "(default SQLite under var/)")
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _fail(f"cannot use the database at DATABASE_URL={_masked(url)}: {reason}")
    except Exception as exc:  # a driver error that is not a DatabaseError (bad host name …)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _fail(f"cannot use the database at DATABASE_URL={_masked(url)}: {reason}")
    if pending:
        _fail(f"the database has {len(pending)} migrations to apply: run `conet migrate` first")


def serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="conet serve", description="Serve CoNet (HTTP and WebSockets)."
    )
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
    parser.add_argument(
        "--reload", action="store_true", help="restart on code changes (development)"
    )
    parser.add_argument(
        "--no-tasks",
        action="store_true",
        help="do not run background tasks in this process (when `conet worker` runs them)",
    )
    args = parser.parse_args(argv)
    _setup_django()
    _check_database()
    import uvicorn

    if not args.no_tasks:
        _start_task_consumer()

    banner = "\n".join(_banner(args.host, args.port))
    options = {
        "host": args.host,
        "port": args.port,
        "lifespan": "off",
        "proxy_headers": True,
        "log_level": os.environ.get("LOG_LEVEL", "info").lower(),
    }
    if args.reload or args.workers > 1:
        print(banner, flush=True)
        uvicorn.run(
            "conet.asgi:application",
            workers=args.workers if not args.reload else None,
            reload=args.reload,
            **options,
        )
        return

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if not self.should_exit:  # the address is taken: uvicorn has said so and stops
                # Last, after uvicorn's own lines, so the address and the accounts are on screen.
                print(banner, flush=True)

    Server(uvicorn.Config("conet.asgi:application", **options)).run()


def _banner(host: str, port: int) -> list[str]:
    """The address to open and, where the demo is loaded, the accounts to sign in with."""
    from conet.core.demo import account_lines, demo_accounts

    shown = f"[{host}]" if ":" in host else host
    address = f"CoNet is serving on http://{shown}:{port}/ (Ctrl+C stops it)"
    accounts = account_lines(demo_accounts())
    return [address, "", *accounts] if accounts else [address]


def _start_task_consumer() -> None:
    """Run the background-task consumer as threads inside this process (the one-machine install).

    With REDIS_URL set, several `conet serve` processes may share one queue; each runs a consumer
    unless started with --no-tasks, and huey hands every task to exactly one of them.
    """
    from huey.contrib.djhuey import HUEY

    consumer = HUEY.create_consumer(**_consumer_options())
    # start() registers SIGINT/SIGTERM handlers; uvicorn installs its own afterwards, and the
    # consumer's threads are daemons that end with the server.
    consumer.start()


def _consumer_options() -> dict:
    from django.conf import settings

    options = dict(settings.HUEY.get("consumer", {}))
    options.setdefault("workers", 2)
    options.setdefault("worker_type", "thread")
    return options


def compile_messages() -> None:
    """Compile every locale's .po file to .mo with polib, so installing needs no GNU gettext."""
    import polib

    package = Path(__file__).resolve().parent
    # The project catalogue, and the catalogues that some apps keep in their own locale/ folder.
    po_paths = [
        *package.glob("locale/*/LC_MESSAGES/*.po"),
        *package.glob("*/locale/*/LC_MESSAGES/*.po"),
    ]
    count = 0
    for po_path in sorted(po_paths):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        count += 1
    print(f"conet: compiled {count} message catalogues")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command == "serve":
        serve(argv[1:])
        return
    if command == "worker":  # the queue consumer at scale: the same as Django's `run_huey`
        argv = ["run_huey", *argv[1:]]
    if command == "compilemessages":
        compile_messages()
        return
    if command in {"import", "export"} and len(argv) > 1:  # `conet import polis X` → import_polis X
        argv = [f"{command}_{argv[1]}", *argv[2:]]
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["conet", *argv])


if __name__ == "__main__":
    main()
