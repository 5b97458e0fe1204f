"""The archivist's report: the warehouse as a static web site (plain HTML and CSS, a little
inline JavaScript for filtering and sorting), opened from ``file://`` or any static host.

Stages, each a small module: ``queries`` reads the warehouse into the value types of
``model``; ``captures`` reads archived pages back from the WARC (the one place that calls the
evidence functions); ``diff`` marks words and list items added and removed; ``timeline`` and
``chart`` turn dates and counts into SVG positions; ``html`` holds the page frame and
``assets`` its CSS and JavaScript; ``overview``, ``run_pages``, ``project_pages`` and ``lists``
render the pages; ``writer`` builds the whole site.
"""

from pipeline.report.model import ReportOptions, ReportResult
from pipeline.report.writer import build_report

__all__ = ["ReportOptions", "ReportResult", "build_report"]
