"""Scraper and ETL pipeline for foundations' project pages."""

__version__ = "0.1.0"
