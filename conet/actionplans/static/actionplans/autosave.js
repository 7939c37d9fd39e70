// Drafts autosave: a form with data-autosave-url posts what is typed a moment after typing stops.
// The server keeps it per person and per form; it never touches the saved row or its version.
(function () {
  "use strict";

  function setup(form) {
    var url = form.dataset.autosaveUrl;
    var delay = parseInt(form.dataset.autosaveDelay, 10) || 2000;
    var status = form.querySelector("[data-autosave-status]");
    var timer = null;
    var busy = false;
    var again = false;
    var submitting = false;

    function show(text, failed) {
      if (!status) return;
      status.textContent = text;
      status.classList.toggle("autosave-failed", Boolean(failed));
    }

    function save() {
      timer = null;
      if (submitting) return;
      if (busy) { again = true; return; }
      busy = true;
      fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (data) {
            if (!response.ok) throw data;
            return data;
          });
        })
        .then(function (data) { show(data.message, false); })
        .catch(function () { show(form.dataset.autosaveFailed, true); })
        .finally(function () {
          busy = false;
          if (again) { again = false; schedule(); }
        });
    }

    function schedule() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, delay);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function () {
      submitting = true;
      if (timer) clearTimeout(timer);
    });
  }

  document.querySelectorAll("form[data-autosave-url]").forEach(setup);
})();
