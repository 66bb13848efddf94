"""Knowledge: the statute data (sources, act trees) and, on top of it, the search index."""
