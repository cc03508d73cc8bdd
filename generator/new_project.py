"""`psychoed new DIR`: start a clinic's own project, as `mkdocs new` does.

The project holds a curriculum (a one-track skeleton, or a copy of the bundled curriculum),
a short README for authors, a `.gitignore` and a publishing workflow. Its program.yml carries
"[FILL IN: …]" placeholders that `psychoed check` reports until an author fills them in.
"""

from __future__ import annotations

import re
import shutil
from importlib import metadata
from pathlib import Path
from typing import Literal

from .errors import UsageError
from .names import PROJECT_SOURCES
from .placeholders import placeholder
from .schema import write_schemas
from .shipped import STARTER, bundled_curriculum

Source = Literal[PROJECT_SOURCES]  # type: ignore[valid-type]  # ("skeleton", "bundled")
SOURCES: tuple[Source, ...] = PROJECT_SOURCES  # type: ignore[assignment]

# Lines of the bundled program.yml that name the bundled program's own organization and dates:
# a new project must write its own.
_ORGANIZATION = re.compile(r"^(organization:\s*).*$", re.MULTILINE)
_VERIFIED_ON = re.compile(r"^(\s*verified_on:\s*).*$", re.MULTILINE)


def new_project(target: Path, source: Source = "skeleton") -> list[Path]:
    """Write a new project into `target` (missing or empty); return the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"`{target}` is not empty; give a new folder name, or an empty folder")
    curriculum = target / "curriculum"
    if source == "bundled":
        bundled = bundled_curriculum()
        if bundled is None:
            raise UsageError("this installation of Psychoed has no bundled curriculum; use `psychoed new DIR` "
                             "for the one-track skeleton")
        shutil.copytree(bundled, curriculum)
        program = curriculum / "program.yml"
        program.write_text(with_placeholders(program.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        shutil.copytree(STARTER / "skeleton" / "curriculum", curriculum)
        write_schemas(curriculum / "schema")  # editor completion, as in the bundled curriculum
    _write_project_files(target)
    return sorted(path for path in target.rglob("*") if path.is_file())


def with_placeholders(program_yml: str) -> str:
    """The bundled program.yml with its organization and every verified date made placeholders."""
    text = _ORGANIZATION.sub(lambda m: m.group(1) + f'"{placeholder("your organization")}"', program_yml, count=1)
    return _VERIFIED_ON.sub(lambda m: m.group(1) + f'"{placeholder("the day you checked this, as YYYY-MM-DD")}"',
                            text)


def _write_project_files(target: Path) -> None:
    project = STARTER / "project"
    shutil.copyfile(project / "README.md", target / "README.md")
    # Stored without the dot so every packaging tool ships it.
    shutil.copyfile(project / "gitignore", target / ".gitignore")
    workflow = target / ".github" / "workflows" / "publish.yml"
    workflow.parent.mkdir(parents=True)
    text = (project / "publish.yml").read_text(encoding="utf-8")
    workflow.write_text(text.replace("__PSYCHOED_REQUIREMENT__", _requirement()), encoding="utf-8")


def _requirement() -> str:
    """What the workflow installs: the Psychoed version that started the project."""
    try:
        return f"psychoed=={metadata.version('psychoed')}"
    except metadata.PackageNotFoundError:
        return "psychoed"
