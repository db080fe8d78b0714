"""The backup routine (scripts/backup.py) and the restore check's comparison
(scripts/restore_check.py) on a tiny throwaway PostgreSQL database: what a backup holds comes
back identical, a damaged backup or a non-empty target is refused without touching anything, a
failed run leaves nothing that looks like a backup, and the retention keeps what it promises.
The full restore of the demo site is `scripts/restore_check.py` (docs/reliability.md)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPTS = ROOT / "scripts"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"script_{name}", SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


backup = _load("backup")
restore_check = _load("restore_check")

_MISSING = [tool for tool in ("pg_dump", "pg_restore", "psql") if not shutil.which(tool)]
_URL = os.environ.get("DATABASE_URL", "")
SERVER = (
    _URL.rsplit("/", 1)[0] if _URL.startswith("postgres") else "postgres://postgres@127.0.0.1:5432"
)


def _server_answers() -> bool:
    if _MISSING:
        return False
    result = subprocess.run(
        ["psql", "-X", "-A", "-t", "-c", "SELECT 1", f"{SERVER}/postgres"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PGCONNECT_TIMEOUT": "3"},
    )
    return result.returncode == 0


needs_postgres = pytest.mark.skipif(
    bool(_MISSING) or not _server_answers(),
    reason=f"needs PostgreSQL's client tools ({', '.join(_MISSING) or 'present'}) and a server "
    f"at {SERVER}",
)

SCHEMA = """
CREATE TABLE person (
    id bigserial PRIMARY KEY,
    name varchar(100) NOT NULL,
    status varchar(20) NOT NULL,
    note text
);
-- The shape PostgreSQL re-deparses differently after a restore (see restore_check.CASTS).
CREATE UNIQUE INDEX one_live ON person (name) WHERE status IN ('pending', 'approved');
CREATE TABLE visit (day date NOT NULL, person_id bigint REFERENCES person (id), views int);
INSERT INTO person (name, status, note) VALUES
    ('Анна', 'approved', E'строка\\nс переводом и\\tтабуляцией'),
    ('Борис', 'pending', NULL),
    ('Вера', 'rejected', '😀 «кавычки» \\ обратная черта');
