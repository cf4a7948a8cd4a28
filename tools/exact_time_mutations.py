"""Break evsim's exact-time rules on purpose and check that the property tests notice.

Each mutation patches the engine in this process only, then runs pytest on
the given tests; a law that still passes under a mutation is too weak.

* ``float_t_plus_d`` — arrival times as one float ``t + d`` (the engine before
  grid pairs): coincidences along different paths break by an ulp;
* ``refractory_le`` — an arrival at exactly the end of a refractory period
  is blocked (``t <= ref_end`` instead of ``t < ref_end``);
* ``offset_float_subtraction`` — an off-grid input time's offset computed as
  the float ``t − k·h`` instead of from the exact product ``t/h``.

Usage (expected: ``none`` passes, every mutation fails)::

    python tools/exact_time_mutations.py none tests/properties/test_exact_time.py
    python tools/exact_time_mutations.py float_t_plus_d tests/properties/test_exact_time.py
"""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

import evsim.compile as compile_module
import evsim.populations.integrate_and_fire as integrate_and_fire
import evsim.timegrid as timegrid
from evsim._arrays import concat_ranges
from evsim.events import Arrivals


def float_t_plus_d() -> None:
    def fan_out(self, spikes, unit=False):
        if not spikes.size:
            return Arrivals.none()
        grid = self.grid
        lo, hi = self.out_ptr[spikes.neuron], self.out_ptr[spikes.neuron + 1]
        rows, counts = concat_ranges(lo, hi), hi - lo
        t = np.repeat(grid.ms(spikes.k, spikes.f), counts) + grid.ms(self.out_delay[rows])  # one float sum
        k = np.floor(t * grid._den)
        k, f = grid._normalise(k, t - k / grid._den)
        values = np.repeat(spikes.value, counts) * self.out_weight[rows]
        return Arrivals(k, f, self.out_target[rows], values, self.out_row[rows])

    compile_module.Plan.fan_out = fan_out  # every spike's arrivals: inputs at feed time, neurons' when sent


def refractory_le() -> None:
    update = integrate_and_fire.IntegrateAndFire._update
    names = dict(update.__globals__)
    names["earlier"] = lambda k1, f1, k2, f2: ~timegrid.earlier(k2, f2, k1, f1)  # the blocked test only
    integrate_and_fire.IntegrateAndFire._update = types.FunctionType(
        update.__code__, names, update.__name__, update.__defaults__, update.__closure__)


def offset_float_subtraction() -> None:
    def locate(self, times, describe=lambda i: "time"):
        times = np.asarray(times, float)
        s = times * self._den
        k = np.rint(s)
        on_grid = np.abs(s - k) <= timegrid._SNAP * np.abs(s)
        k = np.where(on_grid, k, np.floor(s))
        return self._normalise(k, np.where(on_grid, 0.0, times - k / self._den))

    timegrid.TimeGrid.locate = locate


MUTATIONS = {"none": lambda: None, "float_t_plus_d": float_t_plus_d, "refractory_le": refractory_le,
             "offset_float_subtraction": offset_float_subtraction}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in MUTATIONS:
        raise SystemExit(f"usage: exact_time_mutations.py {{{'|'.join(MUTATIONS)}}} TESTS...")
    MUTATIONS[sys.argv[1]]()
    sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", *sys.argv[2:]]))
