"""The lessons the tour and the demos run; each returns its printed summary."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Callable, Sequence

__all__ = ["run_lessons", "demo_main", "show_lessons", "fast", "demos"]

Lesson = Callable[[Path], str]


def run_lessons(lessons: Sequence[Lesson], out_dir: str | Path, quiet: bool = False) -> list[str]:
    """Run lessons in order with matplotlib's file backend, figures into ``out_dir``.

    Unless ``quiet``: before each lesson, ``[k/n] <its title> …`` on standard
    error (so a slow one is not silent); after it, its summary and how long it took.
    """
    import matplotlib

    matplotlib.use("Agg")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summaries = []
    for number, lesson in enumerate(lessons, 1):
        if not quiet:
            print(f"[{number}/{len(lessons)}] {_title(lesson)} …", file=sys.stderr, flush=True)
        start = time.perf_counter()
        summaries.append(lesson(out))
        if not quiet:
            print(summaries[-1], f"   ({time.perf_counter() - start:.1f} s)", sep="\n", end="\n\n", flush=True)
    return summaries


def show_lessons(lessons: Sequence[Lesson]) -> list[str]:
    """Run lessons into a fresh folder, print each one's summary and open each figure it wrote as a matplotlib
    figure (what the documentation's gallery pages do, so that the gallery shows them).

    Parameters
    ----------
    lessons : sequence of callables
        Lesson functions, ``lesson(out_dir) -> summary``.

    Returns
    -------
    list of str
        The summaries, in order.
    """
    import tempfile

    import matplotlib.pyplot as plt

    out = Path(tempfile.mkdtemp())
    summaries = run_lessons(lessons, out, quiet=True)
    print("\n\n".join(summaries))
    for figure in sorted(out.glob("*.png")):
        _, ax = plt.subplots(figsize=(10, 4), layout="constrained")
        ax.imshow(plt.imread(figure))
        ax.set_axis_off()
    return summaries


def _title(lesson: Lesson) -> str:
    """The first line of a lesson's docstring (its name if it has none)."""
    doc = (lesson.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else lesson.__name__


def demo_main(*lessons: Lesson) -> None:
    """Entry point of a ``demos/`` script: ``python demos/NN_name.py [OUT_DIR]``."""
    run_lessons(lessons, sys.argv[1] if len(sys.argv) > 1 else "demo-out")


def fast() -> bool:
    """True when ``EVSIM_FAST=1``: lessons shrink their sweeps (the demo tests use it)."""
    import os

    return os.environ.get("EVSIM_FAST") == "1"


def demos() -> dict[str, tuple[Lesson, ...]]:
    """``evsim demo`` names → their lessons, in tour order (imported when asked for)."""
    from evsim.lessons.conversion import conversion_lesson
    from evsim.lessons.hybrid import hybrid_lesson
    from evsim.lessons.seenn import seenn_lesson
    from evsim.lessons.core import circuit_lesson, continuous_lif_lesson, if_neuron_lesson
    from evsim.lessons.distill import distill_lesson
    from evsim.lessons.encodings import encodings_lesson
    from evsim.lessons.low_latency import low_latency_lesson
    from evsim.lessons.lynch_musco import gates_lesson, wta_lesson
    from evsim.lessons.training import training_lesson
    from evsim.lessons.variation import variation_lesson

    return {"event-core": (if_neuron_lesson, circuit_lesson, continuous_lif_lesson),
            "lynch-musco": (gates_lesson, wta_lesson), "encodings": (encodings_lesson,),
            "conversion": (conversion_lesson,), "low-latency": (low_latency_lesson,),
            "training": (training_lesson,), "variation": (variation_lesson,),
            "hybrid": (hybrid_lesson,), "seenn": (seenn_lesson,), "distillation": (distill_lesson,)}
