"""Provided code that several assignments hand to students, written once (autograder/provided.py).

Instructor-side only: these modules hold earlier assignments' answers, so the student bundle
never holds this folder; `release` fills their text into the release notebooks instead.
"""
