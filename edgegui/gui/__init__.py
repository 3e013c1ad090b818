"""PySide6 desktop front end; talks to edgegui.core only through the Qt bridge."""
