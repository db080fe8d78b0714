#!/usr/bin/env python
"""Backups of the site's durable data: the PostgreSQL database and the media folders.

    backup.py run --dest /var/backups/cms [--keep-daily 7 --keep-weekly 4 --keep-monthly 12]
    backup.py verify /var/backups/cms/cms-20261204T021500Z
    backup.py restore /var/backups/cms/cms-20261204T021500Z --database-url postgres://… \
        --media-root /var/lib/cms/media.restored --private-media-root /var/lib/cms/private.restored

``run`` reads the database and the folders from the Django settings
(``DJANGO_SETTINGS_MODULE``, e.g. cms.settings.production with /etc/cms/cms.env, as
deploy/systemd/cms-backup.service runs it), so a backup always covers what the site uses. One
backup is a folder ``cms-<UTC time>`` holding:

- ``database.dump``: ``pg_dump --format=custom`` (compressed, restorable table by table);
- ``media.tar`` and ``private-media.tar``: MEDIA_ROOT and PRIVATE_MEDIA_ROOT, when
  MEDIA_STORAGE is the file system (with S3 the buckets' versioning/replication is the backup);
- ``backup.json``: what was taken, sizes, timings, the migrations applied;
- ``SHA256SUMS``: a checksum of each file above (``sha256sum -c SHA256SUMS`` checks it too).

The folder is written as ``.partial-…`` and renamed only when everything is in it, so a failed
or interrupted run never looks like a backup and is never counted by the retention, which then
keeps the newest backup of each of the last N days, weeks and months and deletes the rest.

Exit codes (for the timer's OnFailure= or cron's mail): 0 done; 1 the backup failed (nothing
kept of it) or ``verify``/``restore`` found a damaged backup; 2 bad arguments or configuration;
3 the backup was made but pruning old ones failed; 4 another backup is running.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "cms-"
PARTIAL = ".partial-"
STAMP = "%Y%m%dT%H%M%SZ"
DUMP = "database.dump"
MEDIA_TAR = "media.tar"
PRIVATE_TAR = "private-media.tar"
INFO = "backup.json"
SUMS = "SHA256SUMS"

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PRUNE, EXIT_LOCKED = 0, 1, 2, 3, 4


class BackupError(Exception):
    """A step failed; the message says which and why."""


class UsageError(Exception):
    """The arguments or the configuration cannot work."""


# --- PostgreSQL connection -------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    sslmode: str = ""

    @classmethod
    def from_url(cls, url: str) -> Database:
        parts = urlsplit(url)
        if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
            raise UsageError(f"not a PostgreSQL URL: {parts.scheme}://…")
        query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
        return cls(
            name=unquote(parts.path.lstrip("/")),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            host=parts.hostname or "",
            port=str(parts.port or ""),
            sslmode=query.get("sslmode", ""),
        )

    @classmethod
    def from_settings(cls, database: dict) -> Database:
        if database["ENGINE"] != "django.db.backends.postgresql":
            raise UsageError(f"the database is {database['ENGINE']}, not PostgreSQL")
        return cls(
            name=database["NAME"],
            user=database.get("USER") or "",
            password=database.get("PASSWORD") or "",
            host=database.get("HOST") or "",
            port=str(database.get("PORT") or ""),
            sslmode=(database.get("OPTIONS") or {}).get("sslmode", ""),
        )

    def args(self, *, dbname: str | None = None) -> list[str]:
        """libpq options for pg_dump/pg_restore/psql; the password goes in the environment."""
        args = []
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return [*args, "--dbname", dbname or self.name]

    def env(self) -> dict[str, str]:
        env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
        if self.password:
            env["PGPASSWORD"] = self.password
        if self.sslmode:
            env["PGSSLMODE"] = self.sslmode
        return env

    def psql(self, sql: str, *, dbname: str | None = None) -> str:
        return _run(
            [
                "psql",
                "--no-psqlrc",
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
                *self.args(dbname=dbname),
            ],
            env=self.env(),
            what="psql",
        )


def _run(argv: list[str], *, env: dict[str, str] | None = None, what: str) -> str:
    try:
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(f"{what}: {argv[0]} is not installed") from error
    if result.returncode != 0:
        raise BackupError(f"{what} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
    return result.stdout


# --- files -------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def write_sums(folder: Path, names: list[str]) -> None:
    lines = [f"{sha256_file(folder / name)}  {name}\n" for name in names]
    (folder / SUMS).write_text("".join(lines), encoding="utf-8")


def verify(folder: Path) -> list[str]:
    """The problems of a backup folder (empty when every file matches SHA256SUMS)."""
    sums = folder / SUMS
    if not sums.is_file():
        return [f"{sums} is missing"]
    problems = []
    listed = set()
    for line in sums.read_text(encoding="utf-8").splitlines():
        expected, _, name = line.partition("  ")
        listed.add(name)
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != expected:
            problems.append(f"{name}: checksum differs")
    if DUMP not in listed or INFO not in listed:
        problems.append(f"{SUMS} does not list {DUMP} and {INFO}")
    return problems


def tar_folder(source: Path, target: Path) -> int:
    """``source``'s contents as an uncompressed tar (members' files are mostly compressed
    formats already); returns the number of files. A missing folder is an empty archive."""
    count = 0
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(source)), recursive=False)
                    count += 1
    return count


def untar_into(archive_path: Path, target: Path) -> int:
    with tarfile.open(archive_path, "r") as archive:
        members = archive.getmembers()
        # filter="data" refuses absolute paths, "..", links out of the folder and device files.
        archive.extractall(target, filter="data")
    return sum(1 for member in members if member.isfile())


def _empty_or_missing(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


# --- retention ---------------------------------------------------------------------------------


def backup_time(name: str) -> dt.datetime | None:
    if not name.startswith(PREFIX):
        return None
    try:
        return dt.datetime.strptime(name.removeprefix(PREFIX), STAMP).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def to_keep(names: list[str], *, daily: int, weekly: int, monthly: int) -> set[str]:
    """The backups a grandfather-father-son rotation keeps: the newest of each of the last
    ``daily`` days, ``weekly`` ISO weeks and ``monthly`` months that have a backup, and always
    the newest one. Names that are not backups are never returned (nor deleted)."""
    dated = sorted(((when, name) for name in names if (when := backup_time(name))), reverse=True)
    keep = {dated[0][1]} if dated else set()
    for count, period in (
        (daily, lambda t: t.date()),
        (weekly, lambda t: t.isocalendar()[:2]),
        (monthly, lambda t: (t.year, t.month)),
    ):
        seen = []
        for when, name in dated:
            key = period(when)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.append(key)
            keep.add(name)
    return keep


def prune(dest: Path, *, daily: int, weekly: int, monthly: int) -> list[str]:
    names = [p.name for p in dest.iterdir() if p.is_dir() and backup_time(p.name)]
    keep = to_keep(names, daily=daily, weekly=weekly, monthly=monthly)
    removed = sorted(set(names) - keep)
    for name in removed:
        shutil.rmtree(dest / name)
    # A .partial- folder older than a day is a run that died without cleaning up.
    for partial in dest.glob(PARTIAL + "*"):
        if time.time() - partial.stat().st_mtime > 86400:
            shutil.rmtree(partial, ignore_errors=True)
    return removed


# --- run ---------------------------------------------------------------------------------------


def _settings():
    """The site's own configuration, so the backup covers the database and folders it uses."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    from django.conf import settings

    try:
        settings.DATABASES  # noqa: B018 (imports the settings module)
    except Exception as error:  # ImproperlyConfigured and whatever the settings raise
        raise UsageError(f"cannot read the settings: {error}") from error
    return settings


