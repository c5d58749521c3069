import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from nnkit.diagrams import GRAPH_EDGES, GRAPH_NODES, draw_backward_graph, draw_graph  # noqa: E402


def test_graph_figure_draws_every_node_and_edge():
    ax = draw_graph()
    labels = {t.get_text() for t in ax.texts}
    assert {label for _, _, label in GRAPH_NODES.values()} <= labels
    assert len(ax.patches) + len([c for c in ax.get_children() if type(c).__name__ == "Annotation"]) >= len(GRAPH_EDGES)


def test_every_edge_joins_known_nodes():
    assert all(a in GRAPH_NODES and b in GRAPH_NODES for a, b in GRAPH_EDGES)


def test_weights_are_named_w1_to_w9_as_in_the_text():
    weights = sorted(name for name in GRAPH_NODES if name.startswith("w"))
    assert weights == [f"w{k}" for k in range(1, 10)]
    assert {GRAPH_NODES[name][2] for name in weights} == {f"$w_{k}$" for k in range(1, 10)}


def test_backward_graph_writes_each_gradient_and_refuses_unknown_weights():
    ax = draw_backward_graph({"w1": 0.25, "w9": -1.5})
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "= 0.25" in texts and "= -1.5" in texts
    with pytest.raises(KeyError, match="w1' ... 'w9"):
        draw_backward_graph({"w0": 1.0})
