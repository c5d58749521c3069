"""Sample submissions of assignment 5: typical mistakes and correct variants.

Most are built from STUDENT_MLP, an MLP written the way many students write it: its own
arithmetic instead of the provided layers, float64, one line per step. Each mistake changes
one line of it (`_with`), so a sample differs from a correct submission by exactly that bug.
"""
from autograder.samples import Sample

STUDENT_MLP = '''class MLP:
    def __init__(self, layer_sizes, activation="relu", seed=0):
        if activation not in ("relu", "tanh"):
            raise ValueError(activation)
        rng = np.random.default_rng(seed)
        self.activation = activation
        self.rng = rng
        self.layers = []
        for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
            layer = Dense(n_in, n_out)
            layer.weights = rng.normal(0, np.sqrt(1 / n_in), (n_in, n_out))
            layer.biases = np.zeros((1, n_out))
            self.layers.append(layer)

    def forward(self, X):
        self.a = [np.asarray(X, dtype=float)]
        for i, layer in enumerate(self.layers):
            z = self.a[-1] @ layer.weights + layer.biases
            if i < len(self.layers) - 1:
                z = np.maximum(z, 0) if self.activation == "relu" else np.tanh(z)
            self.a.append(z)
        z = self.a[-1]
        e = np.exp(z - z.max(axis=1, keepdims=True))
        self.probs = e / e.sum(axis=1, keepdims=True)
        return self.probs

    def backward(self, y):
        y = np.asarray(y)
        onehot = y if y.ndim == 2 else np.eye(self.probs.shape[1])[y]
        d = (self.probs - onehot) / len(y)
        for i in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[i]
            layer.dweights = self.a[i].T @ d
            layer.dbiases = d.sum(axis=0, keepdims=True)
            if i > 0:
                d = d @ layer.weights.T
                a = self.a[i]
                d = d * (a > 0) if self.activation == "relu" else d * (1 - a ** 2)

    def train_step(self, X, y, optimizer):
        probs = self.forward(X)
        y = np.asarray(y)
        labels = y.argmax(axis=1) if y.ndim == 2 else y
        loss = -np.mean(np.log(np.clip(probs[np.arange(len(probs)), labels], 1e-7, 1 - 1e-7)))
        self.backward(y)
        optimizer.pre_update_params()
        for layer in self.layers:
            optimizer.update_params(layer)
        optimizer.post_update_params()
        return loss

    def predict(self, X):
        return np.argmax(self.forward(X), axis=1)

    def fit(self, X, y, X_val, y_val, epochs, batch_size, optimizer):
        history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
        bar = tqdm(range(epochs))
        for epoch in bar:
            order = self.rng.permutation(len(X))
            losses = []
            for start in range(0, len(X), batch_size):
                batch = order[start:start + batch_size]
                losses.append(self.train_step(X[batch], y[batch], optimizer))
                bar.set_postfix(loss=np.mean(losses))
            history["loss"].append(float(np.mean(losses)))
            history["accuracy"].append(accuracy(self.predict(X), y))
            probs = self.forward(X_val)
            labels = np.asarray(y_val).argmax(axis=1) if np.ndim(y_val) == 2 else np.asarray(y_val)
            history["val_loss"].append(-np.mean(np.log(np.clip(probs[np.arange(len(probs)), labels], 1e-7, 1))))
            history["val_accuracy"].append(accuracy(probs, y_val))
        return history'''


def _with(old: str, new: str) -> str:
    """STUDENT_MLP with one line changed: the planted mistake."""
    assert STUDENT_MLP.count(old) == 1, old
    return STUDENT_MLP.replace(old, new)


FLOAT32_MLP = '''class MLP:
    """float32 throughout, 1-D biases, Glorot-uniform weights, the provided layers for the maths."""

    def __init__(self, layer_sizes, activation="relu", seed=0):
        make = {"relu": ReLU, "tanh": Tanh}[activation]
        self.rng = np.random.default_rng(seed)
        self.layers, self.acts = [], []
        for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
            limit = np.sqrt(6 / (n_in + n_out))
            layer = Dense(n_in, n_out)
            layer.weights = self.rng.uniform(-limit, limit, (n_in, n_out)).astype(np.float32)
            layer.biases = np.zeros(n_out, dtype=np.float32)
            self.layers.append(layer)
            self.acts.append(make())
        self.acts.pop()
        self.loss = SoftmaxCrossEntropy()

    def forward(self, X):
        out = np.asarray(X, dtype=np.float32)
        for layer, act in zip(self.layers, self.acts + [None]):
            layer.forward(out)
            out = layer.output
            if act is not None:
                act.forward(out)
                out = act.output
        self.logits = out
        return softmax(out)

    def backward(self, y):
        self.loss.forward(self.logits, y)
        self.loss.backward(self.loss.output, y)
        d = self.loss.dinputs
        for layer, act in reversed(list(zip(self.layers, [None] + self.acts))):
            layer.backward(d)
            layer.dbiases = layer.dbiases.ravel()
            if act is not None:
                act.backward(layer.dinputs)
                d = act.dinputs

    def train_step(self, X, y, optimizer):
        self.forward(X)
        self.backward(y)
        loss = self.loss.calculate(self.loss.output, y)
        optimizer.pre_update_params()
        for layer in self.layers:
            optimizer.update_params(layer)
        optimizer.post_update_params()
        return np.float32(loss)

    def predict(self, X):
        return self.forward(X).argmax(axis=1).tolist()

    def fit(self, X, y, X_val, y_val, epochs, batch_size, optimizer):
        history = dict(loss=[], accuracy=[], val_loss=[], val_accuracy=[])
        y = labels_of(y)
        steps = tqdm(total=epochs * ((len(X) + batch_size - 1) // batch_size))
        for _ in range(epochs):
            perm = self.rng.permutation(len(X))
            total = 0.0
            for batch in np.array_split(perm, range(batch_size, len(X), batch_size)):
                total += self.train_step(X[batch], y[batch], optimizer) * len(batch)
                steps.update()
                steps.set_postfix(loss=total)
            history["loss"].append(total / len(X))
            history["accuracy"].append(accuracy(self.predict(X), y))
            P = self.forward(X_val)
            history["val_loss"].append(self.loss.calculate(P, y_val))
            history["val_accuracy"].append(accuracy(P, y_val))
        steps.close()
        return history'''

