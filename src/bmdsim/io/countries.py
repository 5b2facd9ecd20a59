"""The country layer lives in :mod:`bmdsim.earth.countries` (geography, usable by every
layer); this name is kept for the file-format layer's users."""

from bmdsim.earth.countries import (
    DATA_FILE,
    Country,
    countries_overlapping,
    country_at,
    is_land,
    load_countries,
)

__all__ = [
    "DATA_FILE",
    "Country",
    "countries_overlapping",
    "country_at",
    "is_land",
    "load_countries",
]
