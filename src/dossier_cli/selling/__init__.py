"""Selling: the pipeline, sales, ratings, ABC, top-10, touches, stats, the plan, lost deals and the forecast."""
