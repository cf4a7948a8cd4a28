"""The ``evsim`` command.

Exit codes: 0 success, 2 usage error or user mistake (one line on stderr,
never a traceback).
"""

from __future__ import annotations

import argparse
import sys

from evsim import __version__
from evsim.errors import EvsimError

__all__ = ["main"]

EXAMPLES = """examples:
  evsim --version                the installed version
  evsim tour                     run the guided tour, figures into ./evsim-tour
  evsim tour --out figs --quiet  write the figures only
  evsim demo list                the demos and what each shows
  evsim demo lynch-musco         run one demo, figures into ./demo-out
  evsim behavior xor             exact output distribution of a library network
  evsim convert                  train a QCFS ANN on digits, convert it, print accuracy against T
  evsim convert --json           the same table as one JSON object
  evsim convert --plot acc.png   also write the accuracy-vs-T figure
  evsim convert --compare        every low-latency method: accuracy, steps, spikes, energy
  evsim train                    train a spiking net on digits through time (Yin et al.'s continuous method)
  evsim train --method datta --steps 4 --plot curve.png
                                 fine-tune the converted net (hybrid input, single spike); the curve as a figure
  evsim variation                dies of a trained net with varied RRAM weights, recovered by tuning thresholds
  evsim variation --die-sigma 0.5 --dies 60 --train-dies 40 --plot dies.png
  evsim hybrid                   SNN-only, ANN-only and hybrid SNN–ANN on digits: accuracy, latency, energy
  evsim hybrid --seeds 0 --json  one seed, as JSON
  evsim seenn --plot seenn.png   SEENN-I's confidence exit against SEENN-II's policy: accuracy against steps
  evsim distill                  an SNN student with and without each path of distillation from an ANN teacher
"""


TRAINING_METHODS = ("continuous", "discontinuous", "datta")  # evsim.deep.methods.METHODS (imported when run)


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error message (and exit code 2)."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse's hook
        self.exit(2, f"{self.prog}: error: {message} (use {self.prog} --help for what is accepted)\n")


