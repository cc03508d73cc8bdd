"""The folder of rendered PDFs kept between builds, trusted only as far as it checks out.

The manifest (`manifest.json`) maps each PDF's name to two hashes: of the print HTML it was
rendered from, and of the PDF file itself. A PDF is reused only when its HTML is unchanged
and the file is still the one that was written: a regular file (not a symlink) inside the
cache folder, whose bytes hash to the recorded value. Manifest names are checked before any
use, so an edited manifest cannot make the prune step delete files outside the cache. Files
left by a killed render (`*.partial`) are removed when the cache is opened (under the lock).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import RunError

MANIFEST = "manifest.json"
# A cache name: relative, forward slashes, each part starting with a letter or digit (so no
# `..`, no hidden files, no absolute paths), ending in .pdf.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*\.pdf")


@dataclass(frozen=True)
class CacheEntry:
    html: str  # hash of the print HTML (and format) the PDF was rendered from
    pdf: str  # hash of the PDF file's bytes


class PdfCache:
    """One cache folder: which PDFs in it can be reused, and recording the ones rendered now."""

    def __init__(self, folder: Path):
        self.folder = folder
        remove_partials(folder)
        self.entries = _read_manifest(folder)

    def reusable(self, name: str, html_digest: str) -> bool:
        entry = self.entries.get(name)
        if entry is None or entry.html != html_digest:
            return False
        path = self.path(name)
        return path is not None and _file_digest(path) == entry.pdf

    def path(self, name: str) -> Path | None:
        """The cached file of `name` if it is a regular file inside the folder, else None."""
        if not valid_name(name):
            return None
        path = self.folder / name
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return None
        except OSError:
            return None
        return path if _inside(path.parent, self.folder) else None

    def record(self, name: str, html_digest: str) -> None:
        path = self.path(name)
        if path is None:
            raise ValueError(f"rendered PDF {name} is not a regular file in {self.folder}")
        self.entries[name] = CacheEntry(html_digest, _file_digest(path) or "")

    def names(self) -> list[str]:
        return list(self.entries)

    def remove(self, names: Iterable[str]) -> None:
        """Forget `names` and delete their files (only files that are inside the folder)."""
        for name in list(names):
            path = self.path(name)
            if path is not None:
                path.unlink(missing_ok=True)
            self.entries.pop(name, None)

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {name: {"html": e.html, "pdf": e.pdf} for name, e in sorted(self.entries.items())}
        partial = self.folder / f".{MANIFEST}.partial"
        partial.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        os.replace(partial, self.folder / MANIFEST)


def valid_name(name: str) -> bool:
    return bool(_NAME.fullmatch(name))


def checked_source(path: Path) -> Path:
    """`path` itself, after making sure it is a regular file and not a symlink (which would
    publish whatever it points at)."""
    if not stat.S_ISREG(os.lstat(path).st_mode):
        raise RunError(f"{path} is not a regular file; delete it and build again (a cached PDF must not be a link)")
    return path


def remove_partials(folder: Path) -> None:
    """Delete the `*.partial` files a killed run left in `folder` (never following links)."""
    if not folder.is_dir() or folder.is_symlink():
        return
    for root, dirs, files in os.walk(folder):
        for name in files:
            if name.endswith(".partial"):
                Path(root, name).unlink(missing_ok=True)


def _read_manifest(folder: Path) -> dict[str, CacheEntry]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    entries = {}
    for name, value in data.items():
        if valid_name(str(name)) and isinstance(value, dict) and \
                isinstance(value.get("html"), str) and isinstance(value.get("pdf"), str):
            entries[str(name)] = CacheEntry(value["html"], value["pdf"])
    return entries


def _file_digest(path: Path) -> str | None:
    """SHA-256 of a PDF file, or None when it is missing, empty or not a PDF at all."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb", opener=_no_follow) as file:
            head = file.read(5)
            if head != b"%PDF-":
                return None
            digest.update(head)
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW)


def _inside(folder: Path, root: Path) -> bool:
    real_folder, real_root = os.path.realpath(folder), os.path.realpath(root)
    return real_folder == real_root or real_folder.startswith(real_root + os.sep)
