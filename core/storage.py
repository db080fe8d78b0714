"""Members' files on the file system, leaving nothing behind when the disk is full.

Django's ``FileSystemStorage._save`` creates the file and writes it chunk by chunk; when a
write fails (``ENOSPC``: the disk is full, ``EDQUOT``: the quota is used up, ``EFBIG``) it
closes the file and raises, leaving a partial file that no row names. The caller
(``core.uploads.atomic_with_files``) deletes only the files that were saved, so that one
would stay for ever. :class:`PrivateFileSystemStorage` removes it (and the empty random
folder made for it) before the error goes on; ``atomic_with_files`` turns the error into a
form error. ``scripts/faults/disk_full.py`` fills a small file system under it.
"""

from __future__ import annotations

import contextlib
import errno
import os

from django.core.files.storage import FileSystemStorage

# The write errors that mean "no room", not a bug: the upload is refused with a message.
NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def is_no_space(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in NO_SPACE


class PrivateFileSystemStorage(FileSystemStorage):
    """``FileSystemStorage`` whose failed save removes its partial file."""

    def _save(self, name, content):
        full_path = self.path(name)
        existed = os.path.exists(full_path)
        try:
            return super()._save(name, content)
        except OSError as error:
            # Only our own partial file: the name is a fresh random folder
            # (core.uploads.storage_name), and a file that was there before is never touched.
            if is_no_space(error) and not existed:
                with contextlib.suppress(OSError):
                    os.remove(full_path)
                self._remove_empty_folders(os.path.dirname(full_path))
            raise

    def _remove_empty_folders(self, folder: str) -> None:
        """The folders made for the file (``feed/<post>/<random>/``), up to the root."""
        root = os.path.abspath(self.location)
        folder = os.path.abspath(folder)
        while folder.startswith(root + os.sep):
            try:
                os.rmdir(folder)
            except OSError:  # not empty: someone else's files live there
                return
            folder = os.path.dirname(folder)