def _count(least: int):
    """An argparse type: a whole number ``>= least`` (else argparse's one-line error)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number >= {least}, got {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be a whole number >= {least}, got {text!r}")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    style = dict(epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser = _Parser(prog="evsim", description="Event-driven simulation of spiking neural networks.", **style)
    parser.add_argument("--version", action="version", version=f"evsim {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    tour = commands.add_parser("tour", help="run the guided tour and write its figures", **style)
    tour.add_argument("--out", default="evsim-tour", help="folder for the figures (default: evsim-tour)")
    tour.add_argument("--quiet", action="store_true", help="print nothing")
    demo = commands.add_parser("demo", help="list the demos, or run one", **style)
    demo.add_argument("name", help="'list', or a demo name from 'evsim demo list'")
    demo.add_argument("--out", default="demo-out", help="folder for the figures (default: demo-out)")
    behavior = commands.add_parser("behavior", help="exact behaviour table of a library network", **style)
    behavior.add_argument("name", help="and, or, not, copy, xor or oscillator")
    behavior.add_argument("--horizon", type=_count(1), default=None,
                          help="rounds 0 … H−1 (default: the circuit's depth + 2, at least 3; xor: 5)")
    behavior.add_argument("--top", type=_count(1), default=4, help="sequences shown per input (default 4)")
    convert = commands.add_parser("convert", help="ANN→SNN conversion on the digits data: accuracy against T",
                                  **style)
    convert.add_argument("--json", action="store_true", help="print the table as one JSON object")
    convert.add_argument("--plot", metavar="FILE", help="write the figure (PNG)")
    convert.add_argument("--seed", type=_count(0), default=2, help="training seed (default 2)")
    convert.add_argument("--compare", action="store_true",
                         help="every method (v_init, rate with/without compensation, early exit, hybrid "
                              "single-spike) on the same ANN: accuracy, average steps, spikes, energy ratio")
    train = commands.add_parser("train", help="train a spiking net on the digits data through time", **style)
    train.add_argument("--method", default="continuous", choices=TRAINING_METHODS,
                       help="continuous, discontinuous (Yin et al.) or datta (Datta et al.'s fine-tuning); "
                            "default continuous")
    train.add_argument("--steps", type=_count(1), default=None, help="time steps T (default: the method's, 8; "
                                                                       "datta: 4)")
    train.add_argument("--epochs", type=_count(1), default=None, help="passes over the data (default: the method's)")
    train.add_argument("--seed", type=_count(0), default=0, help="seed of the weights, the order and the draws "
                                                                   "(default 0)")
    train.add_argument("--json", action="store_true", help="print the result as one JSON object")
    train.add_argument("--plot", metavar="FILE", help="write the training curve (PNG)")
    variation = commands.add_parser("variation", help="process variation of RRAM weights on the digits net, and "
                                                      "yield recovered by per-layer threshold tuning", **style)
    for option, what in (("--sigma", "device-to-device spread of ln(w'/w)"),
                         ("--die-sigma", "die-to-die spread of each crossbar's ln gain"),
                         ("--stuck-zero", "probability a device is stuck at zero"),
                         ("--stuck-max", "probability a device is stuck at the highest conductance")):
        variation.add_argument(option, type=float, default=None, help=f"{what} (default: the study's, "
                                                                       f"evsim.deep.yield_study.DIGITS_DEVICE)")
    variation.add_argument("--dies", type=_count(4), default=100, help="dies fabricated (default 100)")
    variation.add_argument("--train-dies", type=_count(3), default=60,
                           help="dies the regressors are fitted on; the rest are held out (default 60)")
    variation.add_argument("--spec", type=float, default=1.0,
                           help="points of accuracy a die may lose and stay in spec (default 1.0)")
    variation.add_argument("--seed", type=_count(0), default=0, help="seed of the net, the images and the dies "
                                                                       "(default 0)")
    variation.add_argument("--json", action="store_true", help="print the result as one JSON object")
    variation.add_argument("--plot", metavar="FILE", help="write every held-out die's accuracy (PNG)")
    hybrid = commands.add_parser("hybrid", help="SNN-only, ANN-only and hybrid SNN–ANN models on the digits: "
                                                "accuracy, latency and energy", **style)
    _seeds_argument(hybrid, "the models")
    seenn = commands.add_parser("seenn", help="SEENN-I (confidence exit) against SEENN-II (a policy chooses the "
                                              "steps) on the digits", **style)
    _seeds_argument(seenn, "the ANN and the policy")
    seenn.add_argument("--plot", metavar="FILE", help="write accuracy against average steps (PNG)")
    distill = commands.add_parser("distill", help="DNN→SNN distillation on the digits: the student with and "
                                                  "without each path", **style)
    _seeds_argument(distill, "the teacher and the student")
    return parser


def _seeds_argument(command, of: str) -> None:
    """A study's ``--seeds`` (its numbers are means and spreads over them) and ``--json``."""
    command.add_argument("--seeds", type=_count(0), nargs="+", default=[0, 1, 2, 3, 4],
                         help=f"seeds of {of} (default 0 1 2 3 4: mean ± standard deviation over them)")
    command.add_argument("--json", action="store_true", help="print the result as one JSON object")


def _tour(args) -> None:
    from evsim.tour import run_tour
    from evsim.validation import folder

    run_tour(folder("--out", args.out), quiet=args.quiet)


def _demo(args) -> None:
    from evsim.lessons import demos, run_lessons

    registry = demos()
    if args.name == "list":
        for name, lessons in registry.items():
            print(f"{name:<14} {lessons[0].__doc__.strip().splitlines()[0]}")
        return
    if args.name not in registry:
        raise EvsimError(f"no demo named {args.name!r}; choose from {', '.join(registry)}")
    from evsim.validation import folder

    run_lessons(registry[args.name], folder("--out", args.out))


def _behavior(args) -> None:
    from evsim.lessons.behavior_table import behavior_table

    print(behavior_table(args.name, args.horizon, args.top))


