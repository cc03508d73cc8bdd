"""Ships the bundled curriculum inside the wheel, as `generator/bundled/`, for
`psychoed new --from bundled`. It stays at the repository root (`curriculum/`), where authors
edit it and `make site` builds it; an editable install reads it from there instead."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CURRICULUM = Path(__file__).resolve().parent / "curriculum"


class BuildWithCurriculum(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False) or not CURRICULUM.is_dir():
            return
        target = Path(self.build_lib) / "generator" / "bundled"
        for source in sorted(CURRICULUM.rglob("*")):
            if source.is_file() and not source.name.startswith("."):
                destination = target / source.relative_to(CURRICULUM)
                self.mkpath(str(destination.parent))
                self.copy_file(str(source), str(destination))


setup(cmdclass={"build_py": BuildWithCurriculum})
