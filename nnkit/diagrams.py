"""Figures of computational graphs, drawn with matplotlib so they live as code, not images."""
from __future__ import annotations

import matplotlib.pyplot as plt

# The graph of assignments 1-3: node -> (column, row, label). Inputs on the left, loss on the right.
# The weights are w1..w9, stored in code as w[0]..w[8] (w[0] is w1); the inputs are x0..x4 = x[0..4].
GRAPH_NODES = {
    "x0": (0, 0, "$x_0$"), "w1": (0, 1, "$w_1$"), "x1": (0, 2, "$x_1$"), "w2": (0, 3, "$w_2$"),
    "x2": (0, 4.5, "$x_2$"), "w3": (0, 5.5, "$w_3$"), "x3": (0, 6.5, "$x_3$"), "w4": (0, 7.5, "$w_4$"),
    "x4": (0, 8.5, "$x_4$"), "w5": (0, 9.5, "$w_5$"),
    "m0": (1, 0.5, "$\\times$"), "m1": (1, 2.5, "$\\times$"), "m2": (1, 5, "$\\times$"),
    "m3": (1, 7, "$\\times$"), "m4": (1, 9, "$\\times$"),
    "s01": (2, 1.5, "$+$"), "sin": (2, 5, "sin"), "s34": (2, 8, "$+$"),
    "sq": (3, 1.5, "$(\\cdot)^2$"), "w6": (3, 3, "$w_6$"), "prod": (3, 6.5, "$\\times$"), "w8": (3, 8.5, "$w_8$"),
    "a5": (4, 2.2, "$+$"), "a7": (4, 7.2, "$+$"),
    "exp": (5, 2.2, "exp"), "w7": (5, 3.6, "$w_7$"), "sig": (5, 7.2, "$\\sigma$"), "w9": (5, 5.8, "$w_9$"),
    "a6": (6, 2.9, "$+$"), "m8": (6, 6.5, "$\\times$"),
    "tanh": (7, 2.9, "tanh"),
    "yp": (8, 4.7, "$\\hat y$"), "y": (8, 6.4, "$y$"),
    "loss": (9, 5.5, "$(y-\\hat y)^2$"),
}
GRAPH_EDGES = [
    ("x0", "m0"), ("w1", "m0"), ("x1", "m1"), ("w2", "m1"), ("x2", "m2"), ("w3", "m2"),
    ("x3", "m3"), ("w4", "m3"), ("x4", "m4"), ("w5", "m4"),
    ("m0", "s01"), ("m1", "s01"), ("m2", "sin"), ("m3", "s34"), ("m4", "s34"),
    ("s01", "sq"), ("sq", "a5"), ("w6", "a5"), ("a5", "exp"), ("exp", "a6"), ("w7", "a6"),
    ("a6", "tanh"), ("sin", "prod"), ("s34", "prod"), ("prod", "a7"), ("w8", "a7"),
    ("a7", "sig"), ("sig", "m8"), ("w9", "m8"), ("tanh", "yp"), ("m8", "yp"),
    ("yp", "loss"), ("y", "loss"),
]
# Nodes whose value forward_propagation returns, highlighted in the figure.
GRAPH_OUTPUTS = {"exp": "exp", "tanh": "tanh", "sig": "sigmoid", "loss": "loss"}


def draw_graph(nodes=GRAPH_NODES, edges=GRAPH_EDGES, highlight=GRAPH_OUTPUTS, ax=None,
               edge_labels=None):
    """Draw a computational graph left to right; `highlight` maps node -> caption.

    `edge_labels` maps (source, target) -> text written on that edge, e.g. a local gradient.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(12, 6))
    for a, b in edges:
        (xa, ya, _), (xb, yb, _) = nodes[a], nodes[b]
        ax.annotate("", xy=(xb, yb), xytext=(xa, ya),
                    arrowprops=dict(arrowstyle="-|>", color="0.45", shrinkA=14, shrinkB=14))
        if edge_labels and (a, b) in edge_labels:
            ax.text((xa + xb) / 2, (ya + yb) / 2, edge_labels[(a, b)], fontsize=8,
                    color="tab:red", ha="center", va="bottom")
    for name, (x, y, label) in nodes.items():
        leaf = name[0] in "xwy" and name[1:].isdigit() or name == "y"
        face = "tab:orange" if name in highlight else ("white" if leaf else "#dbe9f6")
        ax.text(x, y, label, ha="center", va="center", fontsize=11,
                bbox=dict(boxstyle="round,pad=0.35", fc=face, ec="0.3"))
        if name in highlight:
            ax.text(x, y - 0.55, f"'{highlight[name]}'", ha="center", va="top", fontsize=8,
                    color="tab:orange")
    ax.set_xlim(-0.6, max(x for x, _, _ in nodes.values()) + 0.8)
    ax.set_ylim(max(y for _, y, _ in nodes.values()) + 0.8, -0.9)
    ax.axis("off")
    return ax


# Local gradient of each edge of the graph: d(target) / d(source). Edges into a `+` node carry
# a local gradient of 1 and are left unlabelled.
GRAPH_LOCAL_GRADIENTS = {
    ("x0", "m0"): "$w_1$", ("w1", "m0"): "$x_0$", ("x1", "m1"): "$w_2$", ("w2", "m1"): "$x_1$",
    ("x2", "m2"): "$w_3$", ("w3", "m2"): "$x_2$", ("x3", "m3"): "$w_4$", ("w4", "m3"): "$x_3$",
    ("x4", "m4"): "$w_5$", ("w5", "m4"): "$x_4$",
    ("m2", "sin"): "$\\cos(w_3x_2)$", ("s01", "sq"): "$2(\\ldots)$", ("a5", "exp"): "exp",
    ("a6", "tanh"): "$1-\\tanh^2$", ("sin", "prod"): "$w_4x_3{+}w_5x_4$",
    ("s34", "prod"): "$\\sin(w_3x_2)$", ("a7", "sig"): "$\\sigma(1-\\sigma)$",
    ("sig", "m8"): "$w_9$", ("w9", "m8"): "$\\sigma$", ("yp", "loss"): "$-2(y-\\hat y)$",
}


def draw_backward_graph(gradients=None, ax=None):
    """The graph of `draw_graph` with each edge's local gradient written on it.

    Backpropagation multiplies these along every path from the loss back to a weight.
    `gradients` maps weight node ("w1" ... "w9") -> a number, shown beside that weight as
    dL/dw, e.g. `{f"w{k}": grads[f"dw{k}"] for k in range(1, 10)}` from `backward_propagation`.
    """
    ax = draw_graph(highlight={}, ax=ax, edge_labels=GRAPH_LOCAL_GRADIENTS)
    for name, value in (gradients or {}).items():
        if not (name.startswith("w") and name in GRAPH_NODES):
            raise KeyError(f"no weight {name!r} in the graph: its weights are 'w1' ... 'w9'")
        x, y, _ = GRAPH_NODES[name]
        ax.text(x - 0.35, y + 0.05, f"$\\partial L/\\partial w_{name[1:]}$\n= {float(value):.4g}",
                ha="right", va="center", fontsize=7.5, color="tab:purple")
    return ax
