"""Command-line front end: every GUI action is a verb here (``edgegui <verb> … --json``)."""
