"""Psychoed: an IOP psychoeducation curriculum in YAML → one accessible website per track.

Pipeline stages, one module each: model (schema) · source (YAML with positions) · load ·
tailor · render · handouts · engines (MkDocs + Material, Zensical) · build (the whole
pipeline) · check · serve · new_project · cli. `shipped` names the files inside the package.
"""

__version__ = "0.1.0"
