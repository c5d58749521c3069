"""Sample submissions of assignment 4: typical optimizer mistakes and correct variants."""
from autograder.samples import Sample

SGD_CELLS = ("sgd_vanilla_steps_update_weights_and_biases", "sgd_momentum_matches_reference_over_several_steps",
             "sgd_decay_schedule_matches_reference_over_many_steps", "sgd_momentum_with_decay_matches_reference")
ADAGRAD_CELLS = ("adagrad_matches_reference_over_several_steps", "adagrad_tiny_gradients_keep_epsilon_outside_the_root")
RMSPROP_CELLS = ("rmsprop_matches_reference_over_several_steps", "rmsprop_tiny_gradients_keep_epsilon_outside_the_root")
ADAM_CELLS = ("adam_first_step_is_bias_corrected", "adam_matches_reference_over_several_steps",
              "adam_tiny_gradients_keep_epsilon_outside_the_root", "adam_decay_schedule_matches_reference_over_many_steps")


def sgd(update: str, decay: str = "self.learning_rate / (1.0 + self.decay * self.iterations)",
        count: str = "self.iterations += 1") -> str:
    """An SGD class whose momentum update, decay schedule or step count is replaced (plain steps stay right)."""
    return f'''class SGD:
    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        self.learning_rate = self.current_learning_rate = learning_rate
        self.decay, self.momentum, self.iterations = decay, momentum, 0

    def pre_update_params(self):
        self.current_learning_rate = {decay}

    def update_params(self, layer):
        if not self.momentum:
            layer.weights -= self.current_learning_rate * layer.dweights
            layer.biases -= self.current_learning_rate * layer.dbiases
            return
        if not hasattr(layer, "weight_momentums"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
{update}

    def post_update_params(self):
        {count}'''


SGD_UPDATE = '''        lr = self.current_learning_rate
        layer.weight_momentums = self.momentum * layer.weight_momentums - lr * layer.dweights
        layer.bias_momentums = self.momentum * layer.bias_momentums - lr * layer.dbiases
        layer.weights += layer.weight_momentums
        layer.biases += layer.bias_momentums'''


def adam(m_hat: str = "m / (1 - self.beta_1 ** (self.iterations + 1))",
         v_hat: str = "v / (1 - self.beta_2 ** (self.iterations + 1))",
         step: str = "m_hat / (np.sqrt(v_hat) + self.epsilon)") -> str:
    """An Adam class (state on the layer, as in the nnfs book) with one expression replaced."""
    return f'''class Adam:
    def __init__(self, learning_rate=0.001, decay=0.0, epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        self.learning_rate = self.current_learning_rate = learning_rate
        self.decay, self.epsilon, self.beta_1, self.beta_2 = decay, epsilon, beta_1, beta_2
        self.iterations = 0

    def pre_update_params(self):
        self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)

    def update_params(self, layer):
        if not hasattr(layer, "adam_state"):
            layer.adam_state = {{name: [np.zeros_like(getattr(layer, name)), np.zeros_like(getattr(layer, name))]
                                 for name in ("weights", "biases")}}
        for name, grad in (("weights", layer.dweights), ("biases", layer.dbiases)):
            state = layer.adam_state[name]
            state[0] = self.beta_1 * state[0] + (1 - self.beta_1) * grad
            state[1] = self.beta_2 * state[1] + (1 - self.beta_2) * grad ** 2
            m, v = state
            m_hat = {m_hat}
            v_hat = {v_hat}
            setattr(layer, name, getattr(layer, name) - self.current_learning_rate * {step})

    def post_update_params(self):
        self.iterations += 1'''


def cache_optimizer(name: str, signature: str, cache: str, step: str) -> str:
    """AdaGrad or RMSProp with the cache update and the step written out."""
    return f'''class {name}:
    def __init__(self, {signature}):
        self.learning_rate = self.current_learning_rate = learning_rate
        self.decay, self.epsilon, self.iterations = decay, epsilon, 0
        self.rho = locals().get("rho")
        self.caches = {{}}

    def pre_update_params(self):
        self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)

    def update_params(self, layer):
        caches = self.caches.setdefault(id(layer), [0.0, 0.0])
        for i, (param, grad) in enumerate(((layer.weights, layer.dweights), (layer.biases, layer.dbiases))):
            caches[i] = {cache}
            param -= self.current_learning_rate * {step}

    def post_update_params(self):
        self.iterations += 1'''


