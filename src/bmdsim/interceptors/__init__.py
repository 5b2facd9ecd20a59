"""bmdsim.interceptors."""
