"""Grading's notes (autograder/grade/record/notes.py) in words: for the instructor and for the student.

This is the one module that turns what grading recorded into sentences. The report shows the
instructor `for_instructor(note)`; the student's feedback shows `for_student(notes)`. Nothing
here quotes a library's error message to a student: a failure of the grading machinery (a Dask
worker lost, a scheduler that could not read the task, a crash of the grader) is described as
what it means for their grade.
"""
from __future__ import annotations

from autograder.grade.record.notes import Note

FIX_FILE = ("Check that you handed in the .ipynb file you worked in (in Colab: File > Download > "
            "Download .ipynb), and ask your instructor to grade it again.")
NOT_YOU = ("This was a problem on the grading side, not in your code; your instructor can see the details "
           "and grade it again.")
HOW = {"id": "their cell ids", "text": "the text of read-only cells", "names": "the names solution cells define",
       "place": "their place among the cells around them"}


def _note(note) -> Note:
    return note if isinstance(note, Note) else Note.from_dict(note)


def _names(cells, most: int = 3) -> str:
    cells = list(cells)
    return ", ".join(cells[:most]) + (f" and {len(cells) - most} more" if len(cells) > most else "")


def _gib(size: int) -> str:
    return f"{size / 2**30:g} GiB"


def grading_failure(err: BaseException) -> str:
    """The instructor's sentence for an exception that came back instead of an executed notebook.

    Dask's own messages ("Error during deserialization of the task graph", a `KilledWorker`'s
    task key) say nothing to an instructor about what to do, and nothing at all to a student.
    """
    return _failure(failure_detail(err))


def failure_detail(outcome) -> dict:
    """What a notebook that did not come back executed came back as: an exception (a worker
    lost, the Dask cluster) or nothing, as a "grading_failed" note's detail."""
    if not isinstance(outcome, BaseException):
        return {"cause": "error", "error": str(getattr(outcome, "message", "") or outcome)[:500]}
    name, module = type(outcome).__name__, type(outcome).__module__ or ""
    try:
        text = str(outcome)
    except Exception:  # distributed's KilledWorker cannot always say itself
        text = ""
    if name in ("KilledWorker", "WorkerCrashed"):
        cause = "worker_lost"
    elif module.startswith(("distributed", "dask")) or "deserializ" in text.lower():
        cause = "cluster"
    else:
        cause = "error"
    return {"cause": cause, "error": f"{name}: {text.splitlines()[0][:200] if text else ''}"}


def _failure(detail: dict) -> str:
    cause = detail.get("cause")
    if cause == "worker_lost":
        return ("its worker process died every time it ran this notebook (out of memory on the worker, "
                "or a crash that took the worker down); regrade with `grade --force` once the cluster is healthy")
    if cause == "cluster":
        return (f"the Dask cluster could not run it ({detail.get('error', '').split(':')[0]}); check that the "
                "scheduler and every worker run with this course importable (see autograder/README.md, "
                "Remote workers) and regrade")
    return f"the grader could not execute it ({detail.get('error', '')})"


def _in_order(by: dict) -> list:
    """(how, grade ids) in the order recover tries the ways (HOW's), whatever order `by` has."""
    return sorted(by.items(), key=lambda item: list(HOW).index(item[0]) if item[0] in HOW else len(HOW))


