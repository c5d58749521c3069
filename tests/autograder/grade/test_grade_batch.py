"""`grade` on a batch of honest and hostile submissions of the tiny course, in one run.

Each hostile submission must leave the batch running, every other grade intact, score what its
honest cells earn (nothing for the cheating) and be flagged with the reason.
"""
from __future__ import annotations

import json
import os
import socket
import textwrap

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.utils import compute_checksum

from autograder import feedback, reasons, report
from autograder.grade.record.notes import SEVERITY
from autograder.grade import batch
from autograder.grade.intake import handed_in
from autograder.grade.record import outcomes
from autograder.grade.sandbox import box as sandbox
from autograder.release.history import record_release, text_digest

from tests.autograder import tiny_course as tiny
from tests.autograder.tiny_course import HONEST_DOUBLE, WRONG_DOUBLE

pytestmark = pytest.mark.notebook
ISOLATED = sandbox.detect() in (sandbox.ROOT, sandbox.USERNS)
needs_namespaces = pytest.mark.skipif(not ISOLATED, reason="needs Linux namespaces (see autograder/README.md)")
LIMITS = sandbox.Limits(cell_timeout=5, notebook_timeout=40, memory=2 * sandbox.GiB, processes=64,
                        output=1 * sandbox.MiB)


def before(code: str) -> str:
    """Hostile code run in the `double` cell before an honest definition of double."""
    return textwrap.dedent(code).strip() + "\n" + HONEST_DOUBLE


EARLIER_TEST_DOUBLE = "# Check double (as first released)\n"


