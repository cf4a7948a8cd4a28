import pytest

from evsim import IF, CompositionError, Input, Network, Synapse, compose, hide, rename


def copier(src, dst, extra=()):
    """A network that copies input ``src`` into output ``dst``."""
    neurons = {src: Input(), dst: IF(threshold=1.0)}
    neurons.update({e: IF() for e in extra})
    return Network(neurons, [Synapse(src, dst, 1.0, 1.0)], outputs={dst})


def test_output_feeds_input_of_the_other():
    net = compose(copier("a", "b"), copier("b", "c"))
    assert net.inputs == {"a"} and net.outputs == {"b", "c"} and net.internals == set()
    assert isinstance(net.neurons["b"], IF)


def test_cycles_between_components_and_shared_inputs_are_allowed():
    loop = compose(copier("a", "b"), copier("b", "a"))
    assert loop.inputs == set() and loop.outputs == {"a", "b"}
    shared = compose(copier("x", "y"), copier("x", "z"))
    assert shared.inputs == {"x"} and shared.outputs == {"y", "z"}


def test_compose_is_pure_and_commutative_up_to_synapse_order():
    n1, n2 = copier("a", "b"), copier("b", "c")
    before = (n1.synapses, n2.synapses)
    assert compose(n1, n2) == compose(n2, n1)
    assert (n1.synapses, n2.synapses) == before and n1.outputs == {"b"}


def test_conflicts_are_all_listed():
    n1 = Network({"x": Input(), "y": IF(), "h": IF()}, [], outputs={"y"})
    n2 = Network({"x": Input(), "y": IF(), "h": IF()}, [], outputs={"y"})
    with pytest.raises(CompositionError) as info:
        compose(n1, n2)
    message = str(info.value)
    assert "'h' (internal of the first, internal of the second)" in message
    assert "'y' (output of the first, output of the second)" in message


def test_internal_name_clashing_with_an_input_is_a_conflict():
    n1 = Network({"x": Input(), "h": IF()}, [])
    n2 = copier("h", "z")
    with pytest.raises(CompositionError, match="'h' \\(internal of the first, input of the second\\)"):
        compose(n1, n2)


def test_clock_mismatch_and_zero_delay_cycle_through_both():
    with pytest.raises(CompositionError, match="dt=1.0 and dt=None"):
        compose(copier("a", "b"), Network({"c": Input()}, [], dt=None))
    fast1 = Network({"a": Input(), "b": IF()}, [Synapse("a", "b", 1.0, 0.0)], outputs={"b"})
    fast2 = Network({"b": Input(), "a": IF()}, [Synapse("b", "a", 1.0, 0.0)], outputs={"a"})
    with pytest.raises(CompositionError, match="zero-delay cycle"):
        compose(fast1, fast2)


def test_hide_moves_outputs_to_internals_and_checks_names():
    net = hide(compose(copier("a", "b"), copier("b", "c")), {"b"})
    assert net.outputs == {"c"} and net.internals == {"b"}
    assert hide(copier("a", "b"), "b").outputs == set()
    with pytest.raises(CompositionError, match=r"\['a', 'zz'\] are not outputs"):
        hide(copier("a", "b"), {"a", "zz"})


def test_rename_keeps_structure_and_rejects_collisions():
    net = rename(copier("a", "b"), {"b": "out"})
    assert net.outputs == {"out"} and net.synapses[0] == Synapse("a", "out", 1.0, 1.0)
    with pytest.raises(CompositionError, match=r"\['q'\]: not neurons"):
        rename(copier("a", "b"), {"q": "r"})
    with pytest.raises(CompositionError, match=r"two neurons the name\(s\) \['a'\]"):
        rename(copier("a", "b"), {"b": "a"})
