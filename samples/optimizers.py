"""Sample submissions of assignment 4: typical optimizer mistakes and correct variants.

A mistake's description is the hint its feedback gives ("likely mistake: ..."); the visible
checks of the notebook name the same mistakes with the same words.
"""
from autograder.samples import Sample

SGD_CELLS = ("sgd_vanilla_steps_update_weights_and_biases", "sgd_momentum_matches_reference_over_several_steps",
             "sgd_decay_schedule_matches_reference_over_many_steps", "sgd_momentum_with_decay_matches_reference")
SGD_MOMENTUM_CELLS = ("sgd_momentum_matches_reference_over_several_steps", "sgd_momentum_with_decay_matches_reference")
SGD_DECAY_CELLS = ("sgd_decay_schedule_matches_reference_over_many_steps", "sgd_momentum_with_decay_matches_reference")
ADAGRAD_CELLS = ("adagrad_matches_reference_over_several_steps", "adagrad_tiny_gradients_keep_epsilon_outside_the_root")
RMSPROP_CELLS = ("rmsprop_matches_reference_over_several_steps", "rmsprop_tiny_gradients_keep_epsilon_outside_the_root")
ADAM_CELLS = ("adam_first_step_is_bias_corrected", "adam_matches_reference_over_several_steps",
              "adam_tiny_gradients_keep_epsilon_outside_the_root", "adam_decay_schedule_matches_reference_over_many_steps")
ADAM_TINY = ("adam_tiny_gradients_keep_epsilon_outside_the_root",)

# The hints, shared with the notebook's visible checks.
MOMENTUM_ADDS = "momentum adds the gradient instead of subtracting it (v = momentum * v - lr * dw)"
MOMENTUM_IGNORED = "momentum is ignored: with momentum, w moves by the velocity v = momentum * v - lr * dw"
EXPONENTIAL = ("the decay is applied exponentially, lr_0 * exp(-decay * iterations); "
               "use lr_t = lr_0 / (1 + decay * iterations)")
NEVER_COUNTS = "the optimizer never counts its steps: post_update_params must add 1 to iterations"
ADAGRAD_NO_ROOT = "AdaGrad divides by the cache without the square root (use sqrt(cache) + epsilon)"
EPSILON_INSIDE = "epsilon is inside the square root (use sqrt(cache) + epsilon)"
ADAGRAD_LATEST = "the cache holds only the latest squared gradient: AdaGrad adds every one"
RMSPROP_NO_ONE_MINUS_RHO = ("RMSProp adds the squared gradient without the factor (1 - rho): "
                            "cache = rho * cache + (1 - rho) * dw**2")
ADAM_FROM_0 = ("Adam's bias correction counts steps from 0 (t = iterations), so the first step divides by "
               "1 - beta**0 = 0: use t = iterations + 1")
ADAM_NO_CORRECTION = "no bias correction: divide m by (1 - beta_1**t) and v by (1 - beta_2**t), t = iterations + 1"
ADAM_FROM_2 = "the bias correction counts steps from 2 (t = iterations + 2): use t = iterations + 1"
ADAM_EPSILON_INSIDE = "epsilon is inside the square root (use sqrt(v_hat) + epsilon)"
ADAM_PAPER_FORM = ("Adam in the paper's folded form, lr_t * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / "
                   "(sqrt(v) + epsilon): next to sqrt(v_hat), epsilon then acts as epsilon / sqrt(1 - beta_2**t), "
                   "about 30 times larger at the first step, which shows when gradients are tiny; "
                   "divide m_hat by sqrt(v_hat) + epsilon instead")
GRAPH_SUMS = "the epoch losses are summed instead of averaged"
GRAPH_AFTER = "each loss is computed after its update instead of before"
SPIRAL_STALE_RATE = "the learning rate is logged before pre_update_params, so it lags one epoch"
SPIRAL_PERCENT = "accuracy in percent instead of a fraction"

