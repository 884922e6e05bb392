"""A synthetic childcare organisation with known effects, for the demo and for tests.

Public API::

    generate(seed=0, employees=1200, locations=80, customers_per_wave=10_000, ...) -> DemoData
    write_files(data, directory) -> dict[str, Path]
    Truth                                     parameters of the data-generating process
    population_driver_importance(truth)       drivers' general dominance in the population
"""

from spiegel.demo.data import PRIVACY_MINIMUM, DemoConfig, DemoData, GroundTruth
from spiegel.demo.files import write_csv, write_files
from spiegel.demo.generate import generate
from spiegel.demo.population import population_driver_importance
from spiegel.demo.truth import ROLE_GROUPS, Truth
from spiegel.demo.waves import wave_labels

__all__ = [
    "PRIVACY_MINIMUM",
    "ROLE_GROUPS",
    "DemoConfig",
    "DemoData",
    "GroundTruth",
    "Truth",
    "generate",
    "population_driver_importance",
    "wave_labels",
    "write_csv",
    "write_files",
]
