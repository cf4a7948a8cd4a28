"""Figures of a simulation (matplotlib is imported only when a function runs).

Each function takes ``ax=None`` (a new figure is made, with constrained
layout) and returns the Axes it drew on — except stacked ``potentials`` (a new
figure; one Axes per neuron) and ``low_latency`` (two panels of a new figure).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from evsim import validation as check
from evsim.display import counted
from evsim.errors import ValidationError
from evsim.record import PotentialTrace, SpikeRecord

if TYPE_CHECKING:  # (annotations only: plot imports neither matplotlib nor the deep path until it draws)
    from matplotlib.axes import Axes

    from evsim.deep.direct import Training
    from evsim.deep.yield_study import YieldStudy

__all__ = ["raster", "potential", "potentials", "population_rate", "isi", "event_timeline", "group_of", "behavior",
           "accuracy_vs_steps", "accuracy_vs_latency", "accuracy_vs_energy", "low_latency", "training_curve",
           "die_accuracies"]


LABELLED_ROWS = 40  # a raster names each row up to this many neurons; beyond, it names their groups


def _axes(owner: str, ax, size=(7, 3)):
    """``ax``, or the Axes of a new figure (constrained layout: nothing is cut off when saved)."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=size, layout="constrained")
        return ax
    from matplotlib.axes import Axes

    return check.instance("ax", ax, Axes, owner=owner, accepted="None or a matplotlib Axes")


def _record(owner: str, record: object, spikes_only: bool = True) -> SpikeRecord:
    """A :class:`SpikeRecord`; the record so far of a :class:`~evsim.simulator.Simulator`; or the spikes of a
    one-sample :class:`~evsim.deep.runner.RunResult` (``result.record(sample)`` picks one of several) where
    only spikes are drawn (``spikes_only``: a deep run has no probes and no trace)."""
    from evsim.simulator import Simulator

    if isinstance(record, Simulator):
        return record.record
    if type(record).__name__ == "RunResult":  # (a deep run; the deep path is imported only if it made this)
        from evsim.deep.runner import RunResult

        if isinstance(record, RunResult):
            if not spikes_only:
                raise ValidationError(f"{owner}: record must be an engine run, got a deep RunResult (it keeps "
                                      f"spikes only); run deep.to_network(snn) with evsim.simulate(..., "
                                      f"probes=[...], trace=True) to see potentials and events")
            samples = record.logits.shape[1]
            if samples != 1:
                raise ValidationError(f"{owner}: record must be one sample's spikes, got a RunResult of {samples} "
                                      f"samples; pass result.record(sample) for one of them")
            return record.record(0)
    return check.instance("record", record, SpikeRecord, owner=owner,
                          accepted="a SpikeRecord (from simulate), a Simulator or a one-sample deep RunResult")


def _neurons(owner: str, record: SpikeRecord, names, *, default_inputs: bool = True) -> list[str]:
    """``names`` checked against the record (each one a recorded neuron); ``None``: every recorded neuron.

    ``default_inputs=False``: the default leaves out the network's input neurons.
    """
    recorded = None if record.recorded is None else set(record.recorded)
    kept = record.names if recorded is None else [n for n in record.names if n in recorded]
    if names is None:
        inputs = set(record.inputs)
        return [n for n in kept if default_inputs or n not in inputs]
    names = list(check.name_set("names", names, owner=owner))
    known = set(kept)
    missing = [name for name in names if name not in known]
    if missing:
        shown = list(kept) if len(kept) <= 12 else [*kept[:12], "…"]
        raise ValidationError(f"{owner}: names must be recorded neurons of the record ({shown}), got "
                              f"{missing[0]!r}")
    return names


def group_of(name: str) -> str:
    """The group a neuron belongs to, read from its name: its subnetwork (``"exc.12"`` → ``"exc"``), or the
    name without its trailing number (``"n12"`` → ``"n"``, ``"in_3"`` → ``"in"``).

    Parameters
    ----------
    name : str
        A neuron's name.

    Returns
    -------
    str
        Its group; the name itself when stripping would leave nothing (``"12"`` → ``"12"``).

    Examples
    --------
    >>> from evsim.plot import group_of
    >>> group_of("exc.12"), group_of("n12"), group_of("in_3"), group_of("12")
    ('exc', 'n', 'in', '12')
    """
    if "." in name:
        return name.rsplit(".", 1)[0]
    return name.rstrip("0123456789").rstrip("_") or name


def _rows(owner: str, rows: object, keys: tuple[str, ...], ann_accuracy: object) -> list:
    """Table rows (mappings with ``keys``, ``accuracy`` a probability) and the ANN's accuracy."""
    check.probability("ann_accuracy", ann_accuracy, owner=owner)
    if isinstance(rows, (str, bytes, Mapping)) or not isinstance(rows, Sequence) or not rows:
        raise ValidationError(f"{owner}: rows must be a non-empty sequence of table rows (mappings), got {rows!r:.80}")
    for row in rows:
        check.instance("each of rows", row, Mapping, owner=owner, accepted="a mapping (one table row)")
        missing = [key for key in keys + ("accuracy",) if key not in row]
        if missing:
            raise ValidationError(f"{owner}: each of rows must have the keys {list(keys + ('accuracy',))}; "
                                  f"{missing[0]!r} is missing from {dict(row)!r:.80}")
        check.probability("accuracy of each row", row["accuracy"], owner=owner)
    return list(rows)


def _legend_outside(ax) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)


