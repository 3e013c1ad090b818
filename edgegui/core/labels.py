"""Container labels EdgeGUI's deploy sets and everything else reads (monitor, report, fleet).

One definition, so a renamed label cannot leave a reader silently finding nothing. No
imports: the monitor and report use these without loading the deploy package.
"""

PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"
# The image as the template names it (name:tag): containers are created from the image ID,
# so without it `docker ps` and the monitor could only show sha256:….
IMAGE_LABEL = "io.edgegui.image"
