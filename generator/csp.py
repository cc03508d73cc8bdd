"""The Content-Security-Policy of every page of a track's site.

Scripts, styles, images, fonts and data come only from the site itself. The only inline
scripts allowed are the theme's own, by hash: each `<script>…</script>` in the theme's template
files whose text has no template expression in it, hashed as written. A script that the theme
renders with values (such as mkdocs-material's `__md_scope`, which names the page's depth) runs
before the policy's `<meta>` element and so needs no hash. Anything else inline is blocked,
whoever wrote it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Iterable

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_TEMPLATE_CODE = re.compile(r"\{[{%#]")


def theme_script_hashes(template_dirs: Iterable[Path]) -> list[str]:
    """CSP hash sources of the fixed inline scripts in the HTML templates under `template_dirs`."""
    hashes: set[str] = set()
    for folder in template_dirs:
        for template in sorted(folder.rglob("*.html")):
            for script in _INLINE_SCRIPT.findall(template.read_text(encoding="utf-8")):
                if script.strip() and not _TEMPLATE_CODE.search(script):
                    hashes.add(source_hash(script))
    return sorted(hashes)


def source_hash(text: str) -> str:
    """The CSP hash source (`'sha256-…'`) that allows one inline script or style element."""
    digest = hashlib.sha256(str(text).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script_hashes: Iterable[str]) -> str:
    """The policy, for a `<meta http-equiv="Content-Security-Policy">` element."""
    scripts = " ".join(["'self'", *script_hashes])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self'",
        # The theme's icons are data: SVGs in its CSS.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
    ])

