"""Feedback pages and the class report in Debian's headless Chromium, with the network cut off.

A student's page must show what to fix at the top and every formula rendered, with no request
leaving the machine, and none of the student's payloads may run (each would set the title to
"pwned-..."). The report must fit a 1280 px window, its charts drawn at twice their CSS size.
"""
from __future__ import annotations

import pytest

from autograder import feedback
from autograder.report import page as report_page
from autograder.report import plots
from autograder.report.misconceptions import questions
from autograder.report.similarity import clusters, similar_pairs
from autograder.samples import load_samples
from tests.autograder.feedback.hostile import course
from tests.autograder.report.test_misconceptions import MAXIMA, MISTAKES, ORDER, TABLE
from tests.autograder.report.test_similarity import disguised

from .jupyter import chromium, missing

WHY_NOT = missing()
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(WHY_NOT is not None, reason=f"browser tests need a browser: {WHY_NOT}")]

# Text outside code blocks that still reads as TeX: "$...$", "$$...$$" or "\begin{...}".
RAW_TEX = r"""() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('pre, code').forEach(e => e.remove());
  const text = body.innerText;
  return (text.match(/\$[^$\n]+\$|\\begin\{/g) || []);
}"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("profile")) as page:
        requests = []

        def offline(route):
            if not route.request.url.startswith(("file:", "data:")):
                requests.append(route.request.url)
                return route.abort()
            return route.continue_()

        page.context.route("**/*", offline)
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        yield page, requests, dialogs


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    scores = course(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(feedback, "notebook_grades", lambda assignment, root: scores)
        return {p.parts[-3]: p for p in feedback.main(assignment="a1", root=root)}


@pytest.mark.parametrize("student", ["alice", "bob", "carol"])
def test_a_feedback_page_offline_runs_no_payload_and_shows_no_raw_tex(browser, pages, student):
    page, requests, dialogs = browser
    page.goto(pages[student].as_uri())
    page.wait_for_load_state("load")
    assert page.title() == f"a1: a1 ({student})"
    assert page.evaluate(RAW_TEX) == []
    assert page.evaluate("document.querySelectorAll('math').length") >= 1
    assert page.evaluate("[...document.querySelectorAll('math')].every(m => m.getBoundingClientRect().width > 0)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert dialogs == [] and requests == []


def test_the_lost_cell_is_named_at_the_top_and_links_to_itself(browser, pages):
    page, _, _ = browser
    page.goto(pages["bob"].as_uri())
    first = page.locator("ol.to-fix li").first
    assert "f doubles" in first.inner_text() and "2 points lost" in first.inner_text()
    assert first.bounding_box()["y"] < page.viewport_size["height"]
    first.locator("a").click()
    assert page.evaluate("document.querySelector(':target').id") == "cell-f_doubles"
    assert page.title() == "a1: a1 (bob)"


def test_the_report_fits_a_1280_px_window_with_charts_at_twice_their_size(browser, tmp_path):
    page, requests, _ = browser
    found = questions(TABLE, ORDER, MAXIMA, {"essay"}, MISTAKES)
    code = "\n\n".join(next(s for s in load_samples("optimizers") if s.student == "correct-nnfs-book-style").cells.values())
    codes = {"ann-with-a-rather-long-student-identifier@example.org": code, "ben": disguised(code)}
    pairs = similar_pairs(codes)
    sections = [report_page.worst(found), report_page.question_table(found, 4),
                report_page.misconceptions(found, "a1"),
                plots.pass_rates([f"Q{q.number} {q.grade_id}" for q in found], [50.0, 25.0, 100.0]),
                plots.per_question({q: [0.0, 1.0] for q in ORDER + [f"q{i}" for i in range(9)]},
                                   {**MAXIMA, **{f"q{i}": 1.0 for i in range(9)}}),
                report_page.similarity(pairs, clusters(pairs), codes, "a1/similarity.csv", "a1")]
    path = tmp_path / "a1.html"
    path.write_text(report_page.document("a1", sections))
    page.goto(path.as_uri())
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    sizes = page.evaluate("[...document.images].map(i => [i.naturalWidth, i.getBoundingClientRect().width])")
    assert sizes and all(natural == 2 * shown for natural, shown in sizes)
    assert requests == []


def test_the_checks_above_see_a_payload_that_runs_and_tex_left_raw(browser, tmp_path):
    page, _, _ = browser
    path = tmp_path / "unsafe.html"
    path.write_text("<!doctype html><title>t</title><p>$w$</p><img src=x onerror=\"document.title='pwned-control'\">")
    page.goto(path.as_uri())
    page.wait_for_function("document.title !== 't'")
    assert page.title() == "pwned-control" and page.evaluate(RAW_TEX) == ["$w$"]
