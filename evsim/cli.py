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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "tour":
        from evsim.tour import run_tour

        run_tour(args.out, quiet=args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
