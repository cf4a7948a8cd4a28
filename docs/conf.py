"""Sphinx configuration of evsim's documentation site (``python -m sphinx -W -b html docs docs/_build/html``)."""

from __future__ import annotations

import evsim

project = "evsim"
author = "the evsim authors"
copyright = "the evsim authors"  # noqa: A001 (Sphinx's name)
release = version = evsim.__version__

extensions = [
    "myst_parser",  # the pages are Markdown
    "sphinx.ext.autodoc",  # the API reference, from the docstrings
    "numpydoc",  # … which are numpydoc
    "sphinx.ext.mathjax",
    "sphinx_gallery.gen_gallery",  # the tutorials: percent-format scripts, executed, with notebooks to download
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "README.md", "solutions", "tutorials", "semantics", "demos"]  # (gallery sources)
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3

autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"  # the numpydoc sections say the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

html_theme = "pydata_sphinx_theme"
html_title = f"evsim {release}"
html_theme_options = {"navigation_depth": 2, "show_toc_level": 2}

sphinx_gallery_conf = {
    "examples_dirs": ["tutorials", "semantics", "demos"],  # sources: percent-format scripts, text in comments
    "gallery_dirs": ["auto_tutorials", "auto_semantics", "auto_demos"],  # generated pages (not committed)
    "filename_pattern": r"/\d\d_",  # execute every numbered script
    "abort_on_example_error": True,
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
}
