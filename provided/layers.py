"""The layers of assignment 2, as solved there: Dense, ReLU, Tanh, Softmax and two losses.

Provided code (autograder/provided.py): release fills these definitions into the notebooks whose
provided cells name them (`from provided.layers import ...`). They are answers of assignment 2,
so this folder never ships; a notebook holding them opens only once assignment 2 is closed.
"""
import numpy as np


class Dense:
    """A fully connected layer: output = inputs @ weights + biases.

    weights (n_inputs, n_neurons) start as 0.01 * N(0, 1), biases (1, n_neurons) at 0; seed is
    an int or a np.random.Generator (several layers may share one). Arrays keep the dtype they
    are given, so float32 weights and inputs compute in float32.
    """

    def __init__(self, n_inputs, n_neurons, seed=None):
        rng = np.random.default_rng(seed)
        self.weights = 0.01 * rng.standard_normal((n_inputs, n_neurons))
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        self.output = inputs @ self.weights + self.biases

    def backward(self, dvalues, need_dinputs=True):
        """dweights, dbiases and, unless need_dinputs=False, dinputs.

        A network's first layer may skip dinputs: nothing uses the gradient with respect to
        the data, and it costs a third of the layer's arithmetic.
        """
        self.dweights = self.inputs.T @ dvalues
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dinputs = dvalues @ self.weights.T if need_dinputs else None


class ReLU:
    """max(0, inputs) elementwise; backward lets dvalues through where the input was positive."""

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues * (self.inputs > 0)


class Tanh:
    """tanh(inputs) elementwise; its derivative is 1 - tanh**2 = 1 - output**2."""

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.tanh(inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues * (1 - self.output ** 2)


class Softmax:
    """Row-wise softmax, stable for large inputs; backward multiplies by each row's full
    Jacobian diag(s) - s s^T."""

    def forward(self, inputs):
        self.inputs = inputs
        exp = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp / np.sum(exp, axis=1, keepdims=True)

    def backward(self, dvalues):
        self.dinputs = np.empty_like(dvalues, dtype=float)
        for i, (s, ds) in enumerate(zip(self.output, dvalues)):
            self.dinputs[i] = (np.diag(s) - np.outer(s, s)) @ ds


def labels_of(y_true):
    """Class indices (n,) from integer labels (n,) or one-hot rows (n, k)."""
    y_true = np.asarray(y_true)
    return y_true.argmax(axis=1) if y_true.ndim == 2 else y_true.astype(int)


class CategoricalCrossEntropy:
    """Cross-entropy of probabilities (n, k), clipped to [1e-7, 1 - 1e-7], for integer labels
    (n,) or one-hot labels (n, k).

    forward(y_pred, y_true) stores and returns the per-sample losses, calculate(output, y_true)
    their mean; backward(dvalues, y_true), called with the probabilities, stores
    -onehot / dvalues / n.
    """

    def forward(self, y_pred, y_true):
        correct = y_pred[np.arange(len(y_pred)), labels_of(y_true)]
        self.output = -np.log(np.clip(correct, 1e-7, 1 - 1e-7))
        return self.output

    def calculate(self, output, y_true):
        return float(np.mean(self.forward(output, y_true)))

    def backward(self, dvalues, y_true):
        rows, labels = np.arange(len(dvalues)), labels_of(y_true)
        self.dinputs = np.zeros_like(dvalues, dtype=float)
        self.dinputs[rows, labels] = -1 / dvalues[rows, labels] / len(dvalues)


class SoftmaxCrossEntropy:
    """Softmax followed by the mean cross-entropy, in one step.

    forward(inputs, y_true) stores the probabilities in self.output and returns the mean loss;
    backward(dvalues, y_true), called with the probabilities, stores (probs - onehot) / n.
    """

    def forward(self, inputs, y_true):
        exp = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp / np.sum(exp, axis=1, keepdims=True)
        return self.calculate(self.output, y_true)

    @staticmethod
    def calculate(probs, y_true):
        """Mean cross-entropy of probabilities (n, k), clipped to [1e-7, 1 - 1e-7]."""
        correct = probs[np.arange(len(probs)), labels_of(y_true)]
        return float(np.mean(-np.log(np.clip(correct, 1e-7, 1 - 1e-7))))

    def backward(self, dvalues, y_true):
        self.dinputs = dvalues.copy()
        self.dinputs[np.arange(len(dvalues)), labels_of(y_true)] -= 1
        self.dinputs /= len(dvalues)
