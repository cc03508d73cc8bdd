"""The page the preview shows in place of the site while the curriculum fails its check (or the
engine refuses to build it): every diagnostic with its place, message and hint, all escaped."""

from __future__ import annotations

import html
from typing import Sequence

from ..diagnostics import Diagnostic

_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.5rem; color: #8b0000; }
ol { padding-left: 1.5rem; }
li { margin: 0 0 1rem; }
code { font: 0.95em ui-monospace, monospace; background: #f2f2f2; padding: 0 0.2em; }
.hint { color: #333; }
.severity-warning { color: #6b4e00; }
"""


def diagnostics_page(title: str, diagnostics: Sequence[Diagnostic], *, track_id: str) -> bytes:
    """The error page for `diagnostics` (errors first, then warnings)."""
    ordered = sorted(diagnostics, key=lambda d: (d.severity != "error", d))
    items = "\n".join(_item(d) for d in ordered)
    return _page(title, f"<ol>\n{items}\n</ol>", track_id=track_id)


def messages_page(title: str, messages: Sequence[str], *, track_id: str) -> bytes:
    """The error page for plain messages (the engine's own complaints, a run that could not finish)."""
    items = "\n".join(f'<li class="diagnostic"><code>{html.escape(m)}</code></li>' for m in messages)
    return _page(title, f"<ol>\n{items}\n</ol>", track_id=track_id)


def _item(d: Diagnostic) -> str:
    rule = f"[{html.escape(d.rule)}] " if d.rule else ""
    hint = f'<br><span class="hint">Hint: {html.escape(d.hint)}</span>' if d.hint else ""
    return (f'<li class="diagnostic severity-{d.severity}"><code class="where">'
            f"{html.escape(f'{d.path}:{d.line}:{d.col}')}</code> "
            f'<strong>{d.severity}</strong>: {rule}<span class="message">{html.escape(d.message)}</span>{hint}</li>')


def _page(title: str, body: str, *, track_id: str) -> bytes:
    text = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · psychoed serve</title>
<style>{_STYLE}</style>
</head>
<body>
<main id="psychoed-preview-error">
<h1>{html.escape(title)}</h1>
<p>The preview of track <code>{html.escape(track_id)}</code> is not up to date. Fix the problems below and
save: this page reloads by itself and shows the track again. The terminal lists the same problems.</p>
{body}
</main>
</body>
</html>
"""
    return text.encode("utf-8")
