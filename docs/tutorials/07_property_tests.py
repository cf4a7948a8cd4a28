"""
Writing your own laws with hypothesis
=====================================

A *law* is a statement that must hold for every network: "running 10 ms
and then 10 ms more gives the spikes of running 20 ms at once". Hypothesis
generates networks and inputs, checks the law on each, and when it fails
shrinks the failure to a small counterexample and prints it — as a network
you can paste back into Python. ``evsim.testing`` holds the strategies
evsim's own property tests use.
"""

# %%
# A law that holds
# ----------------
# ``discrete_setups()`` draws a discrete network of IF and LIF neurons, with
# random synapses (zero delays only forwards) and input trains, and a number
# of steps. The simulator is resumable: two ``run`` calls must give exactly
# the spikes of one.
from hypothesis import given, settings

import evsim
from evsim.testing import assert_spikes_equal, discrete_setups


@settings(max_examples=40, deadline=None, database=None)
@given(discrete_setups())
def split_runs_equal_one_run(setup):
    """Law: run(k) then run(steps) gives the same record as run(steps) at once."""
    net, inputs, steps = setup
    whole = evsim.simulate(net, inputs, until=steps)
    sim = evsim.Simulator(net)
    sim.feed(inputs)
    sim.run(steps // 2)
    sim.run(steps)
    assert_spikes_equal(sim.record, whole)


split_runs_equal_one_run()
print("the law held on 40 random networks")

# %%
# An oracle
# ---------
# ``evsim.reference.simulate`` is a slow loop written straight from the rules,
# with nothing clever in it. That the engine agrees with it on random networks
# is the strongest law there is.
from evsim import reference  # noqa: E402


@settings(max_examples=40, deadline=None, database=None)
@given(discrete_setups())
def engine_equals_reference(setup):
    """Law: the event engine's spike trains are the reference loop's."""
    net, inputs, steps = setup
    engine = evsim.simulate(net, inputs, until=steps).trains()
    oracle = reference.simulate(net, inputs, until=steps).trains
    assert all(list(engine[name]) == list(oracle[name]) for name in net.outputs)


engine_equals_reference()
print("the engine agreed with the reference on 40 random networks")

# %%
# A law that fails
# ----------------
# "A neuron never fires at two consecutive steps" is false: a subtract reset
# keeps the excess, and a big enough input leaves the neuron above threshold.
# Hypothesis finds a case and shrinks it; the counterexample is printed whole.


@settings(max_examples=200, deadline=None, database=None)
@given(discrete_setups())
def never_twice_in_a_row(setup):
    net, inputs, steps = setup
    for name, times in evsim.simulate(net, inputs, until=steps).trains().items():
        if name in net.outputs:
            assert not any(b - a == 1.0 for a, b in zip(times, times[1:])), name


try:
    never_twice_in_a_row()
except AssertionError as failure:
    print("\n".join(getattr(failure, "__notes__", [])[:1]))

# %%
# Exercises
# ---------
# 1. Write a law: adding an input neuron that is never fed (and has no
#    synapses) changes no spike of the other neurons.
# 2. Write a scaling law: multiply every weight, and every neuron's
#    threshold, ``v_init``, ``v_rest``, bias, numeric reset and ``reset_by``,
#    by 2 — the spikes do not change, since doubling is exact in binary
#    floating point (``dataclasses.replace`` makes the scaled models). Then
#    try 3 instead of 2 and see whether hypothesis finds a case where
#    rounding changes a spike.
