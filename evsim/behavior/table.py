"""The :class:`Behavior` value: a kernel from input executions to output-sequence distributions.

Coding. With ``H`` the horizon, ``O`` outputs and ``F`` free inputs (all in
sorted name order):

* an output sequence is coded over rounds ``1 … H−1`` (round 0 is the fixed
  initial pattern) as ``sum f_j(t) << ((t−1)·O + j)``;
* an execution of the free inputs is coded over rounds ``0 … H−2`` (a round
  ``H−1`` input cannot affect outputs before the horizon) as
  ``sum x_j(t) << (t·F + j)``.

``table[e, s]`` is the probability of output sequence ``s`` given execution
``e``; every row sums to 1.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from evsim import validation as check
from evsim.behavior import arguments
from evsim.behavior.model import bits_code, pattern_bits
from evsim.display import HTML_ROWS, html_table
from evsim.errors import ValidationError

__all__ = ["Behavior", "sequence_bits", "execution_bits", "format_sequence"]


def sequence_bits(codes, outputs: int, horizon: int) -> np.ndarray:
    """Output bits ``(n, horizon − 1, outputs)`` of sequence codes (rounds 1 … H−1)."""
    flat = pattern_bits(codes, outputs * (horizon - 1))
    return flat.reshape(flat.shape[0], horizon - 1, outputs)


def execution_bits(codes, inputs: int, horizon: int) -> np.ndarray:
    """Input bits ``(n, horizon − 1, inputs)`` of execution codes (rounds 0 … H−2)."""
    flat = pattern_bits(codes, inputs * (horizon - 1))
    return flat.reshape(flat.shape[0], horizon - 1, inputs)


class Behavior:
    """External behaviour of a Lynch–Musco network on a finite horizon.

    Attributes
    ----------
    outputs : tuple of str
        Output neurons, sorted.
    free : tuple of str
        Input neurons whose execution the behaviour is conditioned on (the
        kernel's argument), sorted. Empty for a single input execution.
    given : mapping
        Input neurons whose execution is fixed: name → spike rounds.
    inputs : tuple of str
        Every input neuron of the network; those neither free nor given are silent.
    horizon : int
        Rounds ``0 … horizon−1`` are described.
    initial : mapping
        Round-0 firing (0/1) of every output.

    Examples
    --------
    >>> from evsim import behavior
    >>> from evsim.library import copy_gate
    >>> b = behavior.exact(copy_gate(w=6.0), {"x": [0]}, horizon=3)
    >>> b
    Behavior(outputs=['y'], horizon=3, one input execution)
    >>> round(b.probability({"y": [0, 1, 0]}), 4)  # y copies x one round later
    0.9074
    >>> [(sequence, round(p, 4)) for sequence, p in b.most_probable(2)]
    [({'y': (0, 1, 0)}, 0.9074), ({'y': (0, 1, 1)}, 0.0452)]
    """

    def __init__(self, outputs: Sequence[str], free: Sequence[str], given: Mapping[str, Sequence[int]],
                 horizon: int, initial: Mapping[str, int], table: np.ndarray | Callable[[], np.ndarray],
                 forward: Callable[[int, np.ndarray], float] | None = None,
                 inputs: Sequence[str] | None = None) -> None:
        self.outputs = tuple(outputs)
        self.free = tuple(free)
        self.given = MappingProxyType({k: tuple(v) for k, v in given.items()})
        self.inputs = tuple(sorted(set(self.free) | set(self.given) if inputs is None else inputs))
        self.horizon = int(horizon)
        self.initial = MappingProxyType(dict(initial))
        self._table = table
        self._forward = forward

    # -- the table -------------------------------------------------------------
    @property
    def table(self) -> np.ndarray:
        """``(executions, sequences)`` probabilities (computed on first use)."""
        if callable(self._table):
            self._table = self._table()
            self._table.setflags(write=False)
        return self._table

    @property
    def n_executions(self) -> int:
        return 2 ** (len(self.free) * (self.horizon - 1))

    @property
    def n_sequences(self) -> int:
        return 2 ** (len(self.outputs) * (self.horizon - 1))

    # -- queries ---------------------------------------------------------------
    def probability(self, outputs: Mapping[str, Sequence[int]], inputs: Mapping[str, Sequence[int]] | None = None) -> float:
        """Probability of one output sequence (``{name: [f_0, …, f_{H−1}]}``, 0/1 per round).

        ``inputs`` gives the free inputs' spike rounds (missing ones are
        silent). Uses a forward pass when the table has not been built.
        """
        bits = self._output_bits(outputs)
        if any(bits[0, j] != self.initial[name] for j, name in enumerate(self.outputs)):
            return 0.0
        execution = self.execution_code({} if inputs is None else inputs)
        sequence = int(bits_code(bits[1:].reshape(-1))) if self.horizon > 1 else 0
        if self._forward is not None and callable(self._table):
            return float(self._forward(execution, bits))
        return float(self.table[execution, sequence])

    def __iter__(self) -> Iterator[tuple[dict[str, tuple[int, ...]], float]]:
        """Every output sequence of positive probability, with its probability."""
        if self.free:
            raise ValidationError(
                f"this behaviour is a kernel over the free inputs {list(self.free)}; "
                f"iterate over behaviour.given_inputs({{...}}) for one execution"
            )
        row = self.table[0]
        for code in np.flatnonzero(row > 0):
            yield self.sequence(int(code)), float(row[code])

    def sequence(self, code: int) -> dict[str, tuple[int, ...]]:
        """The output sequence (rounds 0 … H−1) with this code."""
        code = check.integer("code", code, owner="Behavior.sequence", minimum=0, maximum=self.n_sequences - 1)
        bits = sequence_bits([code], len(self.outputs), self.horizon)[0].astype(int)
        return {name: (int(self.initial[name]), *bits[:, j].tolist()) for j, name in enumerate(self.outputs)}

    def given_inputs(self, inputs: Mapping[str, Sequence[int]]) -> "Behavior":
        """The behaviour for one execution of the free inputs (a single-row kernel)."""
        row = self.table[self.execution_code(inputs)][None, :].copy()
        inputs = arguments.execution("Behavior.given_inputs", inputs, self.free, "free input")
        given = {**self.given, **{name: inputs.get(name, ()) for name in self.free}}
        return Behavior(self.outputs, (), given, self.horizon, self.initial, row, inputs=self.inputs)

    def execution_code(self, inputs: Mapping[str, Sequence[int]]) -> int:
        """Code of an execution of the free inputs (spike rounds; rounds ≥ H−1 ignored)."""
        inputs = arguments.execution("Behavior", inputs, self.free, "free input")
        code = 0
        for j, name in enumerate(self.free):
            for t in inputs.get(name, ()):
                if t < self.horizon - 1:
                    code |= 1 << (t * len(self.free) + j)
        return code

    def truncate(self, horizon: int) -> "Behavior":
        """The behaviour on the first ``horizon`` rounds (marginal over later rounds)."""
        horizon = check.integer("horizon", horizon, owner="Behavior.truncate", minimum=1, maximum=self.horizon)
        keep_out = len(self.outputs) * (horizon - 1)
        keep_in = len(self.free) * (horizon - 1)
        rows = self.table[: 2 ** keep_in]  # executions silent after round horizon − 2
        summed = rows.reshape(rows.shape[0], -1, 2 ** keep_out).sum(axis=1)
        return Behavior(self.outputs, self.free, self.given, horizon, self.initial, summed, inputs=self.inputs)

    def _output_bits(self, outputs: Mapping[str, Sequence[int]]) -> np.ndarray:
        owner = "Behavior.probability"
        check.instance("outputs", outputs, Mapping, owner=owner, accepted="a mapping of output names to 0/1 sequences")
        if set(outputs) != set(self.outputs):
            raise ValidationError(f"{owner}: outputs must give a sequence for exactly the outputs "
                                  f"{list(self.outputs)}, got {sorted(outputs, key=str)}")
        columns = []
        for name in self.outputs:
            seq = outputs[name]
            seq = list(seq) if isinstance(seq, Iterable) and not isinstance(seq, (str, bytes)) else [seq]
            if len(seq) != self.horizon or any(isinstance(f, (bool, np.bool_)) or f not in (0, 1) for f in seq):
                raise ValidationError(
                    f"{owner}: outputs[{name!r}] must be {self.horizon} values of 0 or 1 (one per round), got {seq!r}"
                )
            columns.append(seq)
        return np.array(columns, dtype=np.int64).T.reshape(self.horizon, len(self.outputs))

    def most_probable(self, top: int = 10) -> list[tuple[dict[str, tuple[int, ...]], float]]:
        """The ``top`` most probable output sequences with their probabilities, most probable first
        (one input execution; ties in sequence-code order)."""
        owner = "Behavior.most_probable"
        top = check.integer("top", top, owner=owner, minimum=1)
        if self.free:
            raise ValidationError(f"{owner}: this behaviour is a kernel over the free inputs {list(self.free)}; "
                                  f"call it on behaviour.given_inputs({{...}}) for one execution")
        return sorted(self, key=lambda item: -item[1])[:top]

    def execution(self, code: int) -> dict[str, tuple[int, ...]]:
        """The execution of the free inputs with this code: each one's spike rounds (the inverse of
        :meth:`execution_code`)."""
        code = check.integer("code", code, owner="Behavior.execution", minimum=0, maximum=self.n_executions - 1)
        bits = execution_bits([code], len(self.free), self.horizon)[0]
        return {name: tuple(np.flatnonzero(bits[:, j]).tolist()) for j, name in enumerate(self.free)}

    def __repr__(self) -> str:
        kind = f"kernel over {list(self.free)}" if self.free else "one input execution"
        return f"Behavior(outputs={list(self.outputs)}, horizon={self.horizon}, {kind})"

    def __str__(self) -> str:
        return self.format()

    def format(self, top: int = 10) -> str:
        """The ``top`` most probable output sequences as text: probability, then each output's 0/1 per round.

        A kernel shows, for each of its first ``top`` executions, the most probable sequence.
        """
        top = check.integer("top", top, owner="Behavior.format", minimum=1)
        lines = [f"{self!r}: rounds 0–{self.horizon - 1}; each output's spike (1) or silence (0) per round"]
        rows = self._rows(top)
        width = max((len(label) for label, _, _ in rows), default=0)
        for label, sequence, p in rows:
            lines.append(f"  {label:<{width}}{'  ' if label else ''}{p:<11.6g} {format_sequence(sequence)}")
        total = self._row_total()
        if total > len(rows):
            what = "executions" if self.free else "sequences of positive probability"
            lines.append(f"  … {len(rows)} of {total} {what}; format(top=...) shows more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        header = (["execution"] if self.free else []) + ["probability", *self.outputs]
        rows = [([label] if self.free else []) + [f"{p:.6g}", *("".join(map(str, sequence[name]))
                                                                for name in self.outputs)]
                for label, sequence, p in self._rows(HTML_ROWS)]
        total = self._row_total()
        return html_table(header, rows, title=repr(self), total=total)

    def _row_total(self) -> int:
        """How many rows :meth:`_rows` could give: a kernel's executions, or one execution's sequences of
        positive probability."""
        return self.n_executions if self.free else int(np.count_nonzero(self.table[0]))

    def _rows(self, top: int) -> list[tuple[str, dict, float]]:
        """``(execution label, sequence, probability)``: a single execution's ``top`` most probable sequences,
        or the most probable sequence of each of a kernel's first ``top`` executions."""
        if not self.free:
            return [("", sequence, p) for sequence, p in self.most_probable(top)]
        rows = []
        for code in range(min(top, self.n_executions)):
            best = int(np.argmax(self.table[code]))
            label = ", ".join(f"{name} at {list(rounds)}" for name, rounds in self.execution(code).items())
            rows.append((label, self.sequence(best), float(self.table[code, best])))
        return rows


def format_sequence(sequence: Mapping[str, Sequence[int]]) -> str:
    """``"y 0110  z 0001"``: each output's 0/1 per round.

    Parameters
    ----------
    sequence : mapping of str to sequence of int
        An output sequence, as :meth:`Behavior.sequence` gives it.

    Returns
    -------
    str
        Each output's name and its bits, round 0 first, two spaces apart.
    """
    return "  ".join(f"{name} {''.join(map(str, bits))}" for name, bits in sequence.items())