FORWARD_CELLS = ("mlp_forward_matches_reference_probabilities",)
BACKWARD_CELLS = ("mlp_backward_matches_numerical_gradients", "mlp_train_step_matches_reference")

SAMPLES = [
    Sample(
        "mistake-init-standard-normal",
        "initial weights drawn from N(0, 1), not scaled to the fan-in",
        cells={"MLP": _with("rng.normal(0, np.sqrt(1 / n_in), (n_in, n_out))",
                            "rng.normal(0, 1, (n_in, n_out))")},
        loses=("mlp_init_builds_layers_with_scaled_weights", "mlp_fit_learns_a_fixed_slice"),
        mentions=("MLP([784, 128, 10], activation='relu').layers[0].weights have standard deviation",
                  "likely mistake: weights drawn from N(0, 1) without scaling"),
    ),
    Sample(
        "mistake-softmax-whole-batch",
        "the softmax in forward is normalised over the whole batch",
        cells={"MLP": _with("self.probs = e / e.sum(axis=1, keepdims=True)", "self.probs = e / e.sum()")},
        # Training on these gradients fails too: the short run stays far below 85 %.
        loses=(*FORWARD_CELLS, *BACKWARD_CELLS, "mlp_fit_learns_a_fixed_slice"),
        mentions=("MLP([4, 5, 3], activation='relu').forward(X)",
                  "likely mistake: softmax normalised over the whole batch instead of each row"),
    ),
    Sample(
        "mistake-gradient-of-sum",
        "backward computes gradients of the summed loss, n times too large",
        cells={"MLP": _with("d = (self.probs - onehot) / len(y)", "d = self.probs - onehot")},
        loses=BACKWARD_CELLS,
        mentions=("layers[0].dweights", "likely mistake: gradients of the summed loss instead of the mean"),
    ),
    Sample(
        "mistake-bias-gradients-zero",
        "backward leaves the bias gradients at zero",
        cells={"MLP": _with("layer.dbiases = d.sum(axis=0, keepdims=True)",
                            "layer.dbiases = np.zeros_like(layer.biases)")},
        loses=BACKWARD_CELLS,
        mentions=("layers[0].dbiases", "likely mistake: the bias gradients are left at zero"),
    ),
    Sample(
        "mistake-predict-probabilities",
        "predict returns the probabilities instead of labels",
        cells={"MLP": _with("return np.argmax(self.forward(X), axis=1)", "return self.forward(X)")},
        loses=("mlp_predict_returns_labels",),
        mentions=("MLP([4, 6, 5]).predict(X) for 6 samples", "predict returns probabilities"),
    ),
    Sample(
        "mistake-tanh-derivative-twice",
        "tanh's derivative applied to the activation: 1 - tanh(a)**2 with a = tanh(z)",
        cells={"MLP": _with("d * (1 - a ** 2)", "d * (1 - np.tanh(a) ** 2)")},
        loses=("mlp_backward_matches_numerical_gradients",),
        mentions=("activation='tanh') with one-hot labels: layers[0].dweights",
                  "likely mistake: tanh applied twice in its derivative"),
    ),
    Sample(
        "correct-own-arithmetic-float64",
        "an MLP with its own arithmetic in float64 (LeCun-scaled weights), not the provided layers",
        cells={"MLP": STUDENT_MLP,
               "one_hot": "def one_hot(labels, n_classes=10):\n    return np.eye(n_classes, dtype=int)[np.asarray(labels)]",
               "accuracy": '''def accuracy(y_pred, y_true):
    def to_labels(y):
        y = np.array(y)
        return np.argmax(y, axis=-1) if y.ndim > 1 else y
    same = [int(a) == int(b) for a, b in zip(to_labels(y_pred), to_labels(y_true))]
    return sum(same) / len(same)'''},
    ),
    Sample(
        "correct-float32-provided-layers",
        "float32, 1-D biases, Glorot-uniform weights, list labels from predict, numpy scalars in the history",
        cells={"MLP": FLOAT32_MLP},
    ),
]