def for_instructor(note) -> str:
    """One note as the report says it to the instructor."""
    note = _note(note)
    kind, cell, d = note.kind, note.cell, note.detail
    words = {
        "not_a_notebook": lambda: f"not a notebook: {d.get('reason', '')}",
        "could_not_prepare": lambda: f"nbgrader could not prepare it: {d.get('error', '')}",
        "grading_failed": lambda: _failure(d),
        "execution": lambda: f"{d.get('status', '')}: {d.get('message', '')}",
        "cell_time_limit": lambda: f"cell {cell} ran past the cell time limit",
        "memory_limit": lambda: f"cell {cell} hit the memory limit",
        "output_cut": lambda: f"output beyond {d.get('bytes', 0)} bytes was dropped",
        "grade_cell_deleted": lambda: f"grade cell {cell} was deleted",
        "grade_cell_repeated": lambda: f"grade cell {cell} appears {d.get('count', 2)} times",
        "grade_cell_edited": lambda: f"grade cell {cell} was edited (restored from the assignment)",
        "restored": lambda: f"{d.get('role', 'read-only cell')} {cell} was deleted; restored from the assignment and graded",
        "moved_back": lambda: f"read-only cell {cell} had been moved above {_names(d.get('above', []))}; put back after them",
        "metadata_undone": lambda: f"cell {cell}: grading metadata changed ({'; '.join(d.get('changes', []))}); undone",
        "foreign_metadata": lambda: f"a cell carried nbgrader metadata for {cell!r}, which this assignment does not have; it was ignored",
        "solutions_not_found": lambda: f"solution cells not found: {', '.join(d.get('cells', []))} (the code runs where the student put it)",
        "unasked_answers": lambda: f"{cell}: answers the test did not ask for, or gave twice: "
                                   + ", ".join(f"{q!r} ({n} more)" for q, n in d.get("questions", {}).items()),
        "malformed_answer": lambda: f"{cell}: a malformed answer to {d.get('question', '')!r} ({d.get('error', '')})",
        "answer_rewritten": lambda: f"{cell}: answers were sent again or updated after they were given "
                                    f"({_names(d.get('questions', []) or ['display updates'])}); only the first counted",
        "answers_outside": lambda: f"cell {cell} published {d.get('count', 1)} answer record(s) outside a grade cell",
        "recovered": lambda: (f"nbgrader metadata was missing from {sum(len(g) for g in d.get('by', {}).values())} cells; "
                              "recovered " + "; ".join(f"by {HOW.get(how, how)}: {', '.join(g)}"
                                                       for how, g in _in_order(d.get("by", {})) if g)),
        "no_notebook": lambda: (f"none of the {d.get('files', 0)} file(s) handed in could be graded as this assignment's notebook; "
                                "it scored 0 (place the right notebook in submitted/ and grade again)"),
        "not_graded": lambda: f"{d.get('file', '')} not graded: {_left(d)}",
        "renamed": lambda: f"handed in as {d.get('file', '')}; graded as this notebook, whose cells it holds (renamed in submitted/)",
        "earlier_release": lambda: (f"test cell {d['cells'][0]} is from an earlier release; graded with the current one"
                                    if len(d.get("cells", [])) == 1 else
                                    f"{len(d.get('cells', []))} test cells are from an earlier release "
                                    f"({', '.join(d.get('cells', []))}); graded with the current ones"),
        "format_repair": lambda: d.get("what", "") + (f" ({d['count']}x)" if d.get("count", 1) > 1 else ""),
        "shell_line": lambda: f"cell {cell}: shell or magic line(s) not run while grading: {_names(d.get('lines', []))}",
        "newer_python": lambda: (f"cell {cell} does not parse on the grading Python {d.get('grading', '')} but does on "
                                 f"{d.get('accepts', '')}, which the course supports"),
        "review": lambda: f"for review: cell {cell} {d.get('does', '')} {d.get('what', '')}",
    }
    return words[kind]()


def _left(d: dict) -> str:
    """Why a file handed in was not graded (a "not_graded" note's detail), for the instructor."""
    why, notebook = d.get("why"), f"{d.get('notebook', '')}.ipynb"
    if why == "extra_copy":
        return f"another copy of {notebook}, which was graded; rename it to {notebook} to grade it instead"
    if why == "other_assignment":
        return f"it is {d.get('assignment', '')}'s notebook; move it to that assignment's folder"
    if why == "ambiguous":
        return (f"one of {d.get('count', 2)} notebooks of this assignment, none named {notebook}; rename the one "
                "to grade")
    if why == "name_held":
        return (f"this assignment's notebook, but {notebook} in the same folder is a folder or link, so it could not "
                f"be renamed to it; remove that {notebook} and grade again")
    if why == "folder":
        return "a folder, not a notebook"
    if why == "student_not_utf8":
        return ("the student's folder name is not UTF-8 text, which no gradebook id, page or CSV can hold; rename "
                "that folder in submitted/ (collect makes such ids safe) and grade again")
    if why == "not_a_folder":
        return (f"a {'link' if d.get('link') else 'file'} where the folder submitted/<student>/{d.get('file', '')}/ "
                "should be, so nothing in it was opened; make that a folder holding the notebook and grade again")
    if why == "not_a_notebook":
        return ("a link, which grading never follows" if d.get("link") else
                "a pipe or socket, not a file" if d.get("special") else
                f"a {d['suffix']} file, not a notebook (collect converts jupytext .py/.md forms)" if "suffix" in d
                else f"not a notebook: {d.get('reason', '')}")
    return f"not {notebook}: fewer than half of the grade cells that tell it from the other assignments are in it"


