#!/usr/bin/env python
"""Performs a restore once and proves the restored site serves the same data.

    .venv/bin/python scripts/restore_check.py            # demo data, about a minute
    .venv/bin/python scripts/restore_check.py --reuse-source --scale large   # see --help

Steps, each timed:

1. source: a fresh database (``--source-url``, default ``cms_backup_src``) migrated and filled
   by ``seed_demo`` (``CMS_READ_DOTENV=0``, Redis db 11, media folders under ``--work``);
   ``--reuse-source`` keeps one that already holds data;
2. backup: ``scripts/backup.py run`` with the source's environment, as the timer runs it;
3. restore: ``scripts/backup.py restore`` into a new database (``--restored-url``, default
   ``cms_backup_restored``) and new media folders;
4. compare: the tables (same set, row count and a SHA-256 of each table's rows in primary-key
   order, as ``COPY … TO STDOUT`` writes them), the sequences' positions, the indexes and
   constraints, the SHA-256 of every public and private file, and HTTP responses of a list of
   pages fetched from each database by Django's test client in a subprocess of its own (own
   local-memory cache, so no page comes from a cache the other filled): public pages as a guest,
   the group feed, its documents and a feed attachment as a member, the indicators as the portal
   admin. Status, content type, disposition and the body must match; in HTML the per-response
   tokens (CSRF, CSP nonce) are blanked first.

It prints a table of what matched and exits 1 on any difference (2 when a step fails).
``--tamper`` changes one row and one private file after the restore: the check must then
fail (proof that it can).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BACKUP = ROOT / "scripts" / "backup.py"
SERVER = "postgres://postgres@127.0.0.1:5432/"
DUMP_NAME = "database.dump"

# Tokens that differ on every response by design.
VOLATILE = [
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+'), rb"\1-"),
    (re.compile(rb'(nonce=")[^"]+'), rb"\1-"),
    (re.compile(rb'(name="csrf-token" content=")[^"]+'), rb"\1-"),
    (re.compile(rb'(data-csrf(?:-token)?=")[^"]+'), rb"\1-"),
]
# iCalendar's DTSTAMP is the moment the feed was generated (RFC 5545), not data.
DTSTAMP = (re.compile(rb"^DTSTAMP:\d{8}T\d{6}Z\r?$", re.MULTILINE), b"DTSTAMP:-")
# PostgreSQL stores an index's `IN (…)` over varchar as a different but equivalent expression
# tree after a dump and restore (the casts move); compare definitions without casts and brackets.
CASTS = re.compile(r"::[a-z ]+(?:\[\])?|[()]")


def normalise(body: bytes) -> bytes:
    for pattern, replacement in VOLATILE:
        body = pattern.sub(replacement, body)
    return body


# --- running the pieces --------------------------------------------------------------------------


def site_env(database_url: str, media: Path, private: Path, *, redis: str | None) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        CMS_READ_DOTENV="0",
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        PRIVATE_MEDIA_ROOT=str(private),
        MEDIA_STORAGE="filesystem",
        PYTHONHASHSEED="0",
    )
    if redis:
        env["REDIS_URL"] = redis
    return env


def run(argv: list, *, env: dict | None = None, what: str) -> str:
    result = subprocess.run(
        [str(a) for a in argv], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{what} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result.stdout


def psql(server_db: str, sql: str) -> str:
    return run(["psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql, server_db], what=sql)


def recreate_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    psql(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(maintenance, f'CREATE DATABASE "{name}"')


def has_data(url: str) -> bool:
    try:
        return psql(url, "SELECT count(*) FROM wagtailcore_page").strip() not in {"", "0"}
    except SystemExit:
        return False


# --- comparing databases -----------------------------------------------------------------------


def database_fingerprint(url: str) -> dict:
    """Per table: rows and the SHA-256 of its rows in primary-key order; sequences; schema."""
    import psycopg
    from psycopg import sql

    result: dict = {"tables": {}, "sequences": {}, "schema": []}
    with psycopg.connect(url, autocommit=True) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary"
                " ORDER BY array_position(i.indkey, a.attnum)",
                [f'public."{table}"'],
            )
            key = [row[0] for row in cursor.fetchall()]
            order = (
                sql.SQL(", ").join(sql.Identifier(c) for c in key) if key else sql.SQL("t::text")
            )
            digest = hashlib.sha256()
            rows = 0
            query = sql.SQL("COPY (SELECT * FROM {} t ORDER BY {}) TO STDOUT").format(
                sql.Identifier(table), order
            )
            with cursor.copy(query) as copy:
                for block in copy:
                    digest.update(block)
                    rows += bytes(block).count(b"\n")
            result["tables"][table] = {"rows": rows, "sha256": digest.hexdigest()}
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        )
        result["sequences"] = dict(cursor.fetchall())
        cursor.execute(
            "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = 'public'"
            " UNION ALL SELECT conrelid::regclass || '.' || conname || ': '"
            " || pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE connamespace = 'public'::regnamespace ORDER BY 1"
        )
        result["schema"] = [CASTS.sub("", row[0]) for row in cursor.fetchall()]
        cursor.execute(
            "SELECT table_name, column_name, data_type, character_maximum_length, is_nullable,"
            " column_default FROM information_schema.columns WHERE table_schema = 'public'"
            " ORDER BY 1, 2"
        )
        result["columns"] = [list(row) for row in cursor.fetchall()]
    return result


def files_fingerprint(root: Path) -> dict[str, str]:
    out = {}
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


# --- HTTP, in a subprocess per database ---------------------------------------------------


def probe_main() -> None:
    """Runs inside a subprocess whose settings point at one database: makes the list of
    requests, fetches them with Django's test client, prints JSON."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    plan = make_plan()
    results = []
    for user_id, label, url in plan:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="ru")
        if user_id is not None:
            from django.contrib.auth import get_user_model

            client.force_login(get_user_model().objects.get(pk=user_id))
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        content_type = response.get("Content-Type", "")
        compared = body
        if content_type.startswith("text/html"):
            compared = normalise(body)
        elif content_type.startswith("text/calendar"):
            compared = DTSTAMP[0].sub(DTSTAMP[1], body)
        if bodies := os.environ.get("RESTORE_CHECK_BODIES"):
            # Kept for reading a difference: RESTORE_CHECK_BODIES=/tmp/x restore_check.py …
            target = Path(bodies) / os.environ["DATABASE_URL"].rsplit("/", 1)[1]
            target.mkdir(parents=True, exist_ok=True)
            (target / f"{len(results):03}").write_bytes(compared)
        results.append(
            {
                "who": label,
                "url": url,
                "status": response.status_code,
                "type": content_type,
                "disposition": response.get("Content-Disposition", ""),
                "bytes": len(body),
                "sha256": hashlib.sha256(compared).hexdigest(),
                # The same bytes in another order (tags listed without ORDER BY, see docs).
                "sorted_sha256": hashlib.sha256(
                    b"\n".join(sorted(compared.replace(b">", b">\n").splitlines()))
                ).hexdigest(),
            }
        )
    print(json.dumps({"plan": plan, "results": results}))


