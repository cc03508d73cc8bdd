"""Translations of a curriculum: `<stem>.<lang>.yml` overlays beside their sources.

`overlays` reads and validates the files (called by the loader), `translate` builds the
translated curriculum a site is rendered from, `staleness` and `stamp` keep each translated
field tied to the source text it was made from, `report` says what is left to do, and
`spanish` measures how easily Spanish text reads. Import the submodules directly: this
package's `__init__` imports nothing, so the loader can use `overlays` without a cycle.
"""
