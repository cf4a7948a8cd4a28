"""The adversarial catalogue (tests/catalogue/cases.py): every bad call refused with an evsim error, every good one run.

Each case runs once, under a time limit and an address-space ceiling, so a
hang or a huge allocation is a failure rather than a stuck or swapping suite.
``python tools/catalogue.py --list`` prints the same outcomes as counts.
"""

from __future__ import annotations

import re

import pytest

from tests.catalogue.cases import CASES, modules
from tests.catalogue.outcome import memory_ceiling, run

SECONDS = 3.0  # per case: every case takes well under a second when it does what it should
MEMORY = 3 * 2**30  # bytes a case may add to the address space

_outcomes: dict[str, object] = {}


def outcome_of(case):
    """The case's outcome, computed once (the message test reads the same run)."""
    if case.id not in _outcomes:
        with memory_ceiling(MEMORY):
            _outcomes[case.id] = run(case, SECONDS)
    return _outcomes[case.id]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_calls_raise_evsim_errors_and_good_calls_run(case):
    """Law: a refuse case raises an EvsimError subclass (no raw exception, no silent return, no hang);
    an accept case returns (and passes its own check)."""
    result = outcome_of(case)
    if result.kind == "skipped":
        pytest.skip(f"needs {case.needs}")
    wanted = "typed" if case.expect == "refuse" else "ok"
    assert result.kind == wanted, f"{case.id}: {case.expect} case was {result.kind}: {result.error}: {result.message}"


@pytest.mark.parametrize("module", modules())
def test_refusals_name_the_argument_and_the_value(module):
    """Law: every refusal of the module is the expected evsim error class and its message contains
    the substrings the case lists (the argument's name and the bad value, as repr shows it)."""
    wrong = []
    for case in CASES:
        if case.module != module or case.expect != "refuse" or not case.available():
            continue
        result = outcome_of(case)
        if not result.says_all(case):
            wrong.append(f"{case.id}: wanted {case.error} saying {list(case.says)}, got "
                         f"{result.kind} {result.error}: {result.message[:200]}")
    assert not wrong, f"{len(wrong)} refusals of {module} do not say what is wrong:\n" + "\n".join(wrong)


_SAYS_WHAT_IS_ACCEPTED = re.compile(
    r"must |accepted|expected|expects|choose from|one of|applies to|only|\buse |\bgive |\bfeed |\bcheck |"
    r"\bneeds? |above the \w+ limit|rename one|can only|is not |are not |out of range", re.I)


def test_every_refusal_says_what_would_be_accepted():
    """Law: besides the argument and the value, each refusal's message says what is accepted or what to do
    ("must be …", "accepted: …", "choose from …", "use …", "give …", the limit to raise …)."""
    mute = [f"{case.id}: {outcome_of(case).message[:160]}" for case in CASES
            if case.expect == "refuse" and case.available() and outcome_of(case).kind == "typed"
            and not _SAYS_WHAT_IS_ACCEPTED.search(outcome_of(case).message)]
    assert not mute, f"{len(mute)} refusals do not say what is accepted:\n" + "\n".join(mute)


def test_the_catalogue_covers_every_public_module_with_refusals_and_acceptances():
    """Law: at least 320 calls; each listed module has both kinds of case."""
    assert len(CASES) >= 320
    assert len({case.id for case in CASES}) == len(CASES)
    for module in ("neurons", "network", "composition", "simulate", "simulator", "scheduler", "behavior",
                   "encoding", "io", "nir", "library", "plot", "reference", "deep", "datasets", "timegrid", "cli"):
        kinds = {case.expect for case in CASES if case.module == module}
        assert kinds == {"refuse", "accept"}, module