def make_plan() -> list:
    """(user id or None, who, url): public pages, a member's group pages and a feed file."""
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model
    from wagtail.models import Page

    from extranet.feed.models import Attachment
    from extranet.feed.permissions import can_download, can_moderate

    plan = []
    guest_urls = ["/", "/initiatives/", "/news/", "/news/feed/", "/events/", "/events/plan/"]
    guest_urls += ["/events/calendar.ics", "/ideas/", "/ideas/rss/", "/search/?q=кластер"]
    guest_urls += ["/sitemap.xml"]
    pages = Page.objects.live().public().filter(depth__gt=2).order_by("path")
    guest_urls += [page.url for page in pages[:25] if page.url and page.url not in guest_urls]
    document = get_document_model().objects.order_by("id").first()
    if document:
        guest_urls.append(document.url)
    plan += [(None, "guest", url) for url in guest_urls]

    attachment = Attachment.objects.select_related("post__initiative").order_by("id").first()
    users = get_user_model().objects.filter(is_superuser=False, is_staff=False).order_by("id")
    initiative = attachment.post.initiative
    # A plain member (not one of the initiative's admins): what most people see.
    member = next(
        user
        for user in users
        if can_download(user, attachment) and not can_moderate(user, initiative)
    )
    slug = initiative.slug
    for url in (
        "/cabinet/",
        "/cabinet/groups/",
        f"/cabinet/groups/{slug}/",
        f"/cabinet/groups/{slug}/documents/",
        f"/cabinet/groups/{slug}/members/",
        f"/cabinet/groups/{slug}/posts/{attachment.post_id}/",
        f"/files/{attachment.id}/",
        "/cabinet/notifications/",
        "/cabinet/messages/",
    ):
        plan.append((member.id, f"member {member.email}", url))
    for other in Attachment.objects.order_by("id")[1:]:
        if can_download(member, other):
            plan.append((member.id, f"member {member.email}", f"/files/{other.id}/"))
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    if admin:
        for url in ("/cabinet/admin/indicators/", "/cabinet/admin/users/"):
            plan.append((admin.id, f"portal admin {admin.email}", url))
    return plan