def _rows_of(record: SpikeRecord, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the record's events of ``names`` and each one's row (the position of its neuron in ``names``)."""
    index = {name: i for i, name in enumerate(record.names)}
    row = np.full(len(record.names), -1)
    row[[index[name] for name in names]] = np.arange(len(names))
    mine = np.flatnonzero(row[record.neuron] >= 0)
    return mine, row[record.neuron[mine]]


def raster(record: SpikeRecord, ax=None, names: Iterable[str] | None = None):
    """Spike raster: one row per neuron, one tick per spike, groups in colours.

    Up to :data:`LABELLED_ROWS` neurons every row is named; beyond, each run of
    a group is, with its size (groups: :func:`group_of`). Input neurons' analog events
    (a value other than 1) are drawn as hollow circles.

    Parameters
    ----------
    record : SpikeRecord, Simulator or RunResult
        A :class:`SpikeRecord` or a ``Simulator`` (its record so far), or a one-sample deep ``RunResult``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; ``None`` (default) makes a new figure.
    names : str or iterable of str, optional
        Recorded neurons to draw, one row each, top to bottom in this order; ``None`` (default): every
        recorded neuron, inputs included, in the record's order.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValidationError
        If ``record`` is none of the accepted kinds (or a ``RunResult`` of several samples), ``ax`` is neither
        ``None`` nor an Axes, or ``names`` holds a repeated name or one that is not a recorded neuron.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    >>> record = evsim.simulate(net, {"x": [0, 1, 2, 5, 6]}, until=10)
    >>> ax = evsim.plot.raster(record)
    >>> ax.get_title(), [label.get_text() for label in ax.get_yticklabels()]
    ('spike raster', ['x', 'y'])
    """
    record = _record("raster", record)
    names = _neurons("raster", record, names)
    if not names:
        raise ValidationError("raster: names must name at least one recorded neuron, got none")
    ax = _axes("raster", ax, (7, min(6.0, 1.2 + 0.22 * len(names))))
    mine, rows = _rows_of(record, names)
    groups = [group_of(name) for name in names]
    palette = _group_colours(groups)
    size = _tick_size(ax, len(names))
    analog = record.value[mine] != 1.0
    group_of_row = np.array([palette[g][0] for g in groups])
    for label, colour in dict(palette.values()).items():
        in_group = group_of_row[rows] == label if rows.size else np.zeros(0, bool)
        for hollow, marker in ((False, "|"), (True, "o")):
            pick = in_group & (analog == hollow)
            if pick.any():
                style = dict(facecolors="none", edgecolors=colour, s=size / 4) if hollow else dict(color=colour, s=size)
                ax.scatter(record.time[mine][pick], rows[pick], marker=marker, linewidths=1.2,
                           label=label if (label and not hollow) else None,
                           rasterized=bool(mine.size > 20_000), **style)
    if len(names) <= LABELLED_ROWS:
        ax.set_yticks(range(len(names)), names)
    else:
        firsts = [i for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g] + [len(groups)]
        ax.set_yticks([(a + b - 1) / 2 for a, b in zip(firsts, firsts[1:])],
                      [f"{groups[a]} ({b - a})" for a, b in zip(firsts, firsts[1:])], fontsize="small")
    ax.set_ylim(-0.5, len(names) - 0.5)
    ax.invert_yaxis()
    ax.set_xlabel("time (ms)")
    ax.set_ylabel(f"neuron ({len(names)})")
    ax.set_title("spike raster" if mine.size else "spike raster: no spikes")
    if ax.get_legend_handles_labels()[1]:
        _legend_outside(ax)
    return ax


def _group_colours(groups: list[str]) -> dict[str, tuple[str, object]]:
    """Each group's ``(legend label, colour)``: groups of several neurons get a colour each (when there are at
    least two of them), and everything else is black, unlabelled."""
    sizes = Counter(groups)
    several = [g for g in dict.fromkeys(groups) if sizes[g] > 1]
    if len(several) < 2:
        return {g: ("", "k") for g in groups}
    colours = dict(zip(several, _colours(len(several))))
    return {g: (g, colours[g]) if g in colours else ("", "k") for g in dict.fromkeys(groups)}


def _tick_size(ax, rows: int) -> float:
    """Marker area (points²) of a raster tick: 90 % of a row's height on the Axes, at most 200."""
    height = ax.get_position().height * ax.figure.get_figheight() * 72.0  # points
    return float(min(200.0, max(1.0, (0.9 * height / max(rows, 1)) ** 2)))


def _colours(n: int) -> list:
    """``n`` distinguishable colours (black alone for one group)."""
    if n <= 1:
        return ["k"]
    import matplotlib

    cycle = matplotlib.colormaps["tab10"].colors
    return [cycle[i % len(cycle)] for i in range(n)]


def _probed(owner: str, record: SpikeRecord, name) -> PotentialTrace:
    if not isinstance(name, str) or name not in record.potentials:
        probed = sorted(record.potentials)
        raise ValidationError(f"{owner}: name must be a probed neuron ({probed}), got {name!r}; simulate with "
                              f"probes=[{name!r}] to record its potential")
    return record.potentials[name]


def _draw_potential(ax, record: SpikeRecord, trace, end: float, resolution: int, threshold, colour="tab:blue",
                    name: str = "") -> None:
    """One neuron's potential up to ``end``: free evolution between updates, the update values, θ and the spikes.

    ``name``: overlaid with others, so the legend names the neuron once per line.
    """
    shown = trace.time <= end
    times = np.union1d(np.linspace(0.0, end, resolution), trace.time[shown])
    ax.plot(times, trace.sample(times), color=colour, lw=1, label=name or "v (between events)")
    ax.scatter(trace.time[shown], trace.before[shown], s=14, color=colour, zorder=3,
               label=None if name else "v at an update, before reset")
    theta = trace.threshold if threshold is None else threshold
    if np.isfinite(theta):
        ax.axhline(theta, color=colour if name else "tab:red", ls="--", lw=1,
                   label=f"θ = {theta:g} ({name})" if name else f"threshold θ = {theta:g}")
    spikes = record.time[record.neuron == record.names.index(trace.name)]
    spikes = spikes[spikes <= end]
    if spikes.size:
        top = theta if np.isfinite(theta) else float(np.max(trace.before))
        ax.vlines(spikes, top, top + 0.15 * abs(top) + 0.05, color=colour if name else "k", lw=1.5,
                  label=None if name else "spike")


def _end(owner: str, until, traces) -> float:
    if until is not None:
        return check.real("until", until, owner=owner, minimum=0.0, exclusive_minimum=True)
    last = max((float(t.time.max()) for t in traces if t.time.size), default=0.0)
    return last + 1.0


