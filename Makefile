# The README's commands, `make demo`, `make test` and `make check`, and a few conveniences.
# Every target first creates (or reuses) .venv from requirements.txt.

VENV := .venv
PY := $(VENV)/bin/python
# nbgrader starts notebook kernels by looking up `python` on PATH: use the environment's.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

# The first Python 3.10-3.13 found; override with `make PYTHON=/path/to/python3.12 ...`.
PYTHON ?= $(firstword $(foreach p,python3 python3.13 python3.12 python3.11 python3.10,\
	$(shell command -v $(p) >/dev/null 2>&1 && $(p) -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null && echo $(p))))

CHECK := not notebook and not browser and not slow
# The fast loop tries fewer generated submissions per property (make test: 25 each).
CHECK_EXAMPLES ?= 5

.PHONY: demo test check release lab benchmarks accuracy clean-grading

demo: $(VENV)/.installed  ## release, grade the sample submissions, print scores, write CSV and feedback
	$(PY) -m autograder demo

test: $(VENV)/.installed  ## every test, notebook runs included
	$(PY) -m pytest

# The markers are declared in pytest.ini; tests grading samples are marked by tests/assignments/conftest.py.
check: $(VENV)/.installed  ## the fast loop: the tests that start no notebook kernel or browser and are not slow, properties on fewer examples
	PROPERTY_EXAMPLES=$(CHECK_EXAMPLES) $(PY) -m pytest -q -n auto -m "$(CHECK)"

release: $(VENV)/.installed  ## regenerate release/ from source/, and the student bundle in $(BUNDLE)/ and $(BUNDLE).zip
	$(PY) -m autograder release

# The student bundle folder: c.CourseBundle.folder in nbgrader_config.py.
BUNDLE := dist/student

# What students see: the bundle (written by the last release, or now if there is none) in
# JupyterLab from .venv-student, made from requirements-student.txt (no nbgrader menus).
lab: $(VENV)/.installed  ## open the student bundle, assignments and labs, as students get it
	test -f $(BUNDLE)/.course-bundle || $(PY) -m autograder bundle
	$(PY) bin/lab --venv .venv-student --requirements requirements-student.txt $(BUNDLE)

benchmarks: $(VENV)/.installed  ## print the speed figures (minutes): sliders (kernel, then browser), MLP epoch, grading throughput (local, then Dask 1 and 2 workers)
	$(PY) benchmarks/slider_latency.py
	$(PY) benchmarks/slider_latency_browser.py
	$(PY) benchmarks/mlp_epoch.py
	$(PY) benchmarks/autograde_throughput.py
	$(PY) benchmarks/autograde_dask.py

accuracy: $(VENV)/.installed  ## train the reference MLP on every data set present (long)
	$(PY) benchmarks/mlp_accuracy.py

clean-grading:  ## forget every graded submission (submitted/, autograded/, feedback/, gradebook)
	rm -rf submitted autograded feedback reports exports gradebook.db grades.csv

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON)" || { echo "make: Python 3.10 to 3.13 is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m nnkit.jupyter_settings
	touch $@
