"""The scheduler against an obviously-correct model: a list sorted on every pop."""

import math

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from evsim import Scheduler

times = st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.0, 2.5, 7.0])
ranks = st.integers(0, 2)
phases = st.integers(0, 2)


class SchedulerVsSortedList(RuleBasedStateMachine):
    """Law: pops come out in (time, rank, phase, order of last (re)scheduling) order,
    for any interleaving of schedule, reschedule, cancel and pop."""

    def __init__(self):
        super().__init__()
        self.scheduler = Scheduler()
        self.model = {}  # id -> (time, rank, phase, stamp)
        self.stamp = 0
        self.now = 0.0

    def _stamp(self):
        self.stamp += 1
        return self.stamp

    @rule(dt=times, rank=ranks, phase=phases)
    def schedule(self, dt, rank, phase):
        t = self.now + dt
        key = self.scheduler.schedule(t, None, rank=rank, phase=phase)
        self.model[key] = (t, rank, phase, self._stamp())

    @precondition(lambda self: self.model)
    @rule(data=st.data(), dt=times)
    def reschedule(self, data, dt):
        key = data.draw(st.sampled_from(sorted(self.model, key=repr)))
        t = self.now + dt
        self.scheduler.reschedule(key, t)
        _, rank, phase, _ = self.model[key]
        self.model[key] = (t, rank, phase, self._stamp())

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def cancel(self, data):
        key = data.draw(st.sampled_from(sorted(self.model, key=repr)))
        self.scheduler.cancel(key)
        del self.model[key]

    @precondition(lambda self: self.model)
    @rule()
    def pop(self):
        expected = min(self.model, key=self.model.get)
        event = self.scheduler.pop()
        assert event.id == expected
        assert event.time == self.model.pop(expected)[0]
        self.now = event.time

    @invariant()
    def sizes_and_peek_agree(self):
        assert len(self.scheduler) == len(self.model)
        expected = min((v[0] for v in self.model.values()), default=math.inf)
        assert self.scheduler.peek() == expected


TestSchedulerVsSortedList = SchedulerVsSortedList.TestCase
