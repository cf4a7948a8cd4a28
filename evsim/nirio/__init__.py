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
    CubaLIF:  i_k = β_syn·i_{k−1} + (dt·w_in/τ_syn)·I_k,       β_syn = 1 − dt/τ_syn
              v_k = v_leak + β_mem·(v_{k−1} − v_leak) + (dt·R/τ_mem)·i_k,   β_mem = 1 − dt/τ_mem
    spike iff v_k > v_threshold;  then v_k = v_reset                (hard reset)

with ``I_k`` the input at step ``k`` (the bias of an ``Affine`` included) and
``v_0 = 0``. In evsim terms: a ``LIF.from_beta(β)`` with ``v_rest = v_leak``,
synapse weights and bias multiplied by the gain ``dt·R/τ`` (``dt·R`` for IF),
``reset = v_reset`` and threshold ``nextafter(v_threshold, +inf)`` — evsim
fires on ``m >= θ``, NIR on ``v > v_thr``, and for floats these are the same
test. Evaluated in that order the floating-point result equals the formula
above up to the rounding of ``v_leak + β·(v − v_leak)`` versus
``v + (dt/τ)·(v_leak − v)``.

CubaLIF (``0 < dt < τ_syn, τ_mem``): the current is updated first and the
membrane takes the new one, as snnTorch's ``Synaptic`` and Norse's
``LIFCell`` step. In evsim it is a :class:`~evsim.neurons.CubaLIF` made by
``from_betas(β_syn, β_mem)`` with ``v_rest = v_leak``, ``i_init = 0``,
threshold and reset as above. Its current is NIR's scaled by
``dt·R/τ_mem`` (evsim's membrane adds the current unscaled), so synapse
weights carry the gain ``(dt·R/τ_mem)·(dt·w_in/τ_syn)`` and an ``Affine``'s
bias, times that gain, becomes ``i_bias`` — a constant input to the current
every step, as the bias of the library's ``Linear`` is.

Norse's ``LIFCell`` (``i' = i + I``, ``v' = v + dt·τ_mem⁻¹·(v_leak − v + i')``,
``i ← (1 − dt·τ_syn⁻¹)·i'``) exports as a CubaLIF with ``tau = dt·τ`` (not
``τ``), ``r = 1`` and ``w_in = 1``. Its step is the rule above at a NIR step
of ``dt_norse²`` (``1e-6`` for Norse's ``1e-3``: then ``dt/tau_mem =
dt_norse·τ_mem⁻¹``) with ``w_in = tau_syn/dt`` (5 for Norse's defaults), since
Norse adds the input to the current unscaled; the file's ``w_in = 1`` makes
the input five times weaker. So set each CubaLIF node's ``w_in`` to
``tau_syn/dt`` and call ``from_nir(graph, dt=1e-6)``: evsim then fires at
exactly Norse's steps (``tests/data/nir/norse_lif_cubalif``: every neuron of
both layers at all 30 steps; potentials within 1.3e-7 of Norse's float32
ones).

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
