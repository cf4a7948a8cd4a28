"""Energy from counted operations (Horowitz, ISSCC 2014, 45 nm, 32-bit float).

``E_MAC = 4.6 pJ`` per multiply-accumulate, ``E_AC = 0.9 pJ`` per accumulate.
The ANN performs one MAC per nonzero weight per image. The SNN performs one
AC per (spike, nonzero outgoing weight) pair and one MAC per (analog input
value, nonzero weight) pair — the first layer under direct (analog) input at
every step, under hybrid input at step 0 — all counted by :func:`run`.
"""

from __future__ import annotations

import numpy as np

from evsim.deep import checks
from evsim.deep.convert import SpikingNet
from evsim.deep.layers import Dense, Sequential
from evsim.deep.runner import E_AC, E_MAC, RunResult, fan_out
from evsim.validation import real, refuse

__all__ = ["E_AC", "E_MAC", "ann_macs", "ann_energy", "energy_ratio", "dense_macs"]


def ann_macs(snn: SpikingNet) -> np.ndarray:
    """Multiply-accumulates per image of the ANN the net came from, per layer.

    Parameters
    ----------
    snn : SpikingNet
        The converted net; its layers' ops are the ANN's.

    Returns
    -------
    ndarray
        One float per layer of ``snn`` (the spiking layers, then the output layer): the nonzero entries of the
        layer's matrix (its nonzero weights, pooling folded in), one MAC each per image.

    Raises
    ------
    ValidationError
        ``snn`` not a ``SpikingNet``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import deep
    >>> from evsim.deep import energy
    >>> ann = deep.Sequential([deep.Dense(3, 4, rng=0), deep.ReLU(), deep.Dense(4, 2, rng=1)])
    >>> snn = deep.convert(ann, thresholds=[1.0], input_shape=(3,))
    >>> energy.ann_macs(snn).tolist()           # 3·4 and 4·2 nonzero weights
    [12.0, 8.0]
    """
    checks.instance("snn", snn, SpikingNet, accepted="a SpikingNet (from deep.convert)", owner="ann_macs")
    return np.array([fan_out(layer.ops, layer.input_shape).sum() for layer in snn.layers], float)


def ann_energy(snn: SpikingNet, e_mac: float = E_MAC) -> float:
    """Joules per image of the ANN: ``Σ_l MACs_l · E_MAC``.

    Parameters
    ----------
    snn : SpikingNet
        The converted net (:func:`ann_macs` counts its ANN's operations).
    e_mac : float, optional
        Joules per multiply-accumulate, ``> 0``; default :data:`E_MAC` (4.6 pJ).

    Returns
    -------
    float
        Joules per image.

    Raises
    ------
    ValidationError
        ``snn`` not a ``SpikingNet``, or ``e_mac`` not a finite number ``> 0``.

    Examples
    --------
    >>> from evsim import deep
    >>> from evsim.deep import energy
    >>> ann = deep.Sequential([deep.Dense(3, 4, rng=0), deep.ReLU(), deep.Dense(4, 2, rng=1)])
    >>> snn = deep.convert(ann, thresholds=[1.0], input_shape=(3,))
    >>> round(energy.ann_energy(snn) * 1e12, 6)   # picojoules: 20 MACs × 4.6 pJ
    92.0
    """
    e_mac = real("e_mac", e_mac, owner="ann_energy", minimum=0.0, exclusive_minimum=True)
    return float(ann_macs(snn).sum() * e_mac)


def energy_ratio(result: RunResult, snn: SpikingNet, e_ac: float = E_AC, e_mac: float = E_MAC) -> float:
    """SNN joules per image over ANN joules per image (below 1: the SNN is cheaper).

    Parameters
    ----------
    result : RunResult
        A run of ``snn`` (:func:`~evsim.deep.run`); its counted operations over its batch give the SNN's
        joules per image. That it came from ``snn`` is not checked.
    snn : SpikingNet
        The converted net, whose ANN's MACs give the ANN's joules per image.
    e_ac : float, optional
        Joules per accumulate, ``>= 0``; default :data:`E_AC` (0.9 pJ).
    e_mac : float, optional
        Joules per multiply-accumulate, ``> 0``; default :data:`E_MAC` (4.6 pJ).

    Returns
    -------
    float
        The ratio.

    Raises
    ------
    ValidationError
        ``result`` not a ``RunResult``, ``snn`` not a ``SpikingNet``, ``e_ac`` not a finite number ``>= 0``,
        or ``e_mac`` not one ``> 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import deep
    >>> from evsim.deep import energy
    >>> ann = deep.Sequential([deep.Dense(3, 4, rng=0), deep.ReLU(), deep.Dense(4, 2, rng=1)])
    >>> x = np.random.default_rng(0).uniform(0, 1, (5, 3))
    >>> snn = deep.convert(ann, calibration=x)
    >>> round(energy.energy_ratio(deep.run(snn, x, 8), snn), 4)    # analog input: 8 steps of first-layer MACs
    4.89
    """
    checks.instance("result", result, RunResult, accepted="a RunResult (from deep.run)", owner="energy_ratio")
    images = result.logits.shape[1]
    return result.energy(e_ac, e_mac) / images / ann_energy(snn, e_mac)


def dense_macs(model: Sequential) -> float:
    """Multiply-accumulates per image of an ANN of Dense and activation layers: its nonzero Dense weights.

    (The ANN heads of hybrid models and SEENN-II's policies; a converted net's ANN is :func:`ann_macs`.)

    Parameters
    ----------
    model : Sequential
        The ANN.

    Returns
    -------
    float
        One MAC per nonzero weight of each Dense layer.

    Raises
    ------
    ValidationError
        ``model`` not a Sequential, or one with weighted layers other than Dense (a convolution's
        MACs depend on its output size, which this count does not know).

    Examples
    --------
    >>> from evsim.deep import Dense, ReLU, Sequential
    >>> from evsim.deep.energy import dense_macs
    >>> dense_macs(Sequential([Dense(4, 3, rng=0), ReLU(), Dense(3, 2, rng=0)]))
    18.0
    """
    checks.instance("model", model, Sequential, owner="dense_macs")
    other = [layer for layer in model.layers if layer.params and not isinstance(layer, Dense)]
    if other:
        raise refuse("dense_macs", "model", "an ANN whose weighted layers are all Dense", other[0])
    return float(sum(np.count_nonzero(layer.params["W"]) for layer in model.layers if isinstance(layer, Dense)))
