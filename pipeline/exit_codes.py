"""Exit codes of the ``pipeline`` command, documented in the README."""

OK = 0
FAILED = 1  # the command failed: an invalid page, an unreadable input, an unexpected error
USAGE = 2  # bad arguments (click's own code for usage errors)
PARTIAL = 3  # a crawl ran but too many fetches failed: nothing was removed or closed
COVERAGE_HELD = 4  # a crawl's field coverage dropped sharply: its changes are held back
LOCKED = 5  # another run holds the database
INTERRUPTED = 130  # Ctrl-C: the run is recorded as interrupted, nothing of it applied
