import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nnkit.gradcheck_plots import (  # noqa: E402
    BUG_ABOVE, plot_candidate_gradients, plot_check_errors, plot_error_vs_eps, plot_gradient_comparison)


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


def test_candidate_gradients_compare_each_candidate_with_the_numerical_gradient_of_the_loss():
    # A graph whose loss is sum(w**2): its gradient is 2w, so "halved" is wrong in every entry.
    def forward(x, y, w):
        return {"loss": float(np.sum(np.asarray(w) ** 2))}

    def numerical_gradient(f, v, eps):
        return np.array([(f(v + eps * e) - f(v - eps * e)) / (2 * eps) for e in np.eye(v.size)])

    def right(x, y, w, f):
        return {f"dw{i + 1}": 2 * w[i] for i in range(9)}

    def halved(x, y, w, f):
        return {key: value / 2 for key, value in right(x, y, w, f).items()}

    fig = plot_candidate_gradients({"right": right, "halved": halved}, None, None, np.arange(1, 10), forward,
                                   numerical_gradient, eps=1e-3)
    panels = [ax for ax in fig.axes if ax.axison]
    red = matplotlib.colors.to_rgba("tab:red")
    assert [sum(bar.get_facecolor() == red for bar in ax.patches) for ax in panels] == [0, 9]
    assert [t.get_text() for t in panels[0].get_xticklabels()] == [f"dw{i}" for i in range(1, 10)]


def test_check_errors_draws_one_bar_per_name_coloured_by_verdict():
    fig = plot_check_errors({"ok": 1e-12, "grey": 1e-5, "bug": 10 * BUG_ABOVE, "zero": 0.0})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["ok", "grey", "bug", "zero"]
    colours = [bar.get_facecolor() for bar in ax.patches if bar.get_height() < 1]
    assert colours[2] == matplotlib.colors.to_rgba("tab:red")
    assert colours[0] == colours[3] == matplotlib.colors.to_rgba("tab:green")
