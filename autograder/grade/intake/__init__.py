"""Taking a submission in: read it as Jupyter would (`read`), mend its cells' nbgrader roles
against the release (`recover`, `admit`), and sanitize it with nbgrader's own steps (`prepare`)."""
