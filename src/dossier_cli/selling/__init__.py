"""The selling method: the pipeline, sales, ratings, ABC groups, the top-10, touches, stats, the plan,
lost deals (lost.py), the weighted forecast (forecast.py) and contact cadences (cadence.py)."""
