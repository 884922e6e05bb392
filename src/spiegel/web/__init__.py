"""The web application: server-rendered pages, each with a JSON twin.

Build it with :func:`spiegel.web.app.create_app`; nothing is created at import time.
"""
