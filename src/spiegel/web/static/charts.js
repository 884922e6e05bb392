// Spiegel dashboards: draw the charts from the Vega-Lite specs in the page.
// Each chart is a <script type="application/json" class="vega-spec" data-target="ID">
// block next to an empty element with that id; the same figures are in a table on the
// page, so nothing is lost without this script. The Vega bundle is served by Spiegel
// itself (no CDN) and is loaded before this module. CSP-safe: no eval (Vega's expression
// interpreter), no injected styles.
const embed = window.vegaEmbed;
const vega = window.vega;

function draw(block) {
  const target = document.getElementById(block.getAttribute("data-target"));
  if (!target || !embed) { return; }
  let spec;
  try { spec = JSON.parse(block.textContent); } catch (e) { return; }
  // ast: vega-embed evaluates expressions with its interpreter instead of new Function().
  const options = {
    actions: false,
    renderer: "svg",
    defaultStyle: false,
    ast: true,
    tooltip: { disableDefaultStyle: true },
  };
  if (vega && vega.expressionInterpreter) { options.expr = vega.expressionInterpreter; }
  embed(target, spec, options).then(function () {
    target.classList.add("vega-drawn");
  }).catch(function () {
    target.classList.add("vega-failed");
  });
}

document.querySelectorAll("script.vega-spec[type='application/json']").forEach(draw);
