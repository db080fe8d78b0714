#!/usr/bin/env python
"""Fault: the disk under members' private files is full.

Mounts a ``--size`` KB tmpfs at the stack's PRIVATE_MEDIA_ROOT (root is needed: ``mount -t
tmpfs``; unmounted at the end), fills it until ``--room`` KB are left, and as a member posts
to a group's feed: a small document (fits: must be published) and a document bigger than
what is left (must be refused with a clear message on the composer, not a 500). Checks that
the refused one leaves no post, no attachment row and no partial file, and that the small
one is stored whole::

    sudo .venv/bin/python scripts/faults/disk_full.py [--size 1024] [--room 128]
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True

# What the composer shows (English msgid, or its Russian translation once merged).
MESSAGES = ("there is no room for it on the server", "на сервере для него нет места")


def parse_args(argv=None):
    parser = common.base_parser(__doc__, port=8700, redis_db=9)
    parser.add_argument("--size", type=int, default=1024, help="KB of the tmpfs")
    parser.add_argument("--room", type=int, default=128, help="KB left free before the upload")
    return parser.parse_args(argv)


def refused_clearly(status: int, body: str) -> bool:
    """The composer again (200) with the storage-full message (pure: tested)."""
    return status == 200 and any(message in body for message in MESSAGES)


@contextlib.contextmanager
def tiny_filesystem(path: Path, size_kb: int):
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)], check=True
    )
    try:
        # nginx's workers (nobody) read it, the app writes it.
        os.chmod(path, 0o777)  # noqa: S103 - a throwaway tmpfs of this script
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(path: Path, leave_kb: int) -> int:
    """Write a filler file until ``leave_kb`` KB are free; the free KB."""
    stat = os.statvfs(path)
    free = stat.f_bavail * stat.f_frsize
    filler = max(0, free - leave_kb * 1024)
    with open(path / "filler.bin", "wb") as handle:
        handle.write(b"\0" * filler)
    stat = os.statvfs(path)
    return stat.f_bavail * stat.f_frsize // 1024


def files_under(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*") if p.is_file()}


def main(argv=None) -> int:
    import requests

    args = parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit("mounting a tmpfs needs root")
    outcome = common.Outcome()
    token = secrets.token_hex(4)
    media_dir = args.work_dir / "disk_full" / "media"
    private = media_dir / "private"
    with (
        tiny_filesystem(private, args.size),
        common.Stack(args, "disk_full", media_dir=media_dir) as stack,
    ):
        stack.django_setup()
        from extranet.feed.models import Attachment, Post

        member = next(m for m in stack.plan["members"] if m["groups"])
        session = requests.Session()
        session.cookies.set(
            stack.cookie_name(), stack.sessions_for([member["user_id"]])[member["user_id"]]
        )
        url = f"{stack.base_url}/cabinet/groups/{member['groups'][0]}/posts/new/"
        session.get(url, timeout=30)
        free_kb = fill(private, args.room)
        common.log(f"{private}: {free_kb} KB free")

        def post(name: str, size: int):
            return session.post(
                url,
                data={
                    "text": f"Диск полон {token} {name}",
                    "kind": "document",
                    "csrfmiddlewaretoken": session.cookies.get("csrftoken"),
                },
                files={"files": (f"{token}-{name}.txt", ("Отчёт\n" * (size // 11 + 1)).encode())},
                allow_redirects=False,
                timeout=60,
            )

        small = post("small", 8 * 1024)
        outcome.check(
            "a small document that fits is published",
            small.status_code == 302,
            str(small.status_code),
        )
        before = files_under(private)
        big = post("big", (free_kb + 256) * 1024)
        body = big.text
        outcome.check(
            "the document bigger than the room left is refused with a clear message",
            refused_clearly(big.status_code, body),
            f"→ {big.status_code}" + ("" if big.status_code != 500 else " (server error)"),
        )
        after = files_under(private)
        big_posts = Post.objects.filter(text__contains=f"{token} big").count()
        big_attachments = Attachment.objects.filter(name__contains=f"{token}-big").count()
        small_posts = Post.objects.filter(text__contains=f"{token} small").count()
        small_files = [f for f in after if f"{token}-small" in f]
        outcome.check(
            "no post, no attachment row and no partial file remain of the refused upload",
            big_posts == 0 and big_attachments == 0 and after == before,
            f"posts {big_posts}, attachments {big_attachments}, new files {sorted(after - before)}",
        )
        outcome.rows.append(
            common.Row(
                name="feed uploads",
                sent=2,
                stored=small_posts + big_posts,
                delivered=int(small.status_code == 302) + int(big.status_code == 302),
                lost=int(small.status_code == 302 and (small_posts != 1 or len(small_files) != 1)),
                duplicated=max(0, small_posts - 1) + max(0, len(small_files) - 1),
                note="the big one refused by design; delivered = published (302)",
            )
        )
    return common.finish(f"private media on a full disk ({args.size} KB tmpfs)", outcome)


if __name__ == "__main__":
    sys.exit(main())
