"""The graph of assignments 1 and 2, as solved there: its forward and backward passes.

Provided code (autograder/provided.py): release fills these definitions into the notebooks whose
provided cells name them (`from provided.graph import ...`). They are answers of assignments 1
and 2, so this folder never ships; a notebook holding them opens only once those are closed.
"""
import numpy as np


def sigmoid(z):
    """Logistic function 1 / (1 + exp(-z)) of a scalar or array, without overflow."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def forward_propagation(x, y, w):
    """The graph's node values for one sample x (5,), its target y and the weights w (9,).

    Returns a dict with 'exp', 'tanh', 'sigmoid', 'y_pred', 'loss' = (y - y_pred)**2 and
    'dy_pred' = d loss / d y_pred = -2 (y - y_pred).
    """
    exp = np.exp((w[0] * x[0] + w[1] * x[1]) ** 2 + w[5])    # exp((w1 x[0] + w2 x[1])^2 + w6)
    tanh = np.tanh(exp + w[6])                                # tanh(exp + w7)
    # sigmoid((w4 x[3] + w5 x[4]) sin(w3 x[2]) + w8)
    sig = sigmoid((w[3] * x[3] + w[4] * x[4]) * np.sin(w[2] * x[2]) + w[7])
    y_pred = tanh + w[8] * sig                                # tanh + w9 sigmoid
    return {"exp": exp, "tanh": tanh, "sigmoid": sig, "y_pred": y_pred,
            "loss": (y - y_pred) ** 2, "dy_pred": -2 * (y - y_pred)}


def backward_propagation(x, y, w, forward_dict):
    """The gradient of the loss with respect to w1 ... w9 (w[0] ... w[8]), as 'dw1' ... 'dw9'."""
    f = forward_dict
    d_tanh_in = f["dy_pred"] * (1 - f["tanh"] ** 2)         # through tanh: tanh' = 1 - tanh^2
    d_exp_in = d_tanh_in * f["exp"]                         # through exp: exp' = exp
    a = w[0] * x[0] + w[1] * x[1]                           # w1 x[0] + w2 x[1]
    d_a = d_exp_in * 2 * a                                  # through the square
    u, v = w[3] * x[3] + w[4] * x[4], np.sin(w[2] * x[2])   # w4 x[3] + w5 x[4], sin(w3 x[2])
    # through the sigmoid: sigmoid' = sigmoid (1 - sigmoid)
    d_sig_in = f["dy_pred"] * w[8] * f["sigmoid"] * (1 - f["sigmoid"])
    return {"dw1": d_a * x[0], "dw2": d_a * x[1],
            "dw3": d_sig_in * u * np.cos(w[2] * x[2]) * x[2],
            "dw4": d_sig_in * v * x[3], "dw5": d_sig_in * v * x[4],
            "dw6": d_exp_in, "dw7": d_tanh_in, "dw8": d_sig_in, "dw9": f["dy_pred"] * f["sigmoid"]}
