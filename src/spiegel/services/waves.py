"""Defining measurement waves (name, start, end)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from spiegel.store.db import transaction
from spiegel.store.organisation import ensure_wave, get_organisation


def define_wave(
    engine: Engine,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    organisation: str | None = None,
) -> bool:
    """Create a wave, or correct the dates of an existing one. True when created."""
    if ends_on < starts_on:
        raise ValueError(f"wave {name!r}: ends on {ends_on} before it starts on {starts_on}")
    with transaction(engine) as session:
        org = get_organisation(session, organisation)
        wave = ensure_wave(session, org.id, name, starts_on, ends_on)
        created = wave.starts_on == starts_on and wave.ends_on == ends_on
        wave.starts_on, wave.ends_on = starts_on, ends_on
        return created
