"""Synthetic data: the demo community (demo.py) and the generated district (district.py)."""
