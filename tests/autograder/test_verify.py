"""Re-checking hidden-test values outside the kernel, and spotting rebound checking machinery."""
from __future__ import annotations

import numpy as np
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder import verify
from nnkit.checks import _encode


def record(name, received, expected, rtol=1e-5, atol=1e-8):
    return {"check": "close", "name": name, "received": _encode(np.asarray(received, float)),
            "expected": _encode(np.asarray(expected, float)), "rtol": rtol, "atol": atol}


def grade_cell(grade_id, records=(), error=False):
    cell = new_code_cell("# hidden test")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": grade_id, "points": 1,
                                 "locked": True, "schema_version": 3}
    cell.outputs = [new_output("display_data", data={verify.RECORD_MIME: r}) for r in records]
    if error:
        cell.outputs.append(new_output("error", ename="CheckFailure", evalue="x", traceback=[]))
    return cell


def solution_cell(source):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": f"s{abs(hash(source))}",
                                 "locked": False, "schema_version": 3}
    return cell


KEY = {"q": [record("f(1)", 2.0, 2.0), record("f([1, 2])", [2, 4], [2, 4])]}


def test_matching_values_pass_the_recheck():
    assert verify.recheck(KEY["q"], KEY["q"]) == []


def test_a_value_outside_tolerance_fails_the_recheck():
    problems = verify.recheck([record("f(1)", 2.0, 2.0), record("f([1, 2])", [2, 5], [2, 4])], KEY["q"])
    assert problems == ["f([1, 2]) does not match the expected value"]


def test_extra_length_one_axes_are_accepted_as_the_check_does():
    assert verify.recheck([record("f(1)", [[2.0]], 2.0), record("f([1, 2])", [[2, 4]], [2, 4])], KEY["q"]) == []


def test_a_check_that_never_ran_fails():
    assert verify.recheck([record("f(1)", 2.0, 2.0)], KEY["q"]) == ["the check of f([1, 2]) never ran"]


def test_an_expected_value_derived_from_the_students_work_is_the_reference_for_that_check():
    assert verify.recheck([record("f(1)", 3.0, 3.0), record("f([1, 2])", [2, 4], [2, 4])], KEY["q"]) == []
    problems = verify.recheck([record("f(1)", 4.0, 3.0), record("f([1, 2])", [2, 4], [2, 4])], KEY["q"])
    assert problems == ["f(1) does not match the expected value"]


def test_a_passing_cell_whose_values_are_wrong_scores_zero_and_records_are_removed():
    nb = new_notebook(cells=[grade_cell("q", [record("f(1)", 3.0, 2.0), record("f([1, 2])", [2, 4], [2, 4])])])
    verdict = verify.verify_notebook(nb, KEY)
    assert verdict.zeroed == ["q"] and "f(1) does not match" in verdict.flags[0]
    assert [o.output_type for o in nb.cells[0].outputs] == ["error"]
    assert nb.cells[0].outputs[0].ename == verify.RECHECK


def test_a_failing_cell_is_left_as_the_kernel_scored_it():
    nb = new_notebook(cells=[grade_cell("q", [record("f(1)", 3.0, 2.0)], error=True)])
    assert verify.verify_notebook(nb, KEY).zeroed == []


def test_a_cell_the_key_has_no_records_for_is_reported_unverified():
    nb = new_notebook(cells=[grade_cell("other")])
    assert verify.verify_notebook(nb, KEY).unverified == ["other"]


def test_rebinding_comparisons_is_flagged_but_the_recheck_decides_the_points():
    nb = new_notebook(cells=[solution_cell("import numpy as np\nnp.allclose = lambda *a, **k: True"),
                             grade_cell("q", KEY["q"])])
    verdict = verify.verify_notebook(nb, KEY)
    assert verdict.flags == ["cell 1 rebinds np.allclose"] and verdict.zeroed == []


def test_rebinding_the_recorder_zeroes_every_later_grade_cell():
    nb = new_notebook(cells=[grade_cell("q", KEY["q"]),
                             solution_cell("from nnkit import checks as c\nc._record = print"),
                             grade_cell("q2", [])])
    verdict = verify.verify_notebook(nb, {**KEY, "q2": KEY["q"]})
    assert verdict.zeroed == ["q2"] and "rebinds c._record" in verdict.flags[0]


def test_scan_finds_aliases_setattr_frames_and_code_from_strings():
    found = [what for what, _ in verify.scan_source(
        "import numpy.testing as t\nt.assert_allclose = None\nsetattr(np, 'isclose', 1)\n"
        "import sys\nsys._getframe(1)\nexec('x = 1')")]
    assert found == ["rebinds t.assert_allclose", "calls setattr on np", "calls sys._getframe", "calls exec"]


def test_ordinary_code_is_not_flagged():
    assert verify.scan_source("import numpy as np\nx = np.zeros(3)\nx[0] = 1\nnp.random.seed(0)") == []


def test_np_stack_is_ordinary_but_inspect_stack_walks_frames():
    assert verify.scan_source("import numpy as np\nx = np.stack([np.zeros(2), np.ones(2)])") == []
    found = verify.scan_source("import inspect\ninspect.stack()\nfrom inspect import stack")
    assert set(found) == {("calls inspect.stack", True), ("imports inspect.stack", True)}