def _on_file_system(backend: str) -> bool:
    """A storage class that keeps files in a local folder (FileSystemStorage or a subclass of
    it, like core.storage.PrivateFileSystemStorage); object storage is not."""
    from django.core.files.storage import FileSystemStorage
    from django.utils.module_loading import import_string

    try:
        return issubclass(import_string(backend), FileSystemStorage)
    except ImportError as error:
        raise UsageError(f"cannot import the storage {backend}: {error}") from error


def backup_run(*, dest: Path, daily: int, weekly: int, monthly: int, media: bool) -> dict:
    settings = _settings()
    database = Database.from_settings(settings.DATABASES["default"])
    dest.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    name = PREFIX + started.strftime(STAMP)
    if (dest / name).exists():
        raise BackupError(f"{dest / name} already exists (two runs in one second?)")
    work = dest / (PARTIAL + name)
    work.mkdir()
    info: dict = {"name": name, "started": started.isoformat(), "database": database.name}
    try:
        # The database first, then the files: every file a dumped row names was written
        # before the dump began, so it is in the tar (an upload in between leaves at most an
        # unreferenced file, never a row without its file).
        clock = time.monotonic()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--compress=6",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(work / DUMP),
                *database.args(),
            ],
            env=database.env(),
            what="pg_dump",
        )
        info["database_seconds"] = round(time.monotonic() - clock, 2)
        info["database_bytes"] = (work / DUMP).stat().st_size
        if database.psql("SELECT to_regclass('django_migrations') IS NOT NULL").strip() == "t":
            info["migrations"] = int(database.psql("SELECT count(*) FROM django_migrations"))

        files = []
        storages = {key: settings.STORAGES[key]["BACKEND"] for key in ("default", "private")}
        info["storages"] = storages
        for key, root, archive in (
            ("default", settings.MEDIA_ROOT, MEDIA_TAR),
            ("private", settings.PRIVATE_MEDIA_ROOT, PRIVATE_TAR),
        ):
            if not media:
                info[f"{key}_media"] = "skipped (--no-media)"
            elif not _on_file_system(storages[key]):
                info[f"{key}_media"] = "object storage: use the bucket's versioning/replication"
            else:
                clock = time.monotonic()
                count = tar_folder(Path(root), work / archive)
                info[f"{key}_media"] = {
                    "root": str(root),
                    "files": count,
                    "bytes": (work / archive).stat().st_size,
                    "seconds": round(time.monotonic() - clock, 2),
                }
                files.append(archive)
        info["finished"] = dt.datetime.now(dt.UTC).isoformat()
        (work / INFO).write_text(json.dumps(info, indent=2, ensure_ascii=False), encoding="utf-8")
        write_sums(work, [DUMP, *files, INFO])
        work.rename(dest / name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    info["path"] = str(dest / name)
    try:
        info["pruned"] = prune(dest, daily=daily, weekly=weekly, monthly=monthly)
    except OSError as error:
        info["prune_error"] = str(error)
    return info


# --- restore -----------------------------------------------------------------------------------


def backup_restore(
    *,
    folder: Path,
    database: Database,
    media_root: Path | None,
    private_media_root: Path | None,
    jobs: int = 2,
) -> dict:
    """Restores a verified backup into an empty database and empty (or new) folders; refuses
    anything that holds data rather than mixing the backup into it."""
    if problems := verify(folder):
        raise BackupError("the backup is damaged: " + "; ".join(problems))
    tables = database.psql(
        "SELECT count(*) FROM pg_tables"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
    ).strip()
    if tables != "0":
        raise UsageError(
            f"database {database.name} is not empty ({tables} tables): create a new one"
        )
    targets = {MEDIA_TAR: media_root, PRIVATE_TAR: private_media_root}
    for archive, target in targets.items():
        if (folder / archive).exists() and target is None:
            raise UsageError(f"the backup holds {archive}: say where it goes")
        if target is not None and not _empty_or_missing(target):
            raise UsageError(f"{target} is not empty: give a new folder")

    result: dict = {}
    clock = time.monotonic()
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--jobs={jobs}",
            *database.args(),
            str(folder / DUMP),
        ],
        env=database.env(),
        what="pg_restore",
    )
    # pg_restore copies no planner statistics: without ANALYZE the first queries on the
    # restored site plan blind (slow, and unordered lists come back in another order).
    database.psql("ANALYZE")
    result["database_seconds"] = round(time.monotonic() - clock, 2)
    for archive, target in targets.items():
        if (folder / archive).exists():
            clock = time.monotonic()
            target.mkdir(parents=True, exist_ok=True)
            result[archive] = {
                "files": untar_into(folder / archive, target),
                "seconds": round(time.monotonic() - clock, 2),
            }
    return result


