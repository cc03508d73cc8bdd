"""Compiled Jinja templates kept in memory for the life of the process.

A new Jinja environment compiles every template it loads again, and both the page templates
(`render.py`) and the site theme's (MkDocs builds a new environment per build) are loaded by a
new environment on every build: in `psychoed serve`, on every save. With this bytecode cache,
a template whose source is unchanged is compiled once per process; Jinja compares each
template's source checksum, so an edited template is compiled again.
"""

from __future__ import annotations

import threading

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with self._lock:
            compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = bucket.bytecode_to_string()
        with self._lock:
            self._compiled[bucket.key] = compiled

    def clear(self) -> None:
        with self._lock:
            self._compiled.clear()


COMPILED_TEMPLATES = MemoryBytecodeCache()
