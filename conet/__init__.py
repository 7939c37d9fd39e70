"""CoNet: networks of European cities working together on social cohesion."""

__version__ = "0.1.0"
