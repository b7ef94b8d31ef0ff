"""The selling method: the pipeline, sales, ratings, ABC groups, the top-10, touches, stats, the plan."""
