"""How values show themselves in Jupyter: one small HTML table builder (escaped, truncated)."""

from __future__ import annotations

from html import escape
from typing import Sequence

__all__ = ["html_table", "counted", "mean_sd", "HTML_ROWS"]

HTML_ROWS = 50  # rows an HTML table shows before "… and N more rows"


def html_table(header: Sequence[str], rows: Sequence[Sequence[object]], *, title: str = "",
               limit: int = HTML_ROWS, total: int | None = None) -> str:
    """An HTML table of ``rows`` under ``header``, at most ``limit`` rows, every cell escaped.

    ``total``: how many rows there are in all, when ``rows`` holds only the
    first ones (a large network's synapses are not all listed to be cut).
    """
    total = len(rows) if total is None else total
    head = "".join(f"<th>{escape(str(cell))}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>"
                   for row in rows[:limit])
    shown = min(len(rows), limit)
    more = f"<p>… and {total - shown} more rows</p>" if total > shown else ""
    caption = f"<p><code>{escape(title)}</code></p>" if title else ""
    return f"{caption}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1.

    Parameters
    ----------
    n : int
        How many.
    noun : str
        The singular (the plural adds an "s").

    Returns
    -------
    str
        ``"1 neuron"``, ``"3 neurons"``.

    Examples
    --------
    >>> counted(1, "neuron"), counted(3, "synapse")
    ('1 neuron', '3 synapses')
    """
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def mean_sd(values) -> str:
    """``"mean ± sd"`` of ``values`` with two decimals (the sample standard deviation; 0.00 for one value).

    Parameters
    ----------
    values : sequence of float
        One or more finite numbers (e.g. a result per seed).

    Returns
    -------
    str
        The text.

    Raises
    ------
    ValueError
        ``values`` is empty.

    Examples
    --------
    >>> from evsim.display import mean_sd
    >>> mean_sd([97.0, 98.0]), mean_sd([96.5])
    ('97.50 ± 0.71', '96.50 ± 0.00')
    """
    import numpy as np

    array = np.asarray(values, float)
    if array.size == 0:
        raise ValueError("mean_sd needs at least one value")
    spread = array.std(ddof=1) if array.size > 1 else 0.0
    return f"{array.mean():.2f} ± {spread:.2f}"
