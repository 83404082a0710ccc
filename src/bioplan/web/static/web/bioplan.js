/*
 * bioplan front-end helpers (no build step, no external requests).
 *
 * Charts
 *   {{ option|json_script:"plan-chart-option" }}
 *   <div class="bp-chart" data-bp-chart="plan-chart-option"></div>
 * is drawn on page load and after every htmx swap. From script:
 *   bioplan.chart(elementOrSelector, optionObjectOrJsonScriptId) -> Promise<ECharts instance>
 *   an option with bpMap: {name, geojson: "<json_script id>"} registers that GeoJSON as map `name` first
 * ECharts (static/vendor/echarts/echarts.min.js) is loaded on first use, from the URL in
 * <meta name="bioplan-echarts">, so pages without charts do not pay for it.
 * Charts follow the page language (ZH/EN), resize with the window and in 大屏 mode.
 *
 * 大屏 (big screen)
 *   <button data-bp-fullscreen>…</button>            whole page: Fullscreen API + body.bp-bigscreen
 *   <button data-bp-fullscreen="#card-id">…</button> one element full screen
 */
(function () {
  "use strict";

  var echartsLoading = null;

  function echartsUrl() {
    var meta = document.querySelector('meta[name="bioplan-echarts"]');
    return meta ? meta.getAttribute("content") : null;
  }

  function loadEcharts() {
    if (window.echarts) {
      return Promise.resolve(window.echarts);
    }
    if (!echartsLoading) {
      echartsLoading = new Promise(function (resolve, reject) {
        var url = echartsUrl();
        if (!url) {
          reject(new Error("bioplan: <meta name=\"bioplan-echarts\"> is missing"));
          return;
        }
        var script = document.createElement("script");
        script.src = url;
        script.onload = function () { resolve(window.echarts); };
        script.onerror = function () {
          echartsLoading = null;
          reject(new Error("bioplan: could not load " + url));
        };
        document.head.appendChild(script);
      });
    }
    return echartsLoading;
  }

  function resolveElement(el) {
    return typeof el === "string" ? document.querySelector(el) : el;
  }

  function readOption(option) {
    if (typeof option === "string") {
      var node = document.getElementById(option);
      if (!node) {
        throw new Error("bioplan: no json_script element with id " + option);
      }
      return JSON.parse(node.textContent);
    }
    if (option && option.nodeType === 1) {
      return JSON.parse(option.textContent);
    }
    return option;
  }

  // Crowded Chinese category labels are hidden by ECharts' automatic interval; show them all
  // unless the option says otherwise.
  function showAllCategoryLabels(option) {
    ["xAxis", "yAxis"].forEach(function (key) {
      var axes = option[key];
      if (!axes) { return; }
      (Array.isArray(axes) ? axes : [axes]).forEach(function (axis) {
        if (axis && axis.type === "category") {
          axis.axisLabel = axis.axisLabel || {};
          if (axis.axisLabel.interval === undefined) {
            axis.axisLabel.interval = 0;
          }
        }
      });
    });
    return option;
  }

  function isBigscreen() {
    return document.body.classList.contains("bp-bigscreen");
  }

  // One record per chart element: the option is kept so that 大屏 mode can redraw with another theme.
  var records = [];

  function styled(option, big) {
    if (!big) { return option; }
    var copy = Object.assign({}, option);
    if (copy.backgroundColor === undefined) { copy.backgroundColor = "transparent"; }
    if (copy.textStyle === undefined) { copy.textStyle = { fontSize: 16 }; }
    return copy;
  }

  function draw(record, echarts) {
    var big = isBigscreen();
    var theme = big ? "dark" : null;  // ECharts' built-in dark theme: light labels on the dark page
    if (!record.instance || record.instance.isDisposed() || record.theme !== theme) {
      var old = echarts.getInstanceByDom(record.el);
      if (old) { old.dispose(); }
      var lang = (document.documentElement.lang || "zh").toLowerCase();
      record.instance = echarts.init(record.el, theme, { locale: lang.indexOf("zh") === 0 ? "ZH" : "EN" });
      record.theme = theme;
    }
    record.instance.setOption(styled(record.option, big), true);
    return record.instance;
  }

  function chart(el, option) {
    var target = resolveElement(el);
    if (!target) {
      return Promise.reject(new Error("bioplan: chart element not found"));
    }
    var parsed;
    try {
      parsed = showAllCategoryLabels(readOption(option));
    } catch (err) {
      return Promise.reject(err);
    }
    return loadEcharts().then(function (echarts) {
      // An option may carry its own map: {bpMap: {name, geojson: json_script id}} (挂图作战 on the
      // office's uploaded layer); it is registered here, offline, before drawing.
      if (parsed.bpMap) {
        echarts.registerMap(parsed.bpMap.name, readOption(parsed.bpMap.geojson));
        delete parsed.bpMap;
      }
      var record = null;
      records.forEach(function (r) { if (r.el === target) { record = r; } });
      if (!record) {
        record = { el: target, option: parsed, instance: null, theme: null };
        records.push(record);
      }
      record.option = parsed;
      return draw(record, echarts);
    });
  }

  // Charts whose element left the page (htmx swap) are disposed, freeing their canvas.
  function prune() {
    records = records.filter(function (r) {
      if (document.body.contains(r.el)) { return true; }
      if (r.instance && !r.instance.isDisposed()) { r.instance.dispose(); }
      return false;
    });
  }

  function resizeAll() {
    prune();
    records.forEach(function (r) {
      if (r.instance && !r.instance.isDisposed()) { r.instance.resize(); }
    });
  }

  function redrawAll() {
    prune();
    if (window.echarts) {
      records.forEach(function (r) { draw(r, window.echarts); });
    }
  }

  var resizeTimer = null;
  function scheduleResize() {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(resizeAll, 120);
  }

  function initCharts(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var nodes = Array.prototype.slice.call(scope.querySelectorAll("[data-bp-chart]"));
    if (scope.matches && scope.matches("[data-bp-chart]")) {
      nodes.push(scope);
    }
    nodes.forEach(function (node) {
      chart(node, node.getAttribute("data-bp-chart")).catch(function (err) {
        if (window.console) { window.console.error(err); }
      });
    });
  }

  function setBigscreen(on) {
    var changed = isBigscreen() !== on;
    document.body.classList.toggle("bp-bigscreen", on);
    if (on) { document.body.setAttribute("data-bs-theme", "dark"); } else { document.body.removeAttribute("data-bs-theme"); }
    if (changed) { redrawAll(); }
    document.querySelectorAll("[data-bp-fullscreen]").forEach(function (button) {
      if (!button.getAttribute("data-bp-fullscreen")) {
        button.setAttribute("aria-pressed", on ? "true" : "false");
      }
    });
    scheduleResize();
  }

  var bigscreenByApi = false;

  function toggleFullscreen(selector) {
    if (selector) {
      var element = document.querySelector(selector);
      if (!element) { return; }
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else if (element.requestFullscreen) {
        element.classList.add("bp-fullscreen-el");
        element.requestFullscreen().catch(function () {
          element.classList.remove("bp-fullscreen-el");
        });
      }
      return;
    }
    if (isBigscreen()) {
      bigscreenByApi = false;
      setBigscreen(false);
      if (document.fullscreenElement) { document.exitFullscreen(); }
      return;
    }
    // The enlarged layout works even where full screen is refused (iframe policy, old browser).
    setBigscreen(true);
    var root = document.documentElement;
    if (root.requestFullscreen) {
      root.requestFullscreen().then(function () { bigscreenByApi = true; }, function () {});
    }
  }

  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement) {
      if (bigscreenByApi) {  // Esc leaves 大屏 as well as full screen
        bigscreenByApi = false;
        setBigscreen(false);
      }
      document.querySelectorAll(".bp-fullscreen-el").forEach(function (node) {
        node.classList.remove("bp-fullscreen-el");
      });
    }
    scheduleResize();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-bp-fullscreen]") : null;
    if (button) {
      event.preventDefault();
      toggleFullscreen(button.getAttribute("data-bp-fullscreen"));
    }
  });

  // The 大屏's own page (?bigscreen=1) is already dark; this button only asks for full screen.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-bp-fullscreen-only]") : null;
    if (button && document.documentElement.requestFullscreen) {
      event.preventDefault();
      if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen().catch(function () {}); }
    }
  });

  // <ol data-bp-rotate="6" data-bp-rotate-seconds="8">: show 6 items at a time and turn the page every
  // 8 s (the 大屏's red list), writing "1/3" into the card's .bp-rotate-page.
  function rotate(list) {
    var size = parseInt(list.getAttribute("data-bp-rotate"), 10) || 6;
    var seconds = parseInt(list.getAttribute("data-bp-rotate-seconds"), 10) || 8;
    var items = Array.prototype.slice.call(list.children);
    var pages = Math.max(1, Math.ceil(items.length / size));
    var counter = list.closest(".card") ? list.closest(".card").querySelector(".bp-rotate-page") : null;
    var page = 0;
    function show() {
      items.forEach(function (item, i) { item.hidden = Math.floor(i / size) !== page; });
      if (counter) { counter.textContent = pages > 1 ? (page + 1) + "/" + pages : ""; }
      page = (page + 1) % pages;
    }
    show();
    if (pages > 1) { window.setInterval(show, seconds * 1000); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-bp-rotate]").forEach(rotate);
  });

  window.addEventListener("resize", scheduleResize);

  document.addEventListener("DOMContentLoaded", function () { initCharts(document); });
  // htmx 2 fires htmx:load for every new piece of content (and once for the body).
  document.addEventListener("htmx:load", function (event) {
    if (event.target !== document.body) { initCharts(event.target); }
  });

  window.bioplan = {
    chart: chart,
    charts: function () { prune(); return records.map(function (r) { return r.instance; }); },
    loadEcharts: loadEcharts,
    resize: resizeAll,
    toggleFullscreen: toggleFullscreen,
  };
})();
