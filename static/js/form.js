// Progressive help on the public form; the form works the same without it.
// - a live character count under each textarea that has data-counter;
// - the description's help shows only the text for the kind chosen.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-counter][maxlength]").forEach(function (area) {
    var out = document.createElement("p");
    out.className = "hint counter";
    out.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", out);
    var max = area.getAttribute("maxlength");
    function show() {
      out.textContent = area.dataset.counter
        .replace("%(count)s", String(area.value.length))
        .replace("%(max)s", max);
      out.classList.toggle("counter-full", area.value.length >= Number(max));
    }
    area.addEventListener("input", show);
    show();
  });
  var kinds = document.querySelectorAll("input[name='kind']");
  function fit() {
    var chosen = document.querySelector("input[name='kind']:checked");
    document.querySelectorAll("[data-for-kind]").forEach(function (part) {
      part.hidden = Boolean(chosen) && part.dataset.forKind !== chosen.value;
    });
  }
  kinds.forEach(function (input) { input.addEventListener("change", fit); });
  fit();
})();
