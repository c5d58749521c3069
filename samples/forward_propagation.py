"""Sample submissions of assignment 1: typical mistakes and correct variants."""
from autograder.samples import Sample

SIGMOID_CELLS = ("sigmoid_matches_reference_values", "sigmoid_is_stable_for_large_inputs")
SOFTMAX_CELLS = ("softmax_rows_sum_to_one_and_match_reference", "softmax_is_stable_for_large_logits")
CROSS_ENTROPY_CELLS = ("categorical_cross_entropy_accepts_labels_and_one_hot",
                       "categorical_cross_entropy_clips_probabilities_at_0_and_1")

SAMPLES = [
    Sample(
        "mistake-sigmoid-sign",
        "the sign inside exp is flipped: 1 / (1 + exp(z))",
        cells={"sigmoid": "def sigmoid(z):\n    return 1 / (1 + np.exp(z))"},
        loses=SIGMOID_CELLS,
        mentions=("sigmoid of shape", "likely mistake: the sign inside exp is flipped"),
    ),
    Sample(
        "mistake-sigmoid-overflows",
        "the textbook sigmoid, which overflows for large negative z",
        cells={"sigmoid": "def sigmoid(z):\n    return 1 / (1 + np.exp(-np.asarray(z)))"},
        loses=("sigmoid_is_stable_for_large_inputs",),
        mentions=("sigmoid at |z| up to 1000 warned", "overflow"),
    ),
    Sample(
        "mistake-sigmoid-no-denominator",
        "this is exp(-z): the denominator is missing",
        cells={"sigmoid": "def sigmoid(z):\n    return np.exp(-np.asarray(z, dtype=float))"},
        loses=SIGMOID_CELLS,
        mentions=("sigmoid of shape", "likely mistake: this is exp(-z)"),
    ),
    Sample(
        "mistake-loss-not-squared",
        "the loss is (y_pred - y) without the square",
        cells={"forward_propagation": '''def forward_propagation(x, y, w):
    exp = np.exp((w[0] * x[0] + w[1] * x[1]) ** 2 + w[5])
    tanh = np.tanh(exp + w[6])
    sig = sigmoid((w[3] * x[3] + w[4] * x[4]) * np.sin(w[2] * x[2]) + w[7])
    y_pred = tanh + w[8] * sig
    return {"exp": exp, "tanh": tanh, "sigmoid": sig, "loss": y_pred - y, "dy_pred": -2 * (y - y_pred)}'''},
        loses=("forward_propagation_matches_reference_at_several_points",),
        mentions=("forward_propagation at test point", "['loss']", "without the square"),
    ),
    Sample(
        "mistake-softmax-whole-batch",
        "softmax normalised over the whole batch instead of each row",
        cells={"softmax": '''def softmax(Z):
    E = np.exp(Z - np.max(Z))
    return E / E.sum()'''},
        loses=SOFTMAX_CELLS,
        mentions=("softmax of a (4, 3) batch", "softmax normalised over the whole batch"),
    ),
    Sample(
        "mistake-softmax-columns",
        "softmax normalised over columns (axis=0) instead of rows",
        cells={"softmax": '''def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)'''},
        loses=SOFTMAX_CELLS,
        mentions=("softmax of a (4, 3) batch", "softmax normalised over columns (axis=0)"),
    ),
    Sample(
        "mistake-dense-transposed",
        "dense_forward multiplies by the transposed weights (X @ W.T)",
        cells={"dense_forward": "def dense_forward(X, W, b):\n    return X @ W.T + b"},
        loses=("dense_forward_handles_batches_and_non_square_weights",),
        mentions=("dense_forward raised ValueError", "likely mistake: dense_forward multiplies by the transposed"),
    ),
    Sample(
        "mistake-dense-no-bias",
        "the bias is not added",
        cells={"dense_forward": "def dense_forward(X, W, b):\n    return np.asarray(X) @ np.asarray(W)"},
        loses=("dense_forward_handles_batches_and_non_square_weights",),
        mentions=("dense_forward", "likely mistake: the bias is not added"),
    ),
    Sample(
        "mistake-dense-bias-subtracted",
        "the bias is subtracted",
        cells={"dense_forward": "def dense_forward(X, W, b):\n    return np.asarray(X) @ np.asarray(W) - np.asarray(b)"},
        loses=("dense_forward_handles_batches_and_non_square_weights",),
        mentions=("dense_forward", "likely mistake: the bias is subtracted"),
    ),
    Sample(
        "mistake-cross-entropy-sum",
        "the loss is summed over the batch instead of averaged",
        cells={"categorical_cross_entropy": '''def categorical_cross_entropy(probs, y):
    probs = np.clip(probs, 1e-7, 1 - 1e-7)
    y = np.asarray(y)
    if y.ndim == 2:
        y = y.argmax(axis=1)
    return -np.sum(np.log(probs[np.arange(len(probs)), y]))'''},
        loses=CROSS_ENTROPY_CELLS,
        mentions=("categorical_cross_entropy with 5 integer labels", "summed over the batch instead of averaged"),
    ),
    Sample(
        "mistake-cross-entropy-unclipped",
        "categorical_cross_entropy does not clip, so a probability of 0 gives inf",
        cells={"categorical_cross_entropy": '''def categorical_cross_entropy(probs, y):
    y = np.asarray(y)
    if y.ndim == 2:
        y = y.argmax(axis=1)
    return -np.mean(np.log(probs[np.arange(len(probs)), y]))'''},
        loses=("categorical_cross_entropy_clips_probabilities_at_0_and_1",),
        mentions=("categorical_cross_entropy of certain, wrong predictions", "nan or inf"),
    ),
    Sample(
        "mistake-worked-example-no-relu",
        "the ReLU is missing after the first layer (a1 = s1)",
        cells={"worked_example": '''s1 = W1 @ x + b1
a1 = s1
s2 = W2 @ a1 + b2
a2 = np.maximum(0, s2)
s3 = W3 @ a2 + b3
a3 = np.exp(s3 - s3.max()) / np.exp(s3 - s3.max()).sum()'''},
        loses=("worked_example_reproduces_every_layer",),
        mentions=("worked example a1", "ReLU is missing"),
    ),
    Sample(
        "correct-lists-and-float32",
        "float32 arrays, plain lists and Python floats instead of float64 arrays",
        cells={
            "sigmoid": '''def sigmoid(z):
    z = np.asarray(z, dtype=np.float32)
    return (0.5 * (1 + np.tanh(0.5 * z))).astype(np.float32)''',
            "forward_propagation": '''def forward_propagation(x, y, w):
    x, w = [float(v) for v in x], [float(v) for v in w]
    exp = math.exp((w[0] * x[0] + w[1] * x[1]) ** 2 + w[5])
    tanh = math.tanh(exp + w[6])
    sig = float(sigmoid((w[3] * x[3] + w[4] * x[4]) * math.sin(w[2] * x[2]) + w[7]))
    y_pred = tanh + w[8] * sig
    return {"exp": exp, "tanh": tanh, "sigmoid": sig, "loss": (y - y_pred) ** 2, "dy_pred": 2 * (y_pred - y)}

import math''',
            "relu": "def relu(Z):\n    return [[max(0.0, v) for v in row] for row in np.atleast_2d(Z).tolist()] if np.ndim(Z) == 2 else [max(0.0, v) for v in np.ravel(Z).tolist()]",
            "softmax": '''def softmax(Z):
    Z = np.asarray(Z, dtype=np.float32)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return (E / E.sum(axis=1, keepdims=True)).tolist()''',
        },
    ),
    Sample(
        "correct-equivalent-formulas",
        "equivalent formulas, extra dict keys, and a harmless warning in a graded call",
        cells={
            "sigmoid": '''def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1 / (1 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1 + e)
    return out''',
            "forward_propagation": '''def forward_propagation(x, y, w):
    x, w = np.asarray(x), np.asarray(w)
    a = np.dot(w[:2], x[:2])
    exp = np.exp(a * a + w[5])
    tanh = (1 - np.exp(-2 * (exp + w[6]))) / (1 + np.exp(-2 * (exp + w[6])))
    sig = sigmoid(np.dot(w[3:5], x[3:5]) * np.sin(w[2] * x[2]) + w[7])
    y_pred = tanh + w[8] * sig
    return {"a": a, "exp": exp, "tanh": tanh, "sigmoid": sig, "y_pred": y_pred,
            "loss": np.square(y - y_pred), "dy_pred": 2 * y_pred - 2 * y}''',
            "dense_forward": "def dense_forward(X, W, b):\n    return np.dot(X, W) + np.ravel(b)",
            "relu": "def relu(Z):\n    Z = np.asarray(Z, dtype=float)\n    return Z * (Z > 0)",
            "softmax": '''def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    log_norm = np.logaddexp.reduce(Z, axis=1, keepdims=True)
    return np.exp(Z - log_norm)''',
            # Warns on probabilities at 0 or 1, which the clipping test passes: nbgrader would
            # zero that grade cell for the stderr output if the course config did not drop it.
            "categorical_cross_entropy": '''import warnings

def categorical_cross_entropy(probs, y):
    probs = np.asarray(probs, dtype=float)
    if np.any((probs <= 0) | (probs >= 1)):
        warnings.warn("clipping probabilities to [1e-7, 1 - 1e-7]")
    probs = np.clip(probs, 1e-7, 1 - 1e-7)
    onehot = np.eye(probs.shape[1])[np.asarray(y)] if np.ndim(y) == 1 else np.asarray(y)
    return float(-np.sum(onehot * np.log(probs)) / len(probs))''',
        },
    ),
]