def _convert(args) -> None:
    import json

    from evsim import plot
    from evsim.deep.experiment import compare_rows, conversion_table, format_compare
    from evsim.validation import writable_path

    if args.plot:
        writable_path("--plot", args.plot)  # before the training, not after it
    if args.compare:
        rows, ann_accuracy = compare_rows(seed=args.seed, progress=not args.json)
        print(json.dumps({"dataset": "digits", "ann_accuracy": ann_accuracy, "rows": rows}) if args.json
              else format_compare(rows, ann_accuracy))
        draw = lambda: plot.low_latency(rows, ann_accuracy)  # noqa: E731
    else:
        table, _ = conversion_table(seed=args.seed, progress=not args.json)
        print(json.dumps(table.as_json()) if args.json else table.format())
        draw = lambda: plot.accuracy_vs_steps(table.rows, table.ann_accuracy)  # noqa: E731
    _save_plot(args, draw)


def _save_plot(args, draw) -> None:
    """With ``--plot FILE``: draw the figure (``draw()`` returns its Axes) into FILE, and say so unless ``--json``."""
    if not args.plot:
        return
    import matplotlib

    matplotlib.use("Agg")
    ax = draw()
    if ax.figure.get_layout_engine() is None:  # (evsim's figures lay themselves out: constrained layout)
        ax.figure.tight_layout()
    ax.figure.savefig(args.plot, dpi=110)
    if not args.json:
        print(f"figure: {args.plot}")


def _train(args) -> None:
    import json

    from evsim import plot
    from evsim.deep.methods import train_digits
    from evsim.validation import writable_path

    if args.plot:
        writable_path("--plot", args.plot)  # before the training, not after it
    result = train_digits(args.method, args.steps, epochs=args.epochs, seed=args.seed, progress=not args.json)
    print(json.dumps(result.as_json()) if args.json else result.format())
    _save_plot(args, lambda: plot.training_curve(result.curve, ann_accuracy=result.ann_accuracy))


def _variation(args) -> None:
    import json

    from dataclasses import replace

    from evsim import plot
    from evsim.deep.yield_study import DIGITS_DEVICE, yield_study
    from evsim.validation import writable_path

    if args.plot:
        writable_path("--plot", args.plot)  # before the study, not after it
    given = {name: getattr(args, name) for name in ("sigma", "die_sigma", "stuck_zero", "stuck_max")}
    device = replace(DIGITS_DEVICE, **{name: value for name, value in given.items() if value is not None})
    study = yield_study(device, dies=args.dies, train_dies=args.train_dies, spec=args.spec, seed=args.seed,
                        progress=not args.json)
    print(json.dumps(study.as_json()) if args.json else study.format())
    _save_plot(args, lambda: plot.die_accuracies(study))


def _hybrid(args) -> None:
    from evsim.deep import hybrid_study

    _rows_over_seeds(args, hybrid_study)


def _rows_over_seeds(args, study) -> None:
    """Run ``study.compare`` over ``--seeds``; print its rows as text or as one JSON object."""
    import json

    rows = study.compare(args.seeds, progress=not args.json)
    print(json.dumps({"dataset": "digits", "seeds": args.seeds, "rows": [row.as_json() for row in rows]})
          if args.json else study.format_rows(rows))


def _seenn(args) -> None:
    import json

    from evsim import plot
    from evsim.deep.seenn_study import compare, format_points, rows_for_plot
    from evsim.validation import writable_path

    if args.plot:
        writable_path("--plot", args.plot)  # before the training, not after it
    points, ann_accuracy = compare(args.seeds, progress=not args.json)
    print(json.dumps({"dataset": "digits", "seeds": args.seeds, "ann_accuracy": ann_accuracy,
                      "points": [point.as_json() for point in points]}) if args.json
          else format_points(points, ann_accuracy))
    _save_plot(args, lambda: plot.accuracy_vs_latency(rows_for_plot(points), ann_accuracy))


def _distill(args) -> None:
    from evsim.deep import distill_study

    _rows_over_seeds(args, distill_study)


COMMANDS = {"tour": _tour, "demo": _demo, "behavior": _behavior, "convert": _convert, "train": _train,
            "variation": _variation, "hybrid": _hybrid, "seenn": _seenn, "distill": _distill}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        COMMANDS[args.command](args)
    except (EvsimError, OSError) as mistake:
        print(f"evsim {args.command}: error: {mistake}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
