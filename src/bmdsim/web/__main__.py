"""``python -m bmdsim.web``: install the viewer's CesiumJS build if it is missing and print
its folder (``make viewer``)."""

from bmdsim.web.cesium import main

raise SystemExit(main())
