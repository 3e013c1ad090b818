import sys

from edgegui.cli.main import main

sys.exit(main())
