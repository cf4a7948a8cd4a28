"""The training methods of evsim.deep.methods on the digits over several seeds: mean and spread.

    PYTHONPATH=. python tools/training_results.py [--seeds 0 1 2 3 4] [--folds [--fold-seed K]] [--json FILE]

Rows: continuous integration at T = 8, discontinuous integration at T = 8, and Datta et al.'s
fine-tuning at T = 4 and T = 2. For each, the test accuracy of every seed, their mean and standard
deviation; for the fine-tuning also each seed's own ANN, the gap to it before (conversion only: the
hybrid single-spike row of ``evsim convert --compare``) and after fine-tuning, and the energy per
image over the ANN's before and after. Every number is on the test split; the recipes were chosen on
a held-out part of the training split (docs/training.md). With ``--folds`` nothing reads the test
split: seed ``s`` trains on the training split without its part ``s mod 5`` and measures on that part
(``Dataset.fold``), so five seeds hold out every training image once.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from evsim.datasets import load_digits
from evsim.deep.methods import train_digits

ROWS = (("continuous", 8), ("discontinuous", 8), ("datta", 4), ("datta", 2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--rows", nargs="+", default=[f"{m}:{t}" for m, t in ROWS],
                        help="method:T pairs (default: all four rows)")
    parser.add_argument("--folds", action="store_true",
                        help="measure seed s on part s mod 5 of the training split, never on the test split")
    parser.add_argument("--fold-seed", type=int, default=0, help="with --folds: the seed of the cut (default 0)")
    parser.add_argument("--json", help="also write every number to this file")
    args = parser.parse_args()
    rows = [(text.split(":")[0], int(text.split(":")[1])) for text in args.rows]
    out = []
    for method, steps in rows:
        start = time.perf_counter()
        digits = load_digits()
        results = [train_digits(method, steps, seed=seed, data=digits.fold(seed % 5, seed=args.fold_seed) if args.folds else digits)
                   for seed in args.seeds]
        out.append(_row(method, steps, args.seeds, results, time.perf_counter() - start,
                        "training-split folds" if args.folds else "test"))
        print(_format(out[-1]), flush=True)
    if args.json:
        with open(args.json, "w") as file:
            json.dump(out, file, indent=1)


def _row(method, steps, seeds, results, seconds, split) -> dict:
    row = {"method": method, "steps": steps, "seeds": seeds, "seconds": seconds, "split": split,
           "accuracy": [r.accuracy for r in results], "energy_ratio": [r.energy_ratio for r in results],
           "spikes_per_image": [r.spikes_per_image for r in results]}
    if results[0].ann_accuracy is not None:
        row.update(ann_accuracy=[r.ann_accuracy for r in results],
                   converted_accuracy=[r.converted_accuracy for r in results],
                   converted_energy_ratio=[r.converted_energy_ratio for r in results])
    return row


def _stats(values, scale=100.0) -> str:
    values = scale * np.asarray(values)
    return f"mean {values.mean():.2f}, sd {values.std(ddof=1) if len(values) > 1 else 0.0:.2f} " \
           f"(each: {' '.join(f'{v:.2f}' for v in values)})"


def _format(row: dict) -> str:
    lines = [f"{row['method']} T={row['steps']} ({row['seconds']:.0f} s for {len(row['seeds'])} seeds), "
             f"measured on the {row['split']}",
             f"  accuracy %: {_stats(row['accuracy'])}",
             f"  energy/ANN: {_stats(row['energy_ratio'], 1.0)}"]
    if "ann_accuracy" in row:
        ann, before, after = (np.asarray(row[key]) for key in ("ann_accuracy", "converted_accuracy", "accuracy"))
        lines += [f"  ANN %: {_stats(ann)}",
                  f"  gap to own ANN, conversion only (points): {_stats(ann - before)}",
                  f"  gap to own ANN, fine-tuned (points): {_stats(ann - after)}",
                  f"  energy/ANN, conversion only: {_stats(row['converted_energy_ratio'], 1.0)}",
                  f"  energy fine-tuned / conversion only: "
                  f"{_stats(np.asarray(row['energy_ratio']) / np.asarray(row['converted_energy_ratio']), 1.0)}"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
