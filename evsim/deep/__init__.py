"""The deep path: a NumPy ANN, ANN→SNN conversion, and the vectorised spiking runner.

``convert`` turns a trained :class:`Sequential` into a :class:`SpikingNet`;
``run`` simulates it clock-driven over whole batches; ``to_network`` expands a
small one into an event-driven :class:`~evsim.Network` whose spikes equal the
runner's (property-tested). ``surrogate`` holds pseudo-derivatives of the
spike and ``bptt`` backpropagation through time with them (the gradient of
each checked against finite differences of a relaxed forward pass);
``direct`` trains a spiking net with them (``fit``, ``spiking_mlp``), and
``methods`` holds the seed papers' recipes on the digits (``evsim train``).
"""

from evsim.deep import bounds, bptt, direct, surrogate
from evsim.deep.convert import SpikingLayer, SpikingNet, convert
from evsim.deep.direct import Training, fit, spiking_mlp
from evsim.deep.layers import QCFS, AvgPool2d, ClipReLU, Conv2d, Dense, Flatten, ReLU, Sequential
from evsim.deep.runner import RunResult, run
from evsim.deep.to_network import layer_spikes, network_inputs, to_network
from evsim.deep.train import accuracy, cross_entropy, train

__all__ = ["AvgPool2d", "ClipReLU", "Conv2d", "Dense", "Flatten", "QCFS", "ReLU", "RunResult", "Sequential",
           "SpikingLayer", "SpikingNet", "Training", "accuracy", "bounds", "bptt", "convert", "cross_entropy", "direct",
           "fit", "layer_spikes", "network_inputs", "run", "spiking_mlp", "surrogate", "to_network", "train"]
