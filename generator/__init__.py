"""Psychoed: an IOP psychoeducation curriculum in YAML → one accessible website per track.

Pipeline stages, one module each: model (schema) · source (YAML with positions) · load ·
tailor · render · site (MkDocs) · build (the whole pipeline) · check · cli.
"""

__version__ = "0.1.0"