def with_an_earlier_release(root):
    """The tiny course's release history: test_double also had a first text, which now differs."""
    record_release(root, tiny.ASSIGNMENT)
    path = root / "release-history" / f"{tiny.ASSIGNMENT}.json"
    history = json.loads(path.read_text())
    cell = next(c for c in tiny.release(root).cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_double")
    history[tiny.ASSIGNMENT]["test_double"].append(text_digest(EARLIER_TEST_DOUBLE + cell.source))
    path.write_text(json.dumps(history))


def hostile_cases(root, listener_port):
    course = str(root)

    def delete_test_double(nb):
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_double"]

    def duplicate_test_square(nb):
        index = next(i for i, c in enumerate(nb.cells)
                     if c.metadata.get("nbgrader", {}).get("grade_id") == "test_square")
        nb.cells.insert(index + 1, nbformat.from_dict(json.loads(json.dumps(nb.cells[index]))))

    def edit_test_double(nb):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_double":
                cell.source = "# Check that double doubles\npass"

    def test_double_from_an_earlier_release(nb):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_double":
                cell.source = EARLIER_TEST_DOUBLE + cell.source

    def edit_test_double_with_a_fresh_checksum(nb):  # nbgrader's checksum is a plain MD5
        edit_test_double(nb)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_double":
                cell.metadata["nbgrader"]["checksum"] = compute_checksum(cell)

    return {
        # student: (submission, expected score of 3, phrase its flags must contain or None)
        "honest": (tiny.submission(root), 3, None),
        "wrong": (tiny.submission(root, double=WRONG_DOUBLE), 2, None),
        "endless-loop": (tiny.submission(root, double="while True:\n    pass\n" + HONEST_DOUBLE), 2, None),
        "process-flood": (tiny.submission(root, double=before("""
            import subprocess
            children = []
            try:
                while len(children) < 2000:
                    children.append(subprocess.Popen(["sleep", "60"]))
            except OSError:
                pass
            print("processes started:", len(children))
            """)), 3, None),
        # bytes(n) leaves its pages untouched (bytearray(n) writes every one): the flood meets the
        # address-space limit within the cell's 5 s on a loaded machine too; the cgroup's limit on
        # memory in use has its own tests (sandbox/test_sandbox.py).
        "memory-flood": (tiny.submission(root, double=before("""
            blocks = []
            try:
                while len(blocks) < 160:  # 160 x 100 MiB = 16 GiB
                    blocks.append(bytes(100 * 2**20))
            except MemoryError:
                pass
            print("MiB allocated:", 100 * len(blocks))
            del blocks
            """)), 3, None),
        "os-exit": (tiny.submission(root, double="import os\nos._exit(0)\n" + HONEST_DOUBLE), 2, "kernel died"),
        "sys-exit": (tiny.submission(root, double="import sys\nsys.exit()\n" + HONEST_DOUBLE), 2, None),
        "kernel-crash": (tiny.submission(root, double="import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"
                                         + HONEST_DOUBLE), 2, "kernel died"),
        "output-flood": (tiny.submission(root, double=before("""
            for _ in range(10_000):
                print("x" * 10_000)  # 100 MB in all
            """)), 3, "output beyond"),
        "not-json": (b"{this is not json", 0, "not valid JSON"),
        "not-a-notebook": (b'{"cells": "nope"}', 0, "not a notebook"),
        "deleted-grade-cell": (tiny.submission(root, double=WRONG_DOUBLE, edit=delete_test_double), 2,
                               "test_double was deleted"),
        "duplicated-grade-cell": (tiny.submission(root, edit=duplicate_test_square), 3, "test_square appears 2 times"),
        "edited-grade-cell": (tiny.submission(root, double=WRONG_DOUBLE, edit=edit_test_double), 2,
                              "test_double was edited"),
        "earlier-release": (tiny.submission(root, edit=test_double_from_an_earlier_release), 3, None),
        "edited-grade-cell-with-its-checksum": (tiny.submission(root, double=WRONG_DOUBLE,
                                                                edit=edit_test_double_with_a_fresh_checksum),
                                                2, "test_double was edited"),
        # Attacks on the checks: none can gain a point, since the kernel never sees an expected
        # value; each is flagged for review with what it did.
        "patched-allclose": (tiny.submission(root, double="np.allclose = lambda *a, **k: True\n" + WRONG_DOUBLE),
                             2, "rebinds np.allclose"),
        "patched-checks-via-importlib": (tiny.submission(root, double=before("""
            import importlib
            checks = importlib.import_module("nnkit.checks")
            checks.check_close = lambda name, received, expected, **k: print("\u2713", name)
            questions = importlib.import_module("nnkit.questions")
            questions.ask = lambda question, function, *a, **k: questions.answer(question, 10)
            """).replace(HONEST_DOUBLE, WRONG_DOUBLE)), 2, "import_module"),
        "import-hook": (tiny.submission(root, double=before("""
            import importlib
            b = importlib.import_module("builtins")
            real_import = b.__import__
            def hooked(name, *args, **kwargs):
                module = real_import(name, *args, **kwargs)
                if name.startswith("nnkit"):
                    module.ask = lambda question, function, *a, **k: module.answer(question, [3.0])
                return module
            b.__import__ = hooked
            """).replace(HONEST_DOUBLE, WRONG_DOUBLE)), 2, "__import__"),
        "rewrites-nnkit": (tiny.submission(root, double=before("""
            import importlib, pathlib
            import nnkit.questions
            path = pathlib.Path(nnkit.questions.__file__)
            try:
                path.write_text("def ask(q, f, *a, **k):\\n    return None\\n")
                print("WROTE nnkit")
            except OSError as err:
                print("nnkit is read-only:", type(err).__name__)
            """).replace(HONEST_DOUBLE, WRONG_DOUBLE)), 2, "nnkit"),
        "forged-answers-before-the-test": (tiny.submission(root, double=before("""
            from IPython.display import publish_display_data
            from nnkit.encoding import encode
            def forge(info):
                if "double(" in (info.raw_cell or ""):
                    for q, v in (("double(5)", 10), ("double([1.5])", [3.0])):
                        publish_display_data({"application/vnd.nnkit.answer+json":
                                              {"check": "value", "question": q, "value": encode(v)}})
            get_ipython().events.register("pre_run_cell", forge)
            """).replace(HONEST_DOUBLE, WRONG_DOUBLE)), 2, "gave twice"),
        "rewrites-answers-in-flight": (tiny.submission(root, double=before("""
            from nnkit.encoding import encode
            pub = get_ipython().display_pub
            real_publish = pub.publish
            def publish(data, *args, **kwargs):
                record = data.get("application/vnd.nnkit.answer+json")
                if record and "expected" in record:
                    record["value"] = record["expected"]
                return real_publish(data, *args, **kwargs)
            pub.publish = publish
            """).replace(HONEST_DOUBLE, WRONG_DOUBLE)), 2, "display_pub"),
        "answers-outside-a-grade-cell": (tiny.submission(root, double=before("""
            from nnkit.questions import answer
            answer("double(5)", 10)
            """)), 3, "outside a grade cell"),
        "reads-source": (tiny.submission(root, double=before(f"""
            for path in ["../../source/tiny/tiny.ipynb", "{course}/source/tiny/tiny.ipynb",
                         "{course}/gradebook.db", "../../gradebook.db"]:
                try:
                    open(path, "rb").read()
                    print("READ", path)
                except OSError as err:
                    print("blocked", type(err).__name__)
            """)), 3, None),
        "network": (tiny.submission(root, double=before(f"""
            import socket
            try:
                socket.create_connection(("127.0.0.1", {listener_port}), timeout=3)
                print("CONNECTED")
            except OSError as err:
                print("no network:", type(err).__name__)
            """)), 3, None),
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tiny.make_course(tmp_path_factory.mktemp("course"))
    with_an_earlier_release(root)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    cases = hostile_cases(root, listener.getsockname()[1])
    for student, (nb, _, _) in cases.items():
        tiny.submit(root, student, nb)
    summary = batch.grade_batch(tiny.ASSIGNMENT, root, workers=2, limits=LIMITS, progress=False)
    listener.close()
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "tiny-course") as gb:
        scores = {s.student_id: s.score for s in gb.assignment_submissions(tiny.ASSIGNMENT)}
    return root, cases, summary, scores, outcomes.load_outcomes(root, tiny.ASSIGNMENT)


def flag_words(outcome) -> list[str]:
    """The report's reasons for flagging `outcome` (outcomes.json's entry), in the instructor's words."""
    return [reasons.for_instructor(n) for n in outcome["notes"] if SEVERITY[n["kind"]] != "repair"]


def outputs(root, student) -> str:
    nb = nbformat.read(root / "autograded" / student / tiny.ASSIGNMENT / f"{tiny.ASSIGNMENT}.ipynb", as_version=4)
    return "\n".join(out.get("text", "") for cell in nb.cells for out in cell.get("outputs", []))


def test_every_submission_gets_the_score_its_honest_cells_earn(graded):
    root, cases, summary, scores, _ = graded
    assert {s: scores.get(s) for s in cases} == {s: expected for s, (_, expected, _) in cases.items()}
    assert summary.failed == 0


def test_each_hostile_submission_is_flagged_with_its_reason(graded):
    _, cases, _, _, outcomes = graded
    for student, (_, _, phrase) in cases.items():
        flags = " | ".join(flag_words(outcomes[f"{student}/{tiny.ASSIGNMENT}"]))
        if phrase:
            assert phrase in flags, (student, flags)


def test_honest_submission_is_not_flagged(graded):
    _, _, _, _, outcomes = graded
    assert flag_words(outcomes[f"honest/{tiny.ASSIGNMENT}"]) == []


def test_a_test_cell_from_an_earlier_release_is_noted_not_flagged_and_the_student_told(graded):
    _, _, _, _, outcomes = graded
    outcome = outcomes[f"earlier-release/{tiny.ASSIGNMENT}"]
    assert flag_words(outcome) == []
    assert [(n["kind"], n["detail"]) for n in outcome["notes"]] == [("earlier_release", {"cells": ["test_double"]})]
    assert any("`test_double` is from an earlier release" in s for s in reasons.for_student(outcome["notes"]))


def test_forged_answers_zero_the_cell_they_land_in(graded):
    _, _, _, _, outcomes = graded
    assert outcomes[f"forged-answers-before-the-test/{tiny.ASSIGNMENT}"]["zeroed"] == ["test_double"]


@needs_namespaces
def test_nnkit_is_read_only_in_the_sandbox(graded):
    text = outputs(graded[0], "rewrites-nnkit")
    assert "WROTE" not in text and "nnkit is read-only" in text


@needs_namespaces
def test_floods_are_stopped_by_the_limits(graded):
    root = graded[0]
    started = int(outputs(root, "process-flood").split("processes started:")[1].split()[0])
    allocated = int(outputs(root, "memory-flood").split("MiB allocated:")[1].split()[0])
    assert started < 2000 and allocated <= 2048


@needs_namespaces
def test_kernel_cannot_read_source_or_gradebook_nor_reach_the_network(graded):
    root = graded[0]
    assert "READ" not in outputs(root, "reads-source") and outputs(root, "reads-source").count("blocked") == 4
    assert "no network" in outputs(root, "network")


def test_output_flood_is_cut_before_it_reaches_the_gradebook(graded):
    root = graded[0]
    path = root / "autograded" / "output-flood" / tiny.ASSIGNMENT / f"{tiny.ASSIGNMENT}.ipynb"
    assert path.stat().st_size < 3 * LIMITS.output


def test_autograded_notebooks_hold_no_answer_records(graded):
    root = graded[0]
    for path in (root / "autograded").glob(f"*/{tiny.ASSIGNMENT}/*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert not any("vnd.nnkit.answer" in str(cell.get("outputs", "")) for cell in nb.cells), path


def test_rerun_grades_only_new_or_changed_submissions_unless_forced(graded):
    root, cases, _, scores, _ = graded
    again = batch.grade_batch(tiny.ASSIGNMENT, root, workers=2, limits=LIMITS, progress=False)
    assert (again.graded, again.skipped) == (0, len(cases))
    tiny.submit(root, "wrong", tiny.submission(root))  # the student fixed the mistake
    again = batch.grade_batch(tiny.ASSIGNMENT, root, workers=2, limits=LIMITS, progress=False)
    assert (again.graded, again.skipped) == (1, len(cases) - 1)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "tiny-course") as gb:
        assert gb.find_submission(tiny.ASSIGNMENT, "wrong").score == 3
        assert gb.find_submission(tiny.ASSIGNMENT, "honest").score == scores["honest"]


def test_report_lists_flagged_submissions_with_reasons(graded):
    root = graded[0]
    page = report.main(assignment=tiny.ASSIGNMENT, root=root).read_text()
    assert "data:image/png;base64," in page
    for phrase in ("os-exit", "kernel died", "not valid JSON", "rebinds np.allclose", "test_double was deleted"):
        assert phrase in page


def test_feedback_and_export_work_on_the_autograded_notebooks(graded):
    root = graded[0]
    tiny.nbgrader(root, "generate_feedback", tiny.ASSIGNMENT, "--force")
    tiny.nbgrader(root, "export", "--to=grades.csv")
    page = (root / "feedback" / "wrong" / tiny.ASSIGNMENT / f"{tiny.ASSIGNMENT}.html").read_text()
    assert "double(5)" in page and "BEGIN HIDDEN TESTS" not in page and "[3.0]" not in page
    assert "honest" in (root / "grades.csv").read_text()


def test_a_folder_that_cannot_be_sorted_out_costs_its_student_only_with_the_reason(tmp_path, monkeypatch):
    # Whatever a student's folder holds that sorting it out did not foresee: that student scores
    # 0 with the error named, and the batch grades everyone else.
    root = tiny.make_course(tmp_path / "course")
    for student in ("odd", "honest"):
        tiny.submit(root, student, tiny.submission(root))
    sort_out = handed_in.sort_out

    def failing_for_odd(folder, *args, **kwargs):
        if folder.parent.name == "odd":
            raise OSError("unforeseen")
        return sort_out(folder, *args, **kwargs)

    monkeypatch.setattr(handed_in, "sort_out", failing_for_odd)
    batch.grade_batch(tiny.ASSIGNMENT, root, workers=1, limits=LIMITS, progress=False)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "tiny-course") as gb:
        scores = {s.student_id: s.score for s in gb.assignment_submissions(tiny.ASSIGNMENT)}
    assert scores == {"odd": 0, "honest": 3}
    notes = outcomes.load_outcomes(root, tiny.ASSIGNMENT)[f"odd/{tiny.ASSIGNMENT}"]["notes"]
    assert [(n["kind"], n["detail"]["error"]) for n in notes] == [("could_not_prepare", "OSError: unforeseen")]


