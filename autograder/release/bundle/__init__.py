"""The students' copy of the course (the bundle) and the notebooks' setup cell that finds it.

`config` holds the `c.CourseBundle` settings (where the bundle is written and published),
`notebooks` the one setup-cell template (`setup_cell.py`) and how the URL is written into it,
`write` the bundle folder and zip, `links` the 'Open in Colab' links; `files/` the bundle's own
README and Makefile.
"""
from .config import CourseBundle, course_bundle
from .links import colab_table, update_readme
from .notebooks import fill_setup_cell, setup_cell_source
from .write import bundle_notebooks, write_bundle

__all__ = ["CourseBundle", "bundle_notebooks", "colab_table", "course_bundle", "fill_setup_cell",
           "setup_cell_source", "update_readme", "write_bundle"]
