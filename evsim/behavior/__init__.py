"""External behaviour of Lynch–Musco networks: exact, estimated, composed, hidden.

>>> import evsim
>>> from evsim.library import and_gate
>>> b = evsim.behavior.exact(and_gate(w=6.0), {"x1": [0], "x2": [0]}, horizon=2)
>>> round(b.probability({"y": [0, 1]}), 4)    # sigma(w / 2) with temperature 1
0.9526
"""

from evsim.behavior.estimate import estimate
from evsim.behavior.exact import exact
from evsim.behavior.operators import compose, distance, hide
from evsim.behavior.problem import Problem, Verdict, solves
from evsim.behavior.table import Behavior

__all__ = ["Behavior", "Problem", "Verdict", "compose", "distance", "estimate", "exact",
           "hide", "solves"]