INSERT INTO visit VALUES ('2026-12-01', 1, 3), ('2026-12-01', 2, 1), ('2026-12-02', 1, 7);
"""


def _psql(dbname: str, sql: str) -> str:
    return subprocess.run(
        ["psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql, f"{SERVER}/{dbname}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.fixture
def databases():
    """A source database with a little data and an empty target, dropped afterwards."""
    tag = uuid.uuid4().hex[:10]
    source, target = f"cms_backup_t_{tag}_src", f"cms_backup_t_{tag}_dst"
    for name in (source, target):
        _psql("postgres", f'CREATE DATABASE "{name}"')
    _psql(source, SCHEMA)
    yield source, target
    for name in (source, target):
        _psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _media(root: Path) -> tuple[Path, Path]:
    media, private = root / "media", root / "private-media"
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "logo.png").write_bytes(b"\x89PNG" + bytes(range(256)))
    (private / "feed" / "7" / "ab12").mkdir(parents=True)
    (private / "feed" / "7" / "ab12" / "отчёт.pdf").write_bytes(b"%PDF-1.4 " + os.urandom(3000))
    (private / "photos" / "3").mkdir(parents=True)
    (private / "photos" / "3" / "p.jpg").write_bytes(os.urandom(500))
    return media, private


def _cli(*args, database: str = "", media: Path | None = None, private: Path | None = None):
    env = {
        **os.environ,
        "CMS_READ_DOTENV": "0",
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "MEDIA_STORAGE": "filesystem",
    }
    if database:
        env["DATABASE_URL"] = f"{SERVER}/{database}"
    if media:
        env["MEDIA_ROOT"], env["PRIVATE_MEDIA_ROOT"] = str(media), str(private)
    return subprocess.run(
        [sys.executable, str(SCRIPTS / "backup.py"), *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _backups(dest: Path) -> list[Path]:
    return sorted(p for p in dest.iterdir() if p.name.startswith(backup.PREFIX))


@needs_postgres
def test_backup_then_restore_gives_back_the_same_rows_schema_and_files(databases, tmp_path):
    """`backup.py run` then `backup.py restore` into an empty database and new folders: every
    table's rows (checksummed in key order), the sequences, the columns, indexes and
    constraints and every file's SHA-256 are the same; the comparison sees a changed row and a
    changed file; restoring again over the restored data is refused (exit 2) and changes
    nothing."""
    source, target = databases
    media, private = _media(tmp_path / "src")
    dest = tmp_path / "backups"

    made = _cli("run", "--dest", dest, database=source, media=media, private=private)
    assert made.returncode == 0, made.stderr
    (folder,) = _backups(dest)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [backup.DUMP, backup.MEDIA_TAR, backup.PRIVATE_TAR, backup.INFO, backup.SUMS]
    )
    assert _cli("verify", folder).returncode == 0

    restored_media, restored_private = tmp_path / "dst" / "media", tmp_path / "dst" / "private"
    args = ["restore", folder, "--database-url", f"{SERVER}/{target}"]
    args += ["--media-root", restored_media, "--private-media-root", restored_private]
    done = _cli(*args)
    assert done.returncode == 0, done.stderr

    before = restore_check.database_fingerprint(f"{SERVER}/{source}")
    after = restore_check.database_fingerprint(f"{SERVER}/{target}")
    assert before["tables"]["person"]["rows"] == 3
    assert after == before
    assert restore_check.files_fingerprint(restored_private) == restore_check.files_fingerprint(
        private
    )
    assert restore_check.files_fingerprint(restored_media) == restore_check.files_fingerprint(media)

    again = _cli(*args)
    assert again.returncode == backup.EXIT_USAGE
    assert "not empty" in again.stderr
    assert restore_check.database_fingerprint(f"{SERVER}/{target}") == before

    _psql(target, "UPDATE person SET note = 'changed' WHERE id = 2")
    changed = restore_check.database_fingerprint(f"{SERVER}/{target}")
    assert changed["tables"]["person"] != before["tables"]["person"]
    assert changed["tables"]["visit"] == before["tables"]["visit"]
    victim = next(p for p in restored_private.rglob("*") if p.is_file())
    victim.write_bytes(victim.read_bytes() + b"\0")
    assert restore_check.files_fingerprint(restored_private) != restore_check.files_fingerprint(
        private
    )


@needs_postgres
def test_damaged_backup_is_refused_and_the_target_stays_empty(databases, tmp_path):
    """One byte changed in database.dump: `verify` and `restore` exit 1 naming the file, and
    the target database gets no table."""
    source, target = databases
    dest = tmp_path / "backups"
    assert _cli("run", "--dest", dest, "--no-media", database=source).returncode == 0
    (folder,) = _backups(dest)
    dump = folder / backup.DUMP
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))

    checked = _cli("verify", folder)
    assert checked.returncode == backup.EXIT_FAILED
    assert f"{backup.DUMP}: checksum differs" in checked.stderr
    refused = _cli("restore", folder, "--database-url", f"{SERVER}/{target}")
    assert refused.returncode == backup.EXIT_FAILED
    assert _psql(target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "0"


@needs_postgres
def test_failed_backup_leaves_nothing_that_looks_like_one(tmp_path):
    """pg_dump failing (no such database) exits 1 with pg_dump's message, and the backup folder
    holds neither a backup nor a partial one."""
    dest = tmp_path / "backups"
    failed = _cli("run", "--dest", dest, "--no-media", database=f"cms_no_such_{uuid.uuid4().hex}")
    assert failed.returncode == backup.EXIT_FAILED
    assert "pg_dump failed" in failed.stderr
    assert [p.name for p in dest.iterdir() if p.name != ".lock"] == []


def _name(when: dt.datetime) -> str:
    return backup.PREFIX + when.strftime(backup.STAMP)


def test_retention_keeps_the_newest_of_each_day_week_and_month(tmp_path):
    """Two backups a day for 400 days, 7 daily / 4 weekly / 12 monthly: kept are the newest of
    each of the last 7 days, the newest of the last 4 ISO weeks and of the last 12 months, and
    nothing else; folders that are not backups are left alone by prune()."""
    start = dt.datetime(2025, 11, 1, 2, 15, tzinfo=dt.UTC)
    times = [start + dt.timedelta(days=d, hours=h) for d in range(400) for h in (0, 12)]
    names = [_name(t) for t in times]
    keep = backup.to_keep(names, daily=7, weekly=4, monthly=12)

    newest = max(times)
    days = {(newest - dt.timedelta(days=d)).date() for d in range(7)}
    expected = {_name(max(t for t in times if t.date() == day)) for day in days}
    weeks = sorted({t.isocalendar()[:2] for t in times})[-4:]
    expected |= {_name(max(t for t in times if t.isocalendar()[:2] == w)) for w in weeks}
    months = sorted({(t.year, t.month) for t in times})[-12:]
    expected |= {_name(max(t for t in times if (t.year, t.month) == m)) for m in months}
    assert keep == expected
    assert 12 < len(keep) <= 7 + 4 + 12

    for name in names[-30:]:
        (tmp_path / name).mkdir()
    (tmp_path / "keep-me").mkdir()
    removed = backup.prune(tmp_path, daily=2, weekly=0, monthly=0)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([*names[-1:-4:-2], "keep-me"])
    assert len(removed) == 28
