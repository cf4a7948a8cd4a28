"""Lessons on Lynch & Musco's model: a gate circuit's exact behaviour, WTA and Attention."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import evsim
from evsim.behavior import compose, distance, exact, hide
from evsim.lessons import fast
from evsim.lessons.core import save_figure
from evsim.library import (
    and_gate,
    attention,
    filter_network,
    gate_error,
    not_gate,
    or_gate,
    winner_take_all,
    xor_circuit,
)

__all__ = ["gates_lesson", "wta_lesson", "convergence_round", "attention_failure"]

W = 6.0  # gate weight: epsilon = 1 / (1 + e^3) ≈ 0.047, large enough to see


def _xor_correctness(horizon: int):
    """P[y(t) = x1 XOR x2] for every stable input, rounds 0 … horizon−1."""
    rows = {}
    for x1, x2 in ((0, 0), (0, 1), (1, 0), (1, 1)):
        stable = {"x1": list(range(horizon)) if x1 else [], "x2": list(range(horizon)) if x2 else []}
        b = exact(xor_circuit(w=W), stable, horizon)
        rows[(x1, x2)] = [sum(p for seq, p in b if seq["y"][t] == x1 ^ x2) for t in range(horizon)]
    return rows


def _circuit_from_gate_behaviours(horizon: int) -> float:
    """Distance between the circuit's behaviour and the one composed from its gates' kernels."""
    gates = [or_gate("x1", "x2", "xor_or", w=W), and_gate("x1", "x2", "xor_and", w=W),
             not_gate("xor_and", "xor_nand", w=W), and_gate("xor_or", "xor_nand", "y", w=W)]
    kernels = [exact(g, {}, horizon, free=g.inputs) for g in gates]
    joint = kernels[0]
    for k in kernels[1:]:
        joint = compose(joint, k)
    composed = hide(joint, {"xor_or", "xor_and", "xor_nand"}).given_inputs({"x1": [0, 1, 2]})
    return distance(composed, exact(xor_circuit(w=W), {"x1": [0, 1, 2]}, horizon))


def gates_lesson(out_dir: Path) -> str:
    """XOR from four stochastic gates: exact correctness per round against the union bound.

    Look for: before round 3 (the circuit's depth) the output is a guess; from
    round 3 on it is right with probability ≥ 1 − 4ε for every stable input,
    and the circuit's behaviour equals the product of its gates' behaviours.
    """
    import matplotlib.pyplot as plt

    horizon, eps = 7, gate_error(W)
    rows = _xor_correctness(horizon)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.4), gridspec_kw={"width_ratios": [1, 1.3]},
                                     layout="constrained")
    for ((x1, x2), p), style in zip(rows.items(), ("-", "-", ":", "-")):
        left.plot(range(horizon), p, style, marker="o", label=f"x1={x1}, x2={x2}")
    left.axhline(1 - 4 * eps, color="tab:red", ls="--", label="union bound 1 − 4ε")
    left.axvspan(-0.3, 2.5, color="0.92", zorder=0)
    left.text(1.1, 0.15, "before depth 3", ha="center", fontsize="small")
    left.set(xlabel="round", ylabel="P[y = x1 XOR x2]", ylim=(0, 1.02), title=f"XOR circuit, w={W}, λ=1, ε={eps:.3f}")
    left.legend(fontsize="x-small", loc="lower right")
    evsim.plot.behavior(exact(xor_circuit(w=W), {"x1": list(range(5))}, 5), ax=right, top=8)
    right.set_title("x1=1, x2=0: the most probable output sequences")
    figure = save_figure(left, out_dir / "04_xor_circuit.png")
    gap = _circuit_from_gate_behaviours(4)
    worst = min(min(p[3:]) for p in rows.values())
    return "\n".join([
        "4. A circuit of stochastic gates: XOR = (x1 OR x2) AND NOT (x1 AND x2), intermediates hidden",
        f"   gate error per round eps = {eps:.4f}; union bound from round 3: 1 - 4 eps = {1 - 4 * eps:.4f}",
        *(f"   x1={a}, x2={b}: P[correct] at rounds 3..{horizon - 1} = " + ", ".join(f"{q:.4f}" for q in p[3:])
          for (a, b), p in rows.items()),
        f"   worst case {worst:.4f} >= bound: {worst >= 1 - 4 * eps}",
        f"   behaviour composed from the four gates' kernels vs the circuit's own: distance {gap:.1e}",
        f"   figure: {figure}",
    ])


def convergence_round(record, n: int, rounds: int) -> int | None:
    """First round from which exactly one output, always the same, fires until ``rounds``."""
    fired = np.zeros((rounds, n), bool)
    trains = record.trains()
    for i in range(n):
        fired[trains[f"y{i}"].astype(int), i] = True
    final = fired[-1]
    if final.sum() != 1:
        return None
    unsettled = np.flatnonzero(~(fired == final).all(axis=1))
    return int(unsettled[-1]) + 1 if unsettled.size else 1


def attention_failure(gamma: float = 4.0, w: float = 8.0, horizon: int = 9, settle: int = 4):
    """Exact failure probabilities: (Attention, WTA, worst Filter), see the WTA lesson."""
    on = list(range(horizon))
    data = {"d0_0": on, "d1_0": []}
    att = exact(attention(2, 1, gamma=gamma, w=w), {"x0": on, "x1": on, **data}, horizon)
    fail_att = sum(p for seq, p in att if len(set(seq["z0"][settle + 2:])) != 1)
    wta = exact(winner_take_all(2, gamma), {"x0": on, "x1": on}, horizon)

    def stable(seq):
        window = set(zip(seq["y0"][settle:horizon - 2], seq["y1"][settle:horizon - 2]))
        return len(window) == 1 and sum(next(iter(window))) == 1

    fail_wta = sum(p for seq, p in wta if not stable(seq))
    fail_filter = max(
        sum(p for seq, p in exact(filter_network(2, 1, w=w), {f"y{i}": on, **data}, horizon)
            if any(z != value for z in seq["z0"][settle + 2:]))
        for i, value in ((0, 1), (1, 0))
    )
    return fail_att, fail_wta, fail_filter


def wta_lesson(out_dir: Path) -> str:
    """Winner-Take-All: one run's raster, convergence time against n, and Attention's guarantee.

    Look for: several outputs fire at first, inhibition halves them round by
    round, one winner stays; the mean convergence round grows like log n; the
    exact failure probability of Attention is at most the sum of its parts'.
    """
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(3)
    n, rounds = 8, 40
    inputs = {f"x{i}": list(range(rounds)) for i in range(n)}
    rec = evsim.simulate(winner_take_all(n), inputs, until=rounds, rng=rng)
    ax = evsim.plot.raster(rec, names=[f"y{i}" for i in range(n)] + ["a_s", "a_c"])
    ax.set_title(f"Winner-Take-All, n = {n}, every input on (time in rounds of 1 ms)")
    raster = save_figure(ax, out_dir / "05_wta_raster.png")

    sizes, runs, horizon = ([2, 8, 32], 6, 120) if fast() else ([2, 4, 8, 16, 32, 64, 128], 20, 120)
    settle = {}
    for size in sizes:
        net = winner_take_all(size)
        drive = {f"x{i}": list(range(horizon)) for i in range(size)}
        found = [convergence_round(evsim.simulate(net, drive, until=horizon, rng=rng), size, horizon) for _ in range(runs)]
        settle[size] = [r for r in found if r is not None]
    fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
    means = [np.mean(settle[s]) for s in sizes]
    ax.boxplot([settle[s] for s in sizes], positions=np.log2(sizes), widths=0.4, showfliers=True)
    ax.plot(np.log2(sizes), means, "o-", color="tab:red", label="mean")
    ax.set_xticks(np.log2(sizes), [str(s) for s in sizes])
    ax.set(xlabel="n (log scale)", ylabel="rounds until one stable winner",
           title=f"WTA convergence, {runs} runs per n, γ = 2 ln((n+2)·100/0.01)")
    ax.legend()
    convergence = save_figure(ax, out_dir / "06_wta_convergence.png")
    fail_att, fail_wta, fail_filter = attention_failure()
    return "\n".join([
        "5. Winner-Take-All and Attention = hide(WTA x Filter, {y_i})",
        f"   one run, n = {n}: outputs firing per round " + " ".join(
            str(int(sum((rec.trains()[f'y{i}'] == t).any() for i in range(n)))) for t in range(12)) + " ...",
        "   mean rounds to one stable winner: " + ", ".join(f"n={s}: {m:.1f}" for s, m in zip(sizes, means)),
        "   Attention (n=2, one data bit, gamma=4, rounds 0-8), exact: the winner's bit must reach z0",
        "   on rounds 6-8; so short a run often ends before the WTA settles, yet the theorem's bound holds:",
        f"   P[Attention fails] = {fail_att:.3f} <= P[WTA fails] + P[Filter fails] = {fail_wta:.3f} + {fail_filter:.3f}",
        f"   figures: {raster}, {convergence}",
    ])
