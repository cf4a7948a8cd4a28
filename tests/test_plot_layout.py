"""The plots people expect, what each one shows, and figures saved without anything cut off."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import evsim  # noqa: E402
from evsim import IF, LIF, Input, Network, Synapse, ValidationError  # noqa: E402
from tests.canvas import outside_canvas  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def engine_example():
    """docs/engine.md's network: two arrivals at n cancel in part (+1.5 and −0.8 at 1.45 ms)."""
    lif = lambda refractory: LIF(tau=10.0, threshold=1.0, reset=0.0, refractory=refractory)  # noqa: E731
    net = Network({"x": Input(), "a": lif(0.2), "n": lif(2.0)},
                  [Synapse("x", "a", 1.5, 0.2), Synapse("a", "n", 1.5, 0.2), Synapse("x", "n", -0.8, 0.4)],
                  outputs={"n"}, dt=None)
    return evsim.simulate(net, {"x": [1.05, 1.25]}, until=5, trace=True, probes=["a", "n"])


def population(n: int = 300, until: float = 200.0):
    """``n`` LIF neurons ``p0…`` driven by Poisson inputs ``in0…`` and 20 random synapses each."""
    rng = np.random.default_rng(0)
    neurons = {f"p{i}": LIF(tau=20.0, threshold=20.0, reset=10.0, refractory=2.0) for i in range(n)}
    neurons |= {f"in{i}": Input() for i in range(n)}
    source = np.concatenate([np.repeat(np.arange(n), 20), np.arange(n) + n])
    target = np.concatenate([rng.integers(0, n, 20 * n), np.arange(n)])
    weight = np.concatenate([np.full(20 * n, 0.5), np.full(n, 2.0)])
    net = Network(neurons, {"source": source, "target": target, "weight": weight,
                            "delay": np.concatenate([np.ones(20 * n), np.zeros(n)])}, dt=None)
    trains = {f"in{i}": np.sort(rng.uniform(0.1, until, rng.poisson(until * 0.4))) for i in range(n)}
    return evsim.simulate(net, trains, until=until, probes=["p0", "p1", "p2"])


def yield_study():
    """A YieldStudy of 40 held-out dies with made-up accuracies, as the variation study returns one."""
    from evsim.deep.devices import DeviceModel
    from evsim.deep.yield_study import YieldStudy

    rng = np.random.default_rng(0)
    before = np.clip(0.97 - rng.exponential(0.02, 40), 0, 1)
    after = np.maximum(before, 0.96 + rng.normal(0, 0.005, 40))
    return YieldStudy(DeviceModel(0.1, die_sigma=0.4), 1.0, 0.9767, np.arange(60, 100), before, after, after, after,
                      before, np.ones((40, 2)), np.ones((40, 2)), None, None, 60)


FIGURES = {
    "raster, 4 neurons": lambda: evsim.plot.raster(engine_example()),
    "raster, 600 neurons": lambda: evsim.plot.raster(population()),
    "potential": lambda: evsim.plot.potential(engine_example(), "n"),
    "potentials, stacked": lambda: evsim.plot.potentials(population(), until=80)[0],
    "potentials, overlaid": lambda: evsim.plot.potentials(engine_example(), overlay=True),
    "population rate": lambda: evsim.plot.population_rate(population(), bin=5.0),
    "inter-spike intervals": lambda: evsim.plot.isi(population()),
    "event timeline": lambda: evsim.plot.event_timeline(engine_example()),
    "die accuracies": lambda: evsim.plot.die_accuracies(yield_study()),
}


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_is_saved_without_anything_cut_off(name, tmp_path):
    """Law: every Axes (labels, ticks, title), legend and text of a plot lies inside the saved canvas."""
    ax = FIGURES[name]()
    ax.figure.savefig(tmp_path / "figure.png")
    assert outside_canvas(ax.figure) == []


