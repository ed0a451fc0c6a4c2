/*
 * Turns each server-drawn report chart into an interactive Plotly chart, lazily.
 *
 * The server renders, per figure, a box of the chart's fixed height holding a drawing:
 *   <div id="ID" class="report-plot" data-label="Text alternative"><div class="static-chart">SVG or table</div></div>
 *   <script type="application/json" class="js-figure" data-target="ID">{"data":…,"layout":…}</script>
 * A chart is built only once its box scrolls into view, and one chart per idle slot, so the
 * page stays responsive on a slow phone; the Plotly chart replaces the drawing in the same box,
 * so nothing moves. The local Plotly bundle (this script's data-plotly) is fetched only when
 * the first chart comes into view. No inline script, so the page's CSP needs no
 * 'unsafe-inline' or 'unsafe-eval'.
 */
(function () {
  "use strict";

  var CONFIG = { responsive: true, displaylogo: false, displayModeBar: false };
  var queue = [];
  var waiting = false;
  var me = document.currentScript;
  var bundle = me ? me.getAttribute("data-plotly") : null;
  var loading = false;

  function label(target) {
    // Screen readers get one sentence for the figure, not Plotly's SVG internals.
    var text = target.getAttribute("data-label");
    if (text) {
      target.setAttribute("role", "img");
      target.setAttribute("aria-label", text);
    }
  }

  function targetOf(node) {
    return document.getElementById(node.getAttribute("data-target") || "");
  }

  function draw(node) {
    var target = targetOf(node);
    if (!target || target.getAttribute("data-drawn") === "true") {
      return;
    }
    var figure;
    try {
      figure = JSON.parse(node.textContent || "{}");
    } catch (error) {
      // One broken figure keeps its server drawing; the rest of the report still draws.
      if (window.console) { window.console.error("charts.js: bad figure JSON", error); }
      return;
    }
    var drawing = target.querySelector(".static-chart");
    if (drawing) {
      drawing.parentNode.removeChild(drawing);
    }
    label(target);
    window.Plotly.newPlot(target, figure.data || [], figure.layout || {}, CONFIG);
    target.setAttribute("data-drawn", "true");
  }

  function whenIdle(callback) {
    if (window.requestIdleCallback) {
      window.requestIdleCallback(callback, { timeout: 2000 });
    } else {
      window.setTimeout(callback, 50);
    }
  }

  function loadPlotly() {
    if (loading || !bundle) {
      return;
    }
    loading = true;
    var script = document.createElement("script");
    script.src = bundle;
    script.onload = next;
    // Without the bundle the server drawings stay: they are the charts' readable form.
    document.head.appendChild(script);
  }

  function next() {
    // One chart per idle slot: building a chart is one long task, never several in a row.
    if (waiting || queue.length === 0) {
      return;
    }
    if (!window.Plotly) {
      loadPlotly();
      return;
    }
    waiting = true;
    whenIdle(function () {
      waiting = false;
      draw(queue.shift());
      next();
    });
  }

  function start() {
    var nodes = document.querySelectorAll('script[type="application/json"].js-figure');
    if (!("IntersectionObserver" in window)) {
      for (var i = 0; i < nodes.length; i += 1) { queue.push(nodes[i]); }
      next();
      return;
    }
    var byTarget = {};
    var observer = new window.IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          queue.push(byTarget[entry.target.id]);
          next();
        }
      });
    }, { rootMargin: "200px 0px" });
    for (var j = 0; j < nodes.length; j += 1) {
      var target = targetOf(nodes[j]);
      if (target) {
        byTarget[target.id] = nodes[j];
        observer.observe(target);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
