"""Motion transfer: a visitor's face (the driver) moves a portrait (the source)."""
