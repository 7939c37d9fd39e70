// Consultations: the results page refreshes its map, groups and common ground while votes arrive,
// and the voting page sends each vote without leaving the page.
// The server renders everything; this only fetches and swaps the parts that changed. No inline
// script (CSP).
(function () {
  "use strict";

  // Voting in place: the vote goes out with fetch, the server answers with the next statement's card
  // (_statement.html) and it takes the last one's place, so a resident on a phone stays where they
  // are for each of thirty statements. Without JavaScript the form posts and the server sends the
  // browser back to #statement.
  function showNext(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("statement");
    var current = document.getElementById("statement");
    if (!fresh || !current) return false;
    var next = document.importNode(fresh, true);
    current.replaceWith(next);
    // Screen readers hear the next statement (or the error) politely; keyboard users stay on the
    // first choice of the new card, or on the way on once every statement has a vote.
    var announcer = document.getElementById("vote-announcer");
    var said = next.querySelector("[role=alert]") || next.querySelector(".statement-text");
    if (announcer && said) announcer.textContent = said.textContent.trim();
    var focus = next.querySelector(".vote-buttons button, a[role=button]");
    if (focus) focus.focus({ preventScroll: true });
    return true;
  }

  function cannotSend(form) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
    var card = document.getElementById("statement");
    var message = card.querySelector("[role=alert]");
    if (!message) {
      message = document.createElement("p");
      message.className = "message message-error";
      message.setAttribute("role", "alert");
      card.insertBefore(message, card.firstChild);
    }
    message.textContent = form.dataset.offline;
  }

  function voteInPlace(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.vote-buttons")) return;
    if (form.dataset.plain) return; // the server's answer was not a card: post as without script
    event.preventDefault();
    var submitter = event.submitter;
    if (form.dataset.sending || !submitter) return;
    form.dataset.sending = "true";
    form.setAttribute("aria-busy", "true");
    var body = new FormData(form);
    body.append(submitter.name, submitter.value);
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (showNext(html)) return;
        form.dataset.plain = "true";
        form.requestSubmit(submitter);
      })
      .catch(function () { cannotSend(form); });
  }

  document.addEventListener("submit", voteInPlace);

  var PARTS = ["opinion-map", "groups", "consensus", "statements"];

  function refresh(container) {
    if (document.hidden) return;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var stamp = fresh.querySelector("[data-computed]");
        var current = document.querySelector("[data-computed]");
        if (stamp && current && stamp.dataset.computed === current.dataset.computed) return;
        PARTS.forEach(function (id) {
          var now = document.getElementById(id);
          var next = fresh.getElementById(id);
          if (now && next) now.replaceWith(document.importNode(next, true));
        });
        container.dataset.refreshed = String(Number(container.dataset.refreshed || 0) + 1);
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }

  function start() {
    var container = document.querySelector("[data-refresh]");
    if (!container) return;
    var seconds = Math.max(1, Number(container.dataset.refresh) || 15);
    window.setInterval(function () { refresh(container); }, seconds * 1000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
