"""The course's nbgrader settings: what a grade cell's stderr costs."""
import io
import re
import runpy
import warnings

from traitlets.config import Config

from autograder.course import ROOT

CONFIG = runpy.run_path(str(ROOT / "nbgrader_config.py"), init_globals={"get_config": Config})


def _stderr_of_warnings(*messages):
    buffer = io.StringIO()
    for category, text in messages:
        buffer.write(warnings.formatwarning(text, category, "/tmp/ipykernel_1/2.py", 7,
                                            "    return 1 / (1 + np.exp(-z))"))
    return buffer.getvalue()


def test_stderr_of_warnings_alone_is_dropped():
    text = _stderr_of_warnings((RuntimeWarning, "overflow encountered in exp"), (UserWarning, "clipping"))
    assert re.search(CONFIG["WARNINGS_ONLY"], text)


def test_stderr_with_anything_besides_warnings_is_kept():
    text = _stderr_of_warnings((RuntimeWarning, "overflow")) + "my own error message\n"
    assert not re.search(CONFIG["WARNINGS_ONLY"], text)
    assert not re.search(CONFIG["WARNINGS_ONLY"], "Segmentation fault\n")


def test_config_enables_the_filter_and_hides_hidden_tests_in_feedback():
    c = CONFIG["c"]
    assert c.IgnorePattern.enabled and c.IgnorePattern.pattern == CONFIG["WARNINGS_ONLY"]
    assert "HideHiddenTests" in [p.__name__ for p in c.GenerateFeedback.preprocessors]
    assert c.CourseDirectory.root == str(ROOT)


def test_config_fills_the_bundle_url_and_the_provided_code_before_nbgrader_generates_an_assignment():
    from nbgrader.converters import GenerateAssignment

    c = CONFIG["c"]
    assert c.CourseBundle.url.startswith("https://")
    default = GenerateAssignment.class_traits()["preprocessors"].default()
    assert [p.__name__ for p in c.GenerateAssignment.preprocessors] == ["FillSetupCell", "FillProvidedCode",
                                                                           *(p.__name__ for p in default)]
