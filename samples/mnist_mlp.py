"""Sample submissions of assignment 5: typical mistakes and correct variants.

Most are built from STEPS, the six step functions written the way many students write them:
their own arithmetic instead of the provided layers, float64, one line per step. Each mistake
changes one line of one step (`_with`), so a sample differs from a correct submission by exactly
that bug. Two correct variants write the whole class `MLP` at once, in the first step's cell,
and leave the step functions as handed out: they must be graded like everyone else.
"""
from autograder.samples import Sample

STEPS = {
    "mlp_init": '''def mlp_init(layer_sizes, activation="relu", seed=0):
    if activation not in ("relu", "tanh"):
        raise ValueError(activation)
    rng = np.random.default_rng(seed)
    layers = []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        layer = Dense(n_in, n_out)
        layer.weights = rng.normal(0, np.sqrt(1 / n_in), (n_in, n_out))
        layer.biases = np.zeros((1, n_out))
        layers.append(layer)
    return layers''',
    "mlp_forward": '''def mlp_forward(model, X):
    model.a = [np.asarray(X, dtype=float)]
    for i, layer in enumerate(model.layers):
        z = model.a[-1] @ layer.weights + layer.biases
        if i < len(model.layers) - 1:
            z = np.maximum(z, 0) if model.activation == "relu" else np.tanh(z)
        model.a.append(z)
    z = model.a[-1]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    model.probs = e / e.sum(axis=1, keepdims=True)
    return model.probs''',
    "mlp_backward": '''def mlp_backward(model, y):
    y = np.asarray(y)
    onehot = y if y.ndim == 2 else np.eye(model.probs.shape[1])[y]
    d = (model.probs - onehot) / len(y)
    for i in range(len(model.layers) - 1, -1, -1):
        layer = model.layers[i]
        layer.dweights = model.a[i].T @ d
        layer.dbiases = d.sum(axis=0, keepdims=True)
        if i > 0:
            d = d @ layer.weights.T
            a = model.a[i]
            d = d * (a > 0) if model.activation == "relu" else d * (1 - a ** 2)''',
    "mlp_train_step": '''def mlp_train_step(model, X, y, optimizer):
    probs = model.forward(X)
    y = np.asarray(y)
    labels = y.argmax(axis=1) if y.ndim == 2 else y
    loss = -np.mean(np.log(np.clip(probs[np.arange(len(probs)), labels], 1e-7, 1 - 1e-7)))
    model.backward(y)
    optimizer.pre_update_params()
    for layer in model.layers:
        optimizer.update_params(layer)
    optimizer.post_update_params()
    return loss''',
    "mlp_predict": '''def mlp_predict(model, X):
    return np.argmax(model.forward(X), axis=1)''',
    # Calls mlp_train_step itself, not model.train_step, and counts epochs with trange.
    "mlp_fit": '''from tqdm.auto import trange

def mlp_fit(model, X, y, X_val, y_val, epochs, batch_size, optimizer):
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    for epoch in trange(epochs, desc="epochs"):
        order = model.rng.permutation(len(X))
        losses = []
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            losses.append(mlp_train_step(model, X[batch], y[batch], optimizer))
        history["loss"].append(float(np.mean(losses)))
        history["accuracy"].append(accuracy(mlp_predict(model, X), y))
        probs = mlp_forward(model, X_val)
        labels = np.asarray(y_val).argmax(axis=1) if np.ndim(y_val) == 2 else np.asarray(y_val)
        history["val_loss"].append(-np.mean(np.log(np.clip(probs[np.arange(len(probs)), labels], 1e-7, 1))))
        history["val_accuracy"].append(accuracy(probs, y_val))
    return history''',
}

SIGNATURES = {"mlp_init": "(layer_sizes, activation='relu', seed=0)", "mlp_forward": "(model, X)",
              "mlp_backward": "(model, y)", "mlp_train_step": "(model, X, y, optimizer)",
              "mlp_predict": "(model, X)",
              "mlp_fit": "(model, X, y, X_val, y_val, epochs, batch_size, optimizer)"}
# The step cells as handed out, for students who write the whole class instead.
UNTOUCHED_STEPS = {name: f"def {name}{signature}:\n    # YOUR CODE HERE\n    raise NotImplementedError()"
                   for name, signature in SIGNATURES.items()}


def _with(step: str, old: str, new: str) -> dict:
    """STEPS with one line of one step changed: the planted mistake."""
    assert STEPS[step].count(old) == 1, old
    return {**STEPS, step: STEPS[step].replace(old, new)}


WHOLE_CLASS = '''class MLP:
    """The whole class at once, its own arithmetic, LeCun-scaled float64 weights."""

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

FLOAT32_CLASS = '''class MLP:
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

ONE_HOT = "one_hot_matches_reference"
ACCURACY = "accuracy_accepts_labels_one_hot_and_probabilities"
INIT = "mlp_init_builds_layers_with_scaled_weights"
FORWARD = "mlp_forward_returns_row_wise_probabilities"
BACKWARD = "mlp_backward_fills_the_gradients_of_the_mean_loss"
TRAIN_STEP = "mlp_train_step_returns_the_loss_and_updates_every_layer"
PREDICT = "mlp_predict_returns_labels"
FIT = "mlp_fit_shuffles_each_epoch_and_keeps_a_history"