# --- command line ------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="make a backup, then prune old ones")
    run.add_argument("--dest", type=Path, required=True, help="folder holding the backups")
    run.add_argument("--keep-daily", type=int, default=7)
    run.add_argument("--keep-weekly", type=int, default=4)
    run.add_argument("--keep-monthly", type=int, default=12)
    run.add_argument("--no-media", action="store_true", help="the database only")

    check = sub.add_parser("verify", help="check a backup's files against SHA256SUMS")
    check.add_argument("folder", type=Path)

    restore = sub.add_parser("restore", help="restore into an empty database and new folders")
    restore.add_argument("folder", type=Path)
    restore.add_argument("--database-url", required=True, help="an existing, empty database")
    restore.add_argument("--media-root", type=Path)
    restore.add_argument("--private-media-root", type=Path)
    restore.add_argument("--jobs", type=int, default=2, help="pg_restore's parallel jobs")
    return parser


def _lock(dest: Path):
    dest.mkdir(parents=True, exist_ok=True)
    handle = open(dest / ".lock", "w")  # noqa: SIM115 (held until the process exits)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return None
    return handle


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            if min(args.keep_daily, args.keep_weekly, args.keep_monthly) < 0:
                raise UsageError("--keep-* must be 0 or more")
            lock = _lock(args.dest)
            if lock is None:
                print(f"backup: another backup is running in {args.dest}", file=sys.stderr)
                return EXIT_LOCKED
            info = backup_run(
                dest=args.dest,
                daily=args.keep_daily,
                weekly=args.keep_weekly,
                monthly=args.keep_monthly,
                media=not args.no_media,
            )
            print(json.dumps(info, ensure_ascii=False))
            if "prune_error" in info:
                print(f"backup: pruning failed: {info['prune_error']}", file=sys.stderr)
                return EXIT_PRUNE
        elif args.command == "verify":
            if problems := verify(args.folder):
                print("\n".join(problems), file=sys.stderr)
                return EXIT_FAILED
            print(f"{args.folder}: every file matches {SUMS}")
        else:
            result = backup_restore(
                folder=args.folder,
                database=Database.from_url(args.database_url),
                media_root=args.media_root,
                private_media_root=args.private_media_root,
                jobs=args.jobs,
            )
            print(json.dumps(result))
    except UsageError as error:
        print(f"backup: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (BackupError, OSError, tarfile.TarError) as error:
        print(f"backup: {error}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
