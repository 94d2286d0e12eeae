"""Explorers of the book, one module per chapter (``course_lib.explorers.<chapter>``).

Each module defines its chapter's explorers with :class:`course_lib.widgets.Explorer` (one
definition, rendered live with ipywidgets in Jupyter and as a player in the built book).
Chapters 9-11 keep theirs here; the explorers of chapters 1-8 are still in
``course_lib/widgets.py`` and move here with issue 14.
"""
