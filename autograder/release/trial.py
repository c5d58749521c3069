"""Run one notebook's cells in order and try stand-ins at its visible checks; print which passed.

A standalone script (no course imports), run by lookalikes.py in a copy of the bundle:
`python trial.py JOB.json`. JOB holds `cells` ([{"source", "check": step name or null}]),
`candidates` ([{"name", "text", "steps": [step names to try it as]}]) and `seconds` (the bound
of one try). It prints a JSON list of [candidate index, step name] that passed a visible check.
"""
import contextlib
import io
import json
import signal
import sys

from IPython.core.inputtransformer2 import TransformerManager


class TimeUp(Exception):
    pass


def _alarm(signum, frame):
    raise TimeUp()


def run(source, namespace, seconds):
    """Run `source` quietly in `namespace`; True if it raised nothing within `seconds`."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            exec(compile(TransformerManager().transform_cell(source), "<cell>", "exec"), namespace)
        return True
    except BaseException:  # noqa: BLE001 (a failed try, whatever it raised, is only a failed try)
        return False
    finally:
        signal.alarm(0)


def main(job_path):
    job = json.load(open(job_path))
    namespace, passed = {"__name__": "__main__"}, []
    for cell in job["cells"]:
        step = cell["check"]
        if step is not None:
            for index, candidate in enumerate(job["candidates"]):
                if step in candidate["steps"]:
                    # Tried in the notebook's own namespace, which its functions see as their
                    # globals (a copy would leave a provided class calling the real step), then
                    # put back as it was.
                    before = dict(namespace)
                    if (run(candidate["text"] + f"\n{step} = {candidate['name']}", namespace, job["seconds"])
                            and run(cell["source"], namespace, job["seconds"])):
                        passed.append([index, step])
                    namespace.clear()
                    namespace.update(before)
        run(cell["source"], namespace, job["seconds"] * 4)
    print(json.dumps(passed))


if __name__ == "__main__":
    main(sys.argv[1])
