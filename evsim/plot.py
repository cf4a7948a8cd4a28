"""Figures of a simulation (matplotlib is imported only when a function runs).

Every function takes ``ax=None`` (a new figure is made) and returns the Axes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from collections.abc import Mapping, Sequence

import numpy as np

from evsim import validation as check
from evsim.errors import ValidationError
from evsim.record import SpikeRecord

if TYPE_CHECKING:  # (annotations only: plot imports neither matplotlib nor the deep path until it draws)
    from matplotlib.axes import Axes

    from evsim.deep.direct import Training

__all__ = ["raster", "potential", "event_timeline", "behavior", "accuracy_vs_steps", "accuracy_vs_latency",
           "accuracy_vs_energy", "low_latency", "training_curve"]


def _axes(owner: str, ax, size=(7, 3)):
    """``ax``, or a new figure's Axes when it is ``None``."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=size)
        return ax
    from matplotlib.axes import Axes

    return check.instance("ax", ax, Axes, owner=owner, accepted="None or a matplotlib Axes")


def _record(owner: str, record: object) -> SpikeRecord:
    return check.instance("record", record, SpikeRecord, owner=owner, accepted="a SpikeRecord (from simulate)")


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


def raster(record: SpikeRecord, ax=None, names: Iterable[str] | None = None):
    """Spike raster: one row per neuron, one tick per spike.

    Input neurons' analog events are drawn hollow.
    """
    _record("raster", record)
    names = record.names if names is None else check.name_set("names", names, owner="raster")
    unknown = [name for name in names if name not in record.names]
    if unknown:
        raise ValidationError(f"raster: names must be neurons of the record ({list(record.names)}), got {unknown[0]!r}")
    ax = _axes("raster", ax)
    names = list(names)
    trains = record.trains()
    for row, name in enumerate(names):
        times = trains[name]
        ax.scatter(times, np.full(times.size, row), marker="|", s=200, linewidths=1.5, color="k")
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(-0.5, len(names) - 0.5)
    ax.invert_yaxis()
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("neuron")
    ax.set_title("spike raster")
    return ax


def potential(record: SpikeRecord, name: str, ax=None, *, until: float | None = None,
              threshold: float | None = None, resolution: int = 400):
    """Membrane potential of a probed neuron: exact values at updates and the
    free evolution between them, with the threshold line and spike marks.
    """
    owner = "potential"
    _record(owner, record)
    if not isinstance(name, str) or name not in record.potentials:
        raise ValidationError(f"{owner}: name must be a probed neuron ({sorted(record.potentials)}), got {name!r}; "
                              f"simulate with probes=[{name!r}] to record its potential")
    until = None if until is None else check.real("until", until, owner=owner, minimum=0.0, exclusive_minimum=True)
    threshold = None if threshold is None else check.real("threshold", threshold, owner=owner)
    resolution = check.integer("resolution", resolution, owner=owner, minimum=2, maximum=10**7)
    ax = _axes(owner, ax, (8.5, 3))
    trace = record.potentials[name]
    end = until if until is not None else (float(trace.time.max()) + 1.0 if trace.time.size else 1.0)
    grid = np.linspace(0.0, end, resolution)
    times = np.union1d(grid, trace.time)
    ax.plot(times, trace.sample(times), color="tab:blue", lw=1, label="v (between events)")
    ax.scatter(trace.time, trace.before, s=14, color="tab:blue", zorder=3, label="v at an update, before reset")
    spikes = record.trains()[name]
    if threshold is not None:
        ax.axhline(threshold, color="tab:red", ls="--", lw=1, label="threshold θ")
    if spikes.size:
        top = threshold if threshold is not None else float(np.max(trace.before))
        ax.vlines(spikes, top, top * 1.15 + 0.05, color="k", lw=1.5, label="spike")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("membrane potential")
    ax.set_title(f"potential of {name}")
    _legend_outside(ax)
    return ax


