"""evsim networks on NEST: the same network, the same spikes, on an engine that scales out.

``to_nest(net, inputs)`` builds a network of ``IF``/``LIF`` neurons in
NEST's kernel and returns its nodes by evsim name; ``simulate(net, inputs,
until, threads=k)`` — also reached as ``evsim.simulate(..., engine="nest")``
— runs it and returns the :class:`~evsim.record.SpikeRecord` evsim's event
engine gives. Continuous-time networks run on ``iaf_psc_delta_ps`` (exact
integration, spikes at precise times: the same spikes, times within about
1e-13 ms); discrete ones on ``iaf_psc_delta`` at resolution ``dt``, whose
step is evsim's to the bit where :mod:`evsim.nest.discrete` finds the
parameters (the same record, bit for bit). What NEST cannot run exactly
(subtract resets, zero delays, Lynch–Musco neurons, …) is refused with a
``ValidationError`` naming the neuron, the reason and the fix;
:mod:`evsim.nest.mapping` lists it all.

NEST is an optional extra (``pip install "evsim[nest]"``, Linux) and is
imported only when one of these functions runs: ``import evsim`` and
``import evsim.nest`` never import it.
"""

from evsim.nest.kernel import NestNodes, load_nest, simulate, to_nest
from evsim.nest.mapping import MODEL, NestPlan, nest_plan

__all__ = ["MODEL", "NestNodes", "NestPlan", "load_nest", "nest_plan", "simulate", "to_nest"]
