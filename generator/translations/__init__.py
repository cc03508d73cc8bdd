"""Translations of a curriculum: `<stem>.<lang>.yml` overlays beside their sources.

`overlays` finds the files and checks each against its source (called by the loader),
`translate` builds the translated curriculum a site is rendered from, `coverage` says what is
stale, unstamped or missing, `check` adds that and the content rules on translated text to
`psychoed check`, `stamp` records the source text each translation matches, `report` is
`psychoed translations`, `notes` are the notes on translated pages, and `spanish`/`reading`
measure how easily text reads in its language. Import the submodules directly: this package's
`__init__` imports nothing, so the loader can use `overlays` without an import cycle.
"""
