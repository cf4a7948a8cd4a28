"""The ``evsim`` command.

Exit codes: 0 success, 2 usage error (argparse prints a one-line reason).
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]

EXAMPLES = """examples:
  evsim tour                     run the guided tour, figures into ./evsim-tour
  evsim tour --out figs --quiet  write the figures only
  evsim convert                  train a QCFS ANN on digits, convert it, print accuracy against T
  evsim convert --json           the same table as one JSON object
  evsim convert --plot acc.png   also write the accuracy-vs-T figure
  evsim convert --compare        every low-latency method: accuracy, steps, spikes, energy
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evsim",
        description="Event-driven simulation of spiking neural networks.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    tour = commands.add_parser("tour", help="run the guided tour and write its figures",
                               epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    tour.add_argument("--out", default="evsim-tour", help="folder for the figures (default: evsim-tour)")
    tour.add_argument("--quiet", action="store_true", help="print nothing")
    convert = commands.add_parser("convert", help="ANN→SNN conversion on the digits data: accuracy against T",
                                  epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    convert.add_argument("--json", action="store_true", help="print the table as one JSON object")
    convert.add_argument("--plot", metavar="FILE", help="write the accuracy-vs-T figure (PNG)")
    convert.add_argument("--seed", type=int, default=2, help="training seed (default 2)")
    convert.add_argument("--compare", action="store_true",
                         help="every method (v_init, rate with/without compensation, early exit, hybrid "
                              "single-spike) on the same ANN: accuracy, average steps, spikes, energy ratio")
    return parser


def _convert(args) -> None:
    import json

    from evsim.deep.experiment import conversion_table, plot_table

    if args.compare:
        from evsim.deep.experiment import compare_rows, format_compare, plot_compare

        rows, ann_accuracy = compare_rows(seed=args.seed, progress=not args.json)
        print(json.dumps({"dataset": "digits", "ann_accuracy": ann_accuracy, "rows": rows}) if args.json
              else format_compare(rows, ann_accuracy))
        draw = lambda: plot_compare(rows, ann_accuracy)  # noqa: E731
    else:
        table, _ = conversion_table(seed=args.seed, progress=not args.json)
        print(json.dumps(table.as_json()) if args.json else table.format())
        draw = lambda: plot_table(table)  # noqa: E731
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        ax = draw()
        ax.figure.tight_layout()
        ax.figure.savefig(args.plot, dpi=110)
        if not args.json:
            print(f"figure: {args.plot}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "tour":
        from evsim.tour import run_tour

        run_tour(args.out, quiet=args.quiet)
    elif args.command == "convert":
        _convert(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
