"""Sample submissions of assignment 2: typical mistakes and correct variants."""
from autograder.samples import Sample

BACKWARD = '''def backward_propagation(x, y, w, forward_dict):
    exp, tanh, sig = forward_dict["exp"], forward_dict["tanh"], forward_dict["sigmoid"]
    dy_pred = forward_dict["dy_pred"]
    d_tanh_in = dy_pred * {tanh_factor}
    d_exp_in = d_tanh_in{exp_factor}
    d_s = d_exp_in{square_factor}
    d_sig_in = dy_pred * {w9_factor}{sigmoid_factor}
    d_u = d_sig_in * np.sin(w[2] * x[2])
    d_sin = d_sig_in * (w[3] * x[3] + w[4] * x[4])
    grads = {{"dw1": d_s * x[0], "dw3": d_sin * {sin_derivative}(w[2] * x[2]){x2_factor},
             "dw4": d_u * x[3], "dw5": d_u * x[4], "dw6": d_exp_in, "dw7": d_tanh_in,
             "dw8": d_sig_in, "dw9": dy_pred * sig}}
    grads["dw2"] = d_s * x[1]{comma}
    return grads'''


def backward(tanh_factor="(1 - tanh ** 2)", w9_factor="w[8] * ", sigmoid_factor="sig * (1 - sig)",
             sin_derivative="np.cos", comma="", exp_factor=" * exp",
             square_factor=" * 2 * (w[0] * x[0] + w[1] * x[1])", x2_factor=" * x[2]"):
    """The reference backward_propagation with one factor of the chain rule changed."""
    return BACKWARD.format(tanh_factor=tanh_factor, w9_factor=w9_factor, sigmoid_factor=sigmoid_factor,
                           sin_derivative=sin_derivative, comma=comma, exp_factor=exp_factor,
                           square_factor=square_factor, x2_factor=x2_factor)


DENSE = '''class Dense:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        self.output = inputs @ self.weights + self.biases

    def backward(self, dvalues):
        n = len(dvalues)
        self.dweights = self.inputs.T @ dvalues{weights_scale}
        self.dbiases = np.sum(dvalues, axis={bias_axis}, keepdims=True){bias_scale}{bias_shape}
        self.dinputs = dvalues @ self.weights.T{inputs_scale}'''

SOFTMAX_CE_NNFS = '''class SoftmaxCrossEntropy:
    def __init__(self):
        self.activation = Softmax()
        self.loss = CategoricalCrossEntropy()

    def forward(self, inputs, y_true):
        self.activation.forward(inputs)
        self.output = self.activation.output
        return self.loss.calculate(self.output, y_true)

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        if len(y_true.shape) == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = {dinputs}
        self.dinputs[range(samples), y_true] -= 1
        self.dinputs = self.dinputs{divide}'''

CROSS_ENTROPY = '''class CategoricalCrossEntropy:
    def forward(self, y_pred, y_true):
        y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if y_true.ndim == 2:
            y_true = y_true.argmax(axis=1)
        self.output = -np.log(y_pred[np.arange(len(y_pred)), y_true])
        return self.output{forward_mean}

    def calculate(self, output, y):
        return self.forward(output, y).{reduce}()

    def backward(self, dvalues, y_true):
        if y_true.ndim == 1:
            y_true = np.eye(dvalues.shape[1])[y_true]
        self.dinputs = -y_true / dvalues / len(dvalues){twice}'''


TANH_CELL = "backward_propagation_tanh_branch_at_several_points"
SIGMOID_CELL = "backward_propagation_sigmoid_branch_at_several_points"
DENSE_CELL = "dense_forward_and_backward_values_and_shapes"
WORKED = '''delta3 = {delta3}
dW3 = np.outer(delta3, a2); db3 = delta3
delta2 = (W3.T @ delta3) * (s2 > 0)
dW2 = np.outer(delta2, {below2}); db2 = delta2
delta1 = {delta1}
dW1 = np.outer(delta1, x); db1 = delta1'''


