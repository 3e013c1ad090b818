"""The left side of the window: the one device list, and room for a LAN list."""
