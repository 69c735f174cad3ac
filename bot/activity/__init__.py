"""Watch files (GPX, TCX, FIT) read into a session summary, or a typed rejection; see `parse_activity`."""
