"""Statistics for engagement, customer experience and their linkage.

Pure functions on pandas DataFrames and numpy arrays: no database, no web. Every
function documents its formula, its reference and the equivalent R call, and is
checked against R output in the tests.
"""

# --- reliability, scoring, aggregation (block A) ---
# --- end block A ---

# --- customer metrics, linkage, drivers (block B) ---
# --- end block B ---

# --- mirror, 360, risk, ambition (block C) ---
# --- end block C ---
