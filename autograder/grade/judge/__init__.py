"""Deciding grade cells, outside the student's kernel: the answer key computed from the source
(`key`), the verdict on each answer (`verdicts`), expected values derived from a student's own
earlier answers (`derived`), and the review scan that only flags (`scan`)."""
