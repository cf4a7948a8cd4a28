"""Every tutorial exercise's solution (docs/solutions/) gives the answer worked out by hand in its docstring."""

from __future__ import annotations

import importlib
import math
import sys
from pathlib import Path

import pytest

import evsim

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture(scope="module")
def solutions():
    sys.path.insert(0, str(DOCS))
    try:
        yield lambda name: importlib.import_module(f"solutions.{name}")
    finally:
        sys.path.remove(str(DOCS))


def test_every_tutorial_has_its_solutions_checked():
    tutorials = sorted(p.stem[3:] for p in (DOCS / "tutorials").glob("[0-9][0-9]_*.py"))
    solved = sorted(p.stem for p in (DOCS / "solutions").glob("*.py") if p.stem != "__init__")
    assert tutorials == solved
    checked = {name.split("_solutions_of_")[-1] for name in globals() if name.startswith("test_the_solutions_of_")}
    assert checked == set(solved)


def test_the_solutions_of_lif_neuron(solutions):
    lif = solutions("lif_neuron")
    gap, below, above = lif.exercise_1()
    assert gap == pytest.approx(10 * math.log(1.5), rel=1e-15) and (below, above) == (1, 0)
    assert lif.exercise_2() == (2, 0.5)
    times, last, exact = lif.exercise_3()
    assert times == [2.0, 4.0] and last == 0.9999999999999999 and exact == 0.625


def test_the_solutions_of_events_and_coincidences(solutions):
    events = solutions("events_and_coincidences")
    assert events.exercise_1() == (True, 1.5, 0.5)
    assert events.exercise_2() == (2.0, {"x": 0, "a": 1, "b": 2, "c": 3})
    a, n = events.exercise_3()
    assert a == [1.25, 1.5] and n == [1.7]


def test_the_solutions_of_continuous_and_discrete_time(solutions):
    clocks = solutions("continuous_and_discrete_time")
    closed, simulated = clocks.exercise_1()
    assert closed == pytest.approx(6.931471805599453, rel=1e-15) and simulated == pytest.approx(closed, abs=1e-12)
    bias, first = clocks.exercise_2()
    assert bias == pytest.approx(1.5 * (1 - math.exp(-0.1)), rel=1e-15) and first == 10.0
    assert clocks.exercise_3() == 10.5


def test_the_solutions_of_gates_and_composition(solutions):
    gates = solutions("gates_and_composition")
    eps = 1.0 / (1.0 + math.exp(3.0))  # w = 6, λ = 1
    fired, bound = gates.exercise_1()
    assert fired == pytest.approx(eps, rel=1e-12) and bound == pytest.approx(eps, rel=1e-15)
    both, formula = gates.exercise_2()
    assert both == pytest.approx(((1 - eps) ** 2 + eps ** 2) ** 2, rel=1e-12) and formula == pytest.approx(both, rel=1e-12)
    w, error = gates.exercise_3()
    assert w == pytest.approx(13.813509, abs=1e-6) and error < 0.001


def test_the_solutions_of_encodings(solutions):
    codes = solutions("encodings")
    assert codes.exercise_1() == pytest.approx((2.0, 0.5, 0.1, 0.125), abs=1e-12)
    largest, bound = codes.exercise_2()
    assert largest <= bound + 1e-12 and largest == pytest.approx(bound, abs=1e-3)  # the bound is reached
    measured, formula = codes.exercise_3()
    assert measured == pytest.approx(formula, rel=0.05)  # 4000 samples: the estimate's own spread is ~1 %


def test_the_solutions_of_conversion(solutions):
    conversion = solutions("conversion")
    steps, accuracy, ann = conversion.exercise_1()
    assert steps == min(t for t in conversion.STEPS if ann - accuracy[t] <= 0.01) and steps in (4, 8, 16)
    assert accuracy[1] < 0.2 < accuracy[2] < accuracy[8]  # nothing fires at T = 1 from v = 0 with norm="max"
    one, two, half = conversion.exercise_2()
    assert one + 0.5 < half and one < two
    per_image, first = conversion.exercise_3()
    assert first == conversion._first_image_spikes_by_record() and 100 < per_image < 1000


def test_the_solutions_of_property_tests(solutions):
    """The two laws hold on 60 networks each; the scaling helper really scales, and scaling the weights alone
    (a wrong scaling) changes the spikes, so the law can fail."""
    laws = solutions("property_tests")
    laws.exercise_1()
    laws.exercise_2()
    net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)}, [evsim.Synapse("x", "y", 0.75, 1.0)],
                        outputs={"y"})
    doubled = laws.scaled(net, 2.0)
    assert doubled.neurons["y"].threshold == 2.0 and doubled.synapses[0].weight == 1.5
    weights_only = evsim.Network(net.neurons, [evsim.Synapse("x", "y", 1.5, 1.0)], outputs={"y"})
    inputs = {"x": [0, 1, 2, 3]}
    assert evsim.simulate(weights_only, inputs, until=6) != evsim.simulate(net, inputs, until=6)
    assert evsim.simulate(doubled, inputs, until=6) == evsim.simulate(net, inputs, until=6)


def test_the_solutions_of_winner_take_all(solutions):
    wta = solutions("winner_take_all")
    mean, settled = wta.exercise_1()
    assert settled >= 18 and 1 <= mean <= 20
    gamma, growth, formula = wta.exercise_2()
    assert gamma == pytest.approx(2 * math.log(60000), rel=1e-15) and growth == pytest.approx(formula, rel=1e-12)
