"""Extraction from a page's visible structure: DOM to lines, then one extractor per fact."""
