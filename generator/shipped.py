"""The files Psychoed ships inside its package, and where a project's own copies override them.

Everything the generator reads at run time lives under this package, so a wheel installed
anywhere works from a folder that holds only a curriculum.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BASE_CONFIG = PACKAGE / "mkdocs.yml"  # the base config every generated track config INHERITs
THEME_DIR = PACKAGE / "theme"  # the theme overrides (custom_dir)
RULES_FILE = PACKAGE / "rules.yml"  # the built-in content rules
TEMPLATES = PACKAGE / "templates"  # Jinja templates of the pages and the print handouts
STARTER = PACKAGE / "starter"  # the files of `psychoed new`
# A wheel carries the bundled curriculum here (setup.py copies it in) ...
_BUNDLED_IN_WHEEL = PACKAGE / "bundled"
# ... a source checkout (editable install) has it beside the package.
_BUNDLED_IN_CHECKOUT = PACKAGE.parent / "curriculum"


def bundled_curriculum() -> Path | None:
    """The curriculum that ships with Psychoed, or None when this installation lacks it."""
    for folder in (_BUNDLED_IN_WHEEL, _BUNDLED_IN_CHECKOUT):
        if (folder / "program.yml").is_file():
            return folder
    return None


@dataclass(frozen=True)
class ThemeFiles:
    """The base `mkdocs.yml` every track INHERITs, and the theme overrides folder."""

    base_config: Path
    theme_dir: Path

    @classmethod
    def for_project(cls, project_root: Path) -> "ThemeFiles":
        """A project's own `mkdocs.yml` and `theme/` where it has them, else the shipped ones."""
        base = project_root / "mkdocs.yml"
        theme = project_root / "theme"
        return cls(base if base.is_file() else BASE_CONFIG, theme if theme.is_dir() else THEME_DIR)