SIGNATURES = {
    "SGD": ("learning_rate=1.0, decay=0.0, momentum=0.0", ("momentum",)),
    "AdaGrad": ("learning_rate=1.0, decay=0.0, epsilon=1e-7", ("epsilon",)),
    "RMSProp": ("learning_rate=0.001, decay=0.0, epsilon=1e-7, rho=0.9", ("epsilon", "rho")),
    "Adam": ("learning_rate=0.001, decay=0.0, epsilon=1e-7, beta_1=0.9, beta_2=0.999", ("epsilon", "beta_1", "beta_2")),
}


def subclass(name: str, update: str, extra: str = "") -> str:
    """`name` as the notebook asks for it: a subclass of `Optimizer` with the given constructor,
    `update` as the body of update_params, and `extra` methods after it."""
    signature, own = SIGNATURES[name]
    assignments = "".join(f"\n        self.{arg} = {arg}" for arg in own)
    return f'''class {name}(Optimizer):
    def __init__(self, {signature}):
        super().__init__(learning_rate, decay){assignments}

    def update_params(self, layer):
{update}{extra}'''


SGD_UPDATE = '''        lr = self.current_learning_rate
        if not self.momentum:
            layer.weights -= lr * layer.dweights
            layer.biases -= lr * layer.dbiases
            return
        if not hasattr(layer, "weight_momentums"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
        layer.weight_momentums = self.momentum * layer.weight_momentums - lr * layer.dweights
        layer.bias_momentums = self.momentum * layer.bias_momentums - lr * layer.dbiases
        layer.weights += layer.weight_momentums
        layer.biases += layer.bias_momentums'''


def cache_update(cache: str, denominator: str = "np.sqrt(cache) + self.epsilon") -> str:
    """AdaGrad's or RMSProp's update, state in a dict keyed by the layer object."""
    return f'''        if not hasattr(self, "caches"):
            self.caches = {{}}
        caches = self.caches.setdefault(layer, {{"weights": 0.0, "biases": 0.0}})
        for name, grad in (("weights", layer.dweights), ("biases", layer.dbiases)):
            cache = caches[name]
            cache = {cache}
            caches[name] = cache
            setattr(layer, name, getattr(layer, name) - self.current_learning_rate * grad / ({denominator}))'''


ADAGRAD_CACHE = "cache + grad ** 2"
RMSPROP_CACHE = "self.rho * cache + (1 - self.rho) * grad ** 2"


def adam_update(t: str = "self.iterations + 1", m_hat: str = "m / (1 - self.beta_1 ** t)",
                v_hat: str = "v / (1 - self.beta_2 ** t)",
                step: str = "self.current_learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)") -> str:
    """Adam's update with state on the layer (as in the nnfs book), one expression replaced."""
    return f'''        if not hasattr(layer, "adam_state"):
            layer.adam_state = {{name: [np.zeros_like(getattr(layer, name)), np.zeros_like(getattr(layer, name))]
                                 for name in ("weights", "biases")}}
        t = {t}
        for name, grad in (("weights", layer.dweights), ("biases", layer.dbiases)):
            state = layer.adam_state[name]
            state[0] = self.beta_1 * state[0] + (1 - self.beta_1) * grad
            state[1] = self.beta_2 * state[1] + (1 - self.beta_2) * grad ** 2
            m, v = state
            m_hat = {m_hat}
            v_hat = {v_hat}
            setattr(layer, name, getattr(layer, name) - {step})'''


SGD_WITHOUT_BASE_CLASS = '''class SGD:
    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        self.learning_rate = self.current_learning_rate = learning_rate
        self.decay, self.momentum, self.iterations = decay, momentum, 0

    def pre_update_params(self):
        self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)

    def update_params(self, layer):
{update}

    def post_update_params(self):
        pass'''

TRAIN_GRAPH = '''def train_graph(optimizer, X, y, w, epochs=20):
    params, epoch_losses = GraphParameters(w), []
    for _ in range(epochs):
        total = 0.0
        for x_i, y_i in zip(X, y):
            out = forward_propagation(x_i, y_i, params.weights)
            params.set_gradients(backward_propagation(x_i, y_i, params.weights, out))
            optimizer.pre_update_params(); optimizer.update_params(params); optimizer.post_update_params()
            total += {loss}
        epoch_losses.append({mean})
    return params.weights, epoch_losses'''

