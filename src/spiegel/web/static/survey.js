// Spiegel survey pages: save answers in the background as they are given, and keep a
// double click from sending twice. The pages work fully without this script.
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  var form = document.querySelector("form[data-autosave]");
  if (form && window.fetch && window.FormData) {
    var status = document.getElementById("save-status");
    var timer = null;
    var say = function (text) { if (status) { status.textContent = text; } };
    var save = function () {
      var data = new FormData(form);
      data.set("action", "save");
      // getAttribute: the buttons are named "action", so form.action is those buttons.
      fetch(form.getAttribute("action"), {
        method: "POST",
        body: new URLSearchParams(data),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        if (response.ok) {
          say(form.getAttribute("data-saved-text"));
        } else if (response.status !== 422) {
          say(form.getAttribute("data-failed-text"));
        }
      }).catch(function () { say(form.getAttribute("data-failed-text")); });
    };
    var later = function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, 800);
    };
    form.addEventListener("change", later);
    form.addEventListener("input", function (event) {
      if (event.target && event.target.tagName === "TEXTAREA") { later(); }
    });
    form.addEventListener("submit", function () { if (timer) { clearTimeout(timer); } });
  }

  var once = document.querySelectorAll("form button[data-once]");
  Array.prototype.forEach.call(once, function (button) {
    button.form.addEventListener("submit", function () {
      setTimeout(function () { button.disabled = true; }, 0);
    });
  });
})();
