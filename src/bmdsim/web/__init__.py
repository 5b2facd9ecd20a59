"""The local 3D globe viewer: a CesiumJS page that animates a run's CZML, served from the
loopback interface (``bmdsim view``).

* :mod:`bmdsim.web.cesium`: the CesiumJS build, installed once from the npm registry into
  the viewer cache (``python -m bmdsim.web`` installs it ahead of time: ``make viewer``);
* :mod:`bmdsim.web.server`: the static file server (the page, the build, one CZML file).

Nothing is fetched from the network while viewing: the imagery is the NaturalEarthII set
inside the CesiumJS build, the terrain the bare ellipsoid, and no Cesium ion token is used.
"""
