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

What a file cannot say. NIR has no field for a time step, a subtract reset,
a refractory period or a loop's delay; ``from_nir`` takes them as arguments
(one value for every neuron node, or a mapping ``{node path: value}``):
``dt=``; ``reset="subtract"`` — ``v_threshold`` taken off the next step's
decayed potential, ``v_k = β·v_{k−1} + I_k − s_{k−1}·v_threshold``, which is
evsim's subtract reset by ``reset_by = v_threshold/β``; ``refractory=`` (in
the graph's unit); ``loop_delay=True`` — a zero-delay path from a node back to
itself acts one step later; ``w_in="unscaled"`` — a CubaLIF's input jumps into
its current as it is. For the two common exporters (checked spike for
spike against files they wrote, ``tests/data/nir/``):

=============================  ========================================================
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
Norse 1.1 ``LIFCell``          ``dt=1e-6, w_in="unscaled"`` (a CubaLIF node; below)
=============================  ========================================================

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
the input five times weaker. ``from_nir(path, dt=1e-6, w_in="unscaled")``
says so (the same as setting each CubaLIF node's ``w_in`` to ``tau_syn/dt``):
evsim then fires at exactly Norse's steps (``tests/data/nir/norse_lif_cubalif``: every neuron of
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

Export. ``to_nir`` writes one node per population (:func:`~evsim.nirio.write.populations`: the
Input neurons, then neurons keyed by kind, hop distance from the inputs and zero-delay rank, so a
feed-forward net has one node per layer and no node feeds itself within a step), one ``Affine``
(``Linear`` without bias) per (source, target, delay), a ``Delay`` only where the delay is positive,
and ``Output`` reading the output layer itself. A converted net is written op by op (``Affine``,
``Conv2d``, ``SumPool2d``, ``Flatten``; an average pooling's ``1/k²`` and the threshold a spike
carries folded into the next weights).
The standard fields reproduce evsim's update under the rules above: IF ``r = 1/dt``; LIF
``τ = dt/(1 − β)``, ``r = 1`` and ``v_leak``, ``v_threshold``, ``v_reset`` times ``1 − β`` (so
``v = (1 − β)·m``); ``v_threshold`` is the largest float32 below ``θ``, so that a float32 reader's
``v > v_threshold`` fires exactly when ``v >= θ``; CubaLIF ``tau_syn``, ``tau_mem`` ``= dt/(1 − β)``,
``w_in = tau_syn/dt`` and ``r = tau_mem/dt`` (gains 1), ``v_leak = v_rest + bias/(1 − β_mem)`` (NIR's
membrane has no bias: this is the same fixed point) and ``i_bias`` as the bias of the ``Affine`` into
the node. What NIR cannot carry — subtract resets and their amount
``reset_by`` (written ``v_reset = 0``), initial potentials, refractoriness, single-spike neurons, the exact ``τ`` (NIR's
Euler step is ``1 − dt/τ``, evsim's ``exp(−dt/τ)``), names and ``dt`` — goes into ``evsim_*``
metadata, which ``from_nir`` reads back, so ``from_nir(to_nir(net))`` spikes exactly as ``net``. The
graph's metadata also records evsim's synapse rows in order (``evsim_synapse_*``), because the order
fixes how simultaneous arrivals are summed; ``from_nir`` uses them only when they sum to exactly the
graph's weights.

Other readers see only the standard fields. snnTorch 1.0 (``snntorch.import_nir.import_from_nir``)
takes no ``dt``: it builds ``Leaky(beta = 1 − 1e-4/τ)`` (its ``dt = 1e-4``, fixed), divides
``v_threshold`` by the input gain ``r·1e-4/τ`` (the node's first value of it) and refuses a node whose
thresholds then differ, resets to 0 in the step of the spike (``v_reset`` ignored) and refuses
``v_leak ≠ 0``; so a LIF network must be exported with ``dt = 1e-4`` (in the file's unit) for
snnTorch. It reads an ``IF`` node as ``Leaky(beta=0.9)`` with subtract reset (``r`` must be 1),
whose (spike, potential) pair the next layer cannot take (``TypeError``): it runs no evsim IF
network. It does run an IF written as a ``LIF`` with ``τ = 1e30`` and ``r = τ/1e-4`` (in which
Norse's neurons never fire). It reads ``AvgPool2d`` and ``SumPool2d`` (nirtorch's mapping), not
``Delay``. Norse 1.1 (``norse.torch.from_nir(graph, dt=...)``, default ``dt = 1e-3``: give it the
file's ``dt``) builds ``LIFBoxCell(tau_mem_inv = 1/τ)`` with ``v_leak`` and ``v_threshold``,
``v_reset = 0`` and ``r`` ignored (hence ``r = 1``), and ``IAFCell(v_threshold)``, which adds its
input whatever ``dt`` and ``r`` say; it reads ``SumPool2d``, not ``AvgPool2d`` or ``Delay``. Both compute in float32 and fire
on ``v > v_threshold``; neither reads ``evsim_*`` metadata.

Checked spike for spike on 30 steps (``tests/data/nir/evsim_*``): a two-layer IF net (hard reset,
``dt = 1``) and a two-layer LIF net (hard reset, ``dt = 1e-4``) give evsim's spikes in every slot, in
Norse and in snnTorch (the IF net as the LIF above). Converted nets (IF, subtract reset, read there as
a reset to 0) differ: a Dense 6 → 8 → 5 → 3 net in 77 of 390 slots, a Conv2d → AvgPool2d → Dense net in
279 of 1080, in both libraries alike; in every slot they equal evsim's run of the standard fields alone.

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

    Examples
    --------
    >>> import evsim
    >>> from evsim import encoding, nirio
    >>> path, run = nirio.sample()
    >>> net = nirio.from_nir(path, dt=run["dt"])
    >>> inputs = encoding.SpikeCode.from_array(run["inputs"], dt=run["dt"]).to_inputs(lambda i: f"input[{i}]")
    >>> trains = evsim.simulate(net, inputs, until=30 * run["dt"]).trains()
    >>> [trains[f"3[{j}]"].size for j in range(6)], run["spikes"].sum(axis=0).tolist()   # evsim's and snnTorch's counts
    ([13, 17, 13, 12, 2, 10], [13.0, 17.0, 13.0, 12.0, 2.0, 10.0])
    """
    path = Path(__file__).parent / "samples" / "snntorch_mlp.nir"
    with np.load(path.with_suffix(".npz")) as data:
        run = {"inputs": data["inputs"], "spikes": data["spikes"], "dt": float(data["dt"])}
    return path, run
