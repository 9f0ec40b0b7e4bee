"""selftrack: log tenderness at named spots during self-massage, and see how it changes."""

__version__ = "0.1.0"