def test_a_file_or_link_where_the_assignments_folder_should_be_scores_0_with_the_reason(tmp_path):
    # A notebook saved by hand as submitted/<student>/<assignment> (a file, not the folder) was
    # passed over in silence: no grade, no line in grade's output, the report or the feedback.
    root = tiny.make_course(tmp_path / "course")
    tiny.submit(root, "honest", tiny.submission(root))
    misplaced = root / "submitted" / "misplaced" / tiny.ASSIGNMENT
    misplaced.parent.mkdir(parents=True)
    misplaced.write_text(nbformat.writes(tiny.submission(root)))
    linked = root / "submitted" / "linked" / tiny.ASSIGNMENT  # a link to the honest folder: never followed
    linked.parent.mkdir(parents=True)
    linked.symlink_to(root / "submitted" / "honest" / tiny.ASSIGNMENT, target_is_directory=True)
    summary = batch.grade_batch(tiny.ASSIGNMENT, root, workers=1, limits=LIMITS, progress=False)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "tiny-course") as gb:
        scores = {s.student_id: s.score for s in gb.assignment_submissions(tiny.ASSIGNMENT)}
    assert scores == {"misplaced": 0, "linked": 0, "honest": 3}
    for student, kind in (("misplaced", "a file"), ("linked", "a link")):
        told = [reasons.for_instructor(note) for who, note in summary.not_graded if who == student]
        assert len(told) == 1 and kind in told[0] and f"{tiny.ASSIGNMENT}/ should be" in told[0], told
        notes = outcomes.load_outcomes(root, tiny.ASSIGNMENT)[f"{student}/{tiny.ASSIGNMENT}"]["notes"]
        assert [n["kind"] for n in notes] == ["no_notebook", "not_graded"]