TRAIN_SPIRAL = '''def train_spiral(model, optimizer, X, y, epochs):
    history = {{"epoch": [], "accuracy": [], "loss": [], "learning_rate": []}}
    for epoch in range(1, epochs + 1):
        loss = model.forward(X, y)
        history["epoch"].append(epoch)
        history["loss"].append(loss)
        history["accuracy"].append({accuracy})
        {early_rate}model.backward(y)
        optimizer.pre_update_params()
        for layer in model.layers:
            optimizer.update_params(layer)
        optimizer.post_update_params()
        {late_rate}
    return history'''
RATE = 'history["learning_rate"].append(optimizer.current_learning_rate)'
ACCURACY = "np.mean(model.loss.output.argmax(axis=1) == y)"

SAMPLES = [
    Sample(
        "mistake-adam-bias-correction-from-0",
        ADAM_FROM_0,
        cells={"Adam": subclass("Adam", adam_update(t="self.iterations"))},
        loses=ADAM_CELLS,
        mentions=("Adam(learning_rate=0.01), first step: weights", "division by zero", "counts steps from 0"),
    ),
    Sample(
        "mistake-adam-bias-correction-from-2",
        ADAM_FROM_2,
        cells={"Adam": subclass("Adam", adam_update(t="self.iterations + 2"))},
        loses=ADAM_CELLS,
        mentions=("Adam(learning_rate=0.01), first step: weights", "counts steps from 2"),
    ),
    Sample(
        "mistake-adam-no-bias-correction",
        ADAM_NO_CORRECTION,
        cells={"Adam": subclass("Adam", adam_update(m_hat="m", v_hat="v"))},
        loses=ADAM_CELLS,
        mentions=("Adam(learning_rate=0.01), first step: weights", "no bias correction"),
    ),
    Sample(
        "mistake-adam-epsilon-inside-root",
        ADAM_EPSILON_INSIDE,
        cells={"Adam": subclass("Adam", adam_update(
            step="self.current_learning_rate * m_hat / np.sqrt(v_hat + self.epsilon)"))},
        loses=ADAM_TINY,
        mentions=("with gradients of about 1e-4: weights", "epsilon is inside the square root"),
    ),
    Sample(
        "mistake-adam-paper-folded-form",
        ADAM_PAPER_FORM,
        cells={"Adam": subclass("Adam", adam_update(
            step="self.current_learning_rate * np.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)"
                 " * m / (np.sqrt(v) + self.epsilon)"))},
        loses=ADAM_TINY,
        mentions=("with gradients of about 1e-4: weights", "the paper's folded form"),
    ),
    Sample(
        "mistake-adagrad-no-square-root",
        ADAGRAD_NO_ROOT,
        cells={"AdaGrad": subclass("AdaGrad", cache_update(ADAGRAD_CACHE, denominator="cache + self.epsilon"))},
        loses=ADAGRAD_CELLS,
        mentions=("AdaGrad(): weights", "without the square root"),
    ),
    Sample(
        "mistake-adagrad-epsilon-inside-root",
        EPSILON_INSIDE,
        cells={"AdaGrad": subclass("AdaGrad", cache_update(ADAGRAD_CACHE, denominator="np.sqrt(cache + self.epsilon)"))},
        loses=ADAGRAD_CELLS,  # the random gradients of the first cell have small components too
        mentions=("AdaGrad(learning_rate=0.01) with gradients of about 1e-4: weights", "epsilon is inside"),
    ),
    Sample(
        "mistake-adagrad-latest-gradient-only",
        ADAGRAD_LATEST,
        cells={"AdaGrad": subclass("AdaGrad", cache_update("grad ** 2"))},
        loses=ADAGRAD_CELLS,
        mentions=("AdaGrad(): weights", "only the latest squared gradient"),
    ),
    Sample(
        "mistake-rmsprop-epsilon-inside-root",
        EPSILON_INSIDE,
        cells={"RMSProp": subclass("RMSProp", cache_update(RMSPROP_CACHE, denominator="np.sqrt(cache + self.epsilon)"))},
        loses=RMSPROP_CELLS,
        mentions=("RMSProp", "epsilon is inside the square root"),
    ),
    Sample(
        "mistake-rmsprop-without-one-minus-rho",
        RMSPROP_NO_ONE_MINUS_RHO,
        cells={"RMSProp": subclass("RMSProp", cache_update("self.rho * cache + grad ** 2"))},
        loses=RMSPROP_CELLS,
        mentions=("RMSProp(): weights", "without the factor (1 - rho)"),
    ),
    Sample(
        "mistake-sgd-exponential-decay",
        EXPONENTIAL,
        cells={"SGD": subclass("SGD", SGD_UPDATE, extra='''

    def pre_update_params(self):
        self.current_learning_rate = self.learning_rate * np.exp(-self.decay * self.iterations)''')},
        loses=SGD_DECAY_CELLS,
        mentions=("SGD(learning_rate=0.5, decay=0.1): current_learning_rate", "decay is applied exponentially"),
    ),
    Sample(
        "mistake-sgd-never-counts-steps",
        NEVER_COUNTS,
        cells={"SGD": SGD_WITHOUT_BASE_CLASS.format(update=SGD_UPDATE)},
        loses=SGD_CELLS,
        mentions=("SGD(): iterations after 1 steps", "never counts its steps"),
    ),
    Sample(
        "mistake-momentum-adds-gradient",
        MOMENTUM_ADDS,
        cells={"SGD": subclass("SGD", SGD_UPDATE.replace("- lr * layer.dweights", "+ lr * layer.dweights")
                               .replace("- lr * layer.dbiases", "+ lr * layer.dbiases"))},
        loses=SGD_MOMENTUM_CELLS,
        mentions=("SGD(learning_rate=0.05, momentum=0.9): weights", "momentum adds the gradient"),
    ),
    Sample(
        "mistake-momentum-ignored",
        MOMENTUM_IGNORED,
        cells={"SGD": subclass("SGD", '''        layer.weights = layer.weights - self.current_learning_rate * layer.dweights
        layer.biases = layer.biases - self.current_learning_rate * layer.dbiases''')},
        loses=SGD_MOMENTUM_CELLS,
        mentions=("SGD(learning_rate=0.05, momentum=0.9): weights", "momentum is ignored"),
    ),
    Sample(
        "mistake-train-graph-sums-losses",
        GRAPH_SUMS,
        cells={"train_graph": TRAIN_GRAPH.format(loss='out["loss"]', mean="total")},
        loses=("train_graph_matches_reference_over_two_epochs",),
        mentions=("epoch losses", "summed instead of averaged"),
    ),
    Sample(
        "mistake-train-graph-loss-after-update",
        GRAPH_AFTER,
        cells={"train_graph": TRAIN_GRAPH.format(loss='forward_propagation(x_i, y_i, params.weights)["loss"]',
                                                 mean="total / len(y)")},
        loses=("train_graph_matches_reference_over_two_epochs",),
        mentions=("epoch losses", "after its update instead of before"),
    ),
    Sample(
        "mistake-train-spiral-logs-stale-learning-rate",
        SPIRAL_STALE_RATE,
        cells={"train_spiral": TRAIN_SPIRAL.format(accuracy=ACCURACY, early_rate=RATE + "\n        ", late_rate="")},
        loses=("train_spiral_logs_epoch_accuracy_loss_and_learning_rate",),
        mentions=("['learning_rate']", "lags one epoch"),
    ),
    Sample(
        "mistake-train-spiral-accuracy-in-percent",
        SPIRAL_PERCENT,
        cells={"train_spiral": TRAIN_SPIRAL.format(accuracy="100 * " + ACCURACY, early_rate="", late_rate=RATE)},
        loses=("train_spiral_logs_epoch_accuracy_loss_and_learning_rate",),
        mentions=("['accuracy']", "in percent"),
    ),
    Sample(
        "correct-state-keyed-by-layer-object",
        "every optimizer a subclass of Optimizer, its state in a dict keyed by the layer object",
        cells={
            "SGD": subclass("SGD", '''        if not hasattr(self, "velocities"):
            self.velocities = {}
        v = self.velocities.setdefault(layer, [np.zeros_like(layer.weights), np.zeros_like(layer.biases)])
        v[0] = self.momentum * v[0] - self.current_learning_rate * layer.dweights
        v[1] = self.momentum * v[1] - self.current_learning_rate * layer.dbiases
        layer.weights = layer.weights + v[0]
        layer.biases = layer.biases + v[1]'''),
            "AdaGrad": subclass("AdaGrad", cache_update(ADAGRAD_CACHE)),
            "RMSProp": subclass("RMSProp", cache_update(RMSPROP_CACHE)),
            "Adam": subclass("Adam", '''        if not hasattr(self, "moments"):
            self.moments = {}
        t = self.iterations + 1
        for name, grad in (("weights", layer.dweights), ("biases", layer.dbiases)):
            m, v = self.moments.get((layer, name), (0.0, 0.0))
            m = self.beta_1 * m + (1 - self.beta_1) * grad
            v = self.beta_2 * v + (1 - self.beta_2) * grad ** 2
            self.moments[(layer, name)] = (m, v)
            m_hat, v_hat = m / (1 - self.beta_1 ** t), v / (1 - self.beta_2 ** t)
            setattr(layer, name, getattr(layer, name) - self.current_learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon))'''),
        },
    ),
    Sample(
        "correct-momentum-opposite-sign",
        "momentum stored with the opposite sign (v = beta v + lr g; w -= v), state keyed by (layer, name)",
        cells={"SGD": '''class SGD(Optimizer):
    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        super().__init__(learning_rate, decay)
        self.momentum = momentum
        self.velocity = {}

    def update_params(self, layer):
        for name, grad in (("weights", layer.dweights), ("biases", layer.dbiases)):
            v = self.momentum * self.velocity.get((layer, name), 0.0) + self.current_learning_rate * grad
            self.velocity[(layer, name)] = v
            setattr(layer, name, getattr(layer, name) - v)'''},
    ),
    Sample(
        "correct-nnfs-book-style",
        "the classes as the nnfs book writes them, the whole protocol written out without the base class: "
        "state on the layer, weight_updates, `+=`",
        cells={
            "SGD": '''class SGD:
    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.momentum = momentum

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1. / (1. + self.decay * self.iterations))

    def update_params(self, layer):
        if self.momentum:
            if not hasattr(layer, 'weight_momentums'):
                layer.weight_momentums = np.zeros_like(layer.weights)
                layer.bias_momentums = np.zeros_like(layer.biases)
            weight_updates = self.momentum * layer.weight_momentums - self.current_learning_rate * layer.dweights
            layer.weight_momentums = weight_updates
            bias_updates = self.momentum * layer.bias_momentums - self.current_learning_rate * layer.dbiases
            layer.bias_momentums = bias_updates
        else:
            weight_updates = -self.current_learning_rate * layer.dweights
            bias_updates = -self.current_learning_rate * layer.dbiases
        layer.weights += weight_updates
        layer.biases += bias_updates

    def post_update_params(self):
        self.iterations += 1''',
            "AdaGrad": '''class AdaGrad:
    def __init__(self, learning_rate=1., decay=0., epsilon=1e-7):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.epsilon = epsilon

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1. / (1. + self.decay * self.iterations))

    def update_params(self, layer):
        if not hasattr(layer, 'weight_cache'):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache += layer.dweights**2
        layer.bias_cache += layer.dbiases**2
        layer.weights += -self.current_learning_rate * layer.dweights / (np.sqrt(layer.weight_cache) + self.epsilon)
        layer.biases += -self.current_learning_rate * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)

    def post_update_params(self):
        self.iterations += 1''',
            "RMSProp": '''class RMSProp:
    def __init__(self, learning_rate=0.001, decay=0., epsilon=1e-7, rho=0.9):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.epsilon = epsilon
        self.rho = rho

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1. / (1. + self.decay * self.iterations))

    def update_params(self, layer):
        if not hasattr(layer, 'weight_cache'):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache = self.rho * layer.weight_cache + (1 - self.rho) * layer.dweights**2
        layer.bias_cache = self.rho * layer.bias_cache + (1 - self.rho) * layer.dbiases**2
        layer.weights += -self.current_learning_rate * layer.dweights / (np.sqrt(layer.weight_cache) + self.epsilon)
        layer.biases += -self.current_learning_rate * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)

    def post_update_params(self):
        self.iterations += 1''',
            "Adam": '''class Adam:
    def __init__(self, learning_rate=0.001, decay=0., epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.epsilon = epsilon
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1. / (1. + self.decay * self.iterations))

    def update_params(self, layer):
        if not hasattr(layer, 'weight_cache'):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_momentums = self.beta_1 * layer.weight_momentums + (1 - self.beta_1) * layer.dweights
        layer.bias_momentums = self.beta_1 * layer.bias_momentums + (1 - self.beta_1) * layer.dbiases
        weight_momentums_corrected = layer.weight_momentums / (1 - self.beta_1 ** (self.iterations + 1))
        bias_momentums_corrected = layer.bias_momentums / (1 - self.beta_1 ** (self.iterations + 1))
        layer.weight_cache = self.beta_2 * layer.weight_cache + (1 - self.beta_2) * layer.dweights**2
        layer.bias_cache = self.beta_2 * layer.bias_cache + (1 - self.beta_2) * layer.dbiases**2
        weight_cache_corrected = layer.weight_cache / (1 - self.beta_2 ** (self.iterations + 1))
        bias_cache_corrected = layer.bias_cache / (1 - self.beta_2 ** (self.iterations + 1))
        layer.weights += -self.current_learning_rate * weight_momentums_corrected / (np.sqrt(weight_cache_corrected) + self.epsilon)
        layer.biases += -self.current_learning_rate * bias_momentums_corrected / (np.sqrt(bias_cache_corrected) + self.epsilon)

    def post_update_params(self):
        self.iterations += 1''',
        },
    ),
    Sample(
        "correct-float32-weights",
        "optimizers that keep weights and state in float32, state keyed by (layer, name)",
        cells={
            "SGD": '''class SGD(Optimizer):
    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        super().__init__(learning_rate, decay)
        self.momentum, self.v = momentum, {}

    def update_params(self, layer):
        for name, grad in (("weights", layer.dweights), ("biases", layer.dbiases)):
            key = (layer, name)
            v = np.float32(self.momentum) * self.v.get(key, np.float32(0)) - np.float32(self.current_learning_rate) * np.asarray(grad, np.float32)
            self.v[key] = v.astype(np.float32)
            setattr(layer, name, (np.asarray(getattr(layer, name), np.float32) + self.v[key]).astype(np.float32))''',
            "Adam": '''class Adam(Optimizer):
    def __init__(self, learning_rate=0.001, decay=0.0, epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        super().__init__(learning_rate, decay)
        self.epsilon, self.beta_1, self.beta_2 = epsilon, beta_1, beta_2
        self.state = {}

    def update_params(self, layer):
        t = self.iterations + 1
        for name, grad in (("weights", layer.dweights), ("biases", layer.dbiases)):
            grad = np.asarray(grad, np.float32)
            m, v = self.state.get((layer, name), (np.zeros_like(grad), np.zeros_like(grad)))
            m = (self.beta_1 * m + (1 - self.beta_1) * grad).astype(np.float32)
            v = (self.beta_2 * v + (1 - self.beta_2) * grad * grad).astype(np.float32)
            self.state[(layer, name)] = (m, v)
            m_hat, v_hat = m / (1 - self.beta_1 ** t), v / (1 - self.beta_2 ** t)
            step = self.current_learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)
            setattr(layer, name, (np.asarray(getattr(layer, name), np.float32) - step).astype(np.float32))''',
        },
    ),
]
