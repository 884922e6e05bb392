"""Spiegel: employee engagement and customer experience, side by side."""

__version__ = "0.1.0"
