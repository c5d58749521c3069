"""Sample submissions of each assignment: typical mistakes and correct variants.

One module per assignment, each a list `SAMPLES` of `autograder.samples.Sample`.
"""
