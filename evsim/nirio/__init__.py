"""NIR import and export: evsim networks as Neuromorphic Intermediate Representation graphs.

NIR describes neurons in continuous time; evsim runs a NIR graph in discrete
steps of ``dt`` (``from_nir(graph, dt=...)``), with these exact rules.

Edges and linear nodes. The value on an edge at step ``k`` is what its source
emitted at step ``k``: spikes (0/1) out of a neuron node, the given values out
of an ``Input``. ``Affine`` (``W·x + b``), ``Linear`` (``W·x``), ``Scale``,
``Conv2d`` (PyTorch's definition: stride, zero padding incl. ``"same"``,
dilation, groups), ``SumPool2d``, ``AvgPool2d`` (divisor = kernel area) and
``Flatten`` act within the step; several edges into one node add. An edge
has no delay — a spike reaches the next layer in the same step, as in
snnTorch, Norse and evsim's deep path — so a loop needs a ``Delay`` node
(``y(k) = x(k − delay/dt)``; delays must be multiples of ``dt``). Every
path between two neuron nodes is collapsed into evsim synapses: weight =
gain × (product of the linear maps), delay = sum of the delays.

Neurons (forward Euler of NIR's equations, one update per step ``k``)::

    LIF:  v_k = v_leak + β·(v_{k−1} − v_leak) + (dt·R/τ)·I_k,   β = 1 − dt/τ   (needs τ > dt)
    IF:   v_k = v_{k−1} + dt·R·I_k
    spike iff v_k > v_threshold;  then v_k = v_reset                (hard reset)

with ``I_k`` the input at step ``k`` (the bias of an ``Affine`` included) and
``v_0 = 0``. In evsim terms: a ``LIF.from_beta(β)`` with ``v_rest = v_leak``,
synapse weights and bias multiplied by the gain ``dt·R/τ`` (``dt·R`` for IF),
``reset = v_reset`` and threshold ``nextafter(v_threshold, +inf)`` — evsim
fires on ``m >= θ``, NIR on ``v > v_thr``, and for floats these are the same
test. Evaluated in that order the floating-point result equals the formula
above up to the rounding of ``v_leak + β·(v − v_leak)`` versus
``v + (dt/τ)·(v_leak − v)``.

What a file cannot say. NIR has no field for a time step, a subtract reset,
a refractory period or a loop's delay; ``from_nir`` takes them as arguments
(one value for every neuron node, or a mapping ``{node path: value}``):
``dt=``; ``reset="subtract"`` — ``v_threshold`` taken off the next step's
decayed potential, ``v_k = β·v_{k−1} + I_k − s_{k−1}·v_threshold``, which is
evsim's subtract reset by ``reset_by = v_threshold/β``; ``refractory=`` (in
the graph's unit); ``loop_delay=True`` — a zero-delay path from a node back to
itself acts one step later. For the two common exporters (checked spike for
spike against files they wrote, ``tests/data/nir/``):

============================  =====================================================
snnTorch 1.0 ``Leaky``         ``dt=1e-4``; ``reset="subtract"`` unless the layer was
                               built with ``reset_mechanism="zero"``
snnTorch 1.0 ``RLeaky``        also ``loop_delay=True``; for ``reset_mechanism="zero"``
                               ``refractory={"<i>.lif": 2e-4}`` instead of
                               ``reset="subtract"`` (its zero reset drops the step
                               after a spike: a one-step refractory period)
Norse 1.1 ``LIFBoxCell``       ``dt=1e-6``: Norse writes ``tau = dt·τ`` with its
                               ``dt = 1e-3``, and NIR's Euler step at ``1e-6`` is then
                               Norse's step
Norse 1.1 ``IAFCell``          ``dt=1``: Norse adds its input unscaled and writes
                               ``r = 1``
============================  =====================================================

Inputs and outputs. A top-level ``Input`` becomes Input neurons
``name[i]`` (flattened C-order) that take spikes or analog values. An
``Output`` fed by neurons unchanged marks them as the network's outputs;
an ``Output`` fed by anything else (say, a final ``Affine``) gets
accumulator neurons ``output[i]`` whose potential after step ``k`` is the sum
of that value over steps ``0..k``. Nested ``NIRGraph`` nodes are flattened:
their nodes are named ``sub.node``, an edge to ``sub`` enters its only
``Input`` (or name ``sub.port``), and the result is one composed network.
Any other node type raises :class:`UnsupportedNode` naming it.

Export. ``to_nir`` writes the standard fields so that the rules above
reproduce evsim's update (``τ = dt/(1 − β)``, ``R = τ/dt``, ``v_threshold``
one float below ``θ``). What NIR cannot say — subtract resets, initial
potentials, refractoriness, single-spike neurons, the exact ``τ`` — goes into
each node's ``metadata`` (keys ``evsim_*``), which ``from_nir`` reads back, so
``from_nir(to_nir(net))`` spikes exactly as ``net``. Other NIR readers see
the standard fields: a subtract reset reads as a reset to 0 there. The
graph's metadata also records evsim's synapse rows in order
(``evsim_synapse_*``), because the order fixes how simultaneous arrivals are
summed; ``from_nir`` uses them only when they sum to exactly the graph's
weights.

Reading checks what it reads: files through ``nir.read(type_check=False)``
(which inserts no nodes) after their datasets' sizes are checked against
``evsim.limits(file_bytes=...)``; names must be distinct; every dense matrix
is checked against ``evsim.limits(memory=...)`` before it is allocated.
"""

from pathlib import Path

import numpy as np

from evsim.nirio.read import UnsupportedNode, from_nir
from evsim.nirio.write import to_nir

__all__ = ["from_nir", "to_nir", "UnsupportedNode", "sample"]


def sample() -> tuple[Path, dict]:
    """A NIR file snnTorch wrote, with what snnTorch computed from it: try import without installing torch.

    The network is ``Linear(10→12) → Leaky(beta=0.9, reset zero) → Linear(12→6) → Leaky``, exported by
    snnTorch 1.0.0's ``export_to_nir`` (one β for each layer) and run by snnTorch for 30 steps of
    ``dt = 1e-4`` on random input spikes.

    Returns
    -------
    path : Path
        The ``.nir`` file.
    run : dict
        ``inputs`` (steps × 10, 0/1), ``spikes`` (steps × 6: the output layer's spikes at each step, as
        snnTorch computed them) and ``dt``.
    """
    path = Path(__file__).parent / "samples" / "snntorch_mlp.nir"
    with np.load(path.with_suffix(".npz")) as data:
        run = {"inputs": data["inputs"], "spikes": data["spikes"], "dt": float(data["dt"])}
    return path, run