def test_a_renamed_notebook_that_cannot_be_renamed_costs_its_student_only_with_the_reason(tmp_path, monkeypatch):
    # "Copy of ….ipynb" is renamed in submitted/ by a hard link; a folder where that fails (a
    # read-only mount, a FAT or SMB share without hard links) stopped the whole batch.
    root = tiny.make_course(tmp_path / "course")
    tiny.submit(root, "honest", tiny.submission(root))
    copied = root / "submitted" / "copied" / tiny.ASSIGNMENT / f"Copy of {tiny.ASSIGNMENT}.ipynb"
    copied.parent.mkdir(parents=True)
    copied.write_text(nbformat.writes(tiny.submission(root)))

    def no_links(src, dst, *args, **kwargs):
        raise OSError(1, "Operation not permitted", str(dst))

    monkeypatch.setattr(handed_in.os, "link", no_links)
    batch.grade_batch(tiny.ASSIGNMENT, root, workers=1, limits=LIMITS, progress=False)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "tiny-course") as gb:
        scores = {s.student_id: s.score for s in gb.assignment_submissions(tiny.ASSIGNMENT)}
    assert scores["honest"] == 3 and "copied" in scores
    notes = outcomes.load_outcomes(root, tiny.ASSIGNMENT)[f"copied/{tiny.ASSIGNMENT}"]["notes"]
    assert any("Operation not permitted" in json.dumps(n) for n in notes), notes


