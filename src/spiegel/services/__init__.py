"""Use cases that join the store, the analysis engine and the privacy gate.

The web application and the command line call these; they never build SQL themselves.
A use case that changes data commits its own transaction.
"""
