"""Publishing with the small fixture: variants, vars, facilitator-only text, and safe swaps. The
builds start from the fixture's rendered PDFs (`warm_build_dir`): these tests are about the pages."""

from __future__ import annotations

import hashlib
import multiprocessing

from conftest import html_pages, read_page


def test_variant_and_vars_on_the_fixture(psychoed, mini, warm_build_dir, tmp_path):
    run = psychoed("build", "--curriculum", mini, "--out", tmp_path / "site", "--build-dir", tmp_path / "build")
    assert run.code == 0, run.out + run.err
    alpha = read_page(tmp_path / "site" / "alpha" / "modules" / "skills" / "breathing" / "index.html").text
    beta = read_page(tmp_path / "site" / "beta" / "modules" / "skills" / "breathing" / "index.html").text
    assert "Slow breaths calm the body." in alpha and "Beta variant message" not in alpha
    assert "Beta variant message for Beta." in beta and "Slow breaths calm the body." not in beta
    assert "alpha-condition" in alpha and "beta-condition" in beta
    guide_alpha = read_page(tmp_path / "site" / "alpha" / "facilitator" / "week-01" / "index.html").text
    guide_beta = read_page(tmp_path / "site" / "beta" / "facilitator" / "week-01" / "index.html").text
    # The variant's `facilitator.notes` merges into the mapping: timing and prompts stay, notes change.
    assert "FACILITATOR-ONLY-NOTES-MARKER" in guide_alpha and "Beta facilitator notes." in guide_beta
    assert "FACILITATOR-ONLY-PROMPT-MARKER" in guide_beta and "FACILITATOR-ONLY-PRACTICE-MARKER" in guide_beta
    assert "FACILITATOR-ONLY-NOTES-MARKER" not in guide_beta
    # A session may override the module's worksheets: week 2 of alpha prints none.
    assert "To print" not in read_page(tmp_path / "site" / "alpha" / "facilitator" / "week-02" / "index.html").text
    for path in html_pages(tmp_path / "site"):
        if "facilitator" not in path.parts:
            assert "FACILITATOR-ONLY" not in read_page(path).text, path


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_validation_leaves_the_previous_site_untouched(psychoed, mini, warm_build_dir, tmp_path):
    out = tmp_path / "site"
    assert psychoed("build", "--curriculum", mini, "--out", out, "--build-dir", tmp_path / "build").code == 0
    before = snapshot(out)
    (mini / "tracks" / "beta.yml").write_text("title: [broken\n")
    run = psychoed("build", "--curriculum", mini, "--out", out, "--build-dir", tmp_path / "build")
    assert run.code == 1
    assert "curriculum/tracks/beta.yml:2:1: error: YAML syntax error" in run.out
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "curriculum", "site"], "no staging left behind"


def test_a_content_error_stops_the_pdfs_rendering_beside_it(psychoed, mini, warm_build_dir, tmp_path):
    """The PDFs render in a child process from the moment the structure passes (pdf_process.py);
    a finding of the content rules ends the build with that finding, stops the child, and
    publishes nothing."""
    out = tmp_path / "site"
    assert psychoed("build", "--curriculum", mini, "--out", out, "--build-dir", tmp_path / "build").code == 0
    before = snapshot(out)
    breathing = mini / "modules" / "skills" / "breathing.yml"
    # A new PDF to render for each track: the child has work to stop.
    breathing.write_text(breathing.read_text().replace("summary: ", "summary: Addicts and alcoholics can do this. ", 1))
    run = psychoed("build", "--curriculum", mini, "--out", out, "--build-dir", tmp_path / "build")
    assert run.code == 1
    assert "curriculum/modules/skills/breathing.yml:3:10: error: [person-first] avoid “Addicts”" in run.out
    assert multiprocessing.active_children() == [], "the PDF process is gone"
    assert snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no staging left behind"


def test_failed_mkdocs_build_leaves_the_previous_site_untouched(psychoed, mini, warm_build_dir, tmp_path):
    out = tmp_path / "site"
    assert psychoed("build", "--curriculum", mini, "--out", out, "--build-dir", tmp_path / "build").code == 0
    before = snapshot(out)
    # A project's own base config wins over the shipped one; a broken one fails inside MkDocs.
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme: {name: material}\nplugins: [no-such-plugin]\n")
    run = psychoed("build", "--curriculum", mini, "--out", out, "--build-dir", tmp_path / "build")
    assert run.code == 1
    assert "no-such-plugin" in run.err and "previous site is unchanged" in run.err
    assert snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no staging left behind"


def test_partial_build_keeps_the_other_tracks(psychoed, mini, warm_build_dir, tmp_path):
    out = tmp_path / "site"
    assert psychoed("build", "--curriculum", mini, "--out", out, "--build-dir", tmp_path / "build").code == 0
    beta_before = snapshot(out / "beta")
    (mini / "tracks" / "alpha.yml").write_text((mini / "tracks" / "alpha.yml").read_text()
                                               .replace("title: First week", "title: A renamed week"))
    assert psychoed("build", "--curriculum", mini, "--out", out, "--build-dir", tmp_path / "build",
                    "--track", "alpha").code == 0
    assert "A renamed week" in read_page(out / "alpha" / "schedule" / "index.html").text
    assert snapshot(out / "beta") == beta_before


def test_404_pages_link_from_the_site_root_or_the_given_address(psychoed, mini, warm_build_dir, tmp_path):
    """A host shows a 404 page at any depth, so its links are absolute, from where the site lives."""
    out = tmp_path / "site"
    assert psychoed("build", "--curriculum", mini, "--out", out, "--build-dir", tmp_path / "build").code == 0
    assert 'href="/alpha/assets/stylesheets/psychoed.css"' in (out / "alpha" / "404.html").read_text()
    hub_404 = read_page(out / "404.html")
    assert 'href="/alpha/"' in hub_404.html and "Page not found" in hub_404.text and "Need help now?" in hub_404.text

    run = psychoed("build", "--curriculum", mini, "--out", out, "--build-dir", tmp_path / "build",
                   "--site-url", "https://example.org/iop")
    assert run.code == 0, run.err
    track_404 = (out / "alpha" / "404.html").read_text()
    assert 'href="/iop/alpha/assets/stylesheets/psychoed.css"' in track_404
    assert '<link rel="canonical" href="https://example.org/iop/alpha/schedule/">' in \
        (out / "alpha" / "schedule" / "index.html").read_text()
    assert 'href="/iop/beta/"' in (out / "404.html").read_text()


def test_site_url_must_be_a_web_address(psychoed, mini, tmp_path):
    run = psychoed("build", "--curriculum", mini, "--out", tmp_path / "site", "--site-url", "example.org/iop")
    assert run.code == 2
    assert "is not a web address" in run.err