def potential(record: SpikeRecord, name: str, ax=None, *, until: float | None = None,
              threshold: float | None = None, resolution: int = 400):
    """Membrane potential of a probed neuron: exact values at updates and the
    free evolution between them, with the threshold line and spike marks.

    Parameters
    ----------
    record : SpikeRecord, Simulator or RunResult
        A :class:`SpikeRecord` or a ``Simulator`` (its record so far), or a one-sample deep ``RunResult``.
    name : str
        A neuron whose potential was probed (``simulate(..., probes=[name])``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; ``None`` (default) makes a new figure.
    until : float, optional
        End of the time axis (ms, ``> 0``); ``None`` (default): 1 ms after the neuron's last update.
    threshold : float, optional
        The threshold is the neuron's own (read from its model); ``threshold`` (a finite real) draws another
        line instead. No line is drawn for an infinite threshold.
    resolution : int, optional
        Points sampling the free evolution from 0 to ``until`` (``2 … 10**7``, default 400), besides the updates.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValidationError
        If ``record`` is none of the accepted kinds (or a ``RunResult`` of several samples), ``ax`` is neither
        ``None`` nor an Axes, ``name`` is not a probed neuron, or ``until``, ``threshold`` or ``resolution``
        is out of range.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    >>> record = evsim.simulate(net, {"x": [0, 1, 2, 5, 6]}, until=10, probes=["y"])
    >>> record.trains()["y"].tolist()
    [2.0, 6.0]
    >>> evsim.plot.potential(record, "y").get_title()
    'potential of y'
    """
    owner = "potential"
    record = _record(owner, record, spikes_only=False)
    trace = _probed(owner, record, name)
    end = _end(owner, until, [trace])
    threshold = None if threshold is None else check.real("threshold", threshold, owner=owner)
    resolution = check.integer("resolution", resolution, owner=owner, minimum=2, maximum=10**7)
    ax = _axes(owner, ax, (8.5, 3))
    _draw_potential(ax, record, trace, end, resolution, threshold)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("membrane potential")
    ax.set_title(f"potential of {name}")
    _legend_outside(ax)
    return ax


def potentials(record: SpikeRecord, names: Iterable[str] | None = None, ax=None, *, overlay: bool = False,
               until: float | None = None, resolution: int = 400):
    """Potentials of several probed neurons: stacked, one panel each on a shared time axis, or overlaid.

    Stacked (the default) makes a new figure and returns its Axes, top to bottom (``ax`` must then be
    None); ``overlay=True`` draws them on one Axes (``ax`` or a new one) in
    one colour each, each with its own threshold. Thresholds are read from
    the neurons' models.

    Parameters
    ----------
    record : SpikeRecord, Simulator or RunResult
        A :class:`SpikeRecord` or a ``Simulator`` (its record so far), or a one-sample deep ``RunResult``.
    names : str or iterable of str, optional
        Probed neurons (default: all, in the network's order).
    ax : matplotlib.axes.Axes, optional
        With ``overlay=True``, the Axes to draw on (``None``, the default: a new figure); stacked, it must be
        ``None``.
    overlay : bool, optional
        ``False`` (default): one panel per neuron; ``True``: every potential on one Axes.
    until : float, optional
        End of the time axis (ms, ``> 0``); ``None`` (default): 1 ms after the last update of any of them.
    resolution : int, optional
        Points sampling the free evolution from 0 to ``until`` (``2 … 10**7``, default 400), besides the updates.

    Returns
    -------
    matplotlib.axes.Axes or numpy.ndarray of Axes
        Overlaid: the Axes drawn on. Stacked: a 1-d array of the panels' Axes, top to bottom.

    Raises
    ------
    ValidationError
        If ``record`` is none of the accepted kinds (or a ``RunResult`` of several samples), holds no probed
        potential (or ``names`` is empty), a name is not a probed neuron, ``overlay`` is not a bool, ``until`` or
        ``resolution`` is out of range, or ``ax`` is not ``None`` when stacked (not an Axes when overlaid).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    >>> record = evsim.simulate(net, {"x": [0, 1, 2, 5, 6]}, until=10, probes=["y"])
    >>> axes = evsim.plot.potentials(record)
    >>> len(axes), axes[0].get_ylabel()
    (1, 'y')
    >>> evsim.plot.potentials(record, overlay=True).get_title()
    'potentials'
    """
    owner = "potentials"
    record = _record(owner, record, spikes_only=False)
    names = [n for n in record.names if n in record.potentials] if names is None else \
        list(check.name_set("names", names, owner=owner))
    if not names:
        raise ValidationError(f"{owner}: record must hold probed potentials, got none; simulate with "
                              f"probes=[...] naming the neurons to watch")
    traces = [_probed(owner, record, name) for name in names]
    overlay = check.flag("overlay", overlay, owner=owner)
    end = _end(owner, until, traces)
    resolution = check.integer("resolution", resolution, owner=owner, minimum=2, maximum=10**7)
    if overlay:
        ax = _axes(owner, ax, (8.5, 3.2))
        for trace, colour in zip(traces, _colours(len(traces) + 1)[1:] if len(traces) > 1 else ["tab:blue"]):
            _draw_potential(ax, record, trace, end, resolution, None, colour, trace.name)
        ax.set(xlabel="time (ms)", ylabel="membrane potential", title="potentials")
        _legend_outside(ax)
        return ax
    if ax is not None:
        raise ValidationError(f"{owner}: ax must be None when the potentials are stacked (a new figure with one "
                              f"panel per neuron), got {ax!r}; pass overlay=True to draw them on one Axes")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(traces), 1, sharex=True, figsize=(8.5, 1.2 + 1.6 * len(traces)),
                             layout="constrained", squeeze=False)
    for panel, trace in zip(axes[:, 0], traces):
        _draw_potential(panel, record, trace, end, resolution, None)
        panel.set_ylabel(trace.name)
    axes[0, 0].set_title("membrane potentials (dashed: each neuron's threshold)")
    axes[-1, 0].set_xlabel("time (ms)")
    return axes[:, 0]