ADAGRAD_SIGNATURE = "learning_rate=1.0, decay=0.0, epsilon=1e-7"
RMSPROP_SIGNATURE = "learning_rate=0.001, decay=0.0, epsilon=1e-7, rho=0.9"

SAMPLES = [
    Sample(
        "mistake-adam-bias-correction-from-0",
        "Adam's bias correction counts steps from 0, dividing by 1 - beta**0 = 0 at the first step",
        cells={"Adam": adam(m_hat="m / (1 - self.beta_1 ** self.iterations)",
                            v_hat="v / (1 - self.beta_2 ** self.iterations)")},
        loses=ADAM_CELLS,
        mentions=("Adam(learning_rate=0.01), first step", "counts steps from 0", "iterations + 1"),
    ),
    Sample(
        "mistake-adam-epsilon-inside-root",
        "Adam divides by sqrt(v_hat + epsilon)",
        cells={"Adam": adam(step="m_hat / np.sqrt(v_hat + self.epsilon)")},
        loses=("adam_tiny_gradients_keep_epsilon_outside_the_root",),
        mentions=("with gradients of about 1e-4: weights", "epsilon is inside the square root"),
    ),
    Sample(
        "mistake-adam-no-bias-correction",
        "Adam uses m and v without the bias correction",
        cells={"Adam": adam(m_hat="m", v_hat="v")},
        loses=ADAM_CELLS,
        mentions=("Adam(learning_rate=0.01), first step: weights", "no bias correction"),
    ),
    Sample(
        "mistake-adagrad-no-square-root",
        "AdaGrad divides by the cache instead of its square root",
        cells={"AdaGrad": cache_optimizer("AdaGrad", ADAGRAD_SIGNATURE, "caches[i] + grad ** 2",
                                          "grad / (caches[i] + self.epsilon)")},
        loses=ADAGRAD_CELLS,
        mentions=("AdaGrad(): weights", "without the square root"),
    ),
    Sample(
        "mistake-rmsprop-without-one-minus-rho",
        "RMSProp adds the squared gradient without the factor (1 - rho)",
        cells={"RMSProp": cache_optimizer("RMSProp", RMSPROP_SIGNATURE, "self.rho * caches[i] + grad ** 2",
                                          "grad / (np.sqrt(caches[i]) + self.epsilon)")},
        loses=RMSPROP_CELLS,
        mentions=("RMSProp(): weights", "without the factor (1 - rho)"),
    ),
    Sample(
        "mistake-sgd-exponential-decay",
        "SGD's learning rate decays exponentially, lr_0 * exp(-decay * iterations)",
        cells={"SGD": sgd(SGD_UPDATE, decay="self.learning_rate * np.exp(-self.decay * self.iterations)")},
        loses=("sgd_decay_schedule_matches_reference_over_many_steps", "sgd_momentum_with_decay_matches_reference"),
        mentions=("SGD(learning_rate=0.5, decay=0.1): current_learning_rate", "decay is applied exponentially"),
    ),
    Sample(
        "mistake-sgd-never-counts-steps",
        "SGD's post_update_params forgets to count the step, so iterations stays 0 and decay never acts",
        cells={"SGD": sgd(SGD_UPDATE, count="pass")},
        loses=SGD_CELLS,
        mentions=("SGD(): iterations after 1 steps", "never counts its steps"),
    ),
    Sample(
        "mistake-momentum-adds-gradient",
        "momentum adds the gradient to the velocity instead of subtracting it",
        cells={"SGD": sgd(SGD_UPDATE.replace("- lr * layer.dweights", "+ lr * layer.dweights")
                          .replace("- lr * layer.dbiases", "+ lr * layer.dbiases"))},
        loses=("sgd_momentum_matches_reference_over_several_steps", "sgd_momentum_with_decay_matches_reference"),
        mentions=("SGD(learning_rate=0.05, momentum=0.9): weights", "momentum adds the gradient"),
    ),
    Sample(
        "mistake-train-graph-sums-losses",
        "train_graph sums the losses of an epoch instead of averaging them",
        cells={"train_graph": '''def train_graph(optimizer, X, y, w, epochs=20):
    params, epoch_losses = GraphParameters(w), []
    for _ in range(epochs):
        total = 0.0
        for x_i, y_i in zip(X, y):
            out = forward_propagation(x_i, y_i, params.weights)
            params.set_gradients(backward_propagation(x_i, y_i, params.weights, out))
            optimizer.pre_update_params(); optimizer.update_params(params); optimizer.post_update_params()
            total += out["loss"]
        epoch_losses.append(total)
    return params.weights, epoch_losses'''},
        loses=("train_graph_matches_reference_over_two_epochs",),
        mentions=("epoch losses", "summed instead of averaged"),
    ),
    Sample(
        "mistake-train-spiral-logs-stale-learning-rate",
        "train_spiral logs the learning rate before pre_update_params, one epoch late",
        cells={"train_spiral": '''def train_spiral(model, optimizer, X, y, epochs):
    history = {"epoch": [], "accuracy": [], "loss": [], "learning_rate": []}
    for epoch in range(1, epochs + 1):
        loss = model.forward(X, y)
        history["epoch"].append(epoch)
        history["loss"].append(loss)
        history["accuracy"].append(np.mean(model.loss.output.argmax(axis=1) == y))
        history["learning_rate"].append(optimizer.current_learning_rate)
        model.backward(y)
        optimizer.pre_update_params()
        for layer in model.layers:
            optimizer.update_params(layer)
        optimizer.post_update_params()
    return history'''},
        loses=("train_spiral_logs_epoch_accuracy_loss_and_learning_rate",),
        mentions=("learning_rate", "lags one epoch"),
    ),
    Sample(
        "correct-momentum-opposite-sign",
        "momentum stored with the opposite sign (v = beta v + lr g; w -= v), state in the optimizer",
        cells={"SGD": '''class SGD:
    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        self.learning_rate, self.decay, self.momentum = learning_rate, decay, momentum
        self.current_learning_rate, self.iterations, self.velocity = learning_rate, 0, {}

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1.0 / (1.0 + self.decay * self.iterations))

    def update_params(self, layer):
        for name, grad in (("weights", layer.dweights), ("biases", layer.dbiases)):
            key = (id(layer), name)
            v = self.momentum * self.velocity.get(key, 0.0) + self.current_learning_rate * grad
            self.velocity[key] = v
            setattr(layer, name, getattr(layer, name) - v)

    def post_update_params(self):
        self.iterations = self.iterations + 1'''},
    ),
    Sample(
        "correct-nnfs-book-style",
        "the classes as the nnfs book writes them: state on the layer, weight_updates, `+=`",
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
        "optimizers that keep weights and state in float32, and Adam written with the combined step size",
        cells={
            "SGD": '''class SGD:
    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        self.learning_rate = self.current_learning_rate = learning_rate
        self.decay, self.momentum, self.iterations, self.v = decay, momentum, 0, {}

    def pre_update_params(self):
        self.current_learning_rate = self.learning_rate / (1 + self.decay * self.iterations)

    def update_params(self, layer):
        for name, grad in (("weights", layer.dweights), ("biases", layer.dbiases)):
            key = (id(layer), name)
            v = np.float32(self.momentum) * self.v.get(key, np.float32(0)) - np.float32(self.current_learning_rate) * np.asarray(grad, np.float32)
            self.v[key] = v.astype(np.float32)
            setattr(layer, name, (np.asarray(getattr(layer, name), np.float32) + self.v[key]).astype(np.float32))

    def post_update_params(self):
        self.iterations += 1''',
            "Adam": '''class Adam:
    def __init__(self, learning_rate=0.001, decay=0.0, epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        self.learning_rate = self.current_learning_rate = learning_rate
        self.decay, self.epsilon, self.beta_1, self.beta_2 = decay, epsilon, beta_1, beta_2
        self.iterations, self.state = 0, {}

    def pre_update_params(self):
        self.current_learning_rate = self.learning_rate / (1 + self.decay * self.iterations)

    def update_params(self, layer):
        t = self.iterations + 1
        for name, grad in (("weights", layer.dweights), ("biases", layer.dbiases)):
            grad = np.asarray(grad, np.float32)
            m, v = self.state.get((id(layer), name), (np.zeros_like(grad), np.zeros_like(grad)))
            m = (self.beta_1 * m + (1 - self.beta_1) * grad).astype(np.float32)
            v = (self.beta_2 * v + (1 - self.beta_2) * grad * grad).astype(np.float32)
            self.state[(id(layer), name)] = (m, v)
            m_hat, v_hat = m / (1 - self.beta_1 ** t), v / (1 - self.beta_2 ** t)
            step = self.current_learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)
            setattr(layer, name, (np.asarray(getattr(layer, name), np.float32) - step).astype(np.float32))

    def post_update_params(self):
        self.iterations += 1''',
        },
    ),
]
