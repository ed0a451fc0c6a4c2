/*
 * Draws every report figure from JSON embedded in the page.
 *
 * The server renders, per figure:
 *   <div id="ID" data-label="Text alternative"></div>
 *   <script type="application/json" class="js-figure" data-target="ID">{"data":…,"layout":…}</script>
 * Loaded with `defer` after the local Plotly bundle; no inline script, so the page's CSP
 * needs no 'unsafe-inline' or 'unsafe-eval'.
 */
(function () {
  "use strict";

  var CONFIG = { responsive: true, displaylogo: false, displayModeBar: false };

  function label(target) {
    // Screen readers get one sentence for the figure, not Plotly's SVG internals.
    var text = target.getAttribute("data-label");
    if (text) {
      target.setAttribute("role", "img");
      target.setAttribute("aria-label", text);
    }
  }

  function draw(node) {
    var target = document.getElementById(node.getAttribute("data-target") || "");
    if (!target || target.getAttribute("data-drawn") === "true") {
      return;
    }
    label(target);
    var figure;
    try {
      figure = JSON.parse(node.textContent || "{}");
    } catch (error) {
      // One broken figure must not stop the rest of the report from drawing.
      if (window.console) { window.console.error("charts.js: bad figure JSON", error); }
      return;
    }
    window.Plotly.newPlot(target, figure.data || [], figure.layout || {}, CONFIG);
    target.setAttribute("data-drawn", "true");
  }

  function drawAll() {
    if (!window.Plotly) {
      // The bundle failed to load: the page's text summary and tables still stand on their own.
      return;
    }
    var nodes = document.querySelectorAll('script[type="application/json"].js-figure');
    for (var i = 0; i < nodes.length; i += 1) {
      draw(nodes[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