def population_rate(record: SpikeRecord, names: Iterable[str] | None = None, ax=None, *, bin: float = 1.0,
                    until: float | None = None):
    """Population firing rate: spikes of ``names`` per bin of ``bin`` ms, over neurons and seconds (Hz).

    ``rate(bin) = spikes in the bin / (len(names) · bin / 1000)``.

    Parameters
    ----------
    record : SpikeRecord, Simulator or RunResult
        A :class:`SpikeRecord` or a ``Simulator`` (its record so far), or a one-sample deep ``RunResult``.
    names : str or iterable of str, optional
        The population: recorded neurons. ``names`` defaults to every recorded neuron that is not an input.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; ``None`` (default) makes a new figure.
    bin : float, optional
        Bin width (ms, ``> 0``, default 1).
    until : float, optional
        End of the time axis (ms, ``> 0``); ``None`` (default): one bin past the population's last spike.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValidationError
        If ``record`` is none of the accepted kinds (or a ``RunResult`` of several samples), ``ax`` is neither
        ``None`` nor an Axes, ``names`` is empty (or, by default, every recorded neuron is an input), holds a
        repeated name or one that is not recorded, ``bin`` or ``until`` is not a finite real ``> 0``, or they
        make more than 10**6 bins.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    >>> record = evsim.simulate(net, {"x": [0, 1, 2, 5, 6]}, until=10)
    >>> evsim.plot.population_rate(record, bin=2.0).get_title()
    'population rate of 1 neuron, 2 ms bins'
    """
    owner = "population_rate"
    record = _record(owner, record)
    given = names is not None
    names = _neurons(owner, record, names, default_inputs=False)
    if not names:
        raise ValidationError(f"{owner}: names must name at least one recorded neuron, got none" if given else
                              f"{owner}: every recorded neuron is an input, and the default leaves inputs out; "
                              f"pass names=[...] to plot their rate")
    width = check.real("bin", bin, owner=owner, minimum=0.0, exclusive_minimum=True)
    mine, _ = _rows_of(record, names)
    times = record.time[mine]
    end = _end(owner, until, []) if until is not None else (float(times.max()) + width if times.size else width)
    if end / width > 10**6:  # (before the edges are allocated)
        raise ValidationError(f"{owner}: bin must leave at most 10**6 bins up to {end!r} ms, got {width!r}")
    edges = np.arange(0.0, end + width, width)
    counts, _ = np.histogram(times, edges)
    ax = _axes(owner, ax, (7, 2.8))
    ax.stairs(counts / (len(names) * width / 1000.0), edges, color="k", lw=1)
    ax.set(xlabel="time (ms)", ylabel="rate (Hz per neuron)",
           title=f"population rate of {counted(len(names), 'neuron')}, {width:g} ms bins")
    return ax


def isi(record: SpikeRecord, names: Iterable[str] | None = None, ax=None, *, bins: int = 30):
    """Histogram of inter-spike intervals, pooled over ``names`` (default: every non-input recorded neuron).

    A note gives the number of intervals, their mean and the coefficient
    of variation ``CV = sd/mean`` (1 for a Poisson process, 0 for a clock).

    Parameters
    ----------
    record : SpikeRecord, Simulator or RunResult
        A :class:`SpikeRecord` or a ``Simulator`` (its record so far), or a one-sample deep ``RunResult``.
    names : str or iterable of str, optional
        Recorded neurons whose intervals are pooled; ``None`` (default): every recorded neuron that is not an
        input.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; ``None`` (default) makes a new figure.
    bins : int, optional
        Number of histogram bins (``1 … 10**5``, default 30).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (with a note instead of bars when no neuron fired twice).

    Raises
    ------
    ValidationError
        If ``record`` is none of the accepted kinds (or a ``RunResult`` of several samples), ``ax`` is neither
        ``None`` nor an Axes, ``names`` holds a repeated name or one that is not recorded, or ``bins`` is out of
        range.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    >>> record = evsim.simulate(net, {"x": [0, 1, 2, 5, 6]}, until=10)
    >>> ax = evsim.plot.isi(record)
    >>> print(ax.texts[0].get_text())
    1 interval of 1 neuron
    mean 4 ms, CV n/a (one interval)
    """
    owner = "isi"
    record = _record(owner, record)
    names = _neurons(owner, record, names, default_inputs=False)
    bins = check.integer("bins", bins, owner=owner, minimum=1, maximum=10**5)
    trains = record.trains()
    intervals = np.concatenate([np.diff(trains[name]) for name in names] + [np.zeros(0)])
    ax = _axes(owner, ax, (6, 3))
    if intervals.size == 0:
        ax.text(0.5, 0.5, f"no intervals: none of the {counted(len(names), 'neuron')} fired twice", ha="center",
                va="center", transform=ax.transAxes)
        ax.set(xlabel="inter-spike interval (ms)", title="inter-spike intervals")
        return ax
    ax.hist(intervals, bins=bins, range=(0.0, float(intervals.max())), color="tab:blue")
    mean = float(intervals.mean())
    cv = f"{intervals.std() / mean:.2f}" if intervals.size > 1 and mean > 0 else "n/a (one interval)"
    ax.set(xlabel="inter-spike interval (ms)", ylabel="count", title="inter-spike intervals")
    ax.text(0.98, 0.95, f"{counted(intervals.size, 'interval')} of {counted(len(names), 'neuron')}\n"
            f"mean {mean:.3g} ms, CV {cv}", transform=ax.transAxes, ha="right", va="top", fontsize="small")
    return ax



RANK_WIDTH = 6.0  # room for one rank's markers within an instant, in nudges (arrivals at −2…, reset at +2)
TIMELINE_STYLES = {  # kind: (marker, colour, left-to-right place within an instant)
    "input": ("s", "tab:green", 0.0), "arrive": ("^", "tab:olive", -2.0), "deliver": ("v", "tab:orange", -1.0),
    "blocked": ("x", "tab:gray", -1.0), "update": ("o", "tab:blue", 0.0), "spike": ("*", "tab:red", 1.0),
    "reset": ("D", "tab:purple", 2.0),
}


TIMELINE_ROWS = 30  # neurons a timeline shows; more is a typed error pointing at neurons=


