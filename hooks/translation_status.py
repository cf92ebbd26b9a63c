"""Translation staleness notices and verified-with versions on each page (being written)."""
