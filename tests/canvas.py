"""Is every artist of a figure inside its canvas? (Labels, ticks, titles and legends cut off when saved.)"""

from __future__ import annotations

SLACK = 1.0  # pixels: antialiasing may spill over by a fraction of one


def outside_canvas(fig) -> list[str]:
    """What of ``fig`` lies outside its canvas once drawn: each Axes (with its labels, ticks, title and
    legend), each legend and each text of the figure, described by kind and text."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    parts = [(f"axes {ax.get_title()!r}", ax.get_tightbbox(renderer)) for ax in fig.axes]
    parts += [(f"legend of axes {ax.get_title()!r}", ax.get_legend().get_window_extent(renderer))
              for ax in fig.axes if ax.get_legend() is not None]
    parts += [(f"text {text.get_text()!r}", text.get_window_extent(renderer))
              for ax in fig.axes for text in ax.texts if text.get_text()]
    parts += [(f"figure text {text.get_text()!r}", text.get_window_extent(renderer)) for text in fig.texts]
    return [f"{name} spans x {box.x0:.0f}..{box.x1:.0f}, y {box.y0:.0f}..{box.y1:.0f} of {width:.0f}×{height:.0f}"
            for name, box in parts if box is not None and (box.x0 < -SLACK or box.y0 < -SLACK
                                                            or box.x1 > width + SLACK or box.y1 > height + SLACK)]