def worked(delta3="a3 - target", below2="a1", delta1="(W2.T @ delta2) * (s1 > 0)"):
    """The reference worked example backwards with one step changed."""
    return WORKED.format(delta3=delta3, below2=below2, delta1=delta1)


SAMPLES = [
    Sample(
        "mistake-tanh-factor-dropped",
        "the factor 1 - tanh**2 (the derivative of tanh) is dropped from the chain",
        cells={"backward_propagation": backward(tanh_factor="1")},
        loses=(TANH_CELL,),
        mentions=("backward_propagation at test point 0['dw1']",
                  "likely mistake: the factor 1 - tanh**2 (the derivative of tanh) is dropped"),
    ),
    Sample(
        "mistake-exp-factor-dropped",
        "the factor exp (the derivative of exp) is dropped from the chain",
        cells={"backward_propagation": backward(exp_factor="")},
        loses=(TANH_CELL,),
        mentions=("backward_propagation at test point 0['dw1']", "likely mistake: the factor exp (the derivative of exp)"),
    ),
    Sample(
        "mistake-square-factor-dropped",
        "the factor 2 (w1 x0 + w2 x1) (the derivative of the square) is dropped from the chain",
        cells={"backward_propagation": backward(square_factor="")},
        loses=(TANH_CELL,),
        mentions=("backward_propagation at test point 0['dw1']", "likely mistake: the factor 2 (w1 x0 + w2 x1)"),
    ),
    Sample(
        "mistake-x2-factor-dropped",
        "the inner factor x2 of sin(w3 x2) is dropped from the chain",
        cells={"backward_propagation": backward(x2_factor="")},
        loses=(SIGMOID_CELL,),
        mentions=("backward_propagation at test point 3['dw3']", "likely mistake: the inner factor x2 of sin(w3 x2)"),
    ),
    Sample(
        "mistake-gradient-is-a-tuple",
        "a gradient is a tuple of one number (a trailing comma after the value makes a tuple): "
        "each gradient is a single number",
        cells={"backward_propagation": backward(comma=",")},
        loses=(TANH_CELL,),
        mentions=("backward_propagation at test point 0['dw2']: received a tuple of length 1",
                  "a trailing comma after a value makes a tuple"),
    ),
    Sample(
        "mistake-sin-derivative-is-sin",
        "the derivative of sin(w3 x2) is taken as sin; it is cos(w3 x2)",
        cells={"backward_propagation": backward(sin_derivative="np.sin")},
        loses=(SIGMOID_CELL,),
        mentions=("backward_propagation at test point 3['dw3']",
                  "likely mistake: the derivative of sin(w3 x2) is taken as sin"),
    ),
    Sample(
        "mistake-sigmoid-factor-dropped",
        "the factor sigmoid * (1 - sigmoid) (the derivative of the sigmoid) is dropped from the chain",
        cells={"backward_propagation": backward(sigmoid_factor="1")},
        loses=(SIGMOID_CELL,),
        mentions=("backward_propagation at test point 3['dw3']",
                  "likely mistake: the factor sigmoid * (1 - sigmoid) (the derivative of the sigmoid) is dropped"),
    ),
    Sample(
        "mistake-w9-factor-dropped",
        "the factor w9 (from y_pred = tanh + w9 * sigmoid) is dropped from the chain",
        cells={"backward_propagation": backward(w9_factor="")},
        loses=(SIGMOID_CELL,),
        mentions=("backward_propagation at test point 3['dw3']", "likely mistake: the factor w9 (from y_pred"),
    ),
    Sample(
        "mistake-dense-averaged-twice",
        "Dense.backward divides by the batch size, which the loss already did: the gradient is averaged twice",
        cells={"Dense": DENSE.format(weights_scale=" / n", bias_axis=0, bias_scale=" / n", bias_shape="", inputs_scale=" / n")},
        loses=(DENSE_CELL,),
        mentions=("Dense(3, 2) on a batch of 4: dinputs", "likely mistake: Dense.backward divides by the batch size"),
    ),
    Sample(
        "mistake-dense-bias-wrong-axis",
        "dbiases is summed over the wrong axis: axis=1 sums over the neurons; the batch is axis 0",
        cells={"Dense": DENSE.format(weights_scale="", bias_axis=1, bias_scale="", bias_shape="", inputs_scale="")},
        loses=(DENSE_CELL,),
        mentions=("Dense(3, 2) on a batch of 4: dbiases has shape (4, 1)",
                  "likely mistake: dbiases is summed over the wrong axis"),
    ),
    Sample(
        "mistake-dense-bias-column",
        "dbiases is a column (n_neurons, 1); the bias gradient is a row (1, n_neurons), like the biases",
        cells={"Dense": DENSE.format(weights_scale="", bias_axis=0, bias_scale="", bias_shape=".reshape(-1, 1)", inputs_scale="")},
        loses=(DENSE_CELL,),
        mentions=("Dense(3, 2) on a batch of 4: dbiases has shape (2, 1)", "likely mistake: dbiases is a column"),
    ),
    Sample(
        "mistake-dense-bias-summed-over-everything",
        "dbiases is summed over everything; sum over the batch axis only",
        cells={"Dense": DENSE.format(weights_scale="", bias_axis=None, bias_scale="", bias_shape="", inputs_scale="")},
        loses=(DENSE_CELL,),
        mentions=("Dense(3, 2) on a batch of 4: dbiases", "likely mistake: dbiases is summed over everything"),
    ),
    Sample(
        "mistake-relu-writes-into-dvalues",
        "backward writes into dvalues, the array passed in: copy it first, or build a new array (np.where, a product)",
        cells={"ReLU": '''class ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues
        self.dinputs[self.inputs <= 0] = 0'''},
        loses=("relu_backward_leaves_dvalues_unchanged",),
        mentions=("dvalues after ReLU.backward on a (6, 5) batch differs",
                  "likely mistake: backward writes into dvalues, the array passed in"),
    ),
    Sample(
        "mistake-relu-local-derivative-only",
        "dinputs is the local derivative (inputs > 0) alone: the chain-rule factor dvalues is missing",
        cells={"ReLU": '''class ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = (self.inputs > 0).astype(float)'''},
        loses=("relu_forward_and_backward_values",),
        mentions=("ReLU on a (5, 4) batch: dinputs", "likely mistake: dinputs is the local derivative (inputs > 0) alone"),
    ),
    Sample(
        "mistake-relu-mask-inverted",
        "dinputs keeps dvalues where the input is negative and zeroes it where it is positive",
        cells={"ReLU": '''class ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = np.where(self.inputs <= 0, dvalues, 0.0)'''},
        loses=("relu_forward_and_backward_values",),
        mentions=("ReLU on a (5, 4) batch: dinputs", "likely mistake: dinputs keeps dvalues where the input is negative"),
    ),
    Sample(
        "mistake-tanh-derivative-of-the-inputs",
        "Tanh.backward uses 1 - inputs**2; the derivative is 1 - tanh(inputs)**2 = 1 - output**2",
        cells={"Tanh": '''class Tanh:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.tanh(inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues * (1 - self.inputs ** 2)'''},
        loses=("tanh_forward_and_backward_values",),
        mentions=("Tanh on a (5, 4) batch: dinputs", "likely mistake: Tanh.backward uses 1 - inputs**2"),
    ),
    Sample(
        "mistake-softmax-layer-whole-batch",
        "softmax normalised over the whole batch instead of each row",
        cells={"Softmax": '''class Softmax:
    def forward(self, inputs):
        e = np.exp(inputs - np.max(inputs))
        self.output = e / np.sum(e)

    def backward(self, dvalues):
        s = self.output
        jacobians = s[:, :, None] * np.eye(s.shape[1]) - s[:, :, None] * s[:, None, :]
        self.dinputs = (jacobians @ dvalues[:, :, None])[:, :, 0]'''},
        loses=("softmax_forward_and_full_jacobian_backward",),
        mentions=("Softmax on a (4, 3) batch", "likely mistake: softmax normalised over the whole batch"),
    ),
    Sample(
        "mistake-softmax-jacobian-diagonal",
        "only the diagonal of the Jacobian is used, s * (1 - s) * dvalues; the off-diagonal terms -s_i s_j are missing",
        cells={"Softmax": '''class Softmax:
    def forward(self, inputs):
        e = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = e / np.sum(e, axis=1, keepdims=True)

    def backward(self, dvalues):
        self.dinputs = self.output * (1 - self.output) * dvalues'''},
        loses=("softmax_forward_and_full_jacobian_backward",),
        mentions=("Softmax on a (4, 3) batch: dinputs", "likely mistake: only the diagonal of the Jacobian is used"),
    ),
    Sample(
        "mistake-softmax-jacobian-whole-batch",
        "the Jacobian is applied to the whole batch at once instead of row by row",
        cells={"Softmax": '''class Softmax:
    def forward(self, inputs):
        e = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = e / np.sum(e, axis=1, keepdims=True)

    def backward(self, dvalues):
        self.dinputs = self.output * (dvalues - np.sum(self.output * dvalues))'''},
        loses=("softmax_forward_and_full_jacobian_backward",),
        mentions=("Softmax on a (4, 3) batch: dinputs", "likely mistake: the Jacobian is applied to the whole batch"),
    ),
    Sample(
        "mistake-cross-entropy-forward-mean",
        "forward returns the mean; it should return one loss per sample",
        cells={"CategoricalCrossEntropy": CROSS_ENTROPY.format(forward_mean=".mean()", reduce="mean", twice="")},
        loses=("categorical_cross_entropy_losses_and_gradient",),
        mentions=("CategoricalCrossEntropy", "likely mistake: forward returns the mean"),
    ),
    Sample(
        "mistake-cross-entropy-calculate-sum",
        "calculate sums over the batch instead of averaging",
        cells={"CategoricalCrossEntropy": CROSS_ENTROPY.format(forward_mean="", reduce="sum", twice="")},
        loses=("categorical_cross_entropy_losses_and_gradient",),
        mentions=("CategoricalCrossEntropy", "likely mistake: calculate sums over the batch"),
    ),
    Sample(
        "mistake-cross-entropy-gradient-divided-twice",
        "dinputs is divided by the batch size twice",
        cells={"CategoricalCrossEntropy": CROSS_ENTROPY.format(forward_mean="", reduce="mean", twice=" / len(dvalues)")},
        loses=("categorical_cross_entropy_losses_and_gradient",),
        mentions=("CategoricalCrossEntropy with 5 integer labels: dinputs", "likely mistake: dinputs is divided by the batch size twice"),
    ),
    Sample(
        "mistake-cross-entropy-gradient-of-the-sum",
        "dinputs is not divided by the batch size (the gradient of the sum, not the mean)",
        cells={"CategoricalCrossEntropy": '''class CategoricalCrossEntropy:
    def forward(self, y_pred, y_true):
        y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if y_true.ndim == 2:
            y_true = y_true.argmax(axis=1)
        self.output = -np.log(y_pred[np.arange(len(y_pred)), y_true])
        return self.output

    def calculate(self, output, y):
        return self.forward(output, y).mean()

    def backward(self, dvalues, y_true):
        if y_true.ndim == 1:
            y_true = np.eye(dvalues.shape[1])[y_true]
        self.dinputs = -y_true / dvalues'''},
        loses=("categorical_cross_entropy_losses_and_gradient",),
        mentions=("CategoricalCrossEntropy with 5 integer labels: dinputs",
                  "likely mistake: dinputs is not divided by the batch size"),
    ),
    Sample(
        "mistake-softmax-cross-entropy-summed",
        "the loss is summed over the batch instead of averaged",
        cells={"SoftmaxCrossEntropy": SOFTMAX_CE_NNFS.format(dinputs="dvalues.copy()", divide=" / samples").replace(
            "return self.loss.calculate(self.output, y_true)", "return np.sum(self.loss.forward(self.output, y_true))")},
        loses=("softmax_cross_entropy_gradient_equals_the_chained_gradient",),
        mentions=("SoftmaxCrossEntropy", "likely mistake: the loss is summed over the batch instead of averaged"),
    ),
    Sample(
        "mistake-softmax-cross-entropy-in-place",
        "backward subtracts 1 from dvalues in place, the array passed in: start from a copy (dvalues.copy())",
        cells={"SoftmaxCrossEntropy": SOFTMAX_CE_NNFS.format(dinputs="dvalues", divide=" / samples")},
        loses=("softmax_cross_entropy_gradient_equals_the_chained_gradient",),
        mentions=("SoftmaxCrossEntropy on a (4, 3) batch with integer labels: dvalues after backward",
                  "likely mistake: backward subtracts 1 from dvalues in place"),
    ),
    Sample(
        "mistake-softmax-cross-entropy-not-divided",
        "dinputs is a - y without dividing by the batch size",
        cells={"SoftmaxCrossEntropy": SOFTMAX_CE_NNFS.format(dinputs="dvalues.copy()", divide="")},
        loses=("softmax_cross_entropy_gradient_equals_the_chained_gradient",),
        mentions=("SoftmaxCrossEntropy on a (4, 3) batch with integer labels: dinputs",
                  "likely mistake: dinputs is a - y without dividing by the batch size"),
    ),
    Sample(
        "mistake-worked-example-delta3-class-index",
        "delta3 is a3 - 1 (the class index) instead of a3 - y (the one-hot target)",
        cells={"worked_example_backward": worked(delta3="a3 - 1")},
        loses=("worked_example_backward_deltas",),
        mentions=("worked example delta3", "likely mistake: delta3 is a3 - 1 (the class index)"),
    ),
    Sample(
        "mistake-worked-example-no-relu-derivative",
        "the ReLU derivative (s1 > 0) is missing from delta1",
        cells={"worked_example_backward": worked(delta1="W2.T @ delta2")},
        loses=("worked_example_backward_deltas",),
        mentions=("worked example delta1", "likely mistake: the ReLU derivative (s1 > 0) is missing"),
    ),
    Sample(
        "mistake-worked-example-dW2-from-s1",
        "dW2 uses s1 instead of a1 = ReLU(s1)",
        cells={"worked_example_backward": worked(below2="s1")},
        loses=("worked_example_backward_weight_gradients",),
        mentions=("worked example dW2", "likely mistake: dW2 uses s1 instead of a1"),
    ),
    Sample(
        "mistake-xor-symmetric-init",
        "the hidden units all start with the same weights, a symmetry gradient descent never breaks: the "
        "network works like one hidden unit, which cannot compute XOR",
        cells={"xor_fix": '''initial = {"W1": np.full((2, 4), 0.5), "b1": np.zeros((1, 4)),
           "W2": np.full((4, 1), 0.5), "b2": np.zeros((1, 1))}
xor_params, xor_losses = train_xor(initial, lr=0.5, epochs=2000)'''},
        loses=("xor_fix_predicts_0_1_1_0",),
        mentions=("XOR predictions of the network in xor_params", "likely mistake: the hidden units all start with the same"),
    ),
    Sample(
        "correct-relu-subgradient-1-at-0",
        "ReLU's backward with the other subgradient at 0: it lets dvalues through where inputs >= 0",
        cells={"ReLU": '''class ReLU:
    def forward(self, inputs):
        self.inputs = np.asarray(inputs, dtype=float)
        self.output = np.maximum(0, self.inputs)

    def backward(self, dvalues):
        self.dinputs = np.where(self.inputs >= 0, dvalues, 0.0)'''},
    ),
    Sample(
        "correct-nnfs-book-style",
        "the classes as the nnfs book writes them: np.dot, self.inputs, dvalues.copy(), a Loss base "
        "class, per-sample Jacobians in a loop, forward returning nothing",
        cells={
            "Dense": '''class Dense:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dinputs = np.dot(dvalues, self.weights.T)''',
            "ReLU": '''class ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0''',
            "Softmax": '''class Softmax:
    def forward(self, inputs):
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        probabilities = exp_values / np.sum(exp_values, axis=1, keepdims=True)
        self.output = probabilities

    def backward(self, dvalues):
        self.dinputs = np.empty_like(dvalues)
        for index, (single_output, single_dvalues) in enumerate(zip(self.output, dvalues)):
            single_output = single_output.reshape(-1, 1)
            jacobian_matrix = np.diagflat(single_output) - np.dot(single_output, single_output.T)
            self.dinputs[index] = np.dot(jacobian_matrix, single_dvalues)''',
            "CategoricalCrossEntropy": '''class Loss:
    def calculate(self, output, y):
        sample_losses = self.forward(output, y)
        data_loss = np.mean(sample_losses)
        return data_loss


class CategoricalCrossEntropy(Loss):
    def forward(self, y_pred, y_true):
        samples = len(y_pred)
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            correct_confidences = y_pred_clipped[range(samples), y_true]
        elif len(y_true.shape) == 2:
            correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)
        negative_log_likelihoods = -np.log(correct_confidences)
        return negative_log_likelihoods

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        labels = len(dvalues[0])
        if len(y_true.shape) == 1:
            y_true = np.eye(labels)[y_true]
        self.dinputs = -y_true / dvalues
        self.dinputs = self.dinputs / samples''',
            "SoftmaxCrossEntropy": SOFTMAX_CE_NNFS.format(dinputs="dvalues.copy()", divide=" / samples"),
        },
    ),
    Sample(
        "correct-own-forward-keys-float32-and-lists",
        "its own forward_propagation with other keys and a backward in plain floats; float32 "
        "layers; lists; a vectorised softmax backward; a self-contained combined head; "
        "another XOR start",
        cells={
            "backward_propagation": '''import math


def forward_propagation(x, y, w):
    # Stores different intermediates than the provided one: the tests must pass these along.
    x, w = [float(v) for v in x], [float(v) for v in w]
    s = w[0] * x[0] + w[1] * x[1]
    e = math.exp(s * s + w[5])
    t = math.tanh(e + w[6])
    u = w[3] * x[3] + w[4] * x[4]
    z = u * math.sin(w[2] * x[2]) + w[7]
    g = float(sigmoid(z))
    y_pred = t + w[8] * g
    return {"s": s, "u": u, "z": z, "exp": e, "tanh": t, "sigmoid": g, "out": y_pred,
            "loss": (y - y_pred) ** 2, "dy_pred": 2 * (y_pred - y)}


def backward_propagation(x, y, w, forward_dict):
    f = forward_dict
    x, w = [float(v) for v in x], [float(v) for v in w]
    grads = [0.0] * 9
    top = f["dy_pred"] * (1 - f["tanh"] ** 2)
    grads[6] = top
    grads[5] = top * f["exp"]
    grads[0] = grads[5] * 2 * f["s"] * x[0]
    grads[1] = grads[5] * 2 * f["s"] * x[1]
    bottom = f["dy_pred"] * w[8] * f["sigmoid"] * (1 - f["sigmoid"])
    grads[7] = bottom
    grads[8] = f["dy_pred"] * f["sigmoid"]
    grads[3] = bottom * math.sin(w[2] * x[2]) * x[3]
    grads[4] = bottom * math.sin(w[2] * x[2]) * x[4]
    grads[2] = bottom * f["u"] * math.cos(w[2] * x[2]) * x[2]
    return {f"dw{i + 1}": g for i, g in enumerate(grads)}''',
            "Dense": '''class Dense:
    def __init__(self, n_inputs, n_neurons):
        rng = np.random.default_rng()
        self.weights = (0.1 * rng.standard_normal((n_inputs, n_neurons))).astype(np.float32)
        self.biases = np.zeros((1, n_neurons), dtype=np.float32)

    def forward(self, inputs):
        self.inputs = np.asarray(inputs, dtype=np.float32)
        self.output = self.inputs @ np.asarray(self.weights, np.float32) + np.asarray(self.biases, np.float32)
        return self.output

    def backward(self, dvalues):
        dvalues = np.asarray(dvalues, dtype=np.float32)
        self.dweights = (self.inputs.T @ dvalues).tolist()
        self.dbiases = [dvalues.sum(axis=0).tolist()]
        self.dinputs = dvalues @ np.asarray(self.weights, np.float32).T''',
            "ReLU": '''class ReLU:
    def forward(self, inputs):
        self.mask = np.asarray(inputs) > 0
        self.output = np.where(self.mask, inputs, 0.0).astype(np.float32)

    def backward(self, dvalues):
        self.dinputs = (np.asarray(dvalues) * self.mask).tolist()''',
            "Softmax": '''class Softmax:
    def forward(self, inputs):
        z = np.asarray(inputs, dtype=np.float32)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        self.output = e / e.sum(axis=1, keepdims=True)

    def backward(self, dvalues):
        # J @ g = s * (g - s . g) for each row: the Jacobian product without building J.
        s = self.output
        self.dinputs = s * (dvalues - np.sum(s * dvalues, axis=1, keepdims=True))''',
            "CategoricalCrossEntropy": '''class CategoricalCrossEntropy:
    def _onehot(self, y, k):
        y = np.asarray(y)
        return np.eye(k)[y] if y.ndim == 1 else y

    def forward(self, y_pred, y_true):
        p = np.clip(np.asarray(y_pred, dtype=np.float32), 1e-7, 1 - 1e-7)
        self.output = [float(v) for v in -np.log(np.sum(p * self._onehot(y_true, p.shape[1]), axis=1))]
        return self.output

    def calculate(self, output, y):
        losses = self.forward(output, y)
        return sum(losses) / len(losses)

    def backward(self, dvalues, y_true):
        p = np.asarray(dvalues, dtype=np.float32)
        self.dinputs = (-self._onehot(y_true, p.shape[1]) / (len(p) * p)).tolist()''',
            "SoftmaxCrossEntropy": '''class SoftmaxCrossEntropy:
    def forward(self, inputs, y_true):
        z = np.asarray(inputs, dtype=float)
        log_probs = z - np.logaddexp.reduce(z, axis=1, keepdims=True)
        self.output = np.exp(log_probs)
        y = np.asarray(y_true)
        labels = y if y.ndim == 1 else y.argmax(axis=1)
        return -log_probs[np.arange(len(z)), labels].mean()

    def backward(self, dvalues, y_true):
        y = np.asarray(y_true)
        onehot = np.eye(np.shape(dvalues)[1])[y] if y.ndim == 1 else y
        self.dinputs = [list(row) for row in (np.asarray(dvalues) - onehot) / len(onehot)]''',
            "worked_example_backward": '''delta3 = list(a3 - target)
dW3 = [[d * a for a in a2] for d in delta3]
db3 = delta3
delta2 = [sum(W3[i][j] * delta3[i] for i in range(3)) * (s2[j] > 0) for j in range(2)]
dW2 = [[d * a for a in a1] for d in delta2]
db2 = np.array(delta2).reshape(-1, 1)
delta1 = [sum(W2[i][j] * delta2[i] for i in range(2)) * (s1[j] > 0) for j in range(2)]
dW1 = [[d * v for v in x] for d in delta1]
db1 = delta1''',
            "xor_fix": '''rng = np.random.default_rng(7)
initial = {"W1": rng.uniform(-1, 1, (2, 3)), "b1": rng.uniform(-1, 1, (1, 3)),
           "W2": rng.uniform(-1, 1, (3, 1)), "b2": np.zeros((1, 1))}
xor_params, xor_losses = train_xor(initial, lr=1.0, epochs=1500)''',
        },
    ),
]