def event_timeline(record: SpikeRecord, ax=None, limit: int = 200):
    """The event trace as a timeline: one row per neuron, markers by event kind."""
    _record("event_timeline", record)
    if record.trace is None:
        raise ValidationError("event_timeline: record must hold an event trace, got a record without one; "
                              "simulate with trace=True")
    limit = check.integer("limit", limit, owner="event_timeline", minimum=1)
    ax = _axes("event_timeline", ax, (8.5, 3))
    # within one instant, events are drawn left to right in the order they take effect
    styles = {"input": ("s", "tab:green", 0.0), "deliver": ("v", "tab:orange", -1.0),
              "blocked": ("x", "tab:gray", -1.0), "update": ("o", "tab:blue", 0.0),
              "spike": ("*", "tab:red", 1.0)}
    names = list(record.names)
    events = record.trace.events[:limit]
    times = np.unique([e.time for e in events])
    span = float(times[-1] - times[0]) if times.size > 1 else 1.0
    nudge = min(0.15 * float(np.min(np.diff(times))) if times.size > 1 else 0.15, 0.02 * span)
    for t in times[:100]:
        ax.axvline(t, color="0.88", lw=0.8, zorder=0)
    for kind, (marker, color, shift) in styles.items():
        chosen = [e for e in events if e.kind == kind]
        if chosen:
            ax.scatter([e.time + shift * nudge for e in chosen], [names.index(e.neuron) for e in chosen],
                       marker=marker, color=color, s=50, label=kind, zorder=3)
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set_xlabel("time (ms); markers of one instant spread left to right in the order they take effect")
    ax.set_ylabel("neuron")
    ax.set_title("event trace: deliver < update < spike within an instant")
    _legend_outside(ax)
    return ax


def behavior(b, ax=None, top: int = 12):
    """The ``top`` most probable output sequences of a single-execution behaviour, as bars."""
    from evsim.behavior import Behavior

    check.instance("b", b, Behavior, owner="behavior", accepted="a Behavior (from evsim.behavior.exact or estimate)")
    top = check.integer("top", top, owner="behavior", minimum=1)
    ax = _axes("behavior", ax, (8.5, 3.2))
    items = sorted(b, key=lambda item: -item[1])[:top]
    labels = ["\n".join(f"{name} " + "".join(map(str, seq[name])) for name in b.outputs) for seq, _ in items]
    ax.bar(range(len(items)), [p for _, p in items], color="tab:blue")
    ax.set_xticks(range(len(items)), labels, fontsize="x-small", family="monospace")
    ax.set_ylabel("probability")
    ax.set_xlabel(f"output sequence, rounds 0–{b.horizon - 1}")
    ax.set_title(f"most probable of {b.n_sequences:,} output sequences")
    return ax


def accuracy_vs_steps(rows, ann_accuracy: float, ax=None, *, group: str = "v_init", dataset: str = "digits"):
    """Test accuracy against time steps (log axis), one line per value of ``group``, with the ANN's."""
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
    """Accuracy against average time steps per image, one line per method."""
    rows = _rows("accuracy_vs_latency", rows, ("method", "avg_steps", "steps"), ann_accuracy)
    ax = _axes("accuracy_vs_latency", ax, (6.5, 3.6))
    _per_method(ax, rows, "avg_steps")
    _ann_line(ax, ann_accuracy, rows)
    ax.set_xscale("log")
    steps = [t for t in (1, 2, 4, 8, 16, 32) if t <= max(r["steps"] for r in rows)]
    ax.set_xticks(steps, [str(t) for t in steps])
    ax.minorticks_off()
    ax.set(xlabel="average time steps per image (log scale)", title="accuracy against latency")
    return ax


def accuracy_vs_energy(rows, ann_accuracy: float, ax=None):
    """Accuracy against energy per image relative to the ANN (counted operations), one line per method."""
    rows = _rows("accuracy_vs_energy", rows, ("method", "energy_ratio"), ann_accuracy)
    ax = _axes("accuracy_vs_energy", ax, (6.5, 3.6))
    _per_method(ax, rows, "energy_ratio")
    _ann_line(ax, ann_accuracy, rows)
    ax.set_xscale("log")
    ax.set(xlabel="energy per image / ANN energy (counted AC and MAC operations)", title="accuracy against energy")
    ax.legend(fontsize="x-small", loc="lower right")
    return ax


def low_latency(rows, ann_accuracy: float):
    """Both panels side by side; returns the left Axes."""
    import matplotlib.pyplot as plt

    _rows("low_latency", rows, ("method", "avg_steps", "steps", "energy_ratio"), ann_accuracy)
    _, (left, right) = plt.subplots(1, 2, figsize=(12, 3.8))
    accuracy_vs_latency(rows, ann_accuracy, left)
    accuracy_vs_energy(rows, ann_accuracy, right)
    return left


def training_curve(training: "Training", ax: "Axes | None" = None, *, ann_accuracy: float | None = None) -> "Axes":
    """Accuracy per epoch (training, and test where measured) with the loss on a second axis.

    ``training``: a :class:`~evsim.deep.direct.Training` (from
    :func:`evsim.deep.direct.fit`). ``ann_accuracy``: a dashed line for the
    ANN a fine-tuned net came from. Returns the accuracy Axes.
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