def test_the_canvas_check_sees_a_legend_cut_off():
    """The check itself: a legend put right of the Axes without a layout engine lies outside the canvas."""
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], label="a label long enough to leave the figure")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    assert any(part.startswith("legend") for part in outside_canvas(fig))


def test_potentials_read_each_threshold_from_the_neuron():
    record = engine_example()
    assert record.potentials["n"].threshold == 1.0
    axes = evsim.plot.potentials(record)
    assert [panel.get_ylabel() for panel in axes] == ["a", "n"]
    for panel in axes:
        dashed = [line for line in panel.get_lines() if line.get_linestyle() == "--"]
        assert [tuple(line.get_ydata()) for line in dashed] == [(1.0, 1.0)]
    overlaid = evsim.plot.potentials(record, ["n"], overlay=True)
    assert "θ = 1 (n)" in [text.get_text() for text in overlaid.get_legend().get_texts()]
    legend = evsim.plot.potential(record, "n").get_legend()
    assert "threshold θ = 1" in [text.get_text() for text in legend.get_texts()]


def test_potentials_name_the_neuron_that_was_not_probed_and_refuse_an_axes_for_a_stack():
    record = engine_example()
    with pytest.raises(ValidationError, match=r"potentials: name must be a probed neuron \(\['a', 'n'\]\), "
                                              r"got 'x'; simulate with probes=\['x'\]"):
        evsim.plot.potentials(record, ["n", "x"])
    _, ax = plt.subplots()
    with pytest.raises(ValidationError, match="ax must be None when the potentials are stacked"):
        evsim.plot.potentials(record, ax=ax)
    with pytest.raises(ValidationError, match="record must hold probed potentials"):
        evsim.plot.potentials(evsim.simulate(Network({"x": Input()}, []), {"x": [1.0]}, until=2))


def test_population_rate_is_spikes_per_neuron_and_second_in_each_bin():
    """Law: rate = spikes in the bin / (neurons · bin). Two neurons, spikes at 0.5, 0.7, 1.5 and 1.7 ms (and an
    input, left out): 4 spikes / (2 neurons · 2 ms) = 1000 Hz in the first 2 ms bin."""
    net = Network({"x": Input(), "a": IF(threshold=1.0), "b": IF(threshold=1.0)},
                  [Synapse("x", "a", 1.0, 0.5), Synapse("x", "b", 1.0, 1.5)], dt=None)
    record = evsim.simulate(net, {"x": [0.0, 0.2]}, until=5)
    assert record.trains()["a"].tolist() == [0.5, 0.7] and record.trains()["b"].tolist() == [1.5, 1.7]
    ax = evsim.plot.population_rate(record, bin=2.0)
    heights = ax.patches[0].get_data().values
    assert heights[0] == 4 / (2 * 2.0 / 1000.0) and heights[1:].sum() == 0.0
    assert "2 neurons" in ax.get_title()
    only_a = evsim.plot.population_rate(record, ["a"], bin=1.0).patches[0].get_data().values
    assert only_a[0] == 2 / (1 * 1.0 / 1000.0)
    with pytest.raises(ValidationError, match=r"population_rate: names must be recorded neurons .*got 'z'"):
        evsim.plot.population_rate(record, ["z"])


def test_isi_pools_the_intervals_and_gives_their_cv():
    net = Network({"x": Input(), "a": IF(threshold=1.0)}, [Synapse("x", "a", 1.0, 0.0)], dt=None)
    record = evsim.simulate(net, {"x": [1.0, 2.0, 4.0]}, until=5)
    ax = evsim.plot.isi(record)
    note = ax.texts[0].get_text()
    assert "2 intervals of 1 neuron\n" in note and "mean 1.5 ms" in note and "CV 0.33" in note
    assert ax.get_xlim()[0] >= -0.1  # intervals are positive: the axis starts at 0
    lonely = evsim.plot.isi(evsim.simulate(net, {"x": [1.0]}, until=5))
    assert "none of the 1 neuron fired twice" in lonely.texts[0].get_text()
    one = evsim.plot.isi(evsim.simulate(net, {"x": [1.0, 3.0]}, until=5)).texts[0].get_text()
    assert "1 interval of 1 neuron" in one and "CV n/a (one interval)" in one


