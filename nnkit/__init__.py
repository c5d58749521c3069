"""Helpers the course notebooks share: data loading, checks, plots and widgets.

Nothing here is a graded answer: students write those in the notebooks.
"""