def test_a_student_folder_named_in_bytes_that_are_not_utf8_is_named_and_stops_no_step(tmp_path):
    # `unzip` of a Windows zip on Linux leaves folder names in cp437 bytes. Such a student was
    # "failed" with a UnicodeEncodeError, had no grade, and feedback and report then crashed for everyone.
    root = tiny.make_course(tmp_path / "course")
    tiny.submit(root, "honest", tiny.submission(root))
    odd = os.path.join(os.fsencode(root / "submitted"), b"Jos\x82", os.fsencode(tiny.ASSIGNMENT))
    os.makedirs(odd)
    with open(os.path.join(odd, os.fsencode(f"{tiny.ASSIGNMENT}.ipynb")), "w") as f:
        f.write(nbformat.writes(tiny.submission(root)))
    summary = batch.grade_batch(tiny.ASSIGNMENT, root, workers=1, limits=LIMITS, progress=False)
    told = [(student, reasons.for_instructor(note)) for student, note in summary.not_graded]
    assert [student for student, _ in told] == ["Jos\ufffd"] and "UTF-8" in told[0][1], told
    assert feedback.main(assignment=tiny.ASSIGNMENT, root=root)
    assert report.main(assignment=tiny.ASSIGNMENT, root=root).is_file()
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "tiny-course") as gb:
        assert {s.student_id: s.score for s in gb.assignment_submissions(tiny.ASSIGNMENT)} == {"honest": 3}
