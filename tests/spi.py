"""The built-in Stiftung SPI profile, as the tests pass it to the parser and the crawler."""

from __future__ import annotations

from pipeline.profiles import SiteProfile, discover

SPI: SiteProfile = discover().get("stiftung-spi")