# --- report -----------------------------------------------------------------------------------


def compare(source: dict, restored: dict) -> tuple[list, int]:
    """Rows of (what, source, restored, verdict) and the number of differences."""
    rows, differences = [], 0

    def add(what, left, right, same):
        nonlocal differences
        differences += 0 if same else 1
        rows.append((what, str(left), str(right), "match" if same else "DIFFERS"))

    src_db, dst_db = source["db"], restored["db"]
    src_tables, dst_tables = src_db["tables"], dst_db["tables"]
    add("tables", len(src_tables), len(dst_tables), src_tables.keys() == dst_tables.keys())
    empty = []
    for table in sorted(src_tables.keys() | dst_tables.keys()):
        left, right = src_tables.get(table), dst_tables.get(table)
        if left and right and left == right and left["rows"] == 0:
            empty.append(table)
            continue
        add(
            f"  {table}",
            f"{left['rows']} rows {left['sha256'][:12]}" if left else "missing",
            f"{right['rows']} rows {right['sha256'][:12]}" if right else "missing",
            left == right,
        )
    if empty:
        add(f"  {len(empty)} more tables, empty", 0, 0, True)
    add(
        "rows in all tables",
        sum(t["rows"] for t in src_tables.values()),
        sum(t["rows"] for t in dst_tables.values()),
        src_tables == dst_tables,
    )
    add(
        "sequences' positions",
        len(src_db["sequences"]),
        len(dst_db["sequences"]),
        src_db["sequences"] == dst_db["sequences"],
    )
    add(
        "columns (name, type, null, default)",
        len(src_db["columns"]),
        len(dst_db["columns"]),
        src_db["columns"] == dst_db["columns"],
    )
    add(
        "indexes and constraints",
        len(src_db["schema"]),
        len(dst_db["schema"]),
        src_db["schema"] == dst_db["schema"],
    )
    for kind in ("media", "private"):
        left, right = source[kind], restored[kind]
        size = sum(1 for _ in left)
        add(f"{kind} files (sha256 of each)", size, len(right), left == right)
        for name in sorted(left.keys() | right.keys()):
            if left.get(name) != right.get(name):
                add(
                    f"  {name}",
                    left.get(name, "missing")[:12],
                    right.get(name, "missing")[:12],
                    False,
                )

    add(
        "HTTP: same requests",
        len(source["http"]["plan"]),
        len(restored["http"]["plan"]),
        source["http"]["plan"] == restored["http"]["plan"],
    )
    for left, right in zip(source["http"]["results"], restored["http"]["results"], strict=False):
        what = f"  {left['who'].split(' ')[0]:<6} GET {left['url']}"
        sizes = f"{left['status']} {left['bytes']} B", f"{right['status']} {right['bytes']} B"
        if left["status"] != 200:
            add(what, *sizes, False)
        elif left == right:
            add(what, *sizes, True)
        elif {**left, "sha256": ""} == {**right, "sha256": ""}:
            # Same lines, another order: a list the page does not sort (see the docs).
            rows.append((what, *sizes, "match (order)"))
        else:
            add(what, *sizes, False)
    return rows, differences


def print_table(rows: list) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    header = ("what", "source", "restored", "verdict")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def summary(info: dict, restored: dict) -> str:
    """One paragraph: what the backup holds and where the time of each part went."""
    parts = [
        f"backup {info['name']}: {DUMP_NAME} {info['database_bytes'] / 1e6:.1f} MB"
        f" (pg_dump {info['database_seconds']:.1f} s, {info.get('migrations')} migrations)"
    ]
    for key, archive in (("default_media", "media.tar"), ("private_media", "private-media.tar")):
        media = info[key]
        if isinstance(media, dict):
            parts.append(
                f"{archive} {media['files']} files {media['bytes'] / 1e6:.1f} MB"
                f" ({media['seconds']:.1f} s)"
            )
        else:
            parts.append(f"{archive}: {media}")
    files = sum(v["seconds"] for k, v in restored.items() if k.endswith(".tar"))
    parts.append(
        f"restore: pg_restore + ANALYZE {restored['database_seconds']:.1f} s, files {files:.1f} s"
    )
    return "; ".join(parts)


