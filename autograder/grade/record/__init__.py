"""Recording what grading did: each submission's outcome and the digests that let a later run skip
it (`outcomes`), and the gradebook writes nbgrader's scoring does not make (`gradebook`)."""