def event_timeline(record: SpikeRecord, ax=None, limit: int = 200, *, neurons: Iterable[str] | str | None = None,
                   values: bool = True, arrows: bool = True):
    """The event trace as a timeline: one row per neuron, markers by event kind.

    Each instant is a column (labelled with its exact time), whatever the
    gaps between instants; within it markers are spread left to right in
    the order the events take effect: rank by rank (zero-delay synapses),
    and within a rank the arrivals, their sum, the update, the spike, the
    reset.

    Parameters
    ----------
    record : SpikeRecord or Simulator
        Holding an event trace (``simulate(..., trace=True)``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; ``None`` (default) makes a new figure.
    limit : int, optional
        At most the first ``limit`` trace lines (of ``neurons``) are drawn (``>= 1``, default 200), cut at the
        last whole instant; the title says when lines were left out.
    neurons : str or iterable of str, optional
        Only these recorded neurons' lines (default: every neuron the drawn lines concern; at most
        :data:`TIMELINE_ROWS` of them).
    values : bool, optional
        Each arrival, sum, update and reset is labelled with its value, so excitation and inhibition
        cancelling is visible (default ``True``).
    arrows : bool, optional
        An arrow from each spike to each arrival it causes (default ``True``; drawn where both are shown).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValidationError
        If ``record`` is not a SpikeRecord or Simulator, ``ax`` is neither ``None`` nor an Axes, the record
        holds no event trace, ``limit`` is not an integer ``>= 1``, ``neurons`` names a neuron the record
        lacks, the lines drawn concern more than :data:`TIMELINE_ROWS` neurons, or ``values`` or ``arrows`` is
        not a bool.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    >>> record = evsim.simulate(net, {"x": [0, 1, 2, 5, 6]}, until=10, trace=True)
    >>> evsim.plot.event_timeline(record).get_title()
    'event trace: arrive < deliver < update < spike < reset within an instant'
    """
    owner = "event_timeline"
    record = _record(owner, record, spikes_only=False)
    if record.trace is None:
        raise ValidationError(f"{owner}: record must hold an event trace, got a record without one; "
                              "simulate with trace=True")
    limit = check.integer("limit", limit, owner=owner, minimum=1)
    values, arrows = check.flag("values", values, owner=owner), check.flag("arrows", arrows, owner=owner)
    wanted = None if neurons is None else set(_neurons(owner, record, neurons))
    lines = record.trace.events if wanted is None else tuple(e for e in record.trace if e.neuron in wanted)
    events = _whole_instants(lines, limit)
    shown = {e.neuron for e in events}
    names = [n for n in record.names if n in shown]
    if len(names) > TIMELINE_ROWS:
        raise ValidationError(f"{owner}: the {len(events)} trace lines drawn concern {len(names)} neurons, more "
                              f"than a timeline shows ({TIMELINE_ROWS}); pass neurons=[...] to choose some, or a "
                              f"smaller limit")
    ax = _axes(owner, ax, (min(16.0, max(7.0, 2.5 + 1.5 * len({e.time for e in events}))),
                           min(12.0, 1.4 + 0.55 * max(len(names), 1))))
    if not events:
        ax.text(0.5, 0.5, "no events", ha="center", va="center", transform=ax.transAxes)
        ax.set(title="event trace", xticks=[], yticks=[])
        return ax
    _draw_timeline(ax, events, names, values, arrows)
    cut = f"; first {len(events)} of {len(lines)} lines, to {events[-1].time!r} ms" if len(events) < len(lines) else ""
    ax.set_title(f"event trace: arrive < deliver < update < spike < reset within an instant{cut}")
    _legend_outside(ax)
    return ax


def _whole_instants(lines: Sequence, limit: int) -> Sequence:
    """The first ``limit`` lines, less a last instant the limit cuts in two (unless that is all of them)."""
    if len(lines) <= limit:
        return lines
    events = lines[:limit]
    whole = [e for e in events if e.time != lines[limit].time]
    return whole or events


