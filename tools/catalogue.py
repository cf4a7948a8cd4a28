"""Run the adversarial catalogue (tests/catalogue/cases.py) and count what evsim does with each call.

    python tools/catalogue.py            # counts
    python tools/catalogue.py --list     # and every failing case, by module

Counts: refusals that raised an evsim error (typed; "message off" when the
message lacks the argument or value, or the class is not the expected one),
a raw exception (by type), were silently accepted, or hung; valid calls that
worked or failed. Each case runs under a time limit (SIGALRM) and the whole
run under an address-space ceiling (RLIMIT_AS), so a huge allocation is a
MemoryError (raw), not a swapped machine.

The cases are loaded by file path, so ``PYTHONPATH=<another checkout>`` measures
that checkout's evsim with this catalogue.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import importlib.util
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "tests" / "catalogue"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"evsim_catalogue_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list every failing case, by module")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per case (default 5)")
    parser.add_argument("--memory", type=float, default=3.0, help="GiB the run may add to its address space (default 3)")
    parser.add_argument("--module", help="run only the cases of this module")
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    warnings.simplefilter("ignore")
    import evsim

    sys.path.insert(0, str(ROOT))  # this checkout's tests package; evsim is imported already, so the one measured stays
    outcome = _load("outcome")
    cases = _load("cases")
    chosen = [c for c in cases.CASES if args.module in (None, c.module)]
    print(f"evsim from {Path(evsim.__file__).parent}; {len(chosen)} cases over {len(cases.modules())} modules")
    results = []
    start = time.perf_counter()
    with outcome.memory_ceiling(int(args.memory * 2**30)):
        for case in chosen:
            with contextlib.redirect_stderr(io.StringIO()):  # progress bars of the cases
                results.append((case, outcome.run(case, args.timeout)))
    elapsed = time.perf_counter() - start
    _report(results, args.list)
    print(f"({elapsed:.1f} s)")
    return 0


def _label(case, result) -> str:
    if result.kind == "typed" and (case.says or case.error != "EvsimError") and not result.says_all(case):
        return "refuse -> typed, message off"
    return f"{case.expect} -> {result.kind}"


ORDER = ["refuse -> typed", "refuse -> typed, message off", "refuse -> raw", "refuse -> silent", "refuse -> hang",
         "refuse -> skipped", "accept -> ok", "accept -> failed", "accept -> hang", "accept -> skipped"]
GOOD = {"refuse -> typed", "accept -> ok", "refuse -> skipped", "accept -> skipped"}


def _report(results, listing: bool) -> None:
    counts = collections.Counter(_label(c, r) for c, r in results)
    raw_types = collections.Counter(r.error for c, r in results if r.kind == "raw")
    print(f"refuse cases: {sum(c.expect == 'refuse' for c, _ in results)}, "
          f"accept cases: {sum(c.expect == 'accept' for c, _ in results)}")
    for label in ORDER:
        line = f"  {label:<30} {counts.get(label, 0):>4}"
        if label == "refuse -> raw" and raw_types:
            line += "   (" + ", ".join(f"{name} {n}" for name, n in raw_types.most_common()) + ")"
        print(line)
    if not listing:
        return
    by_module: dict[str, list] = collections.defaultdict(list)
    for case, result in results:
        label = _label(case, result)
        if label not in GOOD:
            by_module[case.module].append((label, case, result))
    for module, failures in by_module.items():
        print(f"\n[{module}] {len(failures)} failing")
        for label, case, result in failures:
            detail = f"{result.error}: {result.message}" if result.error else ""
            if label.endswith("message off"):
                detail += f"   (wanted {case.error} saying {list(case.says)})"
            detail = detail.replace("\n", " ")
            print(f"  {label:<30} {case.id}" + (f"\n      {detail[:300]}" if detail else ""))


if __name__ == "__main__":
    sys.exit(main())
