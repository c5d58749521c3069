"""Small named plotting functions, so that notebooks stay short.

Each function draws one figure and returns it. Images are rows of 784 pixels (28 x 28).
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

# ---- Assignment 5 (mnist_mlp): digits, training curves, errors, weights -----------------


def _labels(y) -> np.ndarray:
    y = np.asarray(y)
    return y.argmax(axis=1) if y.ndim == 2 else y.astype(int)


def _image_grid(images, titles, ncols, title=None, cmap="gray_r", size=1.1, symmetric=False):
    n = len(images)
    nrows = max(1, -(-n // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * 1.15 * nrows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, image, text in zip(axes.flat, images, titles):
        image = np.asarray(image, dtype=float).reshape(28, 28)
        if symmetric:
            limit = np.abs(image).max() or 1.0
            ax.imshow(image, cmap=cmap, vmin=-limit, vmax=limit)
        else:
            ax.imshow(image, cmap=cmap)
        if text:
            ax.set_title(text, fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_digits(X, y=None, n=30, ncols=10, title=None):
    """A grid of the first `n` images of X, each titled with its label if `y` is given."""
    X = np.asarray(X)[:n]
    titles = [str(label) for label in _labels(y)[:n]] if y is not None else [""] * len(X)
    return _image_grid(X, titles, ncols, title)


def plot_accuracy_curves(histories: dict, title=None):
    """Epochs against training (dashed) and validation (solid) accuracy, one colour per run.

    `histories` maps a run's name to the dict `MLP.fit` returns.
    """
    fig, ax = plt.subplots(figsize=(7, 4))
    for i, (name, history) in enumerate(histories.items()):
        epochs = np.arange(1, len(history["accuracy"]) + 1)
        color = f"C{i % 10}"
        ax.plot(epochs, history["accuracy"], "--", color=color, alpha=0.7)
        ax.plot(epochs, history["val_accuracy"], "-", color=color, label=name)
    ax.plot([], [], "k--", label="training")
    ax.plot([], [], "k-", label="validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def confusion_matrix(y_true, y_pred, n_classes=10) -> np.ndarray:
    """Counts (n_classes, n_classes): row = true class, column = predicted class."""
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (_labels(y_true), _labels(y_pred)), 1)
    return counts


def plot_confusion_matrix(y_true, y_pred, n_classes=10, title=None):
    """The confusion matrix as an image with the counts written in (labels, one-hot or probabilities)."""
    counts = confusion_matrix(y_true, y_pred, n_classes)
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.imshow(counts, cmap="Blues")
    for (i, j), count in np.ndenumerate(counts):
        if count:
            ax.text(j, i, str(count), ha="center", va="center", fontsize=7,
                    color="white" if count > counts.max() / 2 else "black")
    ax.set_xticks(range(n_classes))
    ax.set_yticks(range(n_classes))
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    accuracy = np.trace(counts) / max(counts.sum(), 1)
    ax.set_title(title or f"confusion matrix (accuracy {accuracy:.1%})")
    fig.tight_layout()
    return fig


def show_confident_mistakes(X, y_true, probs, n=20, ncols=10):
    """The misclassified images the model was most sure of, titled "true -> predicted (p)"."""
    probs = np.asarray(probs)
    true, pred = _labels(y_true), probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != true)
    worst = wrong[np.argsort(-probs[wrong, pred[wrong]])][:n]
    titles = [f"{true[i]}\u2192{pred[i]} ({probs[i, pred[i]]:.2f})" for i in worst]
    return _image_grid(np.asarray(X)[worst], titles, ncols,
                       title=f"the {len(worst)} most confident of {len(wrong)} mistakes", cmap="gray_r")


def show_first_layer_weights(weights, n=30, ncols=10):
    """The first `n` columns of a (784, n_hidden) weight matrix as images (red +, blue -)."""
    W = np.asarray(weights)
    columns = W[:, :n].T
    return _image_grid(columns, [f"unit {i}" for i in range(len(columns))], ncols,
                       title="first-layer weights: the pattern each hidden unit responds to",
                       cmap="RdBu_r", symmetric=True)