def test_a_raster_of_hundreds_names_its_groups_not_every_row():
    record = population()
    ax = evsim.plot.raster(record)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["p (300)", "in (300)"]
    assert ax.get_legend() is not None  # two groups, two colours
    small = evsim.plot.raster(record, names=["p0", "p1", "in0"])
    assert [t.get_text() for t in small.get_yticklabels()] == ["p0", "p1", "in0"]
    assert [evsim.plot.group_of(n) for n in ("n12", "in_3", "exc.12", "wta.y.0", "7")] == ["n", "in", "exc", "wta.y", "7"]


def test_plots_take_a_simulator_as_well_as_a_record():
    net = Network({"x": Input(), "y": IF(threshold=1.0)}, [Synapse("x", "y", 1.0, 1.0)])
    sim = evsim.Simulator(net, probes=["y"])
    sim.feed({"x": [0, 2]})
    sim.run(5)
    drawn = evsim.plot.raster(sim)
    assert sum(len(c.get_offsets()) for c in drawn.collections) == 4 and drawn.get_legend() is None  # two singletons
    assert evsim.plot.potential(sim, "y").get_title() == "potential of y"
    with pytest.raises(ValidationError, match="raster: record must be a SpikeRecord .*, a Simulator or a one-sample "
                                              "deep RunResult"):
        evsim.plot.raster(net)


def test_a_deep_run_is_a_record_of_one_sample_named_as_in_the_event_engine():
    """RunResult.record(i): sample i's spikes, neuron L{k}_{j} at step t — what layer_spikes reads back from an
    engine run of to_network, so the round trip gives the runner's spikes again."""
    from evsim import deep

    snn = deep.spiking_mlp([6, 5, 4, 3], seed=1)
    x = np.random.default_rng(0).uniform(0, 2, (3, 6))
    result = deep.run(snn, x, 6, record_spikes=True)
    for sample in range(3):
        back = deep.layer_spikes(result.record(sample), snn, 6)
        assert all(np.array_equal(b, layer[:, sample]) for b, layer in zip(back, result.spikes))
    assert result.record(1).names[:2] == ("L0_0", "L0_1") and len(result.record(1).names) == 9
    one = deep.run(snn, x[:1], 6, record_spikes=True)
    ax = evsim.plot.raster(one)
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["L0_0", "L0_1"] and ax.get_legend() is not None
    with pytest.raises(ValidationError, match="got a RunResult of 3 samples; pass result.record"):
        evsim.plot.raster(result)
    with pytest.raises(ValidationError, match="record_spikes=True"):
        deep.run(snn, x, 6).record()


def test_the_event_timeline_shows_values_and_an_arrow_from_each_spike_to_its_arrivals():
    record = engine_example()
    ax = evsim.plot.event_timeline(record)
    labels = [t.get_text() for t in ax.texts if t.get_text()]
    assert labels.count("-0.8") == 2 and labels.count("+1.5") == 4 and "0.7" in labels and "1.39" in labels
    arrows = [t for t in ax.texts if not t.get_text()]
    assert len(arrows) == len(record.trace.select(kinds="arrive"))  # every sender is in the trace
    plain = evsim.plot.event_timeline(record, values=False, arrows=False)
    assert not plain.texts


def test_layer_spikes_refuses_a_record_longer_than_its_steps():
    from evsim import deep

    snn = deep.spiking_mlp([3, 4, 2], seed=0)
    record = evsim.simulate(deep.to_network(snn), deep.network_inputs(np.full((10, 3), 1.5)), until=10)
    assert len(record) and len(deep.layer_spikes(record, snn, 10)) == 1
    with pytest.raises(ValidationError, match=r"layer_spikes: steps must be more than the last spike's step"):
        deep.layer_spikes(record, snn, 5)


