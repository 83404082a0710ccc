/*
 * bioplan front-end helpers (no build step, no external requests).
 *
 * Charts
 *   {{ option|json_script:"plan-chart-option" }}
 *   <div class="bp-chart" data-bp-chart="plan-chart-option"></div>
 * is drawn on page load and after every htmx swap. From script:
 *   bioplan.chart(elementOrSelector, optionObjectOrJsonScriptId) -> Promise<ECharts instance>
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

  var charts = [];
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
      var lang = (document.documentElement.lang || "zh").toLowerCase();
      var instance = echarts.getInstanceByDom(target) || echarts.init(target, null, {
        locale: lang.indexOf("zh") === 0 ? "ZH" : "EN",
      });
      if (isBigscreen() && !parsed.textStyle) {
        parsed.textStyle = { fontSize: 16 };
      }
      instance.setOption(parsed, true);
      if (charts.indexOf(instance) < 0) {
        charts.push(instance);
      }
      return instance;
    });
  }

  function resizeAll() {
    charts = charts.filter(function (c) { return !c.isDisposed(); });
    charts.forEach(function (c) {
      if (document.body.contains(c.getDom())) {
        c.resize();
      } else {
        c.dispose();
      }
    });
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
    document.body.classList.toggle("bp-bigscreen", on);
    document.querySelectorAll("[data-bp-fullscreen]").forEach(function (button) {
      if (!button.getAttribute("data-bp-fullscreen")) {
        button.setAttribute("aria-pressed", on ? "true" : "false");
      }
    });
    scheduleResize();
  }

  function toggleFullscreen(selector) {
    var target = selector ? document.querySelector(selector) : document.documentElement;
    if (!target) { return; }
    if (document.fullscreenElement) {
      document.exitFullscreen();
      return;
    }
    if (!selector && !target.requestFullscreen) {
      setBigscreen(!isBigscreen());  // no Fullscreen API: the class alone still enlarges the page
      return;
    }
    if (selector) {
      target.classList.add("bp-fullscreen-el");
    } else {
      setBigscreen(true);
    }
    target.requestFullscreen().catch(function () {
      // Refused (e.g. iframe policy): keep the enlarged layout without true full screen.
    });
  }

  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement) {
      setBigscreen(new URLSearchParams(window.location.search).has("bigscreen"));
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

  window.addEventListener("resize", scheduleResize);

  document.addEventListener("DOMContentLoaded", function () { initCharts(document); });
  // htmx 2 fires htmx:load for every new piece of content (and once for the body).
  document.addEventListener("htmx:load", function (event) {
    if (event.target !== document.body) { initCharts(event.target); }
  });

  window.bioplan = {
    chart: chart,
    charts: function () { return charts.slice(); },
    loadEcharts: loadEcharts,
    resize: resizeAll,
    toggleFullscreen: toggleFullscreen,
  };
})();
