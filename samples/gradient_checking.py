"""Sample submissions of assignment 3: typical mistakes and correct variants."""
from autograder.samples import Sample

NUMERICAL_VALUES = "numerical_gradient_matches_closed_form_gradients"
LEAVES_X = "numerical_gradient_leaves_x_exactly_as_found"
RELATIVE_VALUES = "relative_error_matches_the_formula_for_several_shapes"
GRADIENT_CHECKING_CELLS = ("gradient_checking_is_tiny_for_the_correct_backward_propagation",
                           "gradient_checking_measures_the_error_of_a_wrong_backward_propagation")
FIND_BUGGY_EXACT = "find_buggy_flags_exactly_the_buggy_candidates"
FIND_BUGGY_NONE = "find_buggy_flags_nothing_when_all_are_correct"


def _numerical_gradient(update: str) -> str:
    """A numerical_gradient whose loop body is `update` (indented by 8 spaces)."""
    return ("def numerical_gradient(f, x, eps=1e-5):\n"
            "    grad = np.zeros(x.shape)\n"
            "    for i in np.ndindex(x.shape):\n" + update)


SAMPLES = [
    Sample(
        "mistake-one-sided-difference",
        "a one-sided difference (f(x + eps) - f(x)) / eps instead of the centred one",
        cells={"numerical_gradient": _numerical_gradient('''        f0 = f(x)
        old = x[i]
        x[i] = old + eps
        grad[i] = (f(x) - f0) / eps
        x[i] = old
    return grad''')},
        loses=(NUMERICAL_VALUES,),
        mentions=("numerical_gradient of 0.5 x.A.x + c.x", "likely mistake: a one-sided difference"),
    ),
    Sample(
        "mistake-denominator-eps",
        "divided by eps instead of 2 * eps",
        cells={"numerical_gradient": _numerical_gradient('''        old = x[i]
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / eps
    return grad''')},
        loses=(NUMERICAL_VALUES,),
        mentions=("numerical_gradient of", "likely mistake: divided by eps instead of 2 * eps"),
    ),
    Sample(
        "mistake-perturbs-all-elements",
        "all elements perturbed at once instead of one at a time",
        cells={"numerical_gradient": _numerical_gradient('''        grad[i] = (f(x + eps) - f(x - eps)) / (2 * eps)
    return grad''')},
        loses=(NUMERICAL_VALUES,),
        mentions=("likely mistake: all elements perturbed at once instead of one at a time",),
    ),
    Sample(
        "mistake-perturbation-not-restored",
        "each element is left at x[i] - eps: put the saved value back after the second call of f",
        cells={"numerical_gradient": _numerical_gradient('''        x[i] += eps
        f_plus = f(x)
        x[i] -= 2 * eps
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad''')},
        loses=(NUMERICAL_VALUES, LEAVES_X),
        mentions=("x of shape (8,) (float64) after numerical_gradient, to 12 digits",
                  "likely mistake: each element is left at x[i] - eps"),
    ),
    Sample(
        "mistake-restores-by-arithmetic",
        "x[i] restored by arithmetic: x[i] + eps - eps is not always exactly x[i]; "
        "save each element and put the saved value back",
        cells={"numerical_gradient": _numerical_gradient('''        x[i] += eps
        f_plus = f(x)
        x[i] -= 2 * eps
        f_minus = f(x)
        x[i] += eps
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad''')},
        loses=(LEAVES_X,),
        mentions=("after numerical_gradient, bit for bit", "x[i] + eps - eps is not always exactly x[i]"),
    ),
    Sample(
        "mistake-relative-error-norm-of-sum",
        "divided by the norm of a + b instead of the sum of the norms",
        cells={"relative_error": '''def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if not np.any(a) and not np.any(b):
        return 0.0
    return np.linalg.norm(a - b) / np.linalg.norm(a + b)'''},
        loses=(RELATIVE_VALUES,),
        mentions=("relative_error of vectors of shape (9,)",
                  "likely mistake: divided by the norm of a + b instead of the sum of the norms"),
    ),
    Sample(
        "mistake-relative-error-norm-of-a",
        "divided by ||a|| alone instead of ||a|| + ||b||",
        cells={"relative_error": '''def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if np.linalg.norm(a) == 0:
        return 0.0 if np.linalg.norm(b) == 0 else 1.0
    return np.linalg.norm(a - b) / np.linalg.norm(a)'''},
        loses=(RELATIVE_VALUES,),
        mentions=("relative_error of vectors of shape (9,)",
                  "likely mistake: divided by ||a|| alone instead of ||a|| + ||b||"),
    ),
    Sample(
        "mistake-relative-error-matrix-norm",
        "np.linalg.norm(M, 2) of a matrix is its largest singular value, not the 2-norm of all elements",
        cells={"relative_error": '''def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.linalg.norm(a, ord=2) + np.linalg.norm(b, ord=2)
    return 0.0 if scale == 0 else np.linalg.norm(a - b, ord=2) / scale'''},
        loses=(RELATIVE_VALUES,),
        mentions=("relative_error of matrices of shape (4, 3)",
                  "likely mistake: np.linalg.norm(M, 2) of a matrix is its largest singular value"),
    ),
    Sample(
        "mistake-relative-error-zero-by-zero",
        "0 / 0 when a and b are both zero: return 0 when ||a|| + ||b|| is 0",
        cells={"relative_error": '''def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))'''},
        loses=("relative_error_is_zero_when_both_are_zero",),
        mentions=("relative_error of two zero arrays of shape (5,) differs", "division by zero"),
    ),
    Sample(
        "mistake-relative-error-either-zero",
        "0 returned when either a or b is zero: only two zero arrays agree; a zero gradient against "
        "a non-zero one has relative error 1",
        cells={"relative_error": '''def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if np.linalg.norm(a) == 0 or np.linalg.norm(b) == 0:
        return 0.0
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))'''},
        loses=("relative_error_is_zero_when_both_are_zero",),
        mentions=("relative_error of a zero and a non-zero array of shape (4,)",
                  "likely mistake: 0 returned when either a or b is zero"),
    ),
    Sample(
        "mistake-gradient-checking-column-vector",
        "the analytic and numerical gradients have different shapes, (9, 1) and (9,), so their "
        "difference broadcast to a (9, 9) matrix",
        cells={"gradient_checking": '''def gradient_checking(x, y, w, eps=1e-7):
    w = np.array(w, dtype=float)
    grads = backward_propagation(x, y, w, forward_propagation(x, y, w))
    analytic = np.array([[grads[f"dw{i}"]] for i in range(1, 10)])
    numerical = numerical_gradient(lambda v: forward_propagation(x, y, v)["loss"], w, eps)
    return relative_error(analytic, numerical)'''},
        loses=GRADIENT_CHECKING_CELLS,
        mentions=("gradient_checking at test point 0, within 1e-7 of 0",
                  "likely mistake: the analytic and numerical gradients have different shapes, (9, 1) and (9,)"),
    ),
    Sample(
        "mistake-gradient-checking-ignores-eps",
        "eps is not passed on to numerical_gradient",
        cells={"gradient_checking": '''def gradient_checking(x, y, w, eps=1e-7):
    w = np.array(w, dtype=float)
    grads = backward_propagation(x, y, w, forward_propagation(x, y, w))
    analytic = np.array([grads[f"dw{i}"] for i in range(1, 10)])
    numerical = numerical_gradient(lambda v: forward_propagation(x, y, v)["loss"], w)
    return relative_error(analytic, numerical)'''},
        loses=("gradient_checking_measures_the_error_of_a_wrong_backward_propagation",),
        mentions=("gradient_checking with eps=0.1", "likely mistake: eps is not passed on to numerical_gradient"),
    ),
    Sample(
        "mistake-find-buggy-threshold-reversed",
        "find_buggy flags the candidates whose error is below 1e-3 (the threshold test is reversed)",
        cells={"find_buggy": '''def find_buggy(candidates, x, y, w, eps=1e-7):
    w = np.array(w, dtype=float)
    numerical = numerical_gradient(lambda v: forward_propagation(x, y, v)["loss"], w, eps)
    buggy = set()
    for name, backward in candidates.items():
        grads = backward(x, y, w, forward_propagation(x, y, w))
        error = relative_error([grads[f"dw{i + 1}"] for i in range(9)], numerical)
        if error < 1e-3:
            buggy.add(name)
    return buggy'''},
        loses=(FIND_BUGGY_EXACT, FIND_BUGGY_NONE),
        mentions=("find_buggy on the notebook's CANDIDATES at test point 0",
                  "likely mistake: find_buggy flags the candidates whose error is below 1e-3"),
    ),
    Sample(
        "mistake-find-buggy-checks-backward-propagation",
        "find_buggy checks backward_propagation (through gradient_checking) instead of each candidate's "
        "own gradient",
        cells={"find_buggy": '''def find_buggy(candidates, x, y, w, eps=1e-7):
    return {name for name in candidates if gradient_checking(x, y, w, eps) > 1e-3}'''},
        loses=(FIND_BUGGY_EXACT,),
        mentions=("find_buggy on the notebook's CANDIDATES", "likely mistake: find_buggy checks backward_propagation"),
    ),
    Sample(
        "mistake-check-layer-ones",
        "dvalues is all ones (L = sum(output)): for a softmax L is then constant, and a backward that "
        "ignores dvalues looks correct; draw dvalues at random",
        cells={"check_layer": '''def check_layer(layer, inputs, eps=1e-5, seed=0):
    inputs = np.array(inputs, dtype=float)
    layer.forward(inputs)
    dvalues = np.ones_like(layer.output)
    layer.backward(dvalues)
    errors = {}

    def loss(X):
        layer.forward(X)
        return np.sum(layer.output)

    errors["dinputs"] = relative_error(layer.dinputs.copy(), numerical_gradient(loss, inputs.copy(), eps))
    if hasattr(layer, "weights"):
        dweights, dbiases = layer.dweights.copy(), layer.dbiases.copy()
        errors["dweights"] = relative_error(dweights, numerical_gradient(lambda W: loss(inputs), layer.weights, eps))
        errors["dbiases"] = relative_error(dbiases, numerical_gradient(lambda b: loss(inputs), layer.biases, eps))
    return errors'''},
        # With dvalues all ones, L = sum(softmax) is constant: both gradients are round-off noise
        # and their relative error is about 1, so even the correct Softmax fails.
        loses=("check_layer_reports_tiny_errors_for_correct_layers", "check_layer_catches_buggy_layers"),
        mentions=("check_layer on a correct Softmax, by the rule of thumb['dinputs']",
                  "likely mistake: dvalues is all ones",
                  "check_layer on a ReLU whose backward ignores dvalues, by the rule of thumb"),
    ),
    Sample(
        "mistake-check-layer-weights-copy",
        "the numerical gradient of the weights is taken of a function that never uses the perturbed "
        "array (a copy of the weights), so it is 0",
        cells={"check_layer": '''def check_layer(layer, inputs, eps=1e-5, seed=0):
    inputs = np.array(inputs, dtype=float)
    layer.forward(inputs)
    dvalues = np.random.default_rng(seed).normal(size=layer.output.shape)
    layer.backward(dvalues)

    def loss(X):
        layer.forward(X)
        return np.sum(layer.output * dvalues)

    errors = {"dinputs": relative_error(layer.dinputs.copy(), numerical_gradient(loss, inputs.copy(), eps))}
    if hasattr(layer, "weights"):
        dweights, dbiases = layer.dweights.copy(), layer.dbiases.copy()
        errors["dweights"] = relative_error(dweights, numerical_gradient(lambda W: loss(inputs), layer.weights.copy(), eps))
        errors["dbiases"] = relative_error(dbiases, numerical_gradient(lambda b: loss(inputs), layer.biases.copy(), eps))
    return errors'''},
        loses=("check_layer_reports_tiny_errors_for_correct_layers", "check_layer_catches_buggy_layers"),
        mentions=("check_layer on a correct Dense(4, 3), by the rule of thumb['dweights']",
                  "likely mistake: the numerical gradient of the weights is taken of a function that never uses"),
    ),
    Sample(
        "correct-nditer-in-place",
        "np.nditer in place, sqrt-of-sum norms, a list from find_buggy, and check_layer perturbing "
        "the layer's own arrays (cs231n style)",
        cells={
            "numerical_gradient": '''def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + eps
        fxph = f(x)
        x[ix] = oldval - eps
        fxmh = f(x)
        x[ix] = oldval
        grad[ix] = (fxph - fxmh) / (2 * eps)
        it.iternext()
    return grad''',
            "relative_error": '''def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if not np.any(a) and not np.any(b):
        return 0
    return np.sqrt(np.sum((a - b) ** 2)) / (np.sqrt(np.sum(a ** 2)) + np.sqrt(np.sum(b ** 2)))''',
            "gradient_checking": '''def gradient_checking(x, y, w, eps=1e-7):
    theta = np.asarray(w, dtype=float).copy()
    forward_dict = forward_propagation(x, y, theta)
    grads = backward_propagation(x, y, theta, forward_dict)
    analytic = np.array([grads["dw" + str(k)] for k in range(1, 10)]).reshape(-1)

    def J(t):
        return forward_propagation(x, y, t)["loss"]

    numerical = numerical_gradient(J, theta, eps).reshape(-1)
    difference = relative_error(analytic, numerical)
    if difference > 2e-7:
        print("There is a mistake in the backward propagation! difference =", difference)
    return difference''',
            "find_buggy": '''def find_buggy(candidates, x, y, w, eps=1e-7):
    theta = np.asarray(w, dtype=float).copy()
    numerical = numerical_gradient(lambda t: forward_propagation(x, y, t)["loss"], theta, eps)
    names = []
    for name in sorted(candidates):
        grads = candidates[name](x, y, theta, forward_propagation(x, y, theta))
        analytic = np.array([grads["dw" + str(k)] for k in range(1, 10)])
        if relative_error(analytic, numerical) >= 1e-5:
            names.append(name)
    return names''',
            "check_layer": '''def check_layer(layer, inputs, eps=1e-5, seed=0):
    inputs = np.array(inputs, dtype=float)
    rng = np.random.default_rng(seed)
    layer.forward(inputs)
    dout = rng.normal(size=layer.output.shape)
    layer.backward(dout)
    results = {"dinputs": relative_error(np.copy(layer.dinputs), numerical_gradient(
        lambda X: (layer.forward(X), np.sum(layer.output * dout))[1], inputs, eps))}
    for grad_name, param_name in (("dweights", "weights"), ("dbiases", "biases")):
        if hasattr(layer, param_name):
            analytic = np.copy(getattr(layer, grad_name))
            # perturbs the layer's own array in place; numerical_gradient restores it
            numeric = numerical_gradient(lambda _: (layer.forward(inputs), np.sum(layer.output * dout))[1],
                                         getattr(layer, param_name), eps)
            results[grad_name] = relative_error(analytic, numeric)
    return results''',
        },
    ),
    Sample(
        "correct-ndindex-float32",
        "np.ndindex with a gradient in x's own dtype (float32 for float32 x), np.float32 errors, "
        "and a 0-d array from gradient_checking",
        cells={
            "numerical_gradient": '''def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        keep = x[idx].copy()
        x[idx] = keep + eps
        up = f(x)
        x[idx] = keep - eps
        down = f(x)
        x[idx] = keep
        grad[idx] = (up - down) / (2 * eps)
    return grad''',
            "relative_error": '''def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return np.float32(0.0 if denominator == 0 else np.linalg.norm(a - b) / denominator)''',
            "gradient_checking": '''def gradient_checking(x, y, w, eps=1e-7):
    w = np.array(w, dtype=np.float64)
    grads = backward_propagation(x, y, w, forward_propagation(x, y, w))
    analytic = np.array([np.asarray(grads[key], dtype=np.float64) for key in sorted(grads, key=lambda k: int(k[2:]))])
    numerical = numerical_gradient(lambda v: forward_propagation(x, y, v)["loss"], w, eps)
    return np.asarray(relative_error(analytic, numerical))''',
            "check_layer": '''def check_layer(layer, inputs, eps=1e-5, seed=0):
    X = np.asarray(inputs, dtype=np.float64).copy()
    layer.forward(X)
    upstream = np.random.default_rng(seed).standard_normal(layer.output.shape)
    layer.backward(upstream)
    names = ["dinputs"] + (["dweights", "dbiases"] if hasattr(layer, "weights") else [])
    analytic = {name: np.array(getattr(layer, name)) for name in names}
    out = {"dinputs": np.float32(relative_error(
        analytic["dinputs"], numerical_gradient(lambda Z: np.sum(_output(layer, Z) * upstream), X.copy(), eps)))}
    for name, attr in (("dweights", "weights"), ("dbiases", "biases")):
        if name in names:
            original = getattr(layer, attr)
            try:
                def f(value):
                    setattr(layer, attr, value)
                    return np.sum(_output(layer, X) * upstream)
                numeric = numerical_gradient(f, original.copy(), eps)
            finally:
                setattr(layer, attr, original)
            out[name] = np.float32(relative_error(analytic[name], numeric))
    return out


def _output(layer, X):
    layer.forward(X)
    return layer.output''',
        },
    ),
    Sample(
        "correct-copy-based",
        "numerical_gradient perturbing float64 copies of x, and check_layer evaluating a deep copy of the layer",
        cells={
            "numerical_gradient": '''def numerical_gradient(f, x, eps=1e-5):
    base = np.array(x, dtype=float)
    grad = np.empty(base.shape)
    for k in range(base.size):
        plus, minus = base.copy(), base.copy()
        plus.flat[k] += eps
        minus.flat[k] -= eps
        grad.flat[k] = (f(plus) - f(minus)) / (2 * eps)
    return grad''',
            "relative_error": '''def relative_error(a, b):
    diff = np.linalg.norm(np.ravel(a) - np.ravel(b))
    total = np.linalg.norm(np.ravel(a)) + np.linalg.norm(np.ravel(b))
    return float(diff / total) if total > 0 else 0.0''',
            "find_buggy": '''def find_buggy(candidates, x, y, w, eps=1e-7):
    w = [float(v) for v in w]
    loss = lambda v: forward_propagation(x, y, v)["loss"]
    numerical = numerical_gradient(loss, np.array(w), eps)

    def error(backward):
        grads = backward(x, y, np.array(w), forward_propagation(x, y, np.array(w)))
        return relative_error(np.array([grads[f"dw{i}"] for i in range(1, 10)]), numerical)

    return {name for name, backward in candidates.items() if not error(backward) < 1e-3}''',
            "check_layer": '''import copy

def check_layer(layer, inputs, eps=1e-5, seed=0):
    inputs = np.array(inputs, dtype=float)
    probe = copy.deepcopy(layer)
    probe.forward(inputs)
    dvalues = np.random.default_rng(seed).normal(size=probe.output.shape)
    probe.backward(dvalues)

    def L(X=inputs, **parameters):  # the loss of a fresh copy of the layer, `layer` is never touched
        clone = copy.deepcopy(layer)
        for attr, value in parameters.items():
            setattr(clone, attr, value)
        clone.forward(X)
        return float(np.sum(clone.output * dvalues))

    errors = {"dinputs": relative_error(probe.dinputs, numerical_gradient(lambda X: L(X), inputs, eps))}
    if hasattr(layer, "weights"):
        errors["dweights"] = relative_error(probe.dweights, numerical_gradient(lambda W: L(weights=W), layer.weights, eps))
        errors["dbiases"] = relative_error(probe.dbiases, numerical_gradient(lambda b: L(biases=b), layer.biases, eps))
    return errors''',
        },
    ),
]
