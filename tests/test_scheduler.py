import math

import pytest

from evsim import DELIVER, RECORD, UPDATE, EmptySchedule, Scheduler, SchedulingError


def drain(s):
    out = []
    while len(s):
        out.append(s.pop().payload)
    return out


def test_orders_by_time_then_rank_then_phase():
    s = Scheduler()
    s.schedule(2.0, "t2")
    s.schedule(1.0, "t1 rank1", rank=1)
    s.schedule(1.0, "t1 rank0 record", phase=RECORD)
    s.schedule(1.0, "t1 rank0 update", phase=UPDATE)
    s.schedule(1.0, "t1 rank0 deliver", phase=DELIVER)
    assert drain(s) == ["t1 rank0 deliver", "t1 rank0 update", "t1 rank0 record", "t1 rank1", "t2"]


def test_exact_ties_leave_first_in_first_out():
    s = Scheduler()
    for i in range(50):
        s.schedule(3.0, i)
    assert drain(s) == list(range(50))


def test_peek_is_inf_when_empty_and_next_time_otherwise():
    s = Scheduler()
    assert s.peek() == math.inf
    s.schedule(4.5, None)
    s.schedule(0.5, None)
    assert s.peek() == 0.5


def test_pop_advances_now_and_raises_when_empty():
    s = Scheduler()
    s.schedule(1.5, "a")
    event = s.pop()
    assert (event.time, event.payload, s.now) == (1.5, "a", 1.5)
    with pytest.raises(EmptySchedule, match="empty"):
        s.pop()


def test_scheduling_in_the_past_names_both_times():
    s = Scheduler()
    s.schedule(5.0, None)
    s.pop()
    with pytest.raises(SchedulingError, match=r"3\.0.*5\.0"):
        s.schedule(3.0, None)


def test_nan_time_is_rejected():
    with pytest.raises(SchedulingError, match="nan"):
        Scheduler().schedule(float("nan"), None)


def test_reschedule_moves_an_event_both_ways():
    s = Scheduler()
    a = s.schedule(5.0, "a")
    s.schedule(3.0, "b")
    s.reschedule(a, 1.0)  # decrease-key
    assert s.peek() == 1.0 and s.time_of(a) == 1.0
    s.reschedule(a, 9.0)  # increase-key
    assert drain(s) == ["b", "a"]


def test_rescheduled_event_counts_as_newest_among_ties():
    s = Scheduler()
    a = s.schedule(1.0, "a")
    s.schedule(1.0, "b")
    s.reschedule(a, 1.0)
    assert drain(s) == ["b", "a"]


def test_cancel_removes_and_returns_payload():
    s = Scheduler()
    a = s.schedule(1.0, "a")
    s.schedule(2.0, "b")
    assert s.cancel(a) == "a"
    assert a not in s and drain(s) == ["b"]


def test_unknown_and_duplicate_ids_are_errors():
    s = Scheduler()
    s.schedule(1.0, None, event_id="x")
    with pytest.raises(SchedulingError, match="'x' is already scheduled"):
        s.schedule(2.0, None, event_id="x")
    for call in (lambda: s.cancel("y"), lambda: s.reschedule("y", 3.0), lambda: s.time_of("y")):
        with pytest.raises(SchedulingError, match="'y'"):
            call()


def test_pop_before_is_half_open():
    s = Scheduler()
    for t in (1.0, 2.0, 2.0, 3.0):
        s.schedule(t, t)
    assert [e.payload for e in s.pop_before(3.0)] == [1.0, 2.0, 2.0]
    assert s.peek() == 3.0


def test_payload_of_returns_the_stored_object():
    s = Scheduler()
    key = s.schedule(1.0, [1])
    s.payload_of(key).append(2)
    assert s.pop().payload == [1, 2]


def test_pair_times_order_lexicographically_and_refuse_the_past():
    s = Scheduler(origin=(0.0, 0.0))
    assert s.peek() == (math.inf, 0.0)
    s.schedule((5.0, 2e-7), "later offset")
    s.schedule((5.0, 1e-7), "earlier offset")
    s.schedule((4.0, 9e-7), "earlier step")
    assert [e.payload for e in s.pop_before((5.0, 2e-7))] == ["earlier step", "earlier offset"]
    assert s.now == (5.0, 1e-7) and s.peek() == (5.0, 2e-7)
    with pytest.raises(SchedulingError, match="before the current time"):
        s.schedule((5.0, 0.0), "past")
    with pytest.raises(SchedulingError, match=r"must be a tuple of 2 numbers, got \(5.0, nan\)"):
        s.schedule((5.0, math.nan), "nan")
