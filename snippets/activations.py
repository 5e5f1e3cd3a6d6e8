"""The activation functions the network pages use, each with its slope φ′."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1/(1 + e^-z), without overflow


def sigmoid_slope(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh_slope(z):
    return 1.0 - np.tanh(z) ** 2


def relu(z):
    return np.maximum(z, 0.0)


def relu_slope(z):
    return (np.asarray(z) > 0).astype(float)


def identity(z):
    return z


def identity_slope(z):
    return np.ones_like(np.asarray(z, dtype=float))


#: name -> (φ, φ′)
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_slope),
    "tanh": (np.tanh, tanh_slope),
    "relu": (relu, relu_slope),
    "identity": (identity, identity_slope),
}
