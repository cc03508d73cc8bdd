"""Choices the command line offers, in a module light enough for its startup.

`model.EngineName` (the `engine:` field of program.yml) and `new_project.Source` are made from
these tuples, so each list is written once.
"""

ENGINE_NAMES: tuple[str, ...] = ("mkdocs", "zensical")
PROJECT_SOURCES: tuple[str, ...] = ("skeleton", "bundled")  # what `psychoed new --from` copies
