"""The search index across the preview's dirty builds.

A dirty build indexes only the pages it rebuilt, and the search plugin writes that partial
index over the whole one. Before such a build the preview keeps the index it had; after it,
the entries of the rebuilt pages replace their old ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

INDEX = Path("search") / "search_index.json"


def read_index(site_dir: Path) -> dict[str, Any] | None:
    try:
        index = json.loads((site_dir / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return index if isinstance(index, dict) and isinstance(index.get("docs"), list) else None


def merge_index(site_dir: Path, before: dict[str, Any] | None) -> None:
    """Put the entries of pages the last build did not index back into its index."""
    after = read_index(site_dir)
    if before is None or after is None:
        return
    rebuilt = {_page_of(entry) for entry in after["docs"]}
    kept = [entry for entry in before["docs"] if _page_of(entry) not in rebuilt]
    merged = {**after, "docs": kept + after["docs"]}
    (site_dir / INDEX).write_text(json.dumps(merged, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _page_of(entry: Any) -> str:
    location = entry.get("location", "") if isinstance(entry, dict) else ""
    return str(location).split("#", 1)[0]
