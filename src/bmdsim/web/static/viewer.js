// bmdsim globe viewer: loads scene.czml into a CesiumJS viewer that needs no network.
//
// Query parameters: t=SECONDS shows the scene that many seconds after the clock's start,
// paused, from straight above and without atmosphere (the view a screenshot takes);
// otherwise the clock plays from the start.
//
// The page reports its state as JSON in <pre id="bmdsim-status">: ready (the CZML is
// loaded), entities (their ids), tilesLoaded (the globe has drawn every tile it wants),
// flown (the camera reached the scene), frames (frames rendered), time (the clock, ISO),
// external (resources requested from another origin: none expected), error.
(function () {
  "use strict";

  var statusEl = document.getElementById("bmdsim-status");
  var state = {
    ready: false,
    entities: [],
    tilesLoaded: false,
    flown: false,
    frames: 0,
    time: null,
    external: [],
    error: null,
  };

  function publish() {
    statusEl.textContent = JSON.stringify(state);
  }

  function fail(reason) {
    var text = reason && reason.message ? reason.message : String(reason);
    if (state.error === null) {
      state.error = text;
    }
    publish();
  }

  function externalResources() {
    if (!window.performance || !performance.getEntriesByType) {
      return [];
    }
    return performance
      .getEntriesByType("resource")
      .map(function (e) {
        return e.name;
      })
      .filter(function (name) {
        return name.indexOf(location.origin + "/") !== 0 && name.indexOf("data:") !== 0 &&
          name.indexOf("blob:") !== 0;
      });
  }

  // the rectangle around the threats, interceptors, batteries and places (not the radar
  // coverage rings, which reach far beyond the engagement), padded by a fifth each way
  function sceneRectangle(dataSource) {
    var points = [];
    dataSource.entities.values.forEach(function (e) {
      if (!e.position || !/^(threat|interceptor|battery|place)\//.test(e.id)) {
        return;
      }
      var times = [];
      if (e.availability && e.availability.length > 0) {
        var a = e.availability.start;
        var b = e.availability.stop;
        var span = Cesium.JulianDate.secondsDifference(b, a);
        for (var k = 0; k <= 12; k++) {
          times.push(Cesium.JulianDate.addSeconds(a, (span * k) / 12, new Cesium.JulianDate()));
        }
      } else {
        times.push(dataSource.clock ? dataSource.clock.startTime : Cesium.JulianDate.now());
      }
      times.forEach(function (t) {
        var p = e.position.getValue(t);
        if (p) {
          points.push(Cesium.Cartographic.fromCartesian(p));
        }
      });
    });
    if (points.length === 0) {
      return null;
    }
    var r = Cesium.Rectangle.fromCartographicArray(points);
    var padLon = Math.max(r.width * 0.2, 0.02);
    var padLat = Math.max(r.height * 0.2, 0.02);
    return new Cesium.Rectangle(
      Math.max(r.west - padLon, -Math.PI),
      Math.max(r.south - padLat, -Math.PI / 2),
      Math.min(r.east + padLon, Math.PI),
      Math.min(r.north + padLat, Math.PI / 2),
    );
  }

  function flyToRectangle(viewer, rectangle, duration) {
    return new Promise(function (resolve) {
      viewer.camera.flyTo({
        destination: rectangle,
        duration: duration,
        complete: function () {
          resolve(true);
        },
        cancel: function () {
          resolve(false);
        },
      });
    });
  }

  window.addEventListener("error", function (ev) {
    fail(ev.message || "script error");
  });
  window.addEventListener("unhandledrejection", function (ev) {
    fail(ev.reason);
  });
  publish();

  async function main() {
    if (typeof Cesium === "undefined") {
      throw new Error("CesiumJS did not load (cesium/Cesium.js)");
    }
    var params = new URLSearchParams(location.search);
    var still = params.get("t") !== null && isFinite(Number(params.get("t")));
    // no Cesium ion: nothing below asks for it, and an empty token makes sure of it
    Cesium.Ion.defaultAccessToken = "";

    var imagery = Cesium.ImageryLayer.fromProviderAsync(
      Cesium.TileMapServiceImageryProvider.fromUrl(
        Cesium.buildModuleUrl("Assets/Textures/NaturalEarthII"),
      ),
    );
    var viewer = new Cesium.Viewer("globe", {
      baseLayer: imagery,
      terrainProvider: new Cesium.EllipsoidTerrainProvider(),
      baseLayerPicker: false,
      geocoder: false,
      navigationHelpButton: false,
      fullscreenButton: false,
      shouldAnimate: !still,
      msaaSamples: 1,
    });
    viewer.scene.globe.enableLighting = false;
    if (still) {
      // a still view from above shows no sky: without the atmosphere, fog and stars a
      // software renderer (a machine without a GPU) draws each frame a third faster
      viewer.scene.skyAtmosphere.show = false;
      viewer.scene.globe.showGroundAtmosphere = false;
      viewer.scene.fog.enabled = false;
      viewer.scene.skyBox.show = false;
    }
    window.bmdsimViewer = viewer; // for the browser's console

    viewer.scene.postRender.addEventListener(function (scene) {
      state.frames += 1;
      var tiles = scene.globe.tilesLoaded;
      var now = Cesium.JulianDate.toIso8601(viewer.clock.currentTime, 0);
      if (tiles !== state.tilesLoaded || now !== state.time || state.frames % 30 === 0) {
        state.tilesLoaded = tiles;
        state.time = now;
        state.external = externalResources();
        publish();
      }
    });

    var dataSource = await Cesium.CzmlDataSource.load("scene.czml");
    await viewer.dataSources.add(dataSource);
    document.getElementById("bmdsim-title").textContent = "bmdsim: " + dataSource.name;
    document.title = "bmdsim: " + dataSource.name;

    if (still) {
      var clock = viewer.clock;
      var at = Cesium.JulianDate.addSeconds(
        clock.startTime,
        Number(params.get("t")),
        new Cesium.JulianDate(),
      );
      if (Cesium.JulianDate.greaterThan(at, clock.stopTime)) {
        at = clock.stopTime;
      }
      clock.currentTime = at;
      clock.shouldAnimate = false;
      viewer.scene.requestRender();
    }

    state.entities = dataSource.entities.values.map(function (e) {
      return e.id;
    });
    state.ready = true;
    publish();

    var rectangle = sceneRectangle(dataSource);
    var duration = still ? 0 : 2;
    state.flown = rectangle
      ? await flyToRectangle(viewer, rectangle, duration)
      : await viewer.flyTo(dataSource, { duration: duration });
    // the tiles of the new view: the next frame says whether they are all drawn
    state.tilesLoaded = false;
    publish();
  }

  main().catch(fail);
})();
