import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nnkit.gradcheck_plots import (  # noqa: E402
    BUG_ABOVE, plot_check_errors, plot_error_vs_eps, plot_gradient_comparison)


def teardown_function():
    plt.close("all")


def test_error_vs_eps_is_log_log_with_one_line_and_one_best_marker_per_curve():
    epsilons = np.logspace(-12, -1, 12)
    v_shape = 1e-16 / epsilons + epsilons ** 2
    fig = plot_error_vs_eps(epsilons, {"centred": v_shape, "exact": np.zeros(12)})
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["centred", "exact"]
    assert sum("best eps" in t.get_text() for t in ax.texts) == 2
    best = [t.get_text() for t in ax.texts if "best eps" in t.get_text()][0]
    assert best == f"best eps ~ {epsilons[np.argmin(v_shape)]:.0e}"


def test_gradient_comparison_draws_a_panel_per_candidate_and_marks_wrong_entries_red():
    numerical = np.arange(1.0, 10.0)
    wrong = numerical.copy()
    wrong[2] *= 2
    fig = plot_gradient_comparison({"right": numerical, "wrong": wrong, "also right": list(numerical)}, numerical)
    panels = [ax for ax in fig.axes if ax.axison]
    assert len(panels) == 3
    red = matplotlib.colors.to_rgba("tab:red")
    reds = [sum(bar.get_facecolor() == red for bar in ax.patches) for ax in panels]
    assert reds == [0, 1, 0]
    assert panels[1].get_title().startswith("wrong: error")


def test_check_errors_draws_one_bar_per_name_coloured_by_verdict():
    fig = plot_check_errors({"ok": 1e-12, "grey": 1e-5, "bug": 10 * BUG_ABOVE, "zero": 0.0})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["ok", "grey", "bug", "zero"]
    colours = [bar.get_facecolor() for bar in ax.patches if bar.get_height() < 1]
    assert colours[2] == matplotlib.colors.to_rgba("tab:red")
    assert colours[0] == colours[3] == matplotlib.colors.to_rgba("tab:green")
