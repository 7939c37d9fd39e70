// Consultations: the results page refreshes its map, groups and common ground while votes arrive,
// and the voting page sends each vote without leaving the page.
// The server renders everything; this only fetches and swaps the parts that changed. No inline
// script (CSP).
(function () {
  "use strict";

  // A device's first vote costs a little work (conet/consultations/admission.py): find a number
  // such that sha256("<ticket>:<number>") starts with data-proof-bits zero bits. It starts as soon
  // as the page shows a ticket, in slices that leave the page responsive, so it is usually done
  // before the first tap. SHA-256 by hand: crypto.subtle is asynchronous per hash (far slower for
  // 65,000 small ones) and missing on plain-HTTP addresses.
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ];
  var W = new Int32Array(64);

  function compress(state, bytes, offset) {
    for (var i = 0; i < 16; i++) {
      var j = offset + i * 4;
      W[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
    }
    for (i = 16; i < 64; i++) {
      var a = W[i - 15], b = W[i - 2];
      var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    var h0 = state[0], h1 = state[1], h2 = state[2], h3 = state[3];
    var h4 = state[4], h5 = state[5], h6 = state[6], h7 = state[7];
    for (i = 0; i < 64; i++) {
      var S1 = ((h4 >>> 6) | (h4 << 26)) ^ ((h4 >>> 11) | (h4 << 21)) ^ ((h4 >>> 25) | (h4 << 7));
      var t1 = (h7 + S1 + ((h4 & h5) ^ (~h4 & h6)) + K[i] + W[i]) | 0;
      var S0 = ((h0 >>> 2) | (h0 << 30)) ^ ((h0 >>> 13) | (h0 << 19)) ^ ((h0 >>> 22) | (h0 << 10));
      var t2 = (S0 + ((h0 & h1) ^ (h0 & h2) ^ (h1 & h2))) | 0;
      h7 = h6; h6 = h5; h5 = h4; h4 = (h3 + t1) | 0;
      h3 = h2; h2 = h1; h1 = h0; h0 = (t1 + t2) | 0;
    }
    state[0] = (state[0] + h0) | 0; state[1] = (state[1] + h1) | 0;
    state[2] = (state[2] + h2) | 0; state[3] = (state[3] + h3) | 0;
    state[4] = (state[4] + h4) | 0; state[5] = (state[5] + h5) | 0;
    state[6] = (state[6] + h6) | 0; state[7] = (state[7] + h7) | 0;
  }

  var INITIAL = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ];

  // The ticket is ASCII; its whole 64-byte blocks are hashed once, then only the tail per try.
  function prover(prefix) {
    var full = prefix.length - (prefix.length % 64);
    var head = new Uint8Array(full);
    for (var i = 0; i < full; i++) head[i] = prefix.charCodeAt(i);
    var middle = Int32Array.from(INITIAL);
    for (i = 0; i < full; i += 64) compress(middle, head, i);
    var rest = prefix.slice(full);
    var block = new Uint8Array(128);
    var state = new Int32Array(8);
    return function firstWords(nonce) {
      var tail = rest + nonce;
      var length = tail.length;
      var blocks = length + 9 > 64 ? 128 : 64;
      block.fill(0);
      for (var k = 0; k < length; k++) block[k] = tail.charCodeAt(k);
      block[length] = 0x80;
      var bits = (full + length) * 8;
      block[blocks - 4] = (bits >>> 24) & 255; block[blocks - 3] = (bits >>> 16) & 255;
      block[blocks - 2] = (bits >>> 8) & 255; block[blocks - 1] = bits & 255;
      state.set(middle);
      compress(state, block, 0);
      if (blocks === 128) compress(state, block, 64);
      return state;
    };
  }

  function startsWithZeros(state, bits) {
    for (var i = 0; bits > 0; i++, bits -= 32) {
      var word = state[i] >>> 0;
      if (bits >= 32 ? word !== 0 : word >>> (32 - bits) !== 0) return false;
    }
    return true;
  }

  var proofs = {}; // ticket → Promise of the proof

  function findProof(ticket, bits) {
    if (!proofs[ticket]) {
      proofs[ticket] = new Promise(function (resolve) {
        var hash = prover(ticket + ":");
        var nonce = 0;
        (function slice() {
          for (var end = nonce + 4000; nonce < end; nonce++) {
            if (startsWithZeros(hash(String(nonce)), bits)) return resolve(String(nonce));
          }
          window.setTimeout(slice, 0);
        })();
      });
    }
    return proofs[ticket];
  }

  // The proof for `form`, once found, in its hidden field (null when the form needs none).
  function proven(form) {
    var field = form.querySelector("input[name=proof]");
    var ticket = form.querySelector("input[name=ticket]");
    if (!field || !ticket || !form.dataset.proofBits) return null;
    return findProof(ticket.value, Number(form.dataset.proofBits)).then(function (proof) {
      // The vote and the statement form share the page's ticket: one proof serves both.
      document.querySelectorAll("input[name=ticket]").forEach(function (input) {
        var other = input.form && input.form.querySelector("input[name=proof]");
        if (other && input.value === ticket.value) other.value = proof;
      });
      return proof;
    });
  }

  function proveAll() {
    document.querySelectorAll("form[data-proof-bits]").forEach(proven);
  }

  // A form that is not sent in place (a statement of one's own) waits for its proof, then goes.
  function sendWhenProven(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-proof-bits]") || form.matches("form.vote-buttons")) return;
    var field = form.querySelector("input[name=proof]");
    if (!field || field.value) return;
    event.preventDefault();
    var submitter = event.submitter;
    proven(form).then(function () { form.requestSubmit(submitter); });
  }

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
    if (next.querySelector("form[data-proof-bits]")) proveAll(); // a refused first vote: a new ticket
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
    Promise.resolve(proven(form))
      .then(function () {
        var body = new FormData(form);
        body.append(submitter.name, submitter.value);
        return fetch(form.action, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" },
        });
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
  document.addEventListener("submit", sendWhenProven);

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
    proveAll();
    var container = document.querySelector("[data-refresh]");
    if (!container) return;
    var seconds = Math.max(1, Number(container.dataset.refresh) || 15);
    window.setInterval(function () { refresh(container); }, seconds * 1000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