def tamper(restored_url: str, private: Path) -> None:
    psql(
        restored_url,
        "UPDATE feed_post SET text = text || '.' WHERE id = (SELECT min(id) FROM feed_post)",
    )
    # The first feed attachment: the one the member downloads.
    victim = (
        private / psql(restored_url, "SELECT file FROM feed_attachment ORDER BY id LIMIT 1").strip()
    )
    with open(victim, "ab") as handle:
        handle.write(b"\0")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("probe", help="(internal) fetch the pages from this process' database")
    parser.add_argument("--source-url", default=SERVER + "cms_backup_src")
    parser.add_argument("--restored-url", default=SERVER + "cms_backup_restored")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/11",
        help="the source's Redis while it is seeded",
    )
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "cms-backup-check"
    )
    parser.add_argument(
        "--reuse-source",
        action="store_true",
        help="keep the source database and media when it holds data",
    )
    parser.add_argument("--scale", default="", help="seed_demo --scale (e.g. large)")
    parser.add_argument("--tamper", action="store_true", help="damage the restore: must fail")
    args = parser.parse_args()
    if args.command == "probe":
        probe_main()
        return 0

    work = args.work
    src_media, src_private = work / "src" / "media", work / "src" / "private-media"
    dst_media, dst_private = work / "restored" / "media", work / "restored" / "private-media"
    source_env = site_env(args.source_url, src_media, src_private, redis=args.redis_url)
    timings = []

    def timed(label, function):
        started = time.monotonic()
        value = function()
        timings.append((label, time.monotonic() - started))
        print(f"[{label}: {timings[-1][1]:.1f} s]", flush=True)
        return value

    if not (args.reuse_source and has_data(args.source_url)):

        def seed():
            recreate_database(args.source_url)
            shutil.rmtree(work / "src", ignore_errors=True)
            # --skip-checks: the system checks are not what this proves, and a check failing
            # on a half-edited working tree should not stop a restore test.
            run(
                [PYTHON, "manage.py", "migrate", "--noinput", "--skip-checks"],
                env=source_env,
                what="migrate",
            )
            scale = ["--scale", args.scale, "--force"] if args.scale else []
            run(
                [PYTHON, "manage.py", "seed_demo", "--skip-checks", *scale],
                env=source_env,
                what="seed_demo",
            )

        timed(
            "source: migrate + seed_demo" + (f" --scale {args.scale}" if args.scale else ""), seed
        )

    backups = work / "backups"
    shutil.rmtree(backups, ignore_errors=True)
    info = timed(
        "backup (backup.py run)",
        lambda: json.loads(
            run(
                [PYTHON, BACKUP, "run", "--dest", backups], env=source_env, what="backup"
            ).splitlines()[-1]
        ),
    )
    folder = Path(info["path"])

    def restore():
        recreate_database(args.restored_url)
        shutil.rmtree(work / "restored", ignore_errors=True)
        return run(
            [
                PYTHON,
                BACKUP,
                "restore",
                folder,
                "--database-url",
                args.restored_url,
                "--media-root",
                dst_media,
                "--private-media-root",
                dst_private,
            ],
            what="restore",
        )

    restored = json.loads(timed("restore (backup.py restore)", restore).splitlines()[-1])
    if args.tamper:
        tamper(args.restored_url, dst_private)

    def fingerprints():
        out = {}
        for name, url, media, private in (
            ("source", args.source_url, src_media, src_private),
            ("restored", args.restored_url, dst_media, dst_private),
        ):
            out[name] = {
                "db": database_fingerprint(url),
                "media": files_fingerprint(media),
                "private": files_fingerprint(private),
            }
        return out

    # The databases first: the HTTP probes sign in (a session row, last_login).
    prints = timed("compare: tables and files", fingerprints)

    def http():
        # Both at once, so both run the same code even while the working tree is being edited;
        # each makes its own list of requests (from identical data: compared as a check).
        probes = [
            subprocess.Popen(
                [PYTHON, __file__, "probe"],
                cwd=ROOT,
                env=site_env(url, media, private, redis=None),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for url, media, private in (
                (args.source_url, src_media, src_private),
                (args.restored_url, dst_media, dst_private),
            )
        ]
        outputs = []
        for process in probes:
            stdout, stderr = process.communicate()
            if process.returncode != 0:
                raise SystemExit(f"HTTP probe failed ({process.returncode}):\n{stderr[-3000:]}")
            outputs.append(json.loads(stdout.splitlines()[-1]))
        return outputs

    prints["source"]["http"], prints["restored"]["http"] = timed("compare: HTTP", http)

    print(f"\n{summary(info, restored)}\n")
    signed_in = dict.fromkeys(who for _, who, _ in prints["source"]["http"]["plan"])
    print("requests made as: " + ", ".join(signed_in) + "\n")
    rows, differences = compare(prints["source"], prints["restored"])
    print_table(rows)
    print("\ntimings: " + ", ".join(f"{label} {seconds:.1f} s" for label, seconds in timings))
    print(f"\n{'ALL MATCH' if not differences else f'{differences} DIFFERENCES'}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
