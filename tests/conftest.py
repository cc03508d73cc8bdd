"""Shared fixtures: real curricula copied to a temporary folder, the real CLI, real MkDocs builds."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "curriculum"
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def psychoed(capsys, monkeypatch):
    """Run the `psychoed` command line in-process and capture what it prints."""

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def mini(tmp_path) -> Path:
    """A small, valid curriculum (two tracks) that a test may edit freely."""
    target = tmp_path / "curriculum"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    """The bundled curriculum built once with the real MkDocs; returns the work folder (site/, build/)."""
    work = tmp_path_factory.mktemp("bundled")
    code = main(["build", "--curriculum", str(BUNDLED), "--out", str(work / "site"), "--build-dir", str(work / "build")])
    assert code == 0, "the bundled curriculum must build"
    return work


class _TextAndAssets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.assets: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])
        if tag == "link" and attributes.get("href"):
            self.assets.append(attributes["href"])
        if tag in ("img", "iframe", "source", "audio", "video") and attributes.get("src"):
            self.assets.append(attributes["src"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


@dataclass
class Page:
    path: Path
    html: str
    text: str  # visible text, whitespace collapsed
    assets: list[str]  # script src, link href, img src …


def read_page(path: Path) -> Page:
    html = path.read_text(encoding="utf-8")
    parser = _TextAndAssets()
    parser.feed(html)
    return Page(path, html, " ".join(" ".join(parser.text).split()), parser.assets)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))