def test_an_accumulator_that_never_fires_has_no_threshold_drawn():
    """to_network's output neurons have θ = the largest float: their potential plot keeps its own scale."""
    from evsim import deep

    snn = deep.spiking_mlp([3, 4, 2], seed=0)
    net = deep.to_network(snn)
    output = sorted(net.outputs)[0]
    record = evsim.simulate(net, deep.network_inputs(np.full((6, 3), 1.5)), until=6, probes=[output])
    assert record.potentials[output].threshold == np.inf
    ax = evsim.plot.potential(record, output)
    assert not [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert ax.get_ylim()[1] < 1e10


def test_a_raster_colours_only_groups_of_several_and_refuses_no_rows():
    record = population(n=20, until=50.0)
    ax = evsim.plot.raster(record, names=["p0", "p1", "in0", "in1", "p2"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["p", "in"]
    alone = evsim.plot.raster(record, names=["p0", "in0"])
    assert alone.get_legend() is None
    with pytest.raises(ValidationError, match="raster: names must name at least one recorded neuron"):
        evsim.plot.raster(record, names=[])


def test_the_timeline_keeps_instants_whole_and_arrivals_in_their_column():
    """Twelve arrivals at one neuron and instant stay inside that instant's column; a limit that would cut an
    instant in two stops before it, and the title says how many lines are drawn; too many neurons are refused
    with the way out."""
    sources = {f"s{i}": evsim.Input() for i in range(12)}
    net = Network({**sources, "y": IF(threshold=100.0)}, [Synapse(f"s{i}", "y", 1.0, 1.0) for i in range(12)])
    record = evsim.simulate(net, {f"s{i}": [0.0, 1.0] for i in range(12)}, until=3, trace=True)
    ax = evsim.plot.event_timeline(record)
    arrivals = [c for c in ax.collections if c.get_label() == "arrive"][0].get_offsets()
    assert all(abs(x - round(x)) < 0.45 for x, _ in arrivals)
    cut = evsim.plot.event_timeline(record, limit=30)  # 12 inputs at 0, then 12 inputs + 12 arrivals at 1 …
    assert "first 12 of" in cut.get_title() and "to 0.0 ms" in cut.get_title()
    only = evsim.plot.event_timeline(record, neurons="y")
    assert [t.get_text() for t in only.get_yticklabels()] == ["y"]
    wide = Network({f"x{i}": evsim.Input() for i in range(40)}, [])
    with pytest.raises(ValidationError, match=r"concern 40 neurons, more than a timeline shows \(30\); pass "
                                              r"neurons=\[...\]"):
        evsim.plot.event_timeline(evsim.simulate(wide, {f"x{i}": [0.0] for i in range(40)}, until=2, trace=True))


def test_plot_refusals_say_what_to_do_instead():
    from evsim import deep

    net = Network({"x": Input(), "y": IF(threshold=1.0)}, [Synapse("x", "y", 1.0, 1.0)])
    record = evsim.simulate(net, {"x": [0.0, 1.0]}, until=3)
    with pytest.raises(ValidationError, match="bin must leave at most 10\\*\\*6 bins"):
        evsim.plot.population_rate(record, bin=1e-9, until=1e6)  # refused before allocating the edges
    with pytest.raises(ValidationError, match="every recorded neuron is an input.*pass names="):
        evsim.plot.population_rate(evsim.simulate(Network({"x": Input()}, []), {"x": [1.0]}, until=2))
    run = deep.run(deep.spiking_mlp([3, 4, 2], seed=0), np.ones((1, 3)), 4, record_spikes=True)
    with pytest.raises(ValidationError, match="got a deep RunResult .* deep.to_network"):
        evsim.plot.potential(run, "L0_0")
    empty = evsim.plot.event_timeline(evsim.simulate(net, {}, until=3, trace=True))
    assert empty.texts[0].get_text() == "no events" and empty.get_legend() is None
