"""Qt-free core: transports, discovery, templates, deploy, monitor, reports."""
