"""bmdsim.flight."""
