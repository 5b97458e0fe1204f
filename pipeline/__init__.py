"""Scraper and ETL pipeline for foundations' project pages."""

__version__ = "0.1.0"

from pipeline.parse import ParseResult, Problem, parse_page

__all__ = ["ParseResult", "Problem", "parse_page"]
