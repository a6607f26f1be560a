"""Beam-free core of the git-commit miner: read commits, match criterion terms, detect licences, assign splits."""