def _student(note: Note) -> str | None:
    kind, cell, d = note.kind, note.cell, note.detail
    if kind == "not_a_notebook":
        return (f"Your file could not be opened as a notebook ({d.get('reason', '')}), so nothing in it could be "
                f"graded. {FIX_FILE}")
    if kind in ("could_not_prepare",):
        return f"The grader could not prepare your notebook for grading, so it scored 0. {NOT_YOU}"
    if kind == "grading_failed":
        return f"Your notebook could not be run, so it scored 0. {NOT_YOU}"
    if kind == "execution":
        if d.get("status") == "time limit":
            return (f"Your notebook was stopped because it ran too long ({d.get('message', '')}). The cell that was "
                    "running and every cell after it did not run, so the tests in those cells scored 0.")
        if d.get("status") == "kernel died":
            return ("Your notebook's Python process stopped while it ran (for example `exit()`, `os._exit`, or a "
                    "crash), so the cell that was running and every cell after it did not run, and the tests "
                    "in those cells scored 0.")
        return f"Your notebook could not be run, so it scored 0. {NOT_YOU}"
    if kind == "cell_time_limit":
        return (f"Cell {cell} ran longer than one cell may run ({d.get('seconds', 0):g} s) and was stopped; tests that "
                "needed its results scored 0. Look for a loop that never ends.")
    if kind == "memory_limit":
        if d.get("kernel_stopped"):
            return (f"Cell {cell} used more memory than a notebook may use ({_gib(d.get('bytes', 0))} a process, "
                    "a little more for all its processes together) and your notebook's Python process was stopped: that cell and every cell after it "
                    "did not run, so the tests in those cells scored 0.")
        return (f"Cell {cell} used more memory than a notebook may use ({_gib(d.get('bytes', 0))}) and was stopped; "
                "tests that needed its results scored 0.")
    if kind == "output_cut":
        return (f"Your notebook printed more than {d.get('bytes', 0) // 2**20} MiB; the rest was not kept. "
                "This alone costs no points.")
    if kind == "grade_cell_deleted":
        return f"The read-only test cell `{cell}` was missing from your notebook, so it scored 0."
    if kind == "grade_cell_repeated":
        return f"The read-only test cell `{cell}` appears more than once in your notebook; one copy was graded."
    if kind == "grade_cell_edited":
        return (f"The read-only test cell `{cell}` had been changed in your notebook; the original was used to "
                "grade your code.")
    if kind == "restored":
        return (f"The read-only cell `{cell}` was missing from your notebook. It was put back from the assignment, "
                "where it was, and graded with your code.")
    if kind == "moved_back":
        return (f"The read-only cell `{cell}` had been moved above `{d.get('last', '')}`. It was put back after it, "
                "where the assignment has it, and graded there.")
    if kind == "metadata_undone":
        return (f"The grading settings of cell `{cell}` had been changed in your notebook "
                f"({'; '.join(d.get('changes', []))}). They were set back to the assignment's.")
    if kind == "answer_rewritten":
        return (f"Code in your notebook tried to change the answers of the test cell `{cell}` after they were "
                "given; only the first answers counted, and the cell scored 0.")
    if kind == "recovered":
        ways = " and ".join(HOW.get(how, how) for how, g in _in_order(d.get("by", {})) if g)
        count = sum(len(g) for g in d.get("by", {}).values())
        return (f"Your notebook had lost the grading information of {count} cells (some editors, such as some "
                f"versions of VS Code, remove it). The grader recognised them by {ways} and graded them as usual.")
    if kind == "no_notebook":
        return ("No file you handed in could be graded as this assignment's notebook, so it scored 0; what follows "
                f"says why for each file. {FIX_FILE}")
    if kind == "not_graded":
        return f"Your file `{d.get('file', '')}` was not graded: {_left_for_student(d)}"
    if kind == "renamed":
        return (f"You handed in your notebook as `{d.get('file', '')}`; it was graded as this assignment's notebook. "
                "This alone costs no points.")
    if kind == "earlier_release":
        cells = d.get("cells", [])
        if len(cells) == 1:
            return (f"Your notebook's test cell `{cells[0]}` is from an earlier release of this assignment; the "
                    "current version was used to grade your code. This alone costs no points.")
        return (f"{len(cells)} of your notebook's test cells are from an earlier release of this assignment; the "
                "current versions were used to grade your code. This alone costs no points.")
    if kind == "newer_python":
        return (f"Cell {cell} uses Python syntax that Python {d.get('accepts', '')} accepts but the grader's Python "
                f"{d.get('grading', '')} does not (for example an f-string with the same quotes inside), so it "
                "could not run and the tests that need it scored 0. The course supports both; your instructor "
                "has been told.")
    if kind == "shell_line":
        return (f"Cell {cell}: shell and magic lines (such as `!pip install` or `%pip`) are not run when your "
                "notebook is graded; the rest of the cell ran as usual.")
    return None


def _left_for_student(d: dict) -> str:
    why, notebook = d.get("why"), f"{d.get('notebook', '')}.ipynb"
    if why == "extra_copy":
        return f"it is another copy of this notebook, and `{notebook}` is the one that was graded."
    if why == "other_assignment":
        return f"it is the notebook of another assignment ({d.get('assignment', '')})."
    if why == "ambiguous":
        return ("it is one of several copies of this notebook, and the grader cannot tell which one you meant. "
                "Ask your instructor to grade the right one.")
    if why == "not_a_folder":
        return ("it was saved where this assignment's folder should be, not inside it, so it was not opened. "
                "Ask your instructor to grade it.")
    if why == "name_held":
        return (f"it looks like this assignment's notebook, but a folder or link named `{notebook}` is also in your "
                "folder. Ask your instructor to grade the right one.")
    if why in ("folder", "not_a_notebook"):
        return "it is not a notebook (.ipynb) file."
    return "it is not this assignment's notebook (most of the assignment's cells are not in it)."


def for_student(notes) -> list[str]:
    """What the student's "About your grade" says for `notes` (Notes or their dicts), in order, once each."""
    said = [_student(_note(n)) for n in notes]
    return list(dict.fromkeys(s for s in said if s))