SAMPLES = [
    Sample(
        "mistake-accuracy-count",
        "the number of correct samples instead of their share",
        cells={"accuracy": '''def accuracy(y_pred, y_true):
    def labels(y):
        y = np.asarray(y)
        return y.argmax(axis=1) if y.ndim == 2 else y
    return np.sum(labels(y_pred) == labels(y_true))'''},
        loses=(ACCURACY,),
        mentions=("accuracy(labels, labels)", "likely mistake: the number of correct samples instead of their share"),
    ),
    Sample(
        "mistake-accuracy-entrywise",
        "one-hot rows compared entry by entry instead of row by row",
        cells={"accuracy": '''def accuracy(y_pred, y_true):
    def rows(y):
        y = np.asarray(y)
        return one_hot(y.argmax(axis=1), y.shape[1]) if y.ndim == 2 else one_hot(y)
    return np.mean(rows(y_pred) == rows(y_true))'''},
        loses=(ACCURACY,),
        mentions=("accuracy(labels, labels)", "likely mistake: one-hot rows compared entry by entry"),
    ),
    Sample(
        "mistake-init-standard-normal",
        "initial weights drawn from N(0, 1), not scaled to the fan-in: multiply them by sqrt(2 / n_inputs) (He)",
        cells=_with("mlp_init", "rng.normal(0, np.sqrt(1 / n_in), (n_in, n_out))", "rng.normal(0, 1, (n_in, n_out))"),
        loses=(INIT,),
        mentions=("MLP([784, 128, 10]).layers[0].weights", "likely mistake: initial weights drawn from N(0, 1)"),
    ),
    Sample(
        "mistake-init-dense-default",
        "initial weights of 0.01 x N(0, 1) (Dense's default), far too small for a unit with many inputs: "
        "scale them to the fan-in, e.g. sqrt(2 / n_inputs) (He)",
        cells=_with("mlp_init", "layer.weights = rng.normal(0, np.sqrt(1 / n_in), (n_in, n_out))\n        ", ""),
        loses=(INIT,),
        mentions=("MLP([784, 128, 10]).layers[0].weights", "likely mistake: initial weights of 0.01 x N(0, 1)"),
    ),
    Sample(
        "mistake-forward-logits",
        "forward returns the logits: apply the softmax",
        cells=_with("mlp_forward", "    return model.probs", "    return z"),
        # backward reads the probabilities forward kept, which are right: only the returned value is wrong.
        loses=(FORWARD, TRAIN_STEP),
        mentions=("MLP([4, 5, 3], activation='relu').forward(X)", "likely mistake: forward returns the logits"),
    ),
    Sample(
        "mistake-softmax-whole-batch",
        "softmax normalised over the whole batch instead of each row",
        cells=_with("mlp_forward", "model.probs = e / e.sum(axis=1, keepdims=True)", "model.probs = e / e.sum()"),
        loses=(FORWARD, BACKWARD, TRAIN_STEP),
        mentions=("MLP([4, 5, 3], activation='relu').forward(X)",
                  "likely mistake: softmax normalised over the whole batch instead of each row"),
    ),
    Sample(
        "mistake-gradient-of-sum",
        "gradients of the summed loss instead of the mean: divide (P - Y) by the batch size",
        cells=_with("mlp_backward", "d = (model.probs - onehot) / len(y)", "d = model.probs - onehot"),
        loses=(BACKWARD, TRAIN_STEP),
        mentions=("layers[0].dweights", "likely mistake: gradients of the summed loss instead of the mean"),
    ),
    Sample(
        "mistake-bias-gradients-zero",
        "the bias gradients are left at zero",
        cells=_with("mlp_backward", "layer.dbiases = d.sum(axis=0, keepdims=True)",
                    "layer.dbiases = np.zeros_like(layer.biases)"),
        loses=(BACKWARD, TRAIN_STEP),
        mentions=("layers[1].dbiases", "likely mistake: the bias gradients are left at zero"),
    ),
    Sample(
        "mistake-tanh-derivative-twice",
        "tanh applied twice in its derivative: use 1 - a**2 with the activation a = tanh(z), not 1 - tanh(a)**2",
        cells=_with("mlp_backward", "d * (1 - a ** 2)", "d * (1 - np.tanh(a) ** 2)"),
        loses=(BACKWARD,),
        mentions=("activation='tanh') with one-hot labels: layers[0].dweights",
                  "likely mistake: tanh applied twice in its derivative"),
    ),
    Sample(
        "mistake-train-step-loss-summed",
        "the loss is summed over the batch instead of averaged",
        cells=_with("mlp_train_step", "loss = -np.mean(", "loss = -np.sum("),
        loses=(TRAIN_STEP,),
        mentions=("loss train_step returns", "likely mistake: the loss is summed over the batch instead of averaged"),
    ),
    Sample(
        "mistake-train-step-no-update",
        "the layers are not updated: call optimizer.update_params(layer) for every layer in model.layers",
        cells=_with("mlp_train_step", "        optimizer.update_params(layer)\n", "        pass\n"),
        loses=(TRAIN_STEP,),
        mentions=("after one train_step with SGD(0.5)", "likely mistake: the layers are not updated"),
    ),
    Sample(
        "mistake-train-step-no-step-count",
        "pre_update_params and post_update_params are not called, so the optimizer never counts its steps",
        cells=_with("mlp_train_step", "    optimizer.post_update_params()\n", ""),
        loses=(TRAIN_STEP,),
        mentions=("optimizer.iterations after three train_steps", "likely mistake: pre_update_params and post_update_params"),
    ),
    Sample(
        "mistake-predict-probabilities",
        "predict returns probabilities (n, n_classes): return labels with argmax(axis=1)",
        cells=_with("mlp_predict", "return np.argmax(model.forward(X), axis=1)", "return model.forward(X)"),
        loses=(PREDICT,),
        mentions=("MLP([4, 6, 5]).predict(X) for 6 samples", "likely mistake: predict returns probabilities"),
    ),
    Sample(
        "mistake-predict-one-hot",
        "predict returns one-hot rows: return labels with argmax(axis=1)",
        cells=_with("mlp_predict", "return np.argmax(model.forward(X), axis=1)",
                    "return one_hot(np.argmax(model.forward(X), axis=1), model.probs.shape[1])"),
        loses=(PREDICT,),
        mentions=("MLP([4, 6, 5]).predict(X) for 6 samples", "likely mistake: predict returns one-hot rows"),
    ),
    Sample(
        "mistake-fit-no-shuffle",
        "fit never shuffles: draw a new order each epoch, e.g. order = model.rng.permutation(len(X))",
        cells=_with("mlp_fit", "order = model.rng.permutation(len(X))", "order = np.arange(len(X))"),
        loses=(FIT,),
        mentions=("fit shuffles the minibatches of the first epoch", "likely mistake: fit never shuffles"),
    ),
    Sample(
        "mistake-fit-same-order",
        "fit shuffles with a new generator of the same seed each epoch, so every epoch has the same order",
        cells=_with("mlp_fit", "order = model.rng.permutation(len(X))",
                    "order = np.random.default_rng(0).permutation(len(X))"),
        loses=(FIT,),
        mentions=("fit shuffles in a new order each epoch", "likely mistake: fit shuffles with a new generator"),
    ),
    Sample(
        "mistake-fit-labels-not-shuffled",
        "fit shuffles the samples but not their labels: index X and y with the same order",
        cells=_with("mlp_fit", "mlp_train_step(model, X[batch], y[batch], optimizer)",
                    "mlp_train_step(model, X[batch], y[start:start + batch_size], optimizer)"),
        loses=(FIT,),
        mentions=("each minibatch's labels belong to its samples", "likely mistake: fit shuffles the samples but not their labels"),
    ),
    Sample(
        "mistake-fit-no-progress-bar",
        "fit shows no progress bar: loop over tqdm(range(epochs)) or trange(epochs), or update a tqdm bar per minibatch",
        cells=_with("mlp_fit", 'for epoch in trange(epochs, desc="epochs"):', "for epoch in range(epochs):"),
        loses=(FIT,),
        mentions=("fit shows a tqdm progress bar", "likely mistake: fit shows no progress bar"),
    ),
    Sample(
        "mistake-fit-validation-on-training-data",
        "val_accuracy measured on the training data instead of (X_val, y_val)",
        cells=_with("mlp_fit", "history[\"val_accuracy\"].append(accuracy(probs, y_val))",
                    "history[\"val_accuracy\"].append(accuracy(mlp_forward(model, X), y))"),
        loses=(FIT,),
        mentions=("history after 3 epochs with learning rate 0", "likely mistake: val_accuracy measured on the training data"),
    ),
    Sample(
        "correct-steps-own-arithmetic-float64",
        "the six steps with their own arithmetic in float64 (LeCun-scaled weights), not the provided layers; "
        "fit calls mlp_train_step directly and counts epochs with trange",
        cells={**STEPS,
               "one_hot": "def one_hot(labels, n_classes=10):\n    return np.eye(n_classes, dtype=int)[np.asarray(labels)]",
               "accuracy": '''def accuracy(y_pred, y_true):
    def to_labels(y):
        y = np.array(y)
        return np.argmax(y, axis=-1) if y.ndim > 1 else y
    same = [int(a) == int(b) for a, b in zip(to_labels(y_pred), to_labels(y_true))]
    return sum(same) / len(same)'''},
    ),
    Sample(
        "correct-whole-class-own-arithmetic",
        "the whole class MLP at once in the first step's cell (own arithmetic, float64), the steps left as handed out",
        cells={**UNTOUCHED_STEPS, "mlp_init": WHOLE_CLASS},
    ),
    Sample(
        "correct-whole-class-float32-provided-layers",
        "the whole class MLP at once: float32, 1-D biases, Glorot-uniform weights, list labels from predict, "
        "numpy scalars in the history",
        cells={**UNTOUCHED_STEPS, "mlp_init": FLOAT32_CLASS},
    ),
]
