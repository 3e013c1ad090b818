"""Package list for setuptools: everything under edgegui/, plus resources/ shipped as the
data package ``edgegui.resources`` (the folder stays at the top level of the repository).

A pyproject table cannot combine package discovery with a mapped package, hence this file.
"""

from setuptools import find_namespace_packages, find_packages, setup

# Data folders with importable names are listed too: setuptools warns about any it is not told of.
RESOURCE_PACKAGES = [
    f"edgegui.resources.{name}"
    for name in find_namespace_packages(where="resources")
    if all(part.isidentifier() for part in name.split("."))
]

setup(
    packages=[*find_packages(include=["edgegui", "edgegui.*"]), "edgegui.resources"]
    + RESOURCE_PACKAGES,
    package_dir={"edgegui.resources": "resources"},
)
