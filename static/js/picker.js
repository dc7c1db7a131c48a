// The register party picker, searched in place. Without script the search box
// submits its own GET form and the page comes back with the parties found; with
// it, the same page is fetched and only the list of parties is swapped, so what
// was typed in the rest of the form stays.
(function () {
  "use strict";
  document.querySelectorAll("[data-picker]").forEach(function (picker) {
    var form = document.getElementById(picker.dataset.picker);
    var name = picker.dataset.pickerName;
    var input = picker.querySelector("input[type=search]");
    var results = picker.querySelector(".picker-results");
    if (!form || !input || !results || !window.fetch || !window.DOMParser) { return; }
    var timer = null;
    var asked = input.value.trim();

    function search() {
      var text = input.value.trim();
      asked = text;
      var params = new URLSearchParams(window.location.search);
      params.set(input.name, text);
      fetch(window.location.pathname + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { "Accept": "text/html" }
      }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html === null || text !== asked) { return; }
        var page = new DOMParser().parseFromString(html, "text/html");
        var found = page.querySelector("[data-picker-name='" + name + "'] .picker-results");
        if (!found) { return; }
        var checked = results.querySelector("input[type=radio]:checked");
        var kept = checked ? checked.closest("li") : null;
        results.replaceChildren.apply(results, Array.prototype.slice.call(found.childNodes).map(function (node) {
          return document.importNode(node, true);
        }));
        if (kept) {
          var same = results.querySelector("input[type=radio][value='" + checked.value + "']");
          var list = results.querySelector("ul");
          if (same) {
            same.checked = true;
          } else if (list) {
            list.insertBefore(kept, list.firstChild);
          } else {
            var ul = document.createElement("ul");
            ul.className = "picker-list";
            ul.appendChild(kept);
            results.insertBefore(ul, results.firstChild);
          }
        }
      }).catch(function () { /* the search button still reloads the page */ });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      search();
    });
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = input.value.trim();
      if (text.length >= 2 || /[\u3400-\u9fff]/.test(text)) {
        timer = window.setTimeout(search, 350);
      }
    });
  });
})();
