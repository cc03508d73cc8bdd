"""`psychoed translations --stamp`: record, for each translated field, the hash of the source
text it now matches. Only the `source_hashes:` block of an overlay is rewritten; every other
byte of the file stays as the translator wrote it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..load import Curriculum
from .fields import dotted, text_hash, value_at
from .overlays import Overlay


def stamped_text(text: str, overlay: Overlay) -> str:
    """`text` (the overlay file) with its `source_hashes:` block replaced by current hashes."""
    lines = text.splitlines(keepends=True)
    start, end = _block(lines, overlay)
    hashes = {dotted(path): text_hash(source) for path in overlay.texts
              if isinstance(source := value_at(overlay.source.data, path), str)}
    block = ["source_hashes:\n", *(f'  {key}: "{value}"\n' for key, value in hashes.items())] if hashes else []
    if start is None:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        return "".join(lines + block)
    return "".join(lines[:start] + block + lines[end:])


def _block(lines: list[str], overlay: Overlay) -> tuple[int | None, int]:
    """The 0-based [start, end) lines of the top-level `source_hashes:` block, if any. It ends
    at the next top-level key; blank lines and comments just before that key are kept."""
    where = overlay.file.keys.get(("source_hashes",))
    if where is None:
        return None, len(lines)
    start = where.line - 1
    later = [p.line - 1 for key, p in overlay.file.keys.items() if len(key) == 1 and p.line - 1 > start]
    end = min(later, default=len(lines))
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return start, end


def stamp(curriculum: Curriculum, files: list[Path]) -> list[str]:
    """Stamp the overlays at `files` (every overlay when empty); the paths written, as shown."""
    chosen = _chosen(curriculum, files)
    written = []
    for overlay in chosen:
        file = curriculum.root.parent / overlay.file.path
        old = file.read_text(encoding="utf-8")
        new = stamped_text(old, overlay)
        if new != old:
            _write_atomically(file, new)
            written.append(overlay.file.path)
    return written


def _chosen(curriculum: Curriculum, files: list[Path]) -> list[Overlay]:
    overlays = sorted(curriculum.overlays.values(), key=lambda o: o.file.path)
    if not files:
        return overlays
    by_file = {(curriculum.root.parent / o.file.path).resolve(): o for o in overlays}
    chosen = []
    for file in files:
        overlay = by_file.get(file.resolve())
        if overlay is None:
            raise ValueError(f"`{file}` is not a translation file of this curriculum (<stem>.<lang>.yml beside "
                             "its source, in a language program.yml declares)")
        chosen.append(overlay)
    return chosen


def _write_atomically(file: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, file.stat().st_mode & 0o777)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
