"""The names of the site engines, in a module light enough for the command line's startup.

`model.EngineName` (the `engine:` field of program.yml) is made from this tuple.
"""

ENGINE_NAMES: tuple[str, ...] = ("mkdocs", "zensical")
