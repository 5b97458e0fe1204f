"""Onboarding a site: a bounded sample crawl, path shapes, and a proposed site profile."""

from pipeline.onboard.propose import Decision, Note, Proposal, propose, propose_profile
from pipeline.onboard.sample import Sample, SampleSettings, sample_site
from pipeline.onboard.shapes import Shape, Token, shapes

__all__ = [
    "Decision",
    "Note",
    "Proposal",
    "Sample",
    "SampleSettings",
    "Shape",
    "Token",
    "propose",
    "propose_profile",
    "sample_site",
    "shapes",
]
