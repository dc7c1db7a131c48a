"""The demo: its data (demo.data) and the seed_demo command."""
