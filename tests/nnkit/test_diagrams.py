import matplotlib

matplotlib.use("Agg")

from nnkit.diagrams import GRAPH_EDGES, GRAPH_NODES, draw_graph  # noqa: E402


def test_graph_figure_draws_every_node_and_edge():
    ax = draw_graph()
    labels = {t.get_text() for t in ax.texts}
    assert {label for _, _, label in GRAPH_NODES.values()} <= labels
    assert len(ax.patches) + len([c for c in ax.get_children() if type(c).__name__ == "Annotation"]) >= len(GRAPH_EDGES)


def test_every_edge_joins_known_nodes():
    assert all(a in GRAPH_NODES and b in GRAPH_NODES for a, b in GRAPH_EDGES)
