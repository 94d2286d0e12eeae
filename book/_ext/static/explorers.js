// Starts the book's explorers (course_lib/explorers/live.py): each is a Vega-Lite specification
// with its tables, two layouts and labelled sliders. Vega's runtime (with Vega-Lite, which
// compiles the specification here) is loaded once, when the first explorer comes near the
// screen; a slider sets the chart's parameter (the index of its value) and Vega filters the
// precomputed rows. No algorithm here.
(function () {
  "use strict";
  var script = document.currentScript;
  var runtime = new URL(script.getAttribute("data-runtime"), script.src).href;
  var loading = null;

  function loadVega() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = runtime;
        tag.onload = resolve;
        tag.onerror = function () { reject(new Error("could not load " + runtime)); };
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function start(box) {
    var payload = JSON.parse(box.querySelector("script.explorer-data").textContent);
    var figure = box.querySelector(".explorer-figure");
    var sliders = Array.prototype.slice.call(box.querySelectorAll("input.explorer-slider"));
    var view = null, layout = null;

    function describe() {
      var values = sliders.map(function (s) {
        return s.getAttribute("data-label") + " = " + JSON.parse(s.getAttribute("data-shown"))[+s.value];
      });
      var text = payload.description + ", at " + values.join(", ");
      figure.setAttribute("aria-label", text);
      box.setAttribute("aria-label", text);
    }

    function render() {
      var wanted = figure.clientWidth >= payload.wide_min ? "wide" : "narrow";
      if (wanted === layout) return;
      layout = wanted;
      var spec = JSON.parse(JSON.stringify(payload.spec));
      spec.columns = payload[wanted].columns;
      spec.concat.forEach(function (panel) { panel.width = payload[wanted].width; });
      spec.datasets = payload.tables;
      if (view) view.finalize();
      figure.textContent = "";
      var signals = {}, compiled = null;
      sliders.forEach(function (s) { signals[s.getAttribute("data-param")] = +s.value; });
      function patch(vega) {   // the compiled (Vega) specification, started at the sliders' values
        (vega.signals || []).forEach(function (s) { if (s.name in signals) s.value = signals[s.name]; });
        return (compiled = vega);
      }
      var options = {mode: "vega-lite", patch: patch, renderer: "svg", actions: false, hover: true};
      vegaEmbed(figure, spec, options).then(function (result) {
        view = result.view;
        return fit(view, compiled, payload[wanted].columns, 4).then(function () {
          box.setAttribute("data-ready", layout);
        });
      }, function (error) {
        figure.textContent = "The figure could not be drawn: " + error.message;
      });
    }

    // Panels narrower if the column is: in the wide layout the panels' shared width shrinks by
    // what sticks out (again if the axes moved); a one-column layout that still sticks out (a
    // very narrow phone) is scaled down to the column.
    function fit(view, spec, perRow, tries) {
      var over = figure.scrollWidth - figure.clientWidth;
      var named = (spec.signals || []).some(function (s) { return s.name === "childWidth"; });
      if (over <= 0 || tries === 0) return Promise.resolve();
      if (!named) {
        var svg = figure.querySelector("svg");
        svg.style.width = "100%";
        svg.style.height = "auto";
        return Promise.resolve();
      }
      var width = view.signal("childWidth") - Math.ceil(over / perRow);
      return view.signal("childWidth", width).runAsync().then(function () { return fit(view, spec, perRow, tries - 1); });
    }

    sliders.forEach(function (s) {
      var shown = JSON.parse(s.getAttribute("data-shown"));
      var output = box.querySelector('output[for="' + s.id + '"]');
      s.disabled = false;
      s.addEventListener("input", function () {
        output.textContent = shown[+s.value];
        s.setAttribute("aria-valuetext", shown[+s.value]);
        describe();
        if (view) view.signal(s.getAttribute("data-param"), +s.value).runAsync();
      });
    });
    render();
    var width = figure.clientWidth;
    window.addEventListener("resize", function () {
      if (figure.clientWidth !== width) { width = figure.clientWidth; render(); }
    });
  }

  function init() {
    var boxes = document.querySelectorAll(".live-explorer");
    if (!boxes.length) return;
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        loadVega().then(function () { start(entry.target); }, function (error) {
          entry.target.querySelector(".explorer-figure").textContent = "The figure could not be drawn: " + error.message;
        });
      });
    }, {rootMargin: "800px 0px"});
    boxes.forEach(function (box) { observer.observe(box); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