def _draw_timeline(ax, events, names: list[str], values: bool, arrows: bool) -> None:
    """Markers (and values, arrows) of ``events``: a column per instant, ranks and kinds left to right."""
    times = sorted({e.time for e in events})
    column = {t: i for i, t in enumerate(times)}  # one column per instant: equal room whatever the gaps
    ranks = max(e.rank for e in events) + 1  # each rank of an instant after the one before
    later = _arrivals_after(events)  # a neuron's arrivals at one instant side by side, the first leftmost
    widest = max(later.values(), default=0)  # the most arrivals after one, at one neuron and instant
    width = RANK_WIDTH + 0.8 * widest  # a rank's room, in nudges
    nudge = 0.85 / (width * ranks)  # an instant's markers fill at most 85 % of its column
    row = {name: i for i, name in enumerate(names)}

    def place(e) -> tuple[float, int]:
        shift = TIMELINE_STYLES[e.kind][2] - 0.8 * later.get(id(e), 0) + 0.4 * widest
        return column[e.time] + (shift + width * (e.rank - (ranks - 1) / 2)) * nudge, row[e.neuron]

    for i in range(len(times)):
        ax.axvspan(i - 0.45, i + 0.45, color="0.95", zorder=0)
    for kind, (marker, colour, _) in TIMELINE_STYLES.items():
        chosen = [e for e in events if e.kind == kind]
        if chosen:
            xs, ys = zip(*(place(e) for e in chosen))
            ax.scatter(xs, ys, marker=marker, color=colour, s=45, label=kind, zorder=3)
    if values:
        _value_labels(ax, events, place, later)
    if arrows:
        _spike_arrows(ax, events, place, row)
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.4, -0.8)
    every = max(1, -(-len(times) // 25))  # at most about 25 labelled instants
    ax.set_xticks(range(0, len(times), every), [repr(t) for t in times[::every]])
    ax.set_xlim(-0.6, len(times) - 0.4)
    ax.set_xlabel("instant (ms), one column each; within it, events left to right in the order they take effect")
    ax.set_ylabel("neuron")


LABEL_HEIGHTS = {"deliver": 6, "blocked": 6, "update": 15, "reset": 6}  # points above a marker (update higher)


def _value_labels(ax, events, place, later: dict) -> None:
    """Each arrival's value below its marker (side by side arrivals alternate in height), sums, updates and
    resets above."""
    for e in events:
        if e.kind == "arrive":
            ax.annotate(f"{e.value:+.3g}", place(e), xytext=(0, -9 - 9 * (later.get(id(e), 0) % 2)),
                        textcoords="offset points", ha="center", va="top", fontsize=7, color="0.25")
        elif e.kind in LABEL_HEIGHTS:
            ax.annotate(f"{e.value:.3g}", place(e), xytext=(0, LABEL_HEIGHTS[e.kind]), textcoords="offset points",
                        ha="center", va="bottom", fontsize=7, color="0.25")


def _arrivals_after(events) -> dict[int, int]:
    """For each arrive line, how many arrivals at its neuron and instant come after it (by ``id`` of the line)."""
    runs: dict[tuple, list] = {}
    for e in events:
        if e.kind == "arrive":
            runs.setdefault((e.time, e.neuron), []).append(e)
    return {id(e): len(run) - 1 - j for run in runs.values() for j, e in enumerate(run)}


def _spike_arrows(ax, events, place, row) -> None:
    """An arrow from the spike (or input) that sent each arrival to the arrival."""
    fired = {(e.neuron, e.time): e for e in events if e.kind in ("spike", "input")}
    for e in events:
        sender = fired.get((e.source, e.sent)) if e.kind == "arrive" else None
        if sender is not None and e.neuron in row:
            ax.annotate("", place(e), xytext=place(sender), zorder=2,
                        arrowprops=dict(arrowstyle="->", color="0.55", lw=0.8, shrinkA=4, shrinkB=4))


def behavior(b, ax=None, top: int = 12):
    """The ``top`` most probable output sequences of a single-execution behaviour, as bars.

    Parameters
    ----------
    b : Behavior
        A single-execution behaviour (no free inputs), from :func:`evsim.behavior.exact` or
        :func:`evsim.behavior.estimate`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; ``None`` (default) makes a new figure.
    top : int, optional
        How many sequences to draw at most (``>= 1``, default 12), most probable first.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValidationError
        If ``b`` is not a Behavior or has free inputs, ``top`` is not an integer ``>= 1``, or ``ax`` is neither
        ``None`` nor an Axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from evsim import behavior, plot
    >>> from evsim.library import copy_gate
    >>> ax = plot.behavior(behavior.exact(copy_gate(w=6.0), {"x": [0]}, horizon=3), top=3)
    >>> ax.get_title(), [label.get_text() for label in ax.get_xticklabels()]
    ('most probable of 4 output sequences', ['y 010', 'y 011', 'y 000'])
    """
    from evsim.behavior import Behavior

    check.instance("b", b, Behavior, owner="behavior", accepted="a Behavior (from evsim.behavior.exact or estimate)")
    top = check.integer("top", top, owner="behavior", minimum=1)
    ax = _axes("behavior", ax, (8.5, 3.2))
    items = b.most_probable(top)
    labels = ["\n".join(f"{name} " + "".join(map(str, seq[name])) for name in b.outputs) for seq, _ in items]
    ax.bar(range(len(items)), [p for _, p in items], color="tab:blue")
    ax.set_xticks(range(len(items)), labels, fontsize="x-small", family="monospace")
    ax.set_ylabel("probability")
    ax.set_xlabel(f"output sequence, rounds 0–{b.horizon - 1}")
    ax.set_title(f"most probable of {b.n_sequences:,} output sequences")
    return ax


def accuracy_vs_steps(rows, ann_accuracy: float, ax=None, *, group: str = "v_init", dataset: str = "digits"):
    """Test accuracy against time steps (log axis), one line per value of ``group``, with the ANN's.

    Parameters
    ----------
    rows : sequence of mappings
        Non-empty; each row (one line of a results table) has the keys ``"steps"`` (time steps T, > 0: a
        log-2 axis), ``group`` and ``"accuracy"`` (a fraction in ``[0, 1]``, drawn as a percentage).
    ann_accuracy : float
        The ANN's accuracy, a fraction in ``[0, 1]``, drawn as a dashed line.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; ``None`` (default) makes a new figure.
    group : str, optional
        The row key whose values split the rows into lines (default ``"v_init"``).
    dataset : str, optional
        Name of the dataset, for the title (default ``"digits"``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValidationError
        If ``rows`` is not a non-empty sequence of mappings, a row lacks a key or its ``"accuracy"`` is not in
        ``[0, 1]``, ``ann_accuracy`` is not in ``[0, 1]``, ``group`` or ``dataset`` is not a string, or ``ax``
        is neither ``None`` nor an Axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from evsim import plot
    >>> rows = [{"steps": 4, "v_init": "zero", "accuracy": 0.80}, {"steps": 8, "v_init": "zero", "accuracy": 0.90},
    ...         {"steps": 4, "v_init": "half", "accuracy": 0.88}, {"steps": 8, "v_init": "half", "accuracy": 0.93}]
    >>> ax = plot.accuracy_vs_steps(rows, ann_accuracy=0.95)
    >>> ax.get_title(), ax.get_legend_handles_labels()[1]
    ('ANN→SNN conversion on digits', ['SNN, v_init=zero', 'SNN, v_init=half', 'ANN'])
    """
    check.instance("group", group, str, owner="accuracy_vs_steps", accepted="a row key (a string)")
    check.instance("dataset", dataset, str, owner="accuracy_vs_steps", accepted="a string")
    rows = _rows("accuracy_vs_steps", rows, ("steps", group), ann_accuracy)
    ax = _axes("accuracy_vs_steps", ax, (6.5, 3.4))
    for key in dict.fromkeys(r[group] for r in rows):
        mine = [r for r in rows if r[group] == key]
        ax.plot([r["steps"] for r in mine], [100 * r["accuracy"] for r in mine], "o-", label=f"SNN, {group}={key}")
    _ann_line(ax, ann_accuracy, rows)
    steps = sorted({r["steps"] for r in rows})
    ax.set_xscale("log", base=2)
    ax.set_xticks(steps, [str(t) for t in steps])
    ax.minorticks_off()
    ax.set(xlabel="time steps T", title=f"ANN→SNN conversion on {dataset}")
    ax.legend(loc="lower right", fontsize="small")
    return ax


def _ann_line(ax, ann_accuracy, rows) -> None:
    ax.axhline(100 * ann_accuracy, color="k", ls="--", lw=1, label="ANN")
    ax.set_ylabel("test accuracy (%)")
    ax.set_ylim(max(0.0, 100 * min(r["accuracy"] for r in rows) - 5), 100.5)


def _per_method(ax, rows, x_key) -> None:
    for label in dict.fromkeys(r["method"] for r in rows):
        mine = [r for r in rows if r["method"] == label]
        ax.plot([r[x_key] for r in mine], [100 * r["accuracy"] for r in mine], "o-", label=label)


def accuracy_vs_latency(rows, ann_accuracy: float, ax=None):
    """Accuracy against average time steps per image, one line per method.

    Parameters
    ----------
    rows : sequence of mappings
        Non-empty; each row (one line of a results table) has the keys ``"method"`` (one line each),
        ``"avg_steps"`` (average time steps per image, > 0: a log axis), ``"steps"`` (the step budget: ticks
        at the powers of 2 up to the largest) and ``"accuracy"`` (a fraction in ``[0, 1]``, as a percentage).
    ann_accuracy : float
        The ANN's accuracy, a fraction in ``[0, 1]``, drawn as a dashed line.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; ``None`` (default) makes a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValidationError
        If ``rows`` is not a non-empty sequence of mappings, a row lacks a key or its ``"accuracy"`` is not in
        ``[0, 1]``, ``ann_accuracy`` is not in ``[0, 1]``, or ``ax`` is neither ``None`` nor an Axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from evsim import plot
    >>> rows = [{"method": "rate", "avg_steps": 8.0, "steps": 8, "energy_ratio": 0.5, "accuracy": 0.90},
    ...         {"method": "ttfs", "avg_steps": 3.5, "steps": 8, "energy_ratio": 0.1, "accuracy": 0.85}]
    >>> ax = plot.accuracy_vs_latency(rows, ann_accuracy=0.95)
    >>> ax.get_title(), ax.get_legend_handles_labels()[1]
    ('accuracy against latency', ['rate', 'ttfs', 'ANN'])
    """
    rows = _rows("accuracy_vs_latency", rows, ("method", "avg_steps", "steps"), ann_accuracy)
    ax = _axes("accuracy_vs_latency", ax, (6.5, 3.6))
    _per_method(ax, rows, "avg_steps")
    _ann_line(ax, ann_accuracy, rows)
    ax.legend(fontsize="small", loc="lower right")
    ax.set_xscale("log")
    steps = [t for t in (1, 2, 4, 8, 16, 32) if t <= max(r["steps"] for r in rows)]
    ax.set_xticks(steps, [str(t) for t in steps])
    ax.minorticks_off()
    ax.set(xlabel="average time steps per image (log scale)", title="accuracy against latency")
    return ax


def accuracy_vs_energy(rows, ann_accuracy: float, ax=None):
    """Accuracy against energy per image relative to the ANN (counted operations), one line per method.

    Parameters
    ----------
    rows : sequence of mappings
        Non-empty; each row (one line of a results table) has the keys ``"method"`` (one line each),
        ``"energy_ratio"`` (energy per image over the ANN's, > 0: a log axis) and ``"accuracy"`` (a fraction
        in ``[0, 1]``, drawn as a percentage).
    ann_accuracy : float
        The ANN's accuracy, a fraction in ``[0, 1]``, drawn as a dashed line.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; ``None`` (default) makes a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValidationError
        If ``rows`` is not a non-empty sequence of mappings, a row lacks a key or its ``"accuracy"`` is not in
        ``[0, 1]``, ``ann_accuracy`` is not in ``[0, 1]``, or ``ax`` is neither ``None`` nor an Axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from evsim import plot
    >>> rows = [{"method": "rate", "avg_steps": 8.0, "steps": 8, "energy_ratio": 0.5, "accuracy": 0.90},
    ...         {"method": "ttfs", "avg_steps": 3.5, "steps": 8, "energy_ratio": 0.1, "accuracy": 0.85}]
    >>> ax = plot.accuracy_vs_energy(rows, ann_accuracy=0.95)
    >>> ax.get_title(), ax.get_xscale()
    ('accuracy against energy', 'log')
    """
    rows = _rows("accuracy_vs_energy", rows, ("method", "energy_ratio"), ann_accuracy)
    ax = _axes("accuracy_vs_energy", ax, (6.5, 3.6))
    _per_method(ax, rows, "energy_ratio")
    _ann_line(ax, ann_accuracy, rows)
    ax.set_xscale("log")
    ax.set(xlabel="energy per image / ANN energy (counted AC and MAC operations)", title="accuracy against energy")
    ax.legend(fontsize="x-small", loc="lower right")
    return ax


def low_latency(rows, ann_accuracy: float):
    """Both panels side by side; returns the left Axes.

    Draws a new figure: :func:`accuracy_vs_latency` on the left, :func:`accuracy_vs_energy` on the right.

    Parameters
    ----------
    rows : sequence of mappings
        Non-empty; each row (one line of a results table) has the keys ``"method"``, ``"avg_steps"``,
        ``"steps"``, ``"energy_ratio"`` and ``"accuracy"`` (a fraction in ``[0, 1]``, drawn as a percentage).
    ann_accuracy : float
        The ANN's accuracy, a fraction in ``[0, 1]``, drawn as a dashed line.

    Returns
    -------
    matplotlib.axes.Axes
        The left (latency) panel; ``.figure`` is the whole figure.

    Raises
    ------
    ValidationError
        If ``rows`` is not a non-empty sequence of mappings, a row lacks a key or its ``"accuracy"`` is not in
        ``[0, 1]``, or ``ann_accuracy`` is not in ``[0, 1]``.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from evsim import plot
    >>> rows = [{"method": "rate", "avg_steps": 8.0, "steps": 8, "energy_ratio": 0.5, "accuracy": 0.90},
    ...         {"method": "ttfs", "avg_steps": 3.5, "steps": 8, "energy_ratio": 0.1, "accuracy": 0.85}]
    >>> left = plot.low_latency(rows, ann_accuracy=0.95)
    >>> [ax.get_title() for ax in left.figure.axes]
    ['accuracy against latency', 'accuracy against energy']
    """
    import matplotlib.pyplot as plt

    _rows("low_latency", rows, ("method", "avg_steps", "steps", "energy_ratio"), ann_accuracy)
    _, (left, right) = plt.subplots(1, 2, figsize=(12, 3.8), layout="constrained")
    accuracy_vs_latency(rows, ann_accuracy, left)
    accuracy_vs_energy(rows, ann_accuracy, right)
    right.get_legend().remove()  # the same lines: one legend, on the left
    return left


def training_curve(training: "Training", ax: "Axes | None" = None, *, ann_accuracy: float | None = None) -> "Axes":
    """Accuracy per epoch (training, and test where measured) with the loss on a second axis.

    Parameters
    ----------
    training : Training
        A :class:`~evsim.deep.direct.Training` (from :func:`evsim.deep.direct.fit`).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; ``None`` (default) makes a new figure.
    ann_accuracy : float, optional
        A dashed line for the ANN a fine-tuned net came from (a fraction in ``[0, 1]``; ``None``, the
        default: no line).

    Returns
    -------
    matplotlib.axes.Axes
        The accuracy Axes (the loss is drawn on a twin Axes sharing its x axis).

    Raises
    ------
    ValidationError
        If ``training`` is not a Training, ``ann_accuracy`` is neither ``None`` nor in ``[0, 1]``, or ``ax``
        is neither ``None`` nor an Axes.

    Examples
    --------
    Two epochs of a tiny net on random data, only to have a curve to draw:

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np
    >>> from evsim import plot
    >>> from evsim.deep import direct
    >>> x, y = np.random.default_rng(0).random((12, 4)), np.arange(12) % 2
    >>> training = direct.fit(direct.spiking_mlp([4, 3, 2], beta=0.5, seed=0), x, y, 2, epochs=2, batch=6)
    >>> ax = plot.training_curve(training, ann_accuracy=0.9)
    >>> ax.get_title(), [text.get_text() for text in ax.get_legend().get_texts()]
    ('training through time', ['training (during the epoch)', 'ANN', 'loss'])
    """
    from evsim.deep.direct import Training

    check.instance("training", training, Training, owner="training_curve",
                   accepted="a Training (from evsim.deep.direct.fit)")
    if ann_accuracy is not None:
        check.probability("ann_accuracy", ann_accuracy, owner="training_curve")
    ax = _axes("training_curve", ax, (6.5, 3.4))
    epochs = np.arange(1, len(training.losses) + 1)
    ax.plot(epochs, 100 * np.asarray(training.accuracies), "o-", ms=3, label="training (during the epoch)")
    if training.validation is not None:
        ax.plot(epochs, 100 * np.asarray(training.validation), "s-", ms=3, label="test (after the epoch)")
    if ann_accuracy is not None:
        ax.axhline(100 * ann_accuracy, color="k", ls="--", lw=1, label="ANN")
    ax.set(xlabel="epoch", ylabel="accuracy (%)", title="training through time")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    loss_axis = ax.twinx()
    loss_axis.plot(epochs, training.losses, color="0.5", lw=1, label="loss")
    loss_axis.set_ylabel("training loss", color="0.4")
    loss_axis.set_yscale("log")
    lines = ax.get_legend_handles_labels()
    extra = loss_axis.get_legend_handles_labels()
    ax.legend(lines[0] + extra[0], lines[1] + extra[1], loc="center right", fontsize="small")
    return ax


def die_accuracies(study: "YieldStudy", ax: "Axes | None" = None) -> "Axes":
    """Accuracy of each held-out die as fabricated and after recovery, against the spec.

    Dies are ordered by their accuracy as fabricated. Grey dots: as fabricated;
    blue dots: after recovery (the dies predicted out of spec, tuned with the
    regressor's thresholds; the others unchanged); open circles: at the offline
    optimum. A line joins a tuned die's two accuracies; the dashed lines are the
    design's accuracy and the spec floor below it. The axis shows the spec's
    neighbourhood: a die far below it is a triangle on the bottom edge, and a
    note gives those dies' accuracies.

    Parameters
    ----------
    study : YieldStudy
        From :func:`evsim.deep.yield_study.yield_study` or :func:`~evsim.deep.yield_study.recover`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; ``None`` (default) makes a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValidationError
        If ``study`` is not a YieldStudy, or ``ax`` is neither ``None`` nor an Axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np
    >>> from evsim import plot
    >>> from evsim.deep.devices import DeviceModel
    >>> from evsim.deep.yield_study import YieldStudy
    >>> before, after = np.array([0.8, 0.9, 0.95]), np.array([0.93, 0.9, 0.95])
    >>> study = YieldStudy(DeviceModel(0.1), 1.0, 0.95, np.arange(3), before, after, after, after,
    ...                    np.array([0.8, 0.95, 0.95]), np.ones((3, 1)), np.ones((3, 1)), None, None, 10)
    >>> plot.die_accuracies(study).get_title()
    'held-out dies: 2 of 3 out of spec as fabricated, 2 after recovery'
    """
    from evsim.deep.yield_study import YieldStudy

    check.instance("study", study, YieldStudy, owner="die_accuracies",
                   accepted="a YieldStudy (from evsim.deep.yield_study)")
    ax = _axes("die_accuracies", ax, (7.0, 3.6))
    order = np.argsort(study.before, kind="stable")
    rank = np.arange(1, len(order) + 1)
    before, after, best = (100 * np.asarray(a)[order] for a in (study.before, study.after, study.at_optimum))
    tuned = study.flagged[order]
    bottom = min(100 * study.floor - 2.0, after.min() - 0.5, best.min() - 0.5)
    off = before < bottom  # dies far below the rest: triangles on the bottom edge, their values in a note
    ax.vlines(rank[tuned], np.maximum(before[tuned], bottom), after[tuned], color="tab:blue", lw=0.8, alpha=0.6)
    ax.plot(rank, best, "o", mfc="none", mec="0.6", ms=6, label="at the offline optimum")
    ax.plot(rank[~off], before[~off], "o", color="0.55", ms=3.5, label="as fabricated")
    ax.plot(rank[off], np.full(off.sum(), bottom), "v", color="0.55", ms=5, clip_on=False)
    if off.any():
        ax.text(0.01, 0.03, "▼ as fabricated, below the axis: " + ", ".join(f"{v:.1f}" for v in before[off]) + " %",
                transform=ax.transAxes, fontsize=7, color="0.35")
    ax.set_ylim(bottom, max(100 * study.design_accuracy, after.max(), best.max()) + 0.5)
    ax.plot(rank[tuned], after[tuned], "o", color="tab:blue", ms=3.5, label="tuned (predicted out of spec)")
    ax.axhline(100 * study.design_accuracy, color="k", ls="--", lw=1, label="design")
    ax.axhline(100 * study.floor, color="tab:red", ls="--", lw=1, label=f"spec: design − {study.spec:g}")
    ax.set(xlabel="held-out die (ordered by accuracy as fabricated)", ylabel="accuracy (%)",
           title=f"held-out dies: {study.out_of_spec(study.before)} of {len(order)} out of spec as fabricated, "
                 f"{study.out_of_spec(study.after)} after recovery")
    ax.legend(fontsize=8, loc="lower right")
    return ax
