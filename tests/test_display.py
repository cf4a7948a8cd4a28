"""Result types explain themselves: short true reprs, complete text, escaped HTML tables for Jupyter."""

from __future__ import annotations

import numpy as np
import pytest

import evsim
from evsim import deep
from evsim.display import html_table


def _run():
    net = evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    return net, evsim.simulate(net, {"x": [0, 1, 2]}, until=5, probes=["y"], trace=True)


def test_record_trace_and_potentials_say_what_they_hold():
    net, rec = _run()
    assert repr(rec) == "SpikeRecord(4 spikes from 2 neurons; potentials of ['y']; a trace)"
    assert repr(rec.trace) == ("EventTrace(14 events, 0.0–3.0 ms: 3 arrive, 3 deliver, 3 input, 1 reset, 1 spike, "
                               "3 update; .format() prints them)")
    assert str(rec.trace) == rec.trace.format() and "0.7999999999999999" in str(rec.trace)
    assert repr(rec.potentials["y"]) == "PotentialTrace('y': 3 updates, 1.0–3.0 ms; .sample(times) evaluates it)"


def test_a_simulator_says_where_it_is():
    net, _ = _run()
    sim = evsim.Simulator(net)
    sim.feed({"x": [0, 1, 2]})
    sim.run(1.5)
    assert repr(sim).startswith("Simulator(at 1.5 ms, next event at 2.0 ms; 2 spikes so far; net=Network({'x'")
    sim.run(10.0)
    assert "no event pending" in repr(sim)


def test_html_tables_hold_the_values_escaped_and_cut():
    net, rec = _run()
    assert "<td>y</td><td>output</td><td>IF()</td>" in net._repr_html_()
    assert "<td>x</td><td>y</td><td>0.6</td><td>1.0</td>" in net._repr_html_()
    assert "<td>y</td><td>1</td><td>2.0</td>" in rec._repr_html_()
    assert "<td>0.7999999999999999</td>" in rec.trace._repr_html_()
    assert "<td>arrive</td><td>y</td><td>0.6</td><td>from x at 0.0, synapse 0</td>" in rec.trace._repr_html_()
    table = html_table(["a"], [["<b>"]] * 3, limit=2, title="x & y")
    assert "&lt;b&gt;" in table and "<b>" not in table and "… and 1 more rows" in table and "x &amp; y" in table
    big = evsim.Network({f"n{i}": evsim.IF() for i in range(3)},
                        {"source": np.zeros(120, int), "target": np.ones(120, int), "weight": np.ones(120)})
    assert "… and 70 more rows" in big._repr_html_()


def test_a_run_result_reports_accuracy_and_spikes():
    snn = deep.spiking_mlp([4, 3, 2], seed=0)
    result = deep.run(snn, np.ones((2, 4)), 3, labels=[0, 1])
    assert repr(result).startswith("RunResult(2 samples × 3 steps, 2 classes; accuracy after step 3: ")
    assert "spikes per sample)" in repr(result)
    html = result._repr_html_()
    assert "<th>accuracy %</th><th>spikes, layer 1</th>" in html and html.count("<tr>") == 4


def test_the_trace_answers_what_happened_when_and_to_whom():
    """select keeps the events in [start, end) of the given neurons and kinds, in order; at(t) is one instant."""
    import pytest

    from evsim import ValidationError

    _, rec = _run()
    trace = rec.trace
    assert [(e.time, e.kind) for e in trace.select(2.0, 3.0, neurons="y")] == [
        (2.0, "arrive"), (2.0, "deliver"), (2.0, "update"), (2.0, "spike"), (2.0, "reset")]
    assert [e.time for e in trace.select(kinds="input")] == [0.0, 1.0, 2.0]
    assert list(trace.at(2.0)) == [e for e in trace if e.time == 2.0] and len(trace.at(2.5)) == 0
    assert len(trace.select()) == len(trace) and len(trace.select(end=1.0)) == 1
    with pytest.raises(ValidationError, match=r"EventTrace.select: each of kinds must be one of"):
        trace.select(kinds=["spike", "fire"])
    with pytest.raises(ValidationError, match=r"EventTrace.select: start must be a finite real number"):
        trace.select(start="soon")


def test_a_behaviour_prints_and_shows_its_most_probable_sequences():
    """One execution: the sequences by probability, each output's bits per round; a kernel: each execution's
    most probable sequence, the execution decoded from its code."""
    from evsim.behavior import exact
    from evsim.library import and_gate

    gate = and_gate(w=6.0)
    b = exact(gate, {"x1": [0, 1, 2], "x2": [0, 1, 2]}, 4)
    best = b.most_probable(2)
    assert best[0][0] == {"y": (0, 1, 1, 1)} and best[0][1] == b.probability({"y": [0, 1, 1, 1]})
    assert best[0][1] > best[1][1] and len(best) == 2
    lines = str(b).splitlines()
    assert lines[0].startswith("Behavior(outputs=['y'], horizon=4, one input execution): rounds 0–3")
    assert lines[1] == f"  {best[0][1]:<11.6g} y 0111" and len(lines) == 1 + 8  # all 8 sequences of positive probability
    assert str(b.format(top=2)).splitlines()[-1] == "  … 2 of 8 sequences of positive probability; format(top=...) shows more"
    html = b._repr_html_()
    assert "<th>probability</th><th>y</th>" in html and f"<td>{best[0][1]:.6g}</td><td>0111</td>" in html
    kernel = exact(gate, None, 3, free=["x1", "x2"])
    assert kernel.execution(kernel.execution_code({"x1": [1], "x2": [0, 1]})) == {"x1": (1,), "x2": (0, 1)}
    assert "<th>execution</th><th>probability</th><th>y</th>" in kernel._repr_html_()
    assert kernel._repr_html_().count("<tr>") == 1 + kernel.n_executions == 17  # header + every execution
    assert kernel.format(top=1).splitlines()[1].startswith("  x1 at [], x2 at []  ")
    assert kernel.format(top=1).splitlines()[-1] == "  … 1 of 16 executions; format(top=...) shows more"
    with pytest.raises(evsim.ValidationError, match=r"Behavior.most_probable: this behaviour is a kernel .*"
                                                   r"given_inputs"):
        kernel.most_probable()
