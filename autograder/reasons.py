"""Why a submission lost points to the grading process, in words its student understands.

The report shows the instructor the technical reason (an exception, a flag); the student's
feedback page shows the sentence made here. Nothing here quotes a library's error message to a
student: a failure of the grading machinery (a Dask worker lost, a scheduler that could not read
the task, a crash of the grader) is described as what it means for their grade.
"""
from __future__ import annotations

FIX_FILE = ("Check that you handed in the .ipynb file you worked in (in Colab: File > Download > "
            "Download .ipynb), and ask your instructor to grade it again.")
NOT_YOU = ("This was a problem on the grading side, not in your code; your instructor can see the details "
           "and grade it again.")


def not_a_notebook(reason: str) -> str:
    """The student's sentence for a file that is not a notebook (`reason` from intake.NotANotebook)."""
    return f"Your file could not be opened as a notebook ({reason}), so nothing in it could be graded. {FIX_FILE}"


def could_not_prepare() -> str:
    return f"The grader could not prepare your notebook for grading, so it scored 0. {NOT_YOU}"


def grading_failure(err: BaseException) -> str:
    """The instructor's sentence for an exception that came back instead of an executed notebook.

    Dask's own messages ("Error during deserialization of the task graph", a `KilledWorker`'s
    task key) say nothing to an instructor about what to do, and nothing at all to a student.
    """
    name = type(err).__name__
    module = type(err).__module__ or ""
    if name == "KilledWorker" or name == "WorkerCrashed":
        return ("its worker process died every time it ran this notebook (out of memory on the worker, "
                "or a crash that took the worker down); regrade with `grade --force` once the cluster is healthy")
    if module.startswith(("distributed", "dask")) or "deserializ" in str(err).lower():
        return (f"the Dask cluster could not run it ({name}); check that the scheduler and every worker "
                "run with this course importable (see autograder/README.md, Remote workers) and regrade")
    return f"the grader could not execute it ({name}: {str(err).splitlines()[0][:200] if str(err) else ''})"


def execution(status: str, message: str) -> str:
    """The student's sentence for an execution that did not end normally (execute.Result.status)."""
    if status == "time limit":
        return (f"Your notebook was stopped because it ran too long ({message}). The cell that was running "
                "and every cell after it did not run, so the tests in those cells scored 0.")
    if status == "kernel died":
        return ("Your notebook's Python process stopped while it ran (for example `exit()`, `os._exit`, or a "
                "crash), so the cell that was running and every cell after it did not run, and the tests "
                "in those cells scored 0.")
    return f"Your notebook could not be run, so it scored 0. {NOT_YOU}"


def limit(flag: str, memory: int, cell_seconds: float) -> str:
    """The student's sentence for one of batch.limit_flags' flags ("cell N ran past ...").

    `memory` (bytes) and `cell_seconds` are the limits that applied (sandbox.Limits).
    """
    cell = flag.split(" ran ")[0].split(" hit ")[0].capitalize()
    if "memory" in flag:
        return (f"{cell} used more memory than a notebook may use ({memory / 2**30:g} GiB) and was stopped; "
                "tests that needed its results scored 0.")
    return (f"{cell} ran longer than one cell may run ({cell_seconds:g} s) and was stopped; tests that "
            "needed its results scored 0. Look for a loop that never ends.")


def output_cut(limit_bytes: int) -> str:
    return (f"Your notebook printed more than {limit_bytes // 2**20} MiB; the rest was not kept. "
            "This alone costs no points.")


def cell_note(note: str) -> str:
    """The student's sentence for one of batch.grade_cell_notes' notes ("grade cell X was ...")."""
    grade_id = note.split()[2]
    if "was edited" in note:
        return (f"The read-only test cell `{grade_id}` had been changed in your notebook; the original "
                "was used to grade your code.")
    if "appears" in note:
        return (f"The read-only test cell `{grade_id}` appears more than once in your notebook; one copy "
                "was graded.")
    return f"The read-only test cell `{grade_id}` was missing from your notebook, so it scored 0."
